// `npm run demo`: starts the sandbox and Switchboard configured with it — the tray app where it can run, else headless.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { startSandbox } from './index.ts';
import { runCli, startServe } from '../support/serve-process.ts';

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

async function main(): Promise<void> {
  const headlessRequested = process.argv.includes('--headless');
  const sandbox = await startSandbox();
  const workDir = await mkdtemp(join(tmpdir(), 'switchboard-demo-'));
  const configFile = join(workDir, 'config.json');
  const dataDir = join(workDir, 'data');
  await writeFile(configFile, `${JSON.stringify(demoConfig(sandbox), null, 2)}\n`);
  // The demo's client secrets go to the keychain like anyone's (npm run demo uses a throwaway keyring on Linux).
  for (const [owner, secret] of [['idp', sandbox.idp.clientSecret], ['finance', sandbox.idJagClient.client_secret]] as const) {
    const stored = await runCli(['auth', 'set-secret', owner, '--config', configFile, '--data-dir', dataDir], secret);
    if (stored.code !== 0) throw new Error(`could not store the demo's ${owner} secret: ${stored.stderr}`);
  }

  let stopSwitchboard: () => Promise<unknown>;
  const electron = headlessRequested ? undefined : electronBinary();
  if (electron && hasDisplay()) {
    if (!existsSync(join(repoRoot, 'out/main/index.js'))) {
      console.error('Building the app first (npm run build)…');
      await run('npm', ['run', 'build']);
    }
    const app: ChildProcess = spawn(electron, [repoRoot], {
      stdio: 'inherit',
      env: { ...process.env, SWITCHBOARD_CONFIG: configFile },
    });
    console.log('Switchboard is running in the tray (sandbox configuration). Close it from the tray menu or press Ctrl-C here.');
    stopSwitchboard = async () => app.kill('SIGTERM');
    app.on('exit', () => void shutdown());
  } else {
    if (!existsSync(join(repoRoot, 'out/renderer/index.html'))) {
      console.error('Building the UI first (npm run build)…');
      await run('npm', ['run', 'build']);
    }
    const registered = await runCli(['clients', 'add', 'demo', '--data-dir', dataDir, '--profile', 'demo', '--json']);
    if (registered.code !== 0) throw new Error(`could not register the demo client: ${registered.stderr}`);
    const { credential } = JSON.parse(registered.stdout) as { credential: string };
    const serve = await startServe(['--config', configFile, '--data-dir', dataDir, '--ui']);
    stopSwitchboard = () => serve.stop();
    serve.child.on('exit', () => void shutdown());
    printHeadlessGuide(serve.ready.mcpUrl, serve.ready.uiUrl!, credential, sandbox, configFile, Boolean(electron));
  }

  let shuttingDown = false;
  async function shutdown(): Promise<void> {
    if (shuttingDown) return;
    shuttingDown = true;
    await stopSwitchboard();
    await sandbox.close();
    await rm(workDir, { recursive: true, force: true });
    process.exit(0);
  }
  process.once('SIGINT', () => void shutdown());
  process.once('SIGTERM', () => void shutdown());
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
      idp: { issuer: sandbox.idp.issuer, clientId: sandbox.idp.clientId, tokenEndpointAuthMethod: 'client_secret_basic', extraAuthorizationParams: { prompt: 'consent' } },
    },
  };
}

function printHeadlessGuide(mcpUrl: string, uiUrl: string, credential: string, sandbox: Awaited<ReturnType<typeof startSandbox>>, configFile: string, electronPresent: boolean): void {
  const why = electronPresent ? 'no display was found' : "Electron's binary is not installed; `npx install-electron` fetches it where its download site is reachable";
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
  console.log(JSON.stringify({ event: 'demo-ready', mcpUrl, uiUrl, credential }));
}

function run(command: string, args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: repoRoot, stdio: 'inherit' });
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`${command} ${args.join(' ')} exited with ${String(code)}`))));
  });
}

await main();
