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
import { registerCompletionCommand } from './completion.ts';
import { EXIT_CODES_HELP, ExitCode } from './exit-codes.ts';

export async function runCli(argv: readonly string[]): Promise<number> {
  const program = new Command('switchboard')
    .description('One local MCP endpoint for every remote MCP server you use: signed in once, audited locally.')
    .version(SWITCHBOARD_VERSION)
    .showHelpAfterError()
    .addHelpText('after', EXIT_CODES_HELP)
    .exitOverride();
  registerServeCommand(program);
  registerClientsCommand(program);
  registerStatusCommand(program);
  registerStdioCommand(program);
  registerAuthCommands(program);
  registerAuditCommand(program);
  registerDiscoveryCommands(program);
  registerToolsCommand(program);
  registerCompletionCommand(program);
  try {
    await program.parseAsync([...argv]);
    // Commands report failure through process.exitCode so that their cleanup runs before the process ends.
    return Number(process.exitCode ?? 0);
  } catch (error) {
    // Commander has already printed what was wrong; --help and --version end here too, with 0.
    if (error instanceof CommanderError) return error.exitCode === 0 ? ExitCode.ok : ExitCode.usage;
    throw error;
  }
}
