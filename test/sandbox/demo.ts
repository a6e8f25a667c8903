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
  await writeFile(configFile, `${JSON.stringify(sandbox.switchboardConfig(), null, 2)}\n`);

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
    const dataDir = join(workDir, 'data');
    const registered = await runCli(['clients', 'add', 'demo', '--data-dir', dataDir, '--profile', 'demo', '--json']);
    if (registered.code !== 0) throw new Error(`could not register the demo client: ${registered.stderr}`);
    const { credential } = JSON.parse(registered.stdout) as { credential: string };
    const serve = await startServe(['--config', configFile, '--data-dir', dataDir]);
    stopSwitchboard = () => serve.stop();
    serve.child.on('exit', () => void shutdown());
    printHeadlessGuide(serve.ready.mcpUrl, credential, sandbox, configFile, Boolean(electron));
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

function printHeadlessGuide(mcpUrl: string, credential: string, sandbox: Awaited<ReturnType<typeof startSandbox>>, configFile: string, electronPresent: boolean): void {
  const why = electronPresent ? 'no display was found' : "Electron's binary is not installed; `npx install-electron` fetches it where its download site is reachable";
  console.log(
    [
      '',
      `Switchboard is running headless (${why}) in front of the sandbox.`,
      '',
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
  console.log(JSON.stringify({ event: 'demo-ready', mcpUrl, credential }));
}

function run(command: string, args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: repoRoot, stdio: 'inherit' });
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`${command} ${args.join(' ')} exited with ${String(code)}`))));
  });
}

await main();
