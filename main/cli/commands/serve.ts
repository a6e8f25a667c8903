// `switchboard serve`: runs the core headless, prints one JSON ready line on stdout, stops cleanly on SIGINT/SIGTERM; `--ui` adds the UI on loopback.
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import { BUILT_UI, CLI_ENTRY } from '../paths.ts';
import {
  adoptLegacyDataDir,
  createJsonLogger,
  RecentLogLines,
  createUiServiceForHost,
  defaultPaths,
  pathEnvironmentOfThisProcess,
  startCoreHost,
  startUiEndpoint,
  SwitchboardError,
  systemClientCommands,
  type LogLevel,
  type UiService,
} from '../../core/index.ts';
import { parsePort } from '../argument-parsers.ts';
import { reportLocalError } from '../report-error.ts';
import { listenForStopSignals, stopWithin } from '../stop-signals.ts';

interface ServeOptions {
  config: string;
  port?: number;
  dataDir?: string;
  logLevel: LogLevel;
  allowAnonymous?: boolean;
  ui?: boolean;
}

export function registerServeCommand(program: Command): void {
  program
    .command('serve')
    .description('Run Switchboard without a window: the local MCP endpoint on 127.0.0.1 and every enabled server behind it.')
    .requiredOption('-c, --config <file>', 'JSON configuration file (see docs/configuration.md)')
    .option(
      '-p, --port <n>',
      'port for the local endpoint on 127.0.0.1 (overrides the file); 0 reuses the port chosen at the first start, else picks a free one',
      parsePort,
    )
    .option('-d, --data-dir <dir>', 'where Switchboard keeps its state (default: the per-user data folder of this OS)')
    .option('--ui', 'also serve the Switchboard UI on 127.0.0.1 (the ready line gives its address, with an access token)')
    .option('--allow-anonymous', 'DEVELOPMENT AND CONFORMANCE RUNS ONLY: accept requests without a client credential')
    .option('--log-level <level>', 'debug, info, warn or error (logs go to stderr as JSON lines)', 'info')
    .addHelpText(
      'after',
      '\nWhen ready it prints exactly one line on stdout:\n  {"event":"ready","mcpUrl":"http://127.0.0.1:<port>/mcp",...}\nwith "uiUrl" too under --ui. Point an MCP client at mcpUrl. Stop with Ctrl-C (SIGINT) or SIGTERM.',
    )
    .action(async (options: ServeOptions) => {
      process.exitCode = await serve(options);
    });
}

async function serve(options: ServeOptions): Promise<number> {
  // The window's log view shows the same lines as the terminal (serve writes no log file).
  const recent = new RecentLogLines();
  const logger = createJsonLogger({
    write: (line) => {
      process.stderr.write(line);
      recent.write(line);
    },
    minLevel: options.logLevel,
  });
  try {
    if (options.ui && !existsSync(join(BUILT_UI, 'index.html')))
      throw new SwitchboardError('CONFIG_NOT_FOUND', `the UI is not built (${BUILT_UI}); run \`npm run build\` first`);
    const configPath = resolve(options.config);
    const paths = options.dataDir ? { dataDir: resolve(options.dataDir) } : defaultPaths();
    // The app's folder of an older version moves into the shared one before anything is written there.
    if (!options.dataDir) await adoptLegacyDataDir(paths.dataDir, logger);
    await mkdir(paths.dataDir, { recursive: true, mode: 0o700 });
    const stopSignals = listenForStopSignals(logger);
    const host = await startCoreHost({
      configPath,
      dataDir: paths.dataDir,
      logger,
      ...(options.port !== undefined ? { port: options.port } : {}),
      allowAnonymous: Boolean(options.allowAnonymous),
      aiClients: { pathEnvironment: pathEnvironmentOfThisProcess() },
    });
    let ui: Awaited<ReturnType<typeof startUiEndpoint>> | undefined;
    let service: UiService | undefined;
    if (options.ui) {
      service = createUiServiceForHost(host, {
        logger,
        log: { recent },
        // Claude Code is set up through its own `claude mcp` when it is on PATH (it rewrites ~/.claude.json from memory).
        machine: {
          pathEnvironment: pathEnvironmentOfThisProcess(),
          bridgeCommand: { command: process.execPath, args: [CLI_ENTRY, 'stdio', ...(options.dataDir ? ['--data-dir', paths.dataDir] : [])] },
          commands: systemClientCommands(),
        },
      });
      ui = await startUiEndpoint({ service, staticDir: BUILT_UI, logger });
    }
    const config = host.config();
    process.stdout.write(
      `${JSON.stringify({ event: 'ready', mcpUrl: host.mcpUrl(), pid: process.pid, dataDir: paths.dataDir, servers: config.servers.filter((s) => s.enabled).map((s) => s.id), ...(ui ? { uiUrl: ui.url } : {}), ...(options.allowAnonymous ? { anonymous: true } : {}) })}\n`,
    );
    await stopSignals.requested;
    await stopWithin(
      async () => {
        service?.close();
        await ui?.close();
        await host.stop();
      },
      { logger, exitCode: () => 0 },
    );
    return 0;
  } catch (error) {
    reportLocalError(error);
    return Number(process.exitCode);
  }
}
