// Electron's main process: one instance, the core in-process, a tray and a window; everything else lives in main/core.
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { app, dialog, shell, type BrowserWindow } from 'electron';
import type { ContractResponse } from '../../shared/contract/schemas.ts';
import { summarizeStatus } from '../../shared/status-summary.ts';
import {
  createUiServiceForHost,
  pathEnvironmentOfThisProcess,
  startCoreHost,
  systemClientCommands,
  type CoreHost,
  type PathEnvironment,
} from '../core/index.ts';
import { openAppStorage } from './app-storage.ts';
import { registerContractHandlers } from './ipc.ts';
import { createMainWindow } from './main-window.ts';
import { applySecurityPolicy, openExternalSafely } from './security.ts';
import { createTray } from './tray.ts';

const rendererDevUrl = process.env.ELECTRON_RENDERER_URL;
const rendererFile = join(import.meta.dirname, '../renderer/index.html');
/**
 * Our page: the dev server's origin (compared as an origin: electron-vite's URL has no trailing slash, so a prefix test
 * would also pass http://localhost:5173@elsewhere/ or http://localhost:51730/), or exactly our file.
 */
const isOwnPage = (url: string): boolean => {
  const page = URL.canParse(url) ? new URL(url) : undefined;
  if (!page) return false;
  return rendererDevUrl ? page.origin === new URL(rendererDevUrl).origin : page.protocol === 'file:' && decodeURIComponent(page.pathname) === rendererFile;
};

let quitting = false;
let window: BrowserWindow | undefined;
let host: CoreHost | undefined;

// Before the single-instance lock, which lives in the data folder this settles.
const storage = await openAppStorage(app);

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.on('second-instance', () => showWindow());
  app.on('window-all-closed', () => {
    // The tray keeps running with no window; quitting is explicit.
  });
  app.on('before-quit', () => {
    quitting = true;
  });
  app.on('will-quit', (event) => {
    if (!host) return;
    event.preventDefault();
    const running = host;
    host = undefined;
    void running.stop().finally(() => app.quit());
  });
  void app.whenReady().then(start);
}

async function start(): Promise<void> {
  applySecurityPolicy(isOwnPage);
  const { logger, dataDir } = storage;
  const configPath = process.env.SWITCHBOARD_CONFIG ?? join(dataDir, 'config.json');
  try {
    await ensureConfigFile(configPath);
    host = await startCoreHost({ configPath, dataDir, logger, aiClients: { pathEnvironment: aiClientPaths() } });
  } catch (error) {
    dialog.showErrorBox('Switchboard could not start', (error as Error).message);
    app.exit(1);
    return;
  }
  const running = host;
  const service = createUiServiceForHost(running, {
    logger,
    log: { recent: storage.recentLog, file: storage.logFile, openFile: openInDesktop },
    machine: {
      pathEnvironment: aiClientPaths(),
      // Claude Desktop starts the bridge with this app's own binary in Node mode (ELECTRON_RUN_AS_NODE): no separate
      // Node install is needed, and the CLI's sources ship inside the app (see build/electron-builder.yml).
      bridgeCommand: {
        command: process.execPath,
        args: [join(app.getAppPath(), 'main', 'cli', 'bin.js'), 'stdio', '--data-dir', dataDir],
        env: { ELECTRON_RUN_AS_NODE: '1' },
      },
      // Claude Code is set up through its own `claude mcp` when it is on PATH (it rewrites ~/.claude.json from memory).
      commands: systemClientCommands(),
    },
  });
  registerContractHandlers(service, isOwnPage, () => window?.webContents);
  let paused = false;
  const { refresh } = createTray({
    iconFile: join(app.getAppPath(), 'build', 'icon.png'),
    state: async () => {
      const status = await service.invoke('app:getStatus', undefined);
      const servers = await service.invoke('servers:list', undefined);
      const auth = await service.invoke('auth:status', undefined);
      const value = status.ok ? (status.value as ContractResponse<'app:getStatus'>) : undefined;
      return {
        ...(value?.mcpUrl ? { endpointUrl: value.mcpUrl } : {}),
        signedIn: value?.signedIn ?? false,
        ssoConfigured: auth.ok ? (auth.value as ContractResponse<'auth:status'>).sso.configured : false,
        // One reading for the badge and the tray; a core that does not answer reads as not running.
        summary: summarizeStatus(value ?? { mcpUrl: null, servers: [] }),
        ssoSigningIn: value?.auth.signingIn.some((pending) => pending.target === 'sso') ?? false,
        paused,
        launchAtLogin: app.getLoginItemSettings().openAtLogin,
        servers: servers.ok
          ? (servers.value as { servers: { id: string; title: string; enabled: boolean; configured: boolean }[] }).servers.filter((server) => server.configured)
          : [],
      };
    },
    open: showWindow,
    // The core hands the sign-in over as a URL; the system browser opens it (after the URL policy), the tray never waits.
    signIn: () =>
      void service.invoke('auth:signIn', undefined).then(async (result) => {
        const started = result.ok ? (result.value as ContractResponse<'auth:signIn'>).started : undefined;
        if (started?.state === 'waiting' && started.authorizationUrl) await openExternalSafely(started.authorizationUrl);
        else if (!result.ok) logger.log('warn', 'tray.sign_in_failed', { code: result.error.code, message: result.error.message });
        await refresh();
      }),
    cancelSignIn: () => void service.invoke('auth:cancelSignIn', undefined).then(() => refresh()),
    signOut: () => void service.invoke('auth:signOut', undefined).then(() => refresh()),
    setServerEnabled: (id, enabled) => void service.invoke('servers:setEnabled', { id, enabled }).then(() => refresh()),
    // Pausing stops the core (AI clients get connection refused, clearly) until it is resumed.
    setPaused: (next) => {
      paused = next;
      void (next ? running.switchboard().stop() : running.restart()).then(() => refresh());
    },
    // Opt-in only: nothing is registered until the person ticks it.
    setLaunchAtLogin: (enabled) => {
      app.setLoginItemSettings({ openAtLogin: enabled });
      void refresh();
    },
    quit: () => app.quit(),
  });
  service.subscribe((channel) => {
    if (channel === 'events:status') void refresh();
  });
  showWindow();
}

function showWindow(): void {
  if (!app.isReady()) return;
  window ??= createMainWindow({
    rendererUrl: rendererDevUrl,
    rendererFile,
    preloadFile: join(import.meta.dirname, '../preload/index.cjs'),
    isQuitting: () => quitting,
  });
  window.show();
  window.focus();
}

async function ensureConfigFile(path: string): Promise<void> {
  if (existsSync(path)) return;
  await mkdir(join(path, '..'), { recursive: true, mode: 0o700 });
  await writeFile(path, `${JSON.stringify({ servers: [] }, null, 2)}\n`, { mode: 0o600 });
}

/** Where AI clients keep their files on this machine: the process environment (XDG_CONFIG_HOME, LOCALAPPDATA, CODEX_HOME...) with Electron's folders. */
function aiClientPaths(): PathEnvironment {
  const environment = pathEnvironmentOfThisProcess(process.env, process.platform, app.getPath('home'));
  return process.platform === 'win32' ? { ...environment, appData: app.getPath('appData') } : environment;
}

/** Electron's openPath answers with an error message rather than rejecting: an empty one means the desktop opened it. */
async function openInDesktop(file: string): Promise<void> {
  const problem = await shell.openPath(file);
  if (problem) throw new Error(problem);
}
