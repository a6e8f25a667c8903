// The stand-in's BrowserWindow: a real Chromium page (playwright-core) per window, the window's preload run in that page with contextBridge and ipcRenderer bridged to ipcMain, and Chromium's requests put through will-navigate, the window-open handler and webRequest.onHeadersReceived.
import { EventEmitter } from 'node:events';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { basename, dirname, extname, join, normalize, sep } from 'node:path';
import { randomBytes } from 'node:crypto';
import { chromium, type Browser, type BrowserContext, type Page, type Request, type Route } from 'playwright-core';
import { app, ipcMain, newEvent, openWindows, session, type IpcMainInvokeEvent, type StandInEvent } from './main-process.ts';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

let browser: Promise<Browser> | undefined;
let context: Promise<BrowserContext> | undefined;
const servers: Server[] = [];
const contentsByPage = new Map<Page, WebContents>();

/** Every navigation and window.open the page tried, and what the shell's handlers decided. */
export const navigationRecords = {
  willNavigate: [] as { url: string; prevented: boolean }[],
  windowOpen: [] as { url: string; action: string }[],
};

async function defaultSessionContext(): Promise<BrowserContext> {
  browser ??= chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: ['--no-sandbox', '--headless=new', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
  });
  context ??= browser.then(async (running) => {
    const created = await running.newContext({ viewport: { width: 960, height: 680 } });
    await created.route('**/*', (route, request) => routeRequest(route, request));
    return created;
  });
  return context;
}

/** Closes Chromium and the file servers; the module can be used again afterwards. */
export async function closeChromium(): Promise<void> {
  const closing = browser;
  browser = undefined;
  context = undefined;
  contentsByPage.clear();
  await (await closing?.catch(() => undefined))?.close();
  await Promise.all(servers.splice(0).map((server) => new Promise((resolve) => server.close(resolve))));
}

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
};

/** Serves a folder over loopback HTTP, as Chromium cannot load module scripts from file:// the way Electron's file protocol does. */
export async function serveFolder(root: string): Promise<string> {
  const server = createServer((request, response) => {
    const path = normalize(join(root, decodeURIComponent(new URL(request.url ?? '/', 'http://x').pathname)));
    const file = path.endsWith(sep) ? join(path, 'index.html') : path;
    if (!file.startsWith(root)) return void response.writeHead(403).end();
    readFile(file).then(
      (body) => response.writeHead(200, { 'content-type': CONTENT_TYPES[extname(file)] ?? 'application/octet-stream' }).end(body),
      () => response.writeHead(404).end(),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  servers.push(server);
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
}

const preloadCode = new Map<string, Promise<string>>();

/**
 * The preload as Electron would run it: the built CommonJS file when it exists, else its TypeScript source next to it
 * (main/preload/index.cjs → main/preload/index.ts) bundled now with rolldown, `electron` left to the page's require.
 */
function loadPreload(path: string): Promise<string> {
  let code = preloadCode.get(path);
  if (!code) {
    code = (async () => {
      if (existsSync(path)) return readFile(path, 'utf8');
      const source = join(dirname(path), `${basename(path, extname(path))}.ts`);
      if (!existsSync(source)) throw new Error(`Unable to load preload script: ${path}`);
      const { build } = await import('rolldown');
      const built = await build({ input: source, external: ['electron'], platform: 'browser', write: false, output: { format: 'cjs' }, logLevel: 'silent' });
      return built.output[0].code;
    })();
    preloadCode.set(path, code);
  }
  return code;
}

/**
 * Runs first in every document of the window's main frame (never in subframes: nodeIntegrationInSubFrames is off):
 * an `electron` module with contextBridge and ipcRenderer for the preload's require, then the preload itself.
 * ipcRenderer reaches the main process through a Playwright binding; webContents.send comes back through `dispatch`.
 */
function preloadScript(code: string, binding: string, dispatch: string): string {
  return `(() => {
  if (window !== window.top) return;
  const binding = window[${JSON.stringify(binding)}];
  try { delete window[${JSON.stringify(binding)}]; } catch {}
  const listeners = new Map();
  const ipcRenderer = {
    invoke(channel, ...args) { return binding({ kind: 'invoke', channel: String(channel), args }); },
    send(channel, ...args) { void binding({ kind: 'send', channel: String(channel), args }); },
    on(channel, listener) { if (!listeners.has(channel)) listeners.set(channel, new Set()); listeners.get(channel).add(listener); return ipcRenderer; },
    once(channel, listener) { const once = (...args) => { ipcRenderer.removeListener(channel, once); listener(...args); }; return ipcRenderer.on(channel, once); },
    removeListener(channel, listener) { listeners.get(channel)?.delete(listener); return ipcRenderer; },
    off(channel, listener) { return ipcRenderer.removeListener(channel, listener); },
    removeAllListeners(channel) { if (channel === undefined) listeners.clear(); else listeners.delete(channel); return ipcRenderer; },
    listenerCount(channel) { return listeners.get(channel)?.size ?? 0; },
  };
  const freeze = (value) => {
    if (value && (typeof value === 'object' || typeof value === 'function') && !Object.isFrozen(value)) {
      Object.freeze(value);
      for (const key of Object.keys(value)) freeze(value[key]);
    }
    return value;
  };
  const contextBridge = {
    exposeInMainWorld(key, api) {
      Object.defineProperty(window, key, { value: freeze(api), enumerable: true, writable: false, configurable: false });
    },
  };
  Object.defineProperty(window, ${JSON.stringify(dispatch)}, {
    value: (channel, args) => {
      const current = [...(listeners.get(channel) ?? [])];
      for (const listener of current) listener({ sender: ipcRenderer, senderId: 0 }, ...args);
      return current.length;
    },
  });
  const require = (name) => {
    if (name === 'electron') return { contextBridge, ipcRenderer };
    throw new Error('module not found: ' + name);
  };
  const module = { exports: {} };
  (function (require, module, exports) {
${code}
  })(require, module, module.exports);
})();`;
}

function resourceTypeOf(request: Request, isMainFrame: boolean): string {
  const type = request.resourceType();
  if (type === 'document') return isMainFrame ? 'mainFrame' : 'subFrame';
  const known: Record<string, string> = { xhr: 'xhr', fetch: 'xhr', websocket: 'webSocket', eventsource: 'xhr' };
  return known[type] ?? (['stylesheet', 'script', 'image', 'font', 'media'].includes(type) ? type : 'other');
}

let requestId = 0;

async function routeRequest(route: Route, request: Request): Promise<void> {
  let page: Page | undefined;
  try {
    page = request.frame().page();
  } catch {
    return route.continue();
  }
  const contents = contentsByPage.get(page);
  const isMainFrame = request.frame() === page.mainFrame();
  if (!contents) {
    // A page Electron would never have made: window.open or a target=_blank link. The opener's handler decides.
    const opener = await page.opener();
    const openerContents = opener ? contentsByPage.get(opener) : undefined;
    if (openerContents && request.isNavigationRequest() && isMainFrame) {
      const decision = openerContents.windowOpenHandler?.({
        url: request.url(),
        frameName: '',
        features: '',
        disposition: 'new-window',
        referrer: { url: opener!.url(), policy: 'strict-origin-when-cross-origin' },
      }) ?? { action: 'allow' };
      navigationRecords.windowOpen.push({ url: request.url(), action: decision.action });
      if (decision.action === 'deny') {
        await route.abort('blockedbyclient');
        await page.close().catch(() => undefined);
        return;
      }
    }
    return route.continue();
  }
  if (request.isNavigationRequest() && isMainFrame) {
    if (contents.expectingLoad) {
      // loadURL's own navigation: Electron emits no will-navigate for it.
      contents.expectingLoad = false;
    } else {
      const event = newEvent();
      contents.emit('will-navigate', event, request.url());
      navigationRecords.willNavigate.push({ url: request.url(), prevented: event.defaultPrevented });
      if (event.defaultPrevented) return route.abort('aborted');
    }
  }
  const listener = session.defaultSession.headersReceived;
  if (!listener) return route.continue();
  let response;
  try {
    response = await route.fetch({ maxRedirects: 0 });
  } catch {
    return route.abort('failed');
  }
  const responseHeaders: Record<string, string[]> = {};
  for (const { name, value } of response.headersArray()) (responseHeaders[name] ??= []).push(value);
  const decision = await new Promise<{ cancel?: boolean; responseHeaders?: Record<string, string[]> }>((resolve) =>
    listener(
      {
        id: ++requestId,
        url: request.url(),
        method: request.method(),
        resourceType: resourceTypeOf(request, isMainFrame),
        statusCode: response.status(),
        responseHeaders,
        timestamp: Date.now(),
      },
      resolve,
    ),
  );
  if (decision.cancel) return route.abort('blockedbyclient');
  const headers = Object.fromEntries(Object.entries(decision.responseHeaders ?? responseHeaders).map(([name, values]) => [name, values.join(', ')]));
  await route.fulfill({ response, headers });
}

type WindowOpenHandler = (details: { url: string; frameName: string; features: string; disposition: string; referrer: { url: string; policy: string } }) => {
  action: 'allow' | 'deny';
};

let nextContentsId = 1;

export class WebContents extends EventEmitter {
  readonly id = nextContentsId++;
  windowOpenHandler: WindowOpenHandler | undefined;
  /** Set while loadURL's own navigation is under way: that one is not a will-navigate. */
  expectingLoad = false;
  #destroyed = false;
  readonly #page: Promise<Page>;
  #current: Page | undefined;
  readonly #dispatch = `__electronStandInDispatch_${randomBytes(6).toString('hex')}`;

  constructor(preload: string | undefined) {
    super();
    this.#page = this.#open(preload);
    // A page that failed to open shows up in loadURL; nothing else may be left unhandled.
    this.#page.catch(() => undefined);
  }

  async #open(preload: string | undefined): Promise<Page> {
    const page = await (await defaultSessionContext()).newPage();
    contentsByPage.set(page, this);
    this.#current = page;
    if (preload) {
      const binding = `__electronStandInIpc_${randomBytes(6).toString('hex')}`;
      await page.exposeBinding(binding, ({ frame }, message: { kind: 'invoke' | 'send'; channel: string; args: unknown[] }) => {
        const url = frame.url();
        const event: IpcMainInvokeEvent = {
          sender: this,
          senderFrame: { url, origin: originOf(url), name: frame.name() },
          frameId: 1,
          processId: 1,
        };
        if (message.kind === 'invoke') return ipcMain.invokeFromRenderer(message.channel, event, message.args);
        ipcMain.emit(message.channel, event, ...message.args);
        return undefined;
      });
      await page.addInitScript({ content: preloadScript(await loadPreload(preload), binding, this.#dispatch) });
    }
    return page;
  }

  /** The Chromium page behind this window, for the test to act as the person (or as a hostile page) would. */
  page(): Promise<Page> {
    return this.#page;
  }

  async loadURL(url: string): Promise<void> {
    const page = await this.#page;
    this.expectingLoad = true;
    try {
      await page.goto(url, { waitUntil: 'load' });
    } finally {
      this.expectingLoad = false;
    }
    this.emit('did-finish-load');
  }

  /** Electron loads the file over its file protocol; here its folder is served over loopback HTTP (see serveFolder). */
  async loadFile(path: string): Promise<void> {
    const root = await serveFolder(dirname(path));
    return this.loadURL(new URL(basename(path), root).href);
  }

  getURL(): string {
    return this.#current && !this.#current.isClosed() ? this.#current.url() : '';
  }

  send(channel: string, ...args: unknown[]): void {
    if (this.#destroyed) throw new Error('Object has been destroyed');
    void this.#page
      .then((page) =>
        page.evaluate(
          ([dispatch, name, payload]) => (window as unknown as Record<string, (c: unknown, a: unknown) => number>)[dispatch as string]?.(name, payload),
          [this.#dispatch, channel, args] as const,
        ),
      )
      .catch(() => undefined);
  }

  setWindowOpenHandler(handler: WindowOpenHandler): void {
    this.windowOpenHandler = handler;
  }

  async executeJavaScript(code: string): Promise<unknown> {
    return (await this.#page).evaluate(code);
  }

  isDestroyed(): boolean {
    return this.#destroyed;
  }

  async destroy(): Promise<void> {
    if (this.#destroyed) return;
    this.#destroyed = true;
    const page = await this.#page.catch(() => undefined);
    if (page) {
      contentsByPage.delete(page);
      await page.close().catch(() => undefined);
    }
    this.emit('destroyed');
  }
}

function originOf(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return 'null';
  }
}

let nextWindowId = 1;

export class BrowserWindow extends EventEmitter {
  static readonly #all = new Set<BrowserWindow>();
  static getAllWindows(): BrowserWindow[] {
    return [...BrowserWindow.#all];
  }

  readonly id = nextWindowId++;
  readonly webContents: WebContents;
  readonly closed: Promise<void>;
  #markClosed!: () => void;
  #visible: boolean;
  #focused = false;
  #destroyed = false;
  #title: string;

  constructor(
    options: {
      show?: boolean;
      title?: string;
      webPreferences?: { preload?: string; contextIsolation?: boolean; sandbox?: boolean; nodeIntegration?: boolean };
    } = {},
  ) {
    super();
    const preferences = options.webPreferences ?? {};
    // The stand-in runs the preload in the page's world: it can only stand in for Electron's secure configuration.
    if (preferences.nodeIntegration || preferences.contextIsolation === false || preferences.sandbox === false)
      throw new Error('Electron stand-in: only contextIsolation: true, sandbox: true, nodeIntegration: false windows are modelled');
    this.#visible = options.show !== false;
    this.#title = options.title ?? '';
    this.closed = new Promise((resolve) => (this.#markClosed = resolve));
    this.webContents = new WebContents(preferences.preload);
    BrowserWindow.#all.add(this);
    openWindows.add(this);
    app.emit('browser-window-created', newEvent(), this);
    app.emit('web-contents-created', newEvent(), this.webContents);
    this.webContents.once('did-finish-load', () => this.emit('ready-to-show'));
  }

  loadURL(url: string): Promise<void> {
    return this.webContents.loadURL(url);
  }
  loadFile(path: string): Promise<void> {
    return this.webContents.loadFile(path);
  }
  show(): void {
    const wasVisible = this.#visible;
    this.#visible = true;
    this.#focused = true;
    if (!wasVisible) this.emit('show');
    this.emit('focus');
  }
  hide(): void {
    if (!this.#visible) return;
    this.#visible = false;
    this.#focused = false;
    this.emit('hide');
  }
  focus(): void {
    this.#focused = true;
    this.emit('focus');
  }
  isVisible(): boolean {
    return this.#visible;
  }
  isFocused(): boolean {
    return this.#focused;
  }
  getTitle(): string {
    return this.#title;
  }
  setTitle(title: string): void {
    this.#title = title;
  }
  isDestroyed(): boolean {
    return this.#destroyed;
  }
  /** As a person clicking the close button, or app.quit(): 'close' may be prevented; otherwise the window goes. */
  close(): void {
    if (this.#destroyed) return;
    const event: StandInEvent = newEvent();
    this.emit('close', event);
    if (!event.defaultPrevented) this.destroy();
  }
  destroy(): void {
    if (this.#destroyed) return;
    this.#destroyed = true;
    this.#visible = false;
    BrowserWindow.#all.delete(this);
    openWindows.delete(this);
    void this.webContents.destroy().finally(() => {
      this.emit('closed');
      this.#markClosed();
      // Electron quits when the last window closes and nobody listens for 'window-all-closed'; not while quitting.
      if (BrowserWindow.#all.size === 0 && !app.isQuitting()) {
        if (app.listenerCount('window-all-closed') > 0) app.emit('window-all-closed');
        else app.quit();
      }
    });
  }
}
