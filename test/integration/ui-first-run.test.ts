// The guided first run in real Chromium against `serve --ui`: from an empty data folder, sign in, pick servers, set up Cursor, see Cursor's first tool call; remembered across a reload and a restart.
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KeytarSecretStore } from '../../main/core/vault/keytar-secret-store.ts';
import { startSandbox, type Sandbox } from '../sandbox/index.ts';
import { launchChromium } from '../support/headless-chromium.ts';
import { prepareFirstRunMachine } from '../support/first-run-machine.ts';
import { startServe, type ServeProcess } from '../support/serve-process.ts';

const ARTIFACTS = join(import.meta.dirname, '../../test-artifacts/ui');

describe('the guided first run in Chromium', () => {
  let sandbox: Sandbox;
  let serve: ServeProcess;
  let browser: Browser;
  let page: Page;
  let home: string;
  let dataDir: string;
  let serveArgs: string[];
  let serveEnv: NodeJS.ProcessEnv;
  let axe: string;
  const problems: string[] = [];
  const violations: string[] = [];
  const profile = `test-ui-first-run-${randomBytes(6).toString('hex')}`;
  const store = new KeytarSecretStore(profile);
  const guide = () => page.getByRole('region', { name: /^Step \d of 4: / });

  /** axe-core in both schemes on what is on screen now (serious and critical violations are collected, then asserted at the end). */
  async function checkBothSchemes(where: string): Promise<void> {
    for (const colorScheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme });
      // Mantine follows the system's change in an effect, then colours fade over: wait for both before measuring contrast.
      await page.waitForFunction((scheme) => document.documentElement.dataset.mantineColorScheme === scheme, colorScheme);
      await settled();
      await page.evaluate(axe);
      const result = (await page.evaluate("axe.run(document, { resultTypes: ['violations'] })")) as {
        violations: { id: string; impact: string; nodes: { target: string[]; failureSummary?: string }[] }[];
      };
      for (const violation of result.violations)
        if (violation.impact === 'serious' || violation.impact === 'critical')
          violations.push(
            `${where} (${colorScheme}): ${violation.id} at ${violation.nodes.map((node) => `${node.target.join(' ')} (${node.failureSummary ?? ''})`).join(', ')}`,
          );
    }
    await page.emulateMedia({ colorScheme: 'light' });
    await page.waitForFunction(() => document.documentElement.dataset.mantineColorScheme === 'light');
    await settled();
  }

  /** Until every finite animation has ended (a spinner's never does): a scheme change or a dialog sliding in is caught half-way otherwise. */
  const settled = () =>
    page.evaluate(() =>
      Promise.all(
        document
          .getAnimations()
          .filter((animation) => animation.effect?.getTiming().iterations !== Infinity)
          .map((animation) => animation.finished.catch(() => undefined)),
      ),
    );

  async function snapshot(name: string): Promise<void> {
    await mkdir(ARTIFACTS, { recursive: true });
    await settled();
    await page.screenshot({ path: join(ARTIFACTS, `first-run-${name}.png`), fullPage: true });
  }

  function watch(target: Page): void {
    target.on('console', (message) => {
      if (message.type() === 'error') problems.push(`console: ${message.text()}`);
    });
    target.on('requestfailed', (request) => {
      // A page that stops listening aborts its own event stream (bridge.ts subscribe's cleanup): that is not a failure.
      if (new URL(request.url()).pathname === '/api/events' && request.failure()?.errorText === 'net::ERR_ABORTED') return;
      problems.push(`failed ${request.url()} (${request.failure()?.errorText})`);
    });
  }

  beforeAll(async () => {
    sandbox = await startSandbox();
    axe = await readFile(join(import.meta.dirname, '../../node_modules/axe-core/axe.min.js'), 'utf8');
    // Cursor is installed on this machine and has never heard of Switchboard; the company's servers are configured, none enabled.
    const machine = await prepareFirstRunMachine(sandbox, profile);
    ({ home, dataDir, serveArgs, env: serveEnv } = machine);
    serve = await startServe(serveArgs, { env: serveEnv });
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    watch(page);
    await page.goto(serve.ready.uiUrl!);
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await serve?.stop();
    for (const account of await store.accounts().catch(() => [])) await store.delete(account);
    await sandbox?.close();
  });

  it('opens on the guide, and walks a person from nothing to a tool call made by the AI client it set up', async () => {
    // 1. Sign in with the company: the page opens the IdP in a new tab, where the sandbox's user is signed in at once.
    await page.getByRole('heading', { name: 'Set up Switchboard' }).waitFor({ timeout: 15_000 });
    await guide()
      .and(page.getByRole('region', { name: 'Step 1 of 4: Sign in' }))
      .waitFor();
    await snapshot('1-sign-in');
    await checkBothSchemes('step 1');
    const idpTab = page.context().waitForEvent('page');
    await guide().getByRole('button', { name: 'Sign in', exact: true }).click();
    watch(await idpTab);
    await guide().getByText('Signed in to your company account.').waitFor({ timeout: 20_000 });

    // 2. Pick the company's servers: each is enabled from its card, the same card the Servers page shows.
    await page.getByRole('button', { name: 'Next: Pick servers' }).click();
    await page.getByRole('region', { name: 'Step 2 of 4: Pick servers' }).waitFor();
    for (const title of ['Company wiki', 'Finance']) {
      await guide()
        .getByRole('button', { name: `Enable ${title}` })
        .click();
      await guide()
        .getByRole('button', { name: `Disable ${title}` })
        .waitFor({ timeout: 20_000 });
    }
    await snapshot('2-servers');
    await checkBothSchemes('step 2');

    // 3. Cursor, found on this machine: a preview, then the entry written.
    await page.getByRole('button', { name: 'Next: Set up AI clients' }).click();
    await page.getByRole('region', { name: 'Step 3 of 4: Set up AI clients' }).waitFor();
    await guide().getByRole('button', { name: 'Set up Cursor' }).click();
    const preview = page.getByRole('dialog', { name: 'Preview of the change' });
    await preview.waitFor();
    await checkBothSchemes('step 3, the preview');
    await preview.getByRole('button', { name: 'Apply' }).click();
    await guide().getByRole('status').filter({ hasText: 'Configured' }).waitFor();
    await snapshot('3-clients');

    // 4. Try it: the page waits, with a deadline and a way to stop, for Cursor's first call.
    await page.getByRole('button', { name: 'Next: Try it' }).click();
    const tryIt = page.getByRole('region', { name: 'Step 4 of 4: Try it' });
    await tryIt.getByText(/Waiting for the first tool call from one of your AI clients… \(until \d{1,2}:\d{2}/).waitFor();
    expect(await tryIt.textContent()).toContain('Open Cursor');
    await snapshot('4-waiting');
    await checkBothSchemes('step 4, waiting');

    // Cursor, reading only its own file, calls a tool.
    const written = JSON.parse(await readFile(join(home, '.cursor', 'mcp.json'), 'utf8')) as {
      mcpServers: Record<string, { url: string; headers?: Record<string, string> }>;
    };
    const entry = written.mcpServers.switchboard!;
    const cursor = new Client({ name: 'cursor', version: '1.0.0' });
    await cursor.connect(new StreamableHTTPClientTransport(new URL(entry.url), { requestInit: { headers: entry.headers ?? {} } }));
    try {
      expect((await cursor.callTool({ name: 'wiki_add', arguments: { a: 20, b: 22 } })).content).toEqual([expect.objectContaining({ text: '42' })]);
    } finally {
      await cursor.close();
    }
    const worked = tryIt.getByRole('status').filter({ hasText: 'It works' });
    await worked.waitFor({ timeout: 15_000 });
    expect(await worked.textContent()).toMatch(/Cursor called wiki_add on wiki at .+, answered in \d+ ms/);
    await snapshot('5-it-works');
    await checkBothSchemes('step 4, the call');
    await page.setViewportSize({ width: 800, height: 900 });
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(800);
    await snapshot('5-it-works-800');
    await page.setViewportSize({ width: 1280, height: 900 });

    await page.getByRole('button', { name: 'Done' }).click();
    await page.getByRole('main', { name: 'Servers' }).waitFor();
    expect(violations).toEqual([]);
    expect(problems).toEqual([]);
  }, 120_000);

  it('does not open on the guide again: not after a reload, not after a restart; the header still offers it', async () => {
    const kept = await stat(join(dataDir, 'first-run.json'));
    expect(kept.mode & 0o077).toBe(0);
    await page.reload();
    await page.getByRole('main', { name: 'Servers' }).waitFor();
    expect(await page.getByRole('heading', { name: 'Set up Switchboard' }).count()).toBe(0);

    await serve.stop();
    serve = await startServe(serveArgs, { env: serveEnv });
    await page.goto(serve.ready.uiUrl!);
    await page.getByRole('main', { name: 'Servers' }).waitFor();
    await page.getByRole('listitem', { name: 'Company wiki' }).waitFor();
    expect(await page.getByRole('heading', { name: 'Set up Switchboard' }).count()).toBe(0);
    // Asked for, it opens; the sections on the left leave it.
    await page.getByRole('button', { name: 'Guided setup' }).click();
    await page.getByRole('heading', { name: 'Set up Switchboard' }).waitFor();
    await page.getByRole('navigation').getByRole('button', { name: 'Activity' }).click();
    await page.getByRole('main', { name: 'Activity' }).waitFor();
  }, 60_000);
});
