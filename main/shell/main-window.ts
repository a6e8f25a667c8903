// The one application window: sandboxed, context-isolated, hidden instead of closed so the tray keeps running.
import { join } from 'node:path';
import { BrowserWindow } from 'electron';

export interface MainWindowOptions {
  rendererUrl: string | undefined;
  rendererFile: string;
  preloadFile: string;
  isQuitting: () => boolean;
}

export function createMainWindow(options: MainWindowOptions): BrowserWindow {
  const window = new BrowserWindow({
    width: 960,
    height: 680,
    show: false,
    title: 'Switchboard',
    webPreferences: {
      preload: options.preloadFile,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      spellcheck: false,
    },
  });
  window.on('close', (event) => {
    if (!options.isQuitting()) {
      event.preventDefault();
      window.hide();
    }
  });
  window.once('ready-to-show', () => window.show());
  if (options.rendererUrl) void window.loadURL(options.rendererUrl);
  else void window.loadFile(join(options.rendererFile));
  return window;
}
