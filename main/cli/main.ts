// The command-line program: parses arguments and dispatches to one module per command.
import { Command, CommanderError } from 'commander';
import { SWITCHBOARD_VERSION } from '../core/index.ts';
import { registerAuditCommand } from './commands/audit.ts';
import { registerAuthCommands } from './commands/auth.ts';
import { registerClientsCommand } from './commands/clients.ts';
import { registerDiscoveryCommands } from './commands/discovery.ts';
import { registerServeCommand } from './commands/serve.ts';
import { registerStatusCommand } from './commands/status.ts';
import { registerStdioCommand } from './commands/stdio.ts';
import { registerToolsCommand } from './commands/tools.ts';

export async function runCli(argv: readonly string[]): Promise<number> {
  const program = new Command('switchboard')
    .description('One local MCP endpoint for every remote MCP server you use: signed in once, audited locally.')
    .version(SWITCHBOARD_VERSION)
    .showHelpAfterError()
    .exitOverride();
  registerServeCommand(program);
  registerClientsCommand(program);
  registerStatusCommand(program);
  registerStdioCommand(program);
  registerAuthCommands(program);
  registerAuditCommand(program);
  registerDiscoveryCommands(program);
  registerToolsCommand(program);
  try {
    await program.parseAsync([...argv]);
    // Commands report failure through process.exitCode so that their cleanup runs before the process ends.
    return Number(process.exitCode ?? 0);
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode;
    throw error;
  }
}
