// A stand-in for the `electron` module, so that the shipped main/shell and main/preload code runs in tests on machines
// that cannot download Electron's binary. Tests load it in place of Electron with
// `vi.mock('electron', () => import('../support/electron-stand-in/index.ts'))`.
//
// What is real: each BrowserWindow is a real Chromium page (playwright-core, headless, Debian's /usr/bin/chromium);
// the window's preload is the real preload file (or its TypeScript source, bundled on the fly) run in that page, with
// contextBridge.exposeInMainWorld defining the page's global and ipcRenderer.invoke/on reaching ipcMain through a
// Playwright binding, so ipcMain handlers see the URL of the frame that really called; Chromium's navigation requests go
// through the webContents' 'will-navigate' listeners and window.open through its setWindowOpenHandler; every response
// goes through session.defaultSession.webRequest.onHeadersReceived, whose headers are the ones Chromium then enforces.
//
// Its limits (tests name them): the preload runs in the page's main world, not in an isolated world, so context
// isolation is approximated (the exposed object is frozen; the binding is removed from window after the preload took
// it); contextBridge does not clone values across worlds; loadFile serves the file's folder over loopback HTTP (Chromium
// cannot load module scripts from file://), so file:// URLs are never what the page has; window.open('about:blank')
// and other opens without a request bypass the window-open handler, and a denied open still briefly creates a page,
// whose window.open() returns a Window rather than null; show/hide/focus are recorded state (headless Chromium has no
// window to show), as are Tray, Menu, nativeImage, clipboard, dialog and shell.openExternal; permission handlers are
// recorded, never asked by Chromium; one process is one instance (requestSingleInstanceLock always succeeds);
// app.exit() is recorded and does not end the process.
export { app, ipcMain, session, newEvent, type IpcMainInvokeEvent, type StandInEvent } from './main-process.ts';
export { BrowserWindow, WebContents, closeChromium, navigationRecords, serveFolder } from './browser-window.ts';
export { clipboard, dialog, Menu, MenuItem, nativeImage, NativeImage, records, shell, Tray } from './recorded.ts';

/** The preload's side: only meaningful inside the page, where browser-window.ts provides them. */
export const contextBridge = {
  exposeInMainWorld(): never {
    throw new Error('Electron stand-in: contextBridge runs in the window’s page (the preload is loaded there), not in Node');
  },
};
export const ipcRenderer = {
  invoke(): never {
    throw new Error('Electron stand-in: ipcRenderer runs in the window’s page (the preload is loaded there), not in Node');
  },
};
