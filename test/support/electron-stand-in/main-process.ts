// The stand-in's main-process modules: app (lifecycle, paths, login items), ipcMain (handlers invoked with the real frame's URL) and session.defaultSession (permission handlers, webRequest.onHeadersReceived).
import { EventEmitter } from 'node:events';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { records } from './recorded.ts';

/** Electron's event object: listeners may call preventDefault(). */
export interface StandInEvent {
  defaultPrevented: boolean;
  preventDefault(): void;
}

export function newEvent<T extends object>(fields: T = {} as T): StandInEvent & T {
  const event = {
    ...fields,
    defaultPrevented: false,
    preventDefault() {
      event.defaultPrevented = true;
    },
  };
  return event;
}

/** Windows register here so app.quit() can close them (the BrowserWindow module lives in browser-window.ts). */
export const openWindows = new Set<{ close(): void; isDestroyed(): boolean; closed: Promise<void> }>();

class App extends EventEmitter {
  #ready = false;
  #readyPromise: Promise<void>;
  #markReady!: () => void;
  #quitting = false;
  #hasLock = false;
  #loginItem = { openAtLogin: false };
  readonly paths = new Map<string, string>();
  /** Set when the 'quit' event was emitted: the process would end here. */
  quitEmitted = false;
  exitCode: number | undefined;
  name = 'Switchboard';

  constructor() {
    super();
    this.#readyPromise = new Promise((resolve) => (this.#markReady = resolve));
    // Electron is ready after the main script's synchronous part; so is the stand-in, on the next turn.
    setImmediate(() => {
      this.#ready = true;
      this.emit('will-finish-launching');
      this.emit('ready', newEvent(), {});
      this.#markReady();
    });
  }

  whenReady(): Promise<void> {
    return this.#readyPromise;
  }
  isReady(): boolean {
    return this.#ready;
  }
  /** One process is one instance here: the first call gets the lock, as the only instance would. */
  requestSingleInstanceLock(): boolean {
    if (this.#hasLock) return true;
    this.#hasLock = true;
    return true;
  }
  hasSingleInstanceLock(): boolean {
    return this.#hasLock;
  }
  /** What Electron does when another instance starts: this one hears 'second-instance'. */
  simulateSecondInstance(argv: string[] = [], workingDirectory = process.cwd()): void {
    this.emit('second-instance', newEvent(), argv, workingDirectory, {});
  }
  getPath(name: string): string {
    const set = this.paths.get(name);
    if (set) return set;
    const home = process.env.HOME ?? homedir();
    const defaults: Record<string, string> = {
      home,
      appData: process.env.XDG_CONFIG_HOME ?? join(home, '.config'),
      temp: tmpdir(),
      exe: process.execPath,
      desktop: join(home, 'Desktop'),
      documents: join(home, 'Documents'),
      downloads: join(home, 'Downloads'),
    };
    defaults.userData = join(defaults.appData!, this.name);
    defaults.sessionData = defaults.userData;
    defaults.logs = join(defaults.userData, 'logs');
    const path = defaults[name];
    if (!path) throw new Error(`Failed to get '${name}' path`);
    return path;
  }
  setPath(name: string, path: string): void {
    this.paths.set(name, path);
  }
  /** The folder the app was started from; in a packaged app, its resources/app. Here: the repository root. */
  getAppPath(): string {
    return join(import.meta.dirname, '../../..');
  }
  getName(): string {
    return this.name;
  }
  getVersion(): string {
    return '0.0.0-stand-in';
  }
  getLoginItemSettings(): { openAtLogin: boolean } {
    return { ...this.#loginItem };
  }
  setLoginItemSettings(settings: { openAtLogin?: boolean }): void {
    records.loginItemSettings.push({ ...settings });
    if (settings.openAtLogin !== undefined) this.#loginItem.openAtLogin = settings.openAtLogin;
  }
  /** Between app.quit() and the end of its sequence (a window closing then does not count as 'window-all-closed'). */
  isQuitting(): boolean {
    return this.#quitting;
  }
  /**
   * Electron's order: 'before-quit', every window asked to close (one that refuses cancels the quit), 'will-quit'
   * (preventable), then 'quit'. Asynchronous as in Electron; `quitEmitted` says when it got there.
   */
  quit(): void {
    if (this.#quitting) return;
    this.#quitting = true;
    void this.#quit().finally(() => {
      this.#quitting = false;
    });
  }
  async #quit(): Promise<void> {
    await new Promise((resolve) => setImmediate(resolve));
    const beforeQuit = newEvent();
    this.emit('before-quit', beforeQuit);
    if (beforeQuit.defaultPrevented) return;
    for (const window of [...openWindows]) {
      if (window.isDestroyed()) continue;
      window.close();
      if (!window.isDestroyed() && openWindows.has(window)) {
        // Closed asynchronously (the page goes away) unless its 'close' listener refused: then the quit is cancelled.
        const refused = await Promise.race([window.closed.then(() => false), new Promise<boolean>((resolve) => setTimeout(() => resolve(true), 2_000))]);
        if (refused) return;
      }
    }
    const willQuit = newEvent();
    this.emit('will-quit', willQuit);
    if (willQuit.defaultPrevented) return;
    this.quitEmitted = true;
    this.emit('quit', newEvent(), 0);
  }
  /** Ends at once, with no events (Electron's app.exit). Recorded rather than ending the test process. */
  exit(code = 0): void {
    this.exitCode = code;
  }
  relaunch(): void {}
  focus(): void {}
  setAppUserModelId(): void {}
}

export const app = new App();

export interface SenderFrame {
  url: string;
  origin: string;
  name: string;
}

export interface IpcMainInvokeEvent {
  sender: unknown;
  senderFrame: SenderFrame | null;
  frameId: number;
  processId: number;
}

type InvokeHandler = (event: IpcMainInvokeEvent, ...args: unknown[]) => unknown;

class IpcMain extends EventEmitter {
  readonly #handlers = new Map<string, InvokeHandler>();
  /** Every invoke that reached the main process: the channel and the URL of the frame that sent it. */
  readonly invoked: { channel: string; senderUrl: string }[] = [];

  handle(channel: string, handler: InvokeHandler): void {
    if (this.#handlers.has(channel)) throw new Error(`Attempted to register a second handler for '${channel}'`);
    this.#handlers.set(channel, handler);
  }
  handleOnce(channel: string, handler: InvokeHandler): void {
    this.handle(channel, (event, ...args) => {
      this.removeHandler(channel);
      return handler(event, ...args);
    });
  }
  removeHandler(channel: string): void {
    this.#handlers.delete(channel);
  }
  handledChannels(): string[] {
    return [...this.#handlers.keys()];
  }
  /** What the renderer's ipcRenderer.invoke reaches (browser-window.ts calls it from the page's binding). */
  async invokeFromRenderer(channel: string, event: IpcMainInvokeEvent, args: unknown[]): Promise<unknown> {
    this.invoked.push({ channel, senderUrl: event.senderFrame?.url ?? '' });
    const handler = this.#handlers.get(channel);
    if (!handler) throw new Error(`Error invoking remote method '${channel}': Error: No handler registered for '${channel}'`);
    try {
      return await handler(event, ...args);
    } catch (error) {
      throw new Error(`Error invoking remote method '${channel}': ${String(error)}`, { cause: error });
    }
  }
}

export const ipcMain = new IpcMain();

export interface HeadersReceivedDetails {
  id: number;
  url: string;
  method: string;
  resourceType: string;
  statusCode: number;
  responseHeaders: Record<string, string[]>;
  timestamp: number;
}
export type HeadersReceivedListener = (
  details: HeadersReceivedDetails,
  callback: (response: { cancel?: boolean; responseHeaders?: Record<string, string[]> }) => void,
) => void;

/** session.defaultSession: Chromium's one profile (one Playwright browser context for all windows). */
class Session {
  permissionRequestHandler: ((contents: unknown, permission: string, callback: (granted: boolean) => void, details: unknown) => void) | null = null;
  permissionCheckHandler: ((contents: unknown, permission: string, origin: string, details: unknown) => boolean) | null = null;
  headersReceived: HeadersReceivedListener | null = null;
  readonly webRequest = {
    onHeadersReceived: (...args: [HeadersReceivedListener | null] | [unknown, HeadersReceivedListener | null]) => {
      this.headersReceived = (args.length === 2 ? args[1] : args[0]) ?? null;
    },
    onBeforeRequest: () => undefined,
    onBeforeSendHeaders: () => undefined,
  };
  setPermissionRequestHandler(handler: Session['permissionRequestHandler']): void {
    this.permissionRequestHandler = handler;
  }
  setPermissionCheckHandler(handler: Session['permissionCheckHandler']): void {
    this.permissionCheckHandler = handler;
  }
  /** What Chromium would ask the handler for a permission request; the stand-in does not route Chromium's own prompts here. */
  requestPermission(permission: string): Promise<boolean> {
    const handler = this.permissionRequestHandler;
    if (!handler) return Promise.resolve(true);
    return new Promise((resolve) => handler(undefined, permission, resolve, {}));
  }
}

export const session = { defaultSession: new Session() };
