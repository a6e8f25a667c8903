// `npm run demo`: starts the sandbox and Switchboard configured with it — the tray app where it can run, else headless — and stops it all on Ctrl-C.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { constants, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { startSandbox } from './index.ts';
import { runCli, startServe } from '../support/serve-process.ts';
import { KEYCHAIN_ENV, KEYCHAIN_SEED_ENV } from '../../main/core/vault/open-secret-store.ts';
import { vaultAccounts } from '../../main/core/vault/vault.ts';

const repoRoot = join(import.meta.dirname, '../..');

/**
 * Where Electron's binary is, if it has been installed. Electron 45's `require('electron')` would try to download a
 * missing binary, so this reads the package's own path.txt instead and never triggers a download.
 */
function electronBinary(): string | undefined {
  try {
    const packageDir = dirname(createRequire(import.meta.url).resolve('electron/package.json'));
    const relativePath = readFileSync(join(packageDir, 'path.txt'), 'utf8');
    const binary = join(process.env.ELECTRON_OVERRIDE_DIST_PATH ?? join(packageDir, 'dist'), relativePath);
    return existsSync(binary) ? binary : undefined;
  } catch {
    return undefined;
  }
}

function hasDisplay(): boolean {
  return process.platform === 'darwin' || process.platform === 'win32' || Boolean(process.env.DISPLAY || process.env.WAYLAND_DISPLAY);
}

/** How long a graceful stop may take (Switchboard itself promises 2 s) before the children are killed anyway. */
const STOP_DEADLINE_MS = 4_000;
/** npm forwards a terminal's Ctrl-C that the terminal also delivers: two signals this close together are one press. */
const SAME_PRESS_MS = 200;

// What has to go when the demo stops, filled in as it starts, so a Ctrl-C during start-up cleans up too.
const children = new Set<ChildProcess>();
let sandbox: Awaited<ReturnType<typeof startSandbox>> | undefined;
let workDir: string | undefined;
let stopping: { at: number } | undefined;

function adopt(child: ChildProcess): void {
  children.add(child);
  child.once('exit', () => children.delete(child));
  // Started after the stop began (start-up was still under way): it has no business running.
  if (stopping) child.kill('SIGKILL');
}

function onStopSignal(signal: NodeJS.Signals): void {
  if (!stopping) {
    stopping = { at: Date.now() };
    console.error('Stopping… press Ctrl-C again to force.');
    void shutdown(0);
    return;
  }
  if (Date.now() - stopping.at < SAME_PRESS_MS) return;
  console.error('Forced to stop.');
  forceExit(128 + constants.signals[signal]);
}

/** The second Ctrl-C, or a stop past its deadline: SIGKILL to every child, the temporary folder still removed. */
function forceExit(code: number): never {
  for (const child of children) child.kill('SIGKILL');
  if (workDir) rmSync(workDir, { recursive: true, force: true });
  process.exit(code);
}

let shuttingDown: Promise<void> | undefined;
function shutdown(code: number): Promise<void> {
  stopping ??= { at: Date.now() };
  shuttingDown ??= stopAll(code);
  return shuttingDown;
}

async function stopAll(code: number): Promise<void> {
  const deadline = setTimeout(() => {
    console.error(`The demo did not stop within ${STOP_DEADLINE_MS / 1000} s; killing what is left.`);
    forceExit(code);
  }, STOP_DEADLINE_MS);
  deadline.unref();
  // Switchboard first (it may still be talking to the sandbox), then the sandbox, then the files.
  await Promise.all([...children].map((child) => stopChild(child)));
  await sandbox?.close();
  if (workDir) await rm(workDir, { recursive: true, force: true });
  process.exit(code);
}

/** SIGINT, as a person's Ctrl-C would be; the child's own deadline (2 s for serve) makes it exit. */
async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill('SIGINT');
  await exited;
}

async function main(): Promise<void> {
  process.on('SIGINT', onStopSignal);
  process.on('SIGTERM', onStopSignal);
  const headlessRequested = process.argv.includes('--headless');
  sandbox = await startSandbox();
  workDir = await mkdtemp(join(tmpdir(), 'switchboard-demo-'));
  const configFile = join(workDir, 'config.json');
  const dataDir = join(workDir, 'data');
  await writeFile(configFile, `${JSON.stringify(demoConfig(sandbox), null, 2)}\n`);
  const spawnOptions = { onSpawn: adopt, detached: true };
  // The demo never touches the person's keychain, and needs none (no gnome-keyring on Linux): every Switchboard process
  // it starts keeps its secrets in memory, starting with the sandbox's client secrets, and says so in its log.
  process.env[KEYCHAIN_ENV] = 'memory';
  process.env[KEYCHAIN_SEED_ENV] = JSON.stringify({
    [vaultAccounts.idpClientSecret()]: sandbox.idp.clientSecret,
    [vaultAccounts.serverClientSecret('finance')]: sandbox.idJagClient.client_secret,
  });

  const electron = headlessRequested ? undefined : electronBinary();
  if (electron && hasDisplay()) {
    if (!existsSync(join(repoRoot, 'out/main/index.js'))) {
      console.error('Building the app first (npm run build)…');
      await run('npm', ['run', 'build']);
    }
    const app: ChildProcess = spawn(electron, [repoRoot], {
      stdio: 'inherit',
      detached: true,
      env: { ...process.env, SWITCHBOARD_CONFIG: configFile },
    });
    adopt(app);
    console.log(
      'Switchboard is running in the tray (sandbox configuration; its secrets are kept in memory only, never in your keychain). Close it from the tray menu or press Ctrl-C here.',
    );
    app.on('exit', () => void shutdown(0));
  } else {
    if (!existsSync(join(repoRoot, 'out/renderer/index.html'))) {
      console.error('Building the UI first (npm run build)…');
      await run('npm', ['run', 'build']);
    }
    const registered = await runCli(['clients', 'add', 'demo', '--data-dir', dataDir, '--profile', 'demo', '--json'], undefined, spawnOptions);
    if (registered.code !== 0) throw new Error(`could not register the demo client: ${registered.stderr}`);
    const { credential } = JSON.parse(registered.stdout) as { credential: string };
    const serve = await startServe(['--config', configFile, '--data-dir', dataDir, '--ui'], spawnOptions);
    // Switchboard ending by itself (not asked to) is a failure worth an exit code.
    serve.child.on('exit', () => void shutdown(stopping ? 0 : 1));
    printHeadlessGuide(serve.ready.mcpUrl, serve.ready.uiUrl!, credential, sandbox, configFile, workDir, Boolean(electron));
  }
}

/** Every sandbox server, and the sandbox IdP as the company's: `wiki` and `tickets` work at once, `crm` and `finance` after sign-in. */
function demoConfig(sandbox: Awaited<ReturnType<typeof startSandbox>>): Record<string, unknown> {
  return {
    servers: sandbox.servers.map(({ server, title, auth }) => ({
      id: server.name,
      url: server.url,
      title,
      ...(auth === 'id-jag' ? { auth: { clientId: sandbox.idJagClient.client_id, tokenEndpointAuthMethod: 'client_secret_basic' } } : {}),
    })),
    auth: {
      profile: 'demo',
      idp: {
        issuer: sandbox.idp.issuer,
        clientId: sandbox.idp.clientId,
        tokenEndpointAuthMethod: 'client_secret_basic',
        extraAuthorizationParams: { prompt: 'consent' },
      },
    },
  };
}

function printHeadlessGuide(
  mcpUrl: string,
  uiUrl: string,
  credential: string,
  sandbox: Awaited<ReturnType<typeof startSandbox>>,
  configFile: string,
  workDir: string,
  electronPresent: boolean,
): void {
  const why = electronPresent
    ? 'no display was found'
    : "Electron's binary is not installed; `npx install-electron` fetches it where its download site is reachable";
  console.log(
    [
      '',
      `Switchboard is running headless (${why}) in front of the sandbox.`,
      '',
      `  Switchboard UI:      ${uiUrl}`,
      '                       (open it in a browser; "Sign-in" signs you in at the sandbox IdP as alice)',
      `  Local MCP endpoint:  ${mcpUrl}`,
      `  Client credential:   ${credential}   (a client named "demo"; send it as "Authorization: Bearer …")`,
      `  Configuration:       ${configFile}`,
      '  Secrets:             in memory only: never in your keychain, gone when the demo stops',
      '',
      'Servers behind it:',
      ...sandbox.describe().map((line) => `  ${line}`),
      '',
      'Point an MCP client at the endpoint, for example:',
      `  npx @modelcontextprotocol/inspector --cli ${mcpUrl} --transport http --header "Authorization: Bearer ${credential}" --method tools/list`,
      `  claude mcp add --transport http switchboard ${mcpUrl} --header "Authorization: Bearer ${credential}"`,
      `  VS Code (.vscode/mcp.json): { "servers": { "switchboard": { "type": "http", "url": "${mcpUrl}", "headers": { "Authorization": "Bearer ${credential}" } } } }`,
      '',
      'Press Ctrl-C to stop.',
      '',
    ].join('\n'),
  );
  // One machine-readable line last, for scripts and tests that drive the demo.
  console.log(JSON.stringify({ event: 'demo-ready', mcpUrl, uiUrl, credential, workDir, secrets: 'in-memory' }));
}

function run(command: string, args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: repoRoot, stdio: 'inherit', detached: true });
    adopt(child);
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`${command} ${args.join(' ')} exited with ${String(code)}`))));
  });
}

try {
  await main();
} catch (error) {
  // A stop under way explains a start-up that broke off (its children were stopped); anything else is a real failure.
  if (!stopping) {
    console.error(`The demo could not start: ${(error as Error).message}`);
    await shutdown(1);
  }
}
