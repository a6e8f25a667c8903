// The shipped Electron shell (main/shell/index.ts, imported as the app runs it) and preload, driven through the Electron stand-in (test/support/electron-stand-in): a real Chromium page as the window with the real preload bridging it to ipcMain, and the tray as a recorded menu, over a real core, keyring and sandbox.
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { KeytarSecretStore } from '../../main/core/vault/keytar-secret-store.ts';
import { vaultAccounts } from '../../main/core/vault/vault.ts';
import { UI_CONTENT_SECURITY_POLICY } from '../../main/shell/security.ts';
import { startIdentityProvider, type IdentityProvider } from '../sandbox/identity-provider.ts';
import { startMcpServer, type SandboxMcpServer } from '../sandbox/mcp-servers.ts';
import { visitAuthorizationUrl } from '../sandbox/scripted-browser.ts';
import * as electron from '../support/electron-stand-in/index.ts';

vi.mock('electron', () => import('../support/electron-stand-in/index.ts'));

const { app, BrowserWindow, Tray, ipcMain, records, navigationRecords, clipboard } = electron;
const repoRoot = join(import.meta.dirname, '../..');
const STAND_IN = '(Electron stand-in: Chromium page, preload in the page’s main world';

type Result = { ok: boolean; value?: Record<string, unknown>; error?: { code: string; message: string } };

describe('the Electron shell, run through the stand-in', () => {
  let idp: IdentityProvider;
  let wiki: SandboxMcpServer;
  let tickets: SandboxMcpServer;
  let rendererUrl: string;
  let window: InstanceType<typeof BrowserWindow>;
  let page: Page;
  const profile = `test-shell-${randomBytes(6).toString('hex')}`;
  const store = new KeytarSecretStore(profile);

  const tray = () => Tray.all[0]!;
  const menu = () => tray().contextMenu!;
  const invoke = (channel: string, request?: unknown) =>
    page.evaluate(
      ([name, body]) => (window as unknown as { switchboard: { invoke(c: string, r?: unknown): Promise<unknown> } }).switchboard.invoke(name, body),
      [channel, request] as const,
    ) as Promise<Result>;
  const status = async () => (await invoke('app:getStatus')).value as { mcpUrl: string | null; signedIn: boolean };
  /** How many restarts of the core the app's own log has seen (logs:recent, the window's log view). */
  const restarts = async () => JSON.stringify((await invoke('logs:recent')).value).split('switchboard.restarted').length - 1;
  /**
   * Waits for the restart a change started to finish. A second change made while a restart is under way joins it
   * and is lost to the running core (main/core/host/core-host.ts: `restarting ??=` after the new config was read),
   * so each toggle here waits for its restart.
   */
  const restarted = async (before: number) => vi.waitFor(async () => expect(await restarts()).toBeGreaterThan(before), { timeout: 20_000, interval: 200 });
  /** Whether anything answers HTTP at the endpoint (any status): a stopped core refuses the connection. */
  const answers = (url: string) =>
    fetch(url, { method: 'GET' }).then(
      (response) => (void response.body?.cancel(), true),
      () => false,
    );

  beforeAll(async () => {
    const work = await mkdtemp(join(tmpdir(), 'switchboard-shell-'));
    const home = join(work, 'home');
    await mkdir(home, { recursive: true });
    // The shell finds its data folder, log folder and AI clients' files from the environment, as on a person's machine.
    Object.assign(process.env, {
      HOME: home,
      XDG_CONFIG_HOME: join(home, '.config'),
      XDG_DATA_HOME: join(work, 'data'),
      XDG_STATE_HOME: join(work, 'state'),
      SWITCHBOARD_CONFIG: join(work, 'config.json'),
    });
    idp = await startIdentityProvider();
    wiki = await startMcpServer({ name: 'wiki', era: 'modern', title: 'Company wiki' });
    tickets = await startMcpServer({ name: 'tickets', era: 'legacy', title: 'Ticket desk' });
    await writeFile(
      process.env.SWITCHBOARD_CONFIG!,
      JSON.stringify({
        servers: [
          { id: 'wiki', url: wiki.url, title: 'Company wiki' },
          { id: 'tickets', url: tickets.url, title: 'Ticket desk' },
        ],
        auth: {
          profile,
          idp: { issuer: idp.issuer, clientId: idp.clientId, tokenEndpointAuthMethod: 'client_secret_basic', extraAuthorizationParams: { prompt: 'consent' } },
          signInTimeoutMs: 30_000,
        },
      }),
    );
    await store.set(vaultAccounts.idpClientSecret(), idp.clientSecret);
    // `npm start`'s way of giving the shell its page (electron-vite dev sets ELECTRON_RENDERER_URL): here the built UI over loopback.
    rendererUrl = await electron.serveFolder(join(repoRoot, 'out/renderer'));
    // As electron-vite sets it: the dev server's origin, with no path (the page itself is then at `${origin}/`).
    process.env.ELECTRON_RENDERER_URL = new URL(rendererUrl).origin;

    await import('../../main/shell/index.ts');
    await vi.waitFor(() => expect(BrowserWindow.getAllWindows()).toHaveLength(1), { timeout: 30_000, interval: 100 });
    window = BrowserWindow.getAllWindows()[0]!;
    page = await window.webContents.page();
    await vi.waitFor(() => expect(window.webContents.getURL()).toBe(rendererUrl), { timeout: 30_000, interval: 100 });
    await vi.waitFor(() => expect(menu().labels()).toContain('Quit Switchboard'), { timeout: 30_000, interval: 100 });
  }, 90_000);

  afterAll(async () => {
    if (!app.quitEmitted) {
      app.quit();
      await vi.waitFor(() => expect(app.quitEmitted).toBe(true), { timeout: 20_000, interval: 100 }).catch(() => undefined);
    }
    await electron.closeChromium();
    for (const account of await store.accounts().catch(() => [])) await store.delete(account);
    await Promise.allSettled([idp?.close(), wiki?.close(), tickets?.close()]);
  }, 60_000);

  it(`opens the window and the real UI renders through the preload's bridge ${STAND_IN}, show/hide recorded)`, async () => {
    expect(window.isVisible()).toBe(true);
    expect(window.getTitle()).toBe('Switchboard');
    // What the preload exposed is the page's window.switchboard, frozen as contextBridge leaves it.
    expect(await page.evaluate(() => Object.keys((window as unknown as { switchboard: object }).switchboard).sort())).toEqual(['invoke', 'subscribe']);
    expect(await page.evaluate(() => Object.isFrozen((window as unknown as { switchboard: object }).switchboard))).toBe(true);
    // The UI has no token in its URL, so every answer it shows came over IPC: the configured servers are on screen.
    await page.getByText('Company wiki').first().waitFor({ timeout: 20_000 });
    expect(ipcMain.invoked.length).toBeGreaterThan(0);
    expect(ipcMain.invoked.every(({ senderUrl }) => senderUrl.startsWith(rendererUrl))).toBe(true);
  });

  it(`answers an IPC round trip from the page and pushes status events to it ${STAND_IN})`, async () => {
    const answer = await invoke('app:getStatus');
    expect(answer.ok).toBe(true);
    const mcpUrl = (answer.value as { mcpUrl: string }).mcpUrl;
    expect(mcpUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/mcp$/);
    expect(await answers(mcpUrl)).toBe(true);
    // subscribe returns its stop function at once (the preload ran in the page); events arrive through webContents.send.
    expect(
      await page.evaluate(() => {
        const bridge = (window as unknown as { switchboard: { subscribe(c: string, l: (p: unknown) => void): () => void } }).switchboard;
        const seen: unknown[] = [];
        (window as unknown as { seenStatus: unknown[] }).seenStatus = seen;
        return typeof bridge.subscribe('events:status', (payload) => seen.push(payload));
      }),
    ).toBe('function');
    let before = await restarts();
    expect(await invoke('servers:setEnabled', { id: 'tickets', enabled: false })).toMatchObject({ ok: true });
    await restarted(before);
    await vi.waitFor(async () => expect(await page.evaluate(() => (window as unknown as { seenStatus: unknown[] }).seenStatus.length)).toBeGreaterThan(0), {
      timeout: 20_000,
      interval: 200,
    });
    before = await restarts();
    expect(await invoke('servers:setEnabled', { id: 'tickets', enabled: true })).toMatchObject({ ok: true });
    await restarted(before);
  });

  it(`refuses a call from another origin with UI_UNAUTHORIZED, and the preload stops unknown channels before IPC ${STAND_IN}, a second window)`, async () => {
    const foreignRoot = await mkdtemp(join(tmpdir(), 'switchboard-foreign-'));
    await writeFile(join(foreignRoot, 'index.html'), '<!doctype html><title>Elsewhere</title><p>Not Switchboard</p>');
    const foreignUrl = await electron.serveFolder(foreignRoot);
    // The same preload in a window showing another origin: exactly what a navigation away would give a page.
    const foreign = new BrowserWindow({
      show: false,
      webPreferences: { preload: join(repoRoot, 'main/preload/index.cjs'), contextIsolation: true, sandbox: true, nodeIntegration: false },
    });
    try {
      const foreignPage = await foreign.webContents.page();
      const response = foreignPage.waitForResponse((candidate) => candidate.url() === foreignUrl);
      await foreign.loadURL(foreignUrl);
      // The CSP header is our pages' only.
      expect((await response).headers()['content-security-policy']).toBeUndefined();
      const refused = (await foreignPage.evaluate(() =>
        (window as unknown as { switchboard: { invoke(c: string): Promise<unknown> } }).switchboard.invoke('app:getStatus'),
      )) as Result;
      expect(refused).toMatchObject({ ok: false, error: { code: 'UI_UNAUTHORIZED' } });
      expect(ipcMain.invoked).toContainEqual({ channel: 'app:getStatus', senderUrl: foreignUrl });
      // An address that only starts with the dev server's origin (user info before another host) is another site too.
      const lookalike = `${new URL(rendererUrl).origin}@${new URL(foreignUrl).host}/`;
      await foreign.loadURL(lookalike);
      expect(foreign.webContents.getURL()).toBe(lookalike);
      const lookalikeAnswer = (await foreignPage.evaluate(() =>
        (window as unknown as { switchboard: { invoke(c: string): Promise<unknown> } }).switchboard.invoke('app:getStatus'),
      )) as Result;
      expect(lookalikeAnswer).toMatchObject({ ok: false, error: { code: 'UI_UNAUTHORIZED' } });
    } finally {
      foreign.destroy();
    }
    const before = ipcMain.invoked.length;
    await expect(
      page.evaluate(() => (window as unknown as { switchboard: { invoke(c: string): Promise<unknown> } }).switchboard.invoke('vault:dumpSecrets')),
    ).rejects.toThrow(/unknown channel vault:dumpSecrets/);
    expect(ipcMain.invoked.length).toBe(before);
  });

  it(`sends the UI's CSP as a response header on its own page, and leaves sub-resources alone ${STAND_IN}, webRequest through Playwright routing)`, async () => {
    const [response] = await Promise.all([page.waitForResponse((candidate) => candidate.url() === rendererUrl), page.reload()]);
    expect(response.headers()['content-security-policy']).toBe(UI_CONTENT_SECURITY_POLICY);
    // A fetch of the same page is not a main frame: no header added.
    expect(await page.evaluate(() => fetch(location.href).then((answer) => answer.headers.get('content-security-policy')))).toBeNull();
    // The reloaded page got the preload again and works.
    expect((await invoke('app:getStatus')).ok).toBe(true);
  });

  it(`refuses navigation away and window.open, which goes to the system browser instead ${STAND_IN}, shell.openExternal recorded)`, async () => {
    await page.evaluate(() => void (location.href = 'https://example.com/elsewhere'));
    await vi.waitFor(() => expect(navigationRecords.willNavigate).toContainEqual({ url: 'https://example.com/elsewhere', prevented: true }), {
      timeout: 10_000,
    });
    // An address that merely starts with the dev server's origin is somewhere else, and refused too.
    const lookalike = `${new URL(rendererUrl).origin}@example.com/`;
    await page.evaluate((url) => void (location.href = url), lookalike);
    await vi.waitFor(() => expect(navigationRecords.willNavigate).toContainEqual({ url: lookalike, prevented: true }), { timeout: 10_000 });
    expect(window.webContents.getURL()).toBe(rendererUrl);
    expect((await invoke('app:getStatus')).ok).toBe(true);

    await page.evaluate(() => void globalThis.open('https://example.com/docs', '_blank'));
    await vi.waitFor(() => expect(records.openedExternally).toContain('https://example.com/docs'), { timeout: 10_000 });
    expect(navigationRecords.windowOpen).toContainEqual({ url: 'https://example.com/docs', action: 'deny' });
    expect(BrowserWindow.getAllWindows()).toEqual([window]);
    // Permissions: the shell's handler denies every request and check.
    expect(await electron.session.defaultSession.requestPermission('notifications')).toBe(false);
  });

  it(`opens the log file from Settings with the desktop's own program ${STAND_IN}, shell.openPath recorded)`, async () => {
    await page.getByRole('navigation').getByRole('button', { name: 'Settings' }).click();
    const log = page.getByRole('region', { name: 'Recent log' });
    const file = (await invoke('logs:recent')).value as { file: string; canOpen: boolean };
    expect(file).toMatchObject({ file: expect.stringMatching(/\.log$/), canOpen: true });
    await log.getByRole('button', { name: 'Open the log file' }).click();
    await vi.waitFor(() => expect(records.openedPaths).toEqual([file.file]), { timeout: 10_000 });
    expect(await log.getByRole('alert').count()).toBe(0);
  });

  it(`hides the window on close instead of quitting, and the tray opens it again ${STAND_IN}, recorded tray)`, async () => {
    window.close();
    expect(window.isDestroyed()).toBe(false);
    expect(window.isVisible()).toBe(false);
    expect(app.quitEmitted).toBe(false);
    expect(await answers((await status()).mcpUrl!)).toBe(true);
    menu().item('Open Switchboard').click();
    expect(window.isVisible()).toBe(true);
    window.hide();
    tray().emit('click');
    expect(window.isVisible()).toBe(true);
    // Another launch of the app shows this window.
    window.hide();
    app.simulateSecondInstance();
    expect(window.isVisible()).toBe(true);
    expect(BrowserWindow.getAllWindows()).toEqual([window]);
  });

  it(`turns a server off and on from the tray, and the core reports it ${STAND_IN}, recorded tray)`, async () => {
    const enabled = async (id: string) =>
      ((await invoke('servers:list')).value as { servers: { id: string; enabled: boolean }[] }).servers.find((server) => server.id === id)!.enabled;
    expect(menu().item('Servers', 'Company wiki').checked).toBe(true);
    let before = await restarts();
    menu().item('Servers', 'Company wiki').click();
    await restarted(before);
    await vi.waitFor(async () => expect(await enabled('wiki')).toBe(false), { timeout: 20_000, interval: 200 });
    await vi.waitFor(() => expect(menu().item('Servers', 'Company wiki').checked).toBe(false), { timeout: 20_000, interval: 200 });
    before = await restarts();
    menu().item('Servers', 'Company wiki').click();
    await restarted(before);
    await vi.waitFor(async () => expect(await enabled('wiki')).toBe(true), { timeout: 20_000, interval: 200 });
    await vi.waitFor(() => expect(menu().item('Servers', 'Company wiki').checked).toBe(true), { timeout: 20_000, interval: 200 });
  });

  it(`signs in and out from the tray: the system browser gets the authorization URL ${STAND_IN}, recorded tray, scripted browser)`, async () => {
    expect((await status()).signedIn).toBe(false);
    const opened = records.openedExternally.length;
    menu().item('Sign in…').click();
    await vi.waitFor(() => expect(records.openedExternally.length).toBe(opened + 1), { timeout: 20_000, interval: 100 });
    const authorizationUrl = records.openedExternally.at(-1)!;
    expect(authorizationUrl.startsWith(idp.issuer)).toBe(true);
    await vi.waitFor(() => expect(menu().labels()).toContain('Cancel sign-in'), { timeout: 20_000, interval: 100 });
    await visitAuthorizationUrl(authorizationUrl);
    await vi.waitFor(async () => expect((await status()).signedIn).toBe(true), { timeout: 20_000, interval: 200 });
    await vi.waitFor(() => expect(menu().labels()).toContain('Sign out'), { timeout: 20_000, interval: 100 });
    menu().item('Sign out').click();
    await vi.waitFor(async () => expect((await status()).signedIn).toBe(false), { timeout: 20_000, interval: 200 });
    await vi.waitFor(() => expect(menu().labels()).toContain('Sign in…'), { timeout: 20_000, interval: 100 });
  });

  it(`pauses and resumes the endpoint from the tray, copies its URL and opts in to launch at login ${STAND_IN}, recorded tray, clipboard and login items)`, async () => {
    const { mcpUrl } = await status();
    menu().item('Copy endpoint URL').click();
    expect(clipboard.readText()).toBe(mcpUrl);

    menu().item('Pause').click();
    await vi.waitFor(() => expect(tray().tooltip).toBe('Switchboard — paused'), { timeout: 20_000, interval: 100 });
    await vi.waitFor(async () => expect(await answers(mcpUrl!)).toBe(false), { timeout: 20_000, interval: 200 });
    menu().item('Pause').click();
    await vi.waitFor(async () => expect(await answers(mcpUrl!)).toBe(true), { timeout: 20_000, interval: 200 });
    await vi.waitFor(() => expect(tray().tooltip).not.toContain('paused'), { timeout: 20_000, interval: 100 });
    // The core came back on the same address, so AI clients keep their URL.
    expect((await status()).mcpUrl).toBe(mcpUrl);

    expect(menu().item('Launch at login').checked).toBe(false);
    menu().item('Launch at login').click();
    expect(records.loginItemSettings).toEqual([{ openAtLogin: true }]);
    await vi.waitFor(() => expect(menu().item('Launch at login').checked).toBe(true), { timeout: 10_000, interval: 100 });
  });

  it(`quits from the tray: the window closes, the core stops, then the app quits ${STAND_IN}, quit recorded)`, async () => {
    const { mcpUrl } = await status();
    menu().item('Quit Switchboard').click();
    await vi.waitFor(() => expect(app.quitEmitted).toBe(true), { timeout: 20_000, interval: 100 });
    expect(window.isDestroyed()).toBe(true);
    expect(await answers(mcpUrl!)).toBe(false);
    expect(app.exitCode).toBeUndefined();
    expect(records.errorBoxes).toEqual([]);
  });
});
