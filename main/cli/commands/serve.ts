// `switchboard serve`: runs the core headless, prints one JSON ready line on stdout, stops cleanly on SIGINT/SIGTERM.
import { mkdir } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { applyCompanyPolicy, createJsonLogger, createSwitchboard, defaultPaths, isSwitchboardError, loadCompanyPolicy, loadConfigFile, type LogLevel } from '../../core/index.ts';

interface ServeOptions {
  config: string;
  port?: number;
  dataDir?: string;
  logLevel: LogLevel;
  allowAnonymous?: boolean;
}

export function registerServeCommand(program: Command): void {
  program
    .command('serve')
    .description('Run Switchboard without a window: the local MCP endpoint on 127.0.0.1 and every enabled server behind it.')
    .requiredOption('-c, --config <file>', 'JSON configuration file (see docs/configuration.md)')
    .option('-p, --port <n>', 'port for the local endpoint on 127.0.0.1; 0 picks a free one (overrides the file)', parsePort)
    .option('-d, --data-dir <dir>', 'where Switchboard keeps its state (default: the per-user data folder of this OS)')
    .option('--allow-anonymous', 'DEVELOPMENT AND CONFORMANCE RUNS ONLY: accept requests without a client credential')
    .option('--log-level <level>', 'debug, info, warn or error (logs go to stderr as JSON lines)', 'info')
    .addHelpText(
      'after',
      '\nWhen ready it prints exactly one line on stdout:\n  {"event":"ready","mcpUrl":"http://127.0.0.1:<port>/mcp",...}\nPoint an MCP client at mcpUrl. Stop with Ctrl-C (SIGINT) or SIGTERM.',
    )
    .action(async (options: ServeOptions) => {
      process.exitCode = await serve(options);
    });
}

async function serve(options: ServeOptions): Promise<number> {
  const logger = createJsonLogger({ write: (line) => process.stderr.write(line), minLevel: options.logLevel });
  try {
    let config = await loadConfigFile(resolve(options.config));
    if (config.discovery.policyFile) {
      const outcome = applyCompanyPolicy(config, await loadCompanyPolicy(resolve(options.config, '..', config.discovery.policyFile)));
      for (const { id, reason } of outcome.disabled) logger.log('warn', 'policy.server_disabled', { server: id, reason });
      config = outcome.config;
    }
    if (options.port !== undefined) config.gateway.port = options.port;
    const paths = options.dataDir ? { dataDir: resolve(options.dataDir) } : defaultPaths();
    await mkdir(paths.dataDir, { recursive: true, mode: 0o700 });
    const switchboard = createSwitchboard({ config, logger, paths, allowAnonymous: Boolean(options.allowAnonymous) });
    // Listen for signals before announcing readiness: a supervisor may signal the moment it reads the ready line.
    const stopSignal = new Promise<NodeJS.Signals>((resolveSignal) => {
      process.once('SIGINT', resolveSignal);
      process.once('SIGTERM', resolveSignal);
    });
    const { mcpUrl } = await switchboard.start();
    process.stdout.write(`${JSON.stringify({ event: 'ready', mcpUrl, pid: process.pid, dataDir: paths.dataDir, servers: config.servers.filter((s) => s.enabled).map((s) => s.id), ...(options.allowAnonymous ? { anonymous: true } : {}) })}\n`);
    const signal = await stopSignal;
    logger.log('info', 'switchboard.stopping', { signal });
    await switchboard.stop();
    return 0;
  } catch (error) {
    if (isSwitchboardError(error)) {
      process.stderr.write(`switchboard: ${error.code}: ${error.message}\n`);
      return 2;
    }
    throw error;
  }
}

function parsePort(value: string): number {
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--port must be an integer from 0 to 65535, got "${value}"`);
  return port;
}
