// Electron's main process: one instance, the core in-process, a tray and a window; everything else lives in main/core.
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { app, dialog, type BrowserWindow } from 'electron';
import { createJsonLogger, createSwitchboard, loadConfigFile, SWITCHBOARD_VERSION, type Switchboard } from '../core/index.ts';
import { registerContractHandlers } from './ipc.ts';
import { createMainWindow } from './main-window.ts';
import { applySecurityPolicy } from './security.ts';
import { createTray } from './tray.ts';

const rendererDevUrl = process.env.ELECTRON_RENDERER_URL;
const rendererFile = join(import.meta.dirname, '../renderer/index.html');
const isOwnPage = (url: string): boolean =>
  rendererDevUrl ? url.startsWith(rendererDevUrl) : url.startsWith('file://') && decodeURIComponent(new URL(url).pathname) === rendererFile;

let quitting = false;
let window: BrowserWindow | undefined;
let switchboard: Switchboard | undefined;

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
    if (!switchboard) return;
    event.preventDefault();
    const running = switchboard;
    switchboard = undefined;
    void running.stop().finally(() => app.quit());
  });
  void app.whenReady().then(start);
}

async function start(): Promise<void> {
  applySecurityPolicy(isOwnPage);
  const logger = createJsonLogger({ write: (line) => process.stderr.write(line) });
  const dataDir = app.getPath('userData');
  const configFile = process.env.SWITCHBOARD_CONFIG ?? join(dataDir, 'config.json');
  try {
    await ensureConfigFile(configFile);
    const config = await loadConfigFile(configFile);
    switchboard = createSwitchboard({ config, logger, paths: { dataDir } });
    await switchboard.start();
  } catch (error) {
    dialog.showErrorBox('Switchboard could not start', (error as Error).message);
    app.exit(1);
    return;
  }
  registerContractHandlers(
    {
      'app:getStatus': () => {
        const status = switchboard?.status();
        return { version: SWITCHBOARD_VERSION, mcpUrl: status?.mcpUrl ?? null, servers: status?.servers ?? [] };
      },
    },
    isOwnPage,
  );
  createTray({
    iconFile: join(app.getAppPath(), 'build', 'icon.png'),
    endpointUrl: () => switchboard?.status().mcpUrl,
    open: showWindow,
    quit: () => app.quit(),
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
  await mkdir(join(path, '..'), { recursive: true });
  await writeFile(path, `${JSON.stringify({ servers: [] }, null, 2)}\n`, { mode: 0o600 });
}
