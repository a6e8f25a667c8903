// `switchboard stdio`: for stdio-only AI clients; relays to the already running Switchboard, never starts a second one.
import type { Command } from 'commander';
import { createJsonLogger, runningSwitchboard, runStdioBridge } from '../../core/index.ts';
import { dataDirOf } from '../command-app.ts';
import { reportLocalError } from '../report-error.ts';

export const CREDENTIAL_ENV = 'SWITCHBOARD_CLIENT_CREDENTIAL';

export function registerStdioCommand(program: Command): void {
  program
    .command('stdio')
    .description('Bridge a stdio-only MCP client (e.g. Claude Desktop) to the running Switchboard endpoint.')
    .option('-d, --data-dir <dir>', 'the data folder the running Switchboard uses (as for serve)')
    .addHelpText(
      'after',
      `\nThe client's credential comes from the ${CREDENTIAL_ENV} environment variable (see \`switchboard clients add\`).\n` +
        'Messages are read from stdin and written to stdout, one JSON-RPC message per line; logs go to stderr.\n' +
        'When Switchboard restarts, the bridge reconnects and opens a new session by itself; while it is stopped, each request\n' +
        'is answered within seconds with an error whose data.code is GATEWAY_NOT_RUNNING.',
    )
    .action(async (options: { dataDir?: string }) => {
      const logger = createJsonLogger({ write: (line) => process.stderr.write(line), minLevel: 'warn' });
      try {
        const status = await runningSwitchboard(dataDirOf(options)).status();
        if (!status.mcpUrl) throw new Error('the running Switchboard has no endpoint');
        const credential = process.env[CREDENTIAL_ENV];
        await runStdioBridge({ mcpUrl: status.mcpUrl, ...(credential ? { credential } : {}), input: process.stdin, output: process.stdout, logger });
      } catch (error) {
        reportLocalError(error, 3);
      }
    });
}
