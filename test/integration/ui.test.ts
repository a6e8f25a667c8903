// The UI in real Chromium against the real core (`serve --ui`): servers, details, enabling a company server, client setup with preview and undo, activity, settings.
import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { createServer, request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox as AuthSandbox } from '../sandbox/index.ts';
import { startMcpServer } from '../sandbox/mcp-servers.ts';
import { launchChromium } from '../support/headless-chromium.ts';
import { runCli, startServe, type ServeProcess } from '../support/serve-process.ts';

type Sandbox = Awaited<ReturnType<typeof startMcpServer>>;

// Strict JSON, as Cursor reads it: a comment here would make setup refuse the file (CLIENT_FILE_MALFORMED).
const CURSOR_FILE_BEFORE = `{
  "mcpServers": {
    "local-notes": { "command": "notes-mcp", "args": [] }
  }
}
`;

function get(url: string, headers: Record<string, string> = {}): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const request = httpRequest(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers } }, (response) => {
      let body = '';
      response.on('data', (chunk: Buffer) => (body += chunk.toString()));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
    });
    request.on('error', reject);
    request.end('');
  });
}

/** Screenshots of each page, kept as test artifacts for a person to look at (test-artifacts/ui/). */
const ARTIFACTS = join(import.meta.dirname, '../../test-artifacts/ui');
async function snapshot(page: Page, name: string, { fullPage = true } = {}): Promise<void> {
  await mkdir(ARTIFACTS, { recursive: true });
  // A drawer is fixed to the viewport: a full-page shot would stretch the page under it, so those take the viewport.
  // A drawer or dialog still sliding in would be caught half-way: wait for every finite animation to end (a spinner's never does).
  await page.evaluate(() =>
    Promise.all(
      document
        .getAnimations()
        .filter((animation) => animation.effect?.getTiming().iterations !== Infinity)
        .map((animation) => animation.finished.catch(() => undefined)),
    ),
  );
  await page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage });
}

describe('the UI in Chromium against serve --ui', () => {
  let sandbox: AuthSandbox;
  let reports: Sandbox;
  let search: Sandbox;
  let serve: ServeProcess;
  let browser: Browser;
  let page: Page;
  let home: string;
  let configPath: string;
  const responses: string[] = [];
  // What went wrong while the page loaded: console errors and failed requests (a missing favicon, a CSP directive a browser ignores).
  const loadProblems: string[] = [];
  let documentCsp: string | undefined;
  const badge = () => page.getByRole('status', { name: 'Overall state' });

  beforeAll(async () => {
    sandbox = await startSandbox();
    const url = (name: string) => sandbox.servers.find((entry) => entry.server.name === name)!.server.url;
    reports = await startMcpServer({ name: 'reports', era: 'modern' });
    search = await startMcpServer({ name: 'search', era: 'modern', title: 'Enterprise search', description: 'Searches every document store.' });
    const work = await mkdtemp(join(tmpdir(), 'switchboard-ui-'));
    home = join(work, 'home');
    await mkdir(join(home, '.cursor'), { recursive: true });
    await writeFile(join(home, '.cursor', 'mcp.json'), CURSOR_FILE_BEFORE);
    configPath = join(work, 'config.json');
    await writeFile(
      join(work, 'policy.json'),
      JSON.stringify({
        servers: [{ id: 'reports', url: reports.url, title: 'Finance reports', description: 'Offered by the company.' }],
        locked: ['auth.idp'],
      }),
    );
    const profile = `test-ui-${process.pid}`;
    await writeFile(
      configPath,
      JSON.stringify({
        servers: [
          { id: 'wiki', url: url('wiki'), title: 'Company wiki' },
          { id: 'tickets', url: url('tickets') },
          {
            id: 'finance',
            url: url('finance'),
            title: 'Finance',
            auth: { clientId: sandbox.idJagClient.client_id, tokenEndpointAuthMethod: 'client_secret_basic' },
          },
        ],
        discovery: { policyFile: 'policy.json' },
        auth: {
          profile,
          // No browser command: the page itself opens the sign-in, in this Chromium, where the sandbox IdP signs its default user in.
          idp: {
            issuer: sandbox.idp.issuer,
            clientId: sandbox.idp.clientId,
            tokenEndpointAuthMethod: 'client_secret_basic',
            extraAuthorizationParams: { prompt: 'consent' },
          },
        },
      }),
    );
    const dataDir = join(work, 'data');
    for (const [owner, secret] of [
      ['idp', sandbox.idp.clientSecret],
      ['finance', sandbox.idJagClient.client_secret],
    ] as const) {
      const stored = await runCli(['auth', 'set-secret', owner, '--config', configPath, '--data-dir', dataDir], secret);
      expect(stored.code, stored.stderr).toBe(0);
    }
    const env = { ...process.env, HOME: home, XDG_CONFIG_HOME: join(home, '.config') };
    serve = await startServe(['--config', configPath, '--data-dir', dataDir, '--ui'], { env });
    browser = await launchChromium();
    page = await browser.newPage();
    page.on('response', (response) => {
      if (response.url().includes('/api/'))
        void response.text().then(
          (text) => responses.push(text),
          () => undefined,
        );
    });
    page.on('console', (message) => {
      if (message.type() === 'error') loadProblems.push(`console: ${message.text()}`);
    });
    page.on('response', (response) => {
      if (response.status() >= 400) loadProblems.push(`${response.status()} ${response.url()}`);
    });
    page.on('requestfailed', (request) => loadProblems.push(`failed ${request.url()}`));
    documentCsp = (await page.goto(serve.ready.uiUrl!))?.headers()['content-security-policy'];
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await serve?.stop();
    await runCli(['logout', '--config', configPath, '--data-dir', serve?.ready.dataDir ?? '']).catch(() => undefined);
    await Promise.all([sandbox?.close(), reports?.close(), search?.close()]);
  });

  it('shows the endpoint and every server — configured ones and the company’s offer — with search', async () => {
    await expect.poll(() => page.getByLabel('Local endpoint URL').textContent(), { timeout: 10_000 }).toBe(serve.ready.mcpUrl);
    // The token left the address bar once the page kept it.
    expect(page.url()).not.toContain('token=');
    for (const title of ['Company wiki', 'Finance reports']) await page.getByRole('listitem', { name: title }).waitFor();
    await page.getByRole('searchbox', { name: 'Search' }).fill('reports');
    await expect
      .poll(() =>
        page
          .getByRole('listitem')
          .filter({ has: page.getByRole('heading', { level: 3 }) })
          .count(),
      )
      .toBe(1);
    await page.getByRole('searchbox', { name: 'Search' }).fill('');
    // Ready servers show their tool count, not a dash, without anyone listing their tools first.
    await expect.poll(() => page.getByRole('listitem', { name: 'Company wiki' }).locator('dd').last().textContent(), { timeout: 10_000 }).toMatch(/^\d+$/);
    // The badge counts each server once: finance waits for the company sign-in, the rest work.
    await expect.poll(() => badge().textContent(), { timeout: 10_000 }).toBe('1 needs sign-in');
    expect(await page.getByRole('listitem', { name: 'Finance', exact: true }).locator('.badge').textContent()).toBe('needs sign-in');
    await snapshot(page, '1-servers');
  });

  it('loads with no console error and no failed request (the favicon is served), the CSP with frame-ancestors in the header and not the meta', async () => {
    await page.getByRole('heading', { name: 'Servers' }).waitFor();
    expect(loadProblems).toEqual([]);
    expect(documentCsp).toContain("frame-ancestors 'none'");
    const meta = await page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content');
    expect(meta).not.toContain('frame-ancestors');
    const favicon = await page.evaluate(async () => (await fetch('/favicon.svg')).headers.get('content-type'));
    expect(favicon).toBe('image/svg+xml');
  });

  it('opens a server’s details in a drawer: state, sign-in, the last error, and each tool under the name clients see', async () => {
    const card = page.getByRole('listitem', { name: 'Company wiki' });
    await card.getByRole('button', { name: 'Details' }).click();
    const drawer = page.getByRole('dialog', { name: 'Company wiki: details' });
    await drawer.waitFor();
    const offer = drawer.getByLabel('What wiki offers');
    // Clients see wiki_echo; the server knows it as echo: both are shown, side by side.
    await offer.getByRole('row', { name: /wiki_echo/ }).waitFor();
    expect(
      await offer
        .getByRole('row', { name: /wiki_echo/ })
        .getByRole('cell', { name: 'echo', exact: true })
        .count(),
    ).toBe(1);
    expect(await offer.textContent()).toContain('wiki_add');
    const facts = drawer.getByLabel('About wiki');
    expect(await facts.textContent()).toMatch(/State\s*ready/);
    expect(await facts.textContent()).toContain('Sign-inNo sign-in');
    expect(await facts.textContent()).toContain('Last errorNone');
    // A drawer beside the cards: the card's row keeps its height.
    const cardBox = await card.boundingBox();
    expect(cardBox!.height).toBeLessThan(400);
    await snapshot(page, '2-server-detail', { fullPage: false });
    // Finance waits for the company sign-in: its drawer says so, with the last error and its time.
    await page.keyboard.press('Escape');
    await drawer.waitFor({ state: 'hidden' });
    await page.getByRole('listitem', { name: 'Finance', exact: true }).getByRole('button', { name: 'Details' }).click();
    const finance = page.getByRole('dialog', { name: 'Finance: details' });
    await finance.waitFor();
    const financeFacts = await finance.getByLabel('About finance').textContent();
    expect(financeFacts).toContain('needs sign-in');
    expect(financeFacts).toMatch(/Last error\d{1,2}\/\d{1,2}\/\d{4}, [^(]+\(.+\): /);
    await page.keyboard.press('Escape');
    await finance.waitFor({ state: 'hidden' });
  });

  it('keeps the search and the filter when the person leaves the page and comes back', async () => {
    await page.getByRole('searchbox', { name: 'Search' }).fill('wiki');
    await page.getByText(/^Enabled \(\d+\)$/).click();
    await page.getByRole('button', { name: 'Activity' }).click();
    await page.getByRole('main', { name: 'Activity' }).waitFor();
    await page.getByRole('button', { name: 'Servers' }).click();
    expect(await page.getByRole('searchbox', { name: 'Search' }).inputValue()).toBe('wiki');
    expect(await page.getByRole('radio', { name: /Enabled/ }).isChecked()).toBe(true);
    // Nothing matching says what to do, and its button brings every server back.
    await page.getByRole('searchbox', { name: 'Search' }).fill('no such server');
    await page.getByRole('heading', { name: 'No server matches' }).waitFor();
    await page.getByRole('button', { name: 'Show all servers' }).click();
    await page.getByRole('listitem', { name: 'Company wiki' }).waitFor();
    expect(await page.getByRole('radio', { name: /All/ }).isChecked()).toBe(true);
  });

  it('discovers a server from its domain’s AI catalog, with progress, and lists it from the catalog', async () => {
    await page.getByRole('textbox', { name: 'Discover at' }).fill(search.origin);
    await page.getByRole('button', { name: 'Discover' }).click();
    await page.getByRole('status').filter({ hasText: 'Found 1 server' }).waitFor({ timeout: 15_000 });
    const card = page.getByRole('listitem', { name: 'Enterprise search' });
    await card.waitFor();
    expect(await card.textContent()).toContain('catalog');
    await snapshot(page, '2b-discovered');
  });

  it('enables a discovered templated remote: asks for its values, keeps the secret header out of the file, and serves its tools', async () => {
    const card = {
      $schema: 'https://static.modelcontextprotocol.io/schemas/v1/server-card.schema.json',
      name: 'example.teams/team-search',
      version: '1.0.0',
      title: 'Team search',
      description: 'Search, per team.',
      remotes: [
        {
          type: 'streamable-http',
          url: `${search.origin}/{endpoint}`,
          variables: { endpoint: { description: 'The endpoint path (mcp)', isRequired: true } },
          headers: [
            { name: 'X-Team', description: 'Your team', isRequired: true },
            { name: 'X-Api-Key', description: 'Your API key', isRequired: true, isSecret: true },
          ],
        },
      ],
    };
    const catalog = createServer((request, response) => {
      if (request.url !== '/.well-known/ai-catalog.json') return void response.writeHead(404).end();
      response
        .writeHead(200, { 'content-type': 'application/json' })
        .end(JSON.stringify({ specVersion: '1.0', entries: [{ identifier: 'urn:team-search', type: 'application/mcp-server-card+json', data: card }] }));
    });
    await new Promise<void>((resolve) => catalog.listen(0, '127.0.0.1', resolve));
    const catalogOrigin = `http://127.0.0.1:${(catalog.address() as AddressInfo).port}`;
    await page.getByRole('textbox', { name: 'Discover at' }).fill(catalogOrigin);
    await page.getByRole('button', { name: 'Discover' }).click();
    await page
      .getByRole('status')
      .filter({ hasText: `Found 1 server at ${catalogOrigin}` })
      .waitFor({ timeout: 15_000 });
    await new Promise((resolve) => catalog.close(resolve));

    await page.getByRole('button', { name: 'Enable Team search' }).click();
    const form = page.getByRole('form', { name: 'What Team search needs' });
    await form.getByLabel('endpoint (required)').fill('mcp');
    await form.getByLabel('Header X-Team (required)').fill('platform');
    await form.getByLabel('Header X-Api-Key (required)').fill('team-secret-4711');
    await form.getByRole('button', { name: 'Enable' }).click();
    await page.getByRole('button', { name: 'Disable Team search' }).waitFor({ timeout: 15_000 });

    const text = await readFile(configPath, 'utf8');
    expect(text).not.toContain('team-secret-4711');
    const added = (JSON.parse(text) as { servers: { url: string; headers?: Record<string, string>; secretHeaders?: string[] }[] }).servers.find(
      (server) => server.url === `${search.origin}/mcp`,
    );
    expect(added).toMatchObject({ headers: { 'X-Team': 'platform' }, secretHeaders: ['X-Api-Key'] });
    // Once added, the catalog entry it came from is not offered a second time.
    await expect.poll(() => page.getByRole('listitem', { name: 'Team search' }).count()).toBe(1);
    // The core restarted to apply it: the open page follows its servers back to ready without a reload.
    for (const title of ['Company wiki', 'Team search']) {
      await expect.poll(() => page.getByRole('listitem', { name: title }).locator('.badge').textContent(), { timeout: 15_000 }).toBe('ready');
    }
    await snapshot(page, '2c-templated-enabled');

    // Its drawer sets the card beside what the live server says about itself: the name differs and is marked, the
    // title only the card gives, the version both agree on.
    await page.getByRole('listitem', { name: 'Team search' }).getByRole('button', { name: 'Details' }).click();
    const drawer = page.getByRole('dialog', { name: 'Team search: details' });
    const identity = drawer.getByRole('region', { name: /describes itself$/ });
    await identity.waitFor({ timeout: 10_000 });
    expect(await identity.textContent()).toContain('Its Server Card and the live server differ in name.');
    const nameRow = identity.getByRole('row', { name: /^Name/ });
    expect(await nameRow.textContent()).toMatch(/differs.*example\.teams\/team-search.*sandbox-search/);
    expect(await identity.getByRole('row', { name: /^Title/ }).textContent()).toMatch(/Team search\s*not given/);
    expect(await identity.getByRole('row', { name: /^Version/ }).textContent()).not.toContain('differs');
    await snapshot(page, '2d-card-and-live', { fullPage: false });
    await page.keyboard.press('Escape');
    await drawer.waitFor({ state: 'hidden' });
  });

  it('signs in from the Sign-in page with no browser command: the page opens the IdP itself, waits with a deadline and Cancel, and tells how it ended', async () => {
    const context = page.context();
    const idpOrigin = new URL(sandbox.idp.issuer).origin;
    // First a sign-in nobody finishes: the authorization page is held by the test, as a person who walks away.
    // (Routes see the first request of a redirect chain only, so the hold is on the authorization URL itself.)
    const held = (url: URL) => url.origin === idpOrigin && url.searchParams.has('code_challenge');
    await context.route(held, (route) =>
      route.fulfill({
        contentType: 'text/html',
        body: '<!doctype html><title>Company sign-in</title><h1>Company sign-in</h1><p>Held by the test: nobody signs in here.</p>',
      }),
    );
    await page.getByRole('button', { name: 'Sign-in', exact: true }).click();
    const firstTab = context.waitForEvent('page');
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    const heldTab = await firstTab;
    await heldTab.waitForURL((url) => held(url));
    const waiting = page.getByRole('region', { name: 'Signing in to your company account' });
    await waiting.waitFor();
    expect(await waiting.textContent()).toMatch(/Waiting for you to finish signing in to your company account in the browser… \(until \d{1,2}:\d{2}/);
    const link = waiting.getByRole('link', { name: 'Continue sign-in' });
    expect(await link.getAttribute('href')).toMatch(new RegExp(`^${idpOrigin}/.*code_challenge=`));
    expect(await link.getAttribute('target')).toBe('_blank');
    expect(await link.getAttribute('rel')).toContain('noopener');
    await expect.poll(() => badge().textContent()).toBe('Signing in…');
    await snapshot(page, '3a-sign-in-waiting');
    await snapshot(heldTab, '3a-sign-in-idp-tab');
    await waiting.getByRole('button', { name: 'Cancel the sign-in to your company account' }).click();
    await page.getByText('The sign-in to your company account was cancelled').waitFor({ timeout: 10_000 });
    expect(await waiting.count()).toBe(0);
    await expect.poll(() => badge().textContent()).toBe('1 needs sign-in');
    await snapshot(page, '3b-sign-in-cancelled');
    await heldTab.close();
    await context.unroute(held);

    // Then the sign-in a person finishes, in the tab the page opens; the cancel's message gives way to the outcome.
    const secondTab = context.waitForEvent('page');
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    const idpTab = await secondTab;
    await page.getByText(`Signed in to ${sandbox.idp.issuer}`).waitFor({ timeout: 20_000 });
    await page.getByText('Signed in to your company account.').waitFor();
    expect(await page.getByText('was cancelled').count()).toBe(0);
    await idpTab.waitForLoadState();
    expect(await idpTab.title()).toContain('Switchboard');
    await snapshot(idpTab, '3c-sign-in-callback-tab');
    await idpTab.close();

    // The ID-JAG server gets its token without a browser: on its own once the company sign-in is done (the core
    // retries the servers that waited for it), or at once when asked, whichever comes first.
    await page
      .getByRole('button', { name: 'Sign in to finance' })
      .click({ timeout: 2000 })
      .catch(() => undefined);
    await page
      .getByRole('row', { name: /finance/ })
      .getByRole('cell', { name: 'Signed in', exact: true })
      .waitFor({ timeout: 15_000 });
    expect(await page.getByRole('row', { name: /finance/ }).textContent()).toContain('id-jag');
    expect(context.pages()).toHaveLength(1);
    // Every server works now, and the badge says so only now.
    await expect.poll(() => badge().textContent(), { timeout: 20_000 }).toBe('All good');
    await snapshot(page, '3-sign-in');
    await page.getByRole('button', { name: 'Servers' }).click();
    await expect.poll(() => page.getByRole('listitem', { name: 'Finance', exact: true }).locator('.badge').textContent(), { timeout: 10_000 }).toBe('ready');
    expect(await page.getByRole('listitem', { name: 'Finance', exact: true }).locator('.error').count()).toBe(0);
    await snapshot(page, '3d-servers-signed-in');
  }, 90_000);

  it('enables the company’s server: the configuration gains it and its tools appear on the same endpoint', async () => {
    await page.getByRole('button', { name: 'Enable Finance reports' }).click();
    await page.getByRole('button', { name: 'Disable Finance reports' }).waitFor({ timeout: 15_000 });
    const config = JSON.parse(await readFile(configPath, 'utf8')) as { servers: { id: string; url: string }[] };
    expect(config.servers.map((server) => server.id)).toContain('reports');
    const registered = await runCli(['clients', 'add', 'probe', '--data-dir', serve.ready.dataDir, '--profile', `test-${process.pid}`, '--json']);
    const client = new Client({ name: 'ui-test', version: '1.0.0' }, { versionNegotiation: { mode: 'auto' } });
    await client.connect(
      new StreamableHTTPClientTransport(new URL(serve.ready.mcpUrl), {
        requestInit: { headers: { authorization: `Bearer ${(JSON.parse(registered.stdout) as { credential: string }).credential}` } },
      }),
    );
    expect((await client.listTools()).tools.map((tool) => tool.name)).toContain('reports_echo');
    await client.close();
  });

  it('sets up Cursor: a preview with only its entry and a summary (no secret, no other server’s settings), a merge that keeps the person’s entry byte for byte, a working credential, then undo', async () => {
    await page.getByRole('button', { name: 'Clients' }).click();
    await page.getByRole('button', { name: 'Set up Cursor' }).click();
    const preview = page.getByRole('dialog', { name: 'Preview of the change' });
    await preview.waitFor();
    const shown = (await preview.textContent()) ?? '';
    // The other server is named in the summary; its settings stay in the file.
    expect(shown).toContain('local-notes');
    expect(shown).not.toContain('notes-mcp');
    expect(shown).toContain('«your Switchboard credential');
    expect(shown).not.toMatch(/sbc_/);
    await preview.getByRole('button', { name: 'Apply' }).click();
    await page.getByRole('status').filter({ hasText: 'Configured' }).waitFor();

    const written = await readFile(join(home, '.cursor', 'mcp.json'), 'utf8');
    expect(written).toContain('    "local-notes": { "command": "notes-mcp", "args": [] }');
    const entry = (JSON.parse(written.replace(/^\s*\/\/.*$/m, '')) as { mcpServers: Record<string, { url: string; headers: { Authorization: string } }> })
      .mcpServers.switchboard!;
    expect(entry.url).toBe(serve.ready.mcpUrl);
    // The credential Cursor got works on the endpoint, as Cursor would use it.
    const cursor = new Client({ name: 'cursor-like', version: '1.0.0' }, { versionNegotiation: { mode: 'auto' } });
    await cursor.connect(new StreamableHTTPClientTransport(new URL(entry.url), { requestInit: { headers: { authorization: entry.headers.Authorization } } }));
    expect((await cursor.callTool({ name: 'wiki_add', arguments: { a: 2, b: 40 } })).content).toEqual([expect.objectContaining({ text: '42' })]);
    await cursor.close();
    expect(responses.join('\n')).not.toContain(entry.headers.Authorization.slice('Bearer '.length));

    await snapshot(page, '4-clients');
    await page.getByRole('button', { name: 'Undo Cursor' }).click();
    await page.getByRole('status').filter({ hasText: 'Removed Switchboard' }).waitFor();
    const undone = await readFile(join(home, '.cursor', 'mcp.json'), 'utf8');
    expect(undone).toContain('"local-notes"');
    expect(undone).not.toContain('switchboard');
  });

  it('shows the activity (the calls just made), verifies the trail, and marks managed settings', async () => {
    await page.getByRole('button', { name: 'Activity' }).click();
    await page.getByRole('cell', { name: 'wiki_add' }).first().waitFor();
    // What the person did in the app is in the trail too: the server enabled, Cursor configured and undone.
    for (const event of ['config.server_enabled', 'client.configured', 'client.unconfigured']) await page.getByRole('cell', { name: event }).first().waitFor();
    await page.getByRole('button', { name: 'Verify the trail' }).click();
    await page.getByRole('status').filter({ hasText: 'Verified' }).waitFor();
    // A clicked record's detail opens beside the list, in view, not below it.
    await page.getByRole('cell', { name: 'wiki_add' }).first().click();
    const detail = page.getByRole('dialog', { name: /^Record \d+$/ });
    await detail.waitFor();
    const [list, panel] = [await page.getByRole('table').boundingBox(), await detail.boundingBox()];
    expect(panel!.x).toBeGreaterThanOrEqual(list!.x + list!.width);
    expect(panel!.y).toBeLessThan(list!.y + 100);
    // Export says what it will export: everything the applied filter matches.
    expect(await page.locator('#export-scope').textContent()).toBe('Exports every record (no filter applied)');
    await snapshot(page, '5-activity');
    await detail.getByRole('button', { name: 'Close' }).click();

    // The chart: calls and errors per minute as a time series, split by server, then by client; latency percentiles beside it.
    const calls = page.getByRole('figure', { name: 'Calls and errors per minute, by server' });
    await calls.waitFor();
    expect(await calls.locator('svg.recharts-surface').count()).toBeGreaterThan(0);
    // At least 30 buckets along the time axis, so a few minutes of calls read as a line over time.
    await expect.poll(() => calls.locator('.recharts-xAxis-tick-labels .recharts-cartesian-axis-tick-label').count()).toBeGreaterThan(3);
    for (const name of ['wiki', 'Errors']) await calls.locator('.mantine-ChartLegend-legendItemName', { hasText: name }).first().waitFor();
    expect(await calls.locator('figcaption').textContent()).toMatch(/\d+ calls and \d+ errors from .* per minute, split by server: .*wiki/);
    await page.getByRole('figure', { name: 'Latency per minute (p50, p95, p99)' }).locator('.mantine-ChartLegend-legendItemName', { hasText: 'p95' }).waitFor();
    await calls.getByText('By client').click();
    const byClient = page.getByRole('figure', { name: 'Calls and errors per minute, by client' });
    await byClient.waitFor();
    expect(await byClient.locator('figcaption').textContent()).toMatch(/split by client: .*cursor/);
    await byClient.getByText('By server').click();

    // Filters are chips: applying one shows it, narrows the list and what an export holds; its × removes it.
    await page.getByRole('main').getByLabel('Server', { exact: true }).fill('wiki');
    await page.keyboard.press('Escape');
    await page.getByRole('button', { name: 'Apply' }).click();
    const applied = page.getByRole('list', { name: 'Filters applied' });
    await applied.getByRole('listitem').filter({ hasText: 'server: wiki' }).waitFor();
    await expect.poll(() => page.locator('#export-scope').textContent()).toBe('Exports every record matching: server=wiki');
    await expect.poll(async () => (await page.locator('tbody tr td:nth-child(3)').allTextContents()).every((server) => server === 'wiki')).toBe(true);
    await page.getByText('tool error', { exact: true }).click();
    await applied.getByRole('listitem').filter({ hasText: 'outcome: tool error' }).waitFor();
    await snapshot(page, '5b-activity-filtered');
    await page.getByRole('button', { name: 'Remove the filter server=wiki' }).click();
    await page.getByRole('button', { name: 'Clear filters' }).first().click();
    await expect.poll(() => page.locator('#export-scope').textContent()).toBe('Exports every record (no filter applied)');

    await page.getByRole('button', { name: 'Settings' }).click();
    await page.getByRole('heading', { name: 'Settings' }).waitFor();
    await page.getByText('Identity provider').waitFor();
    expect(await page.getByRole('main').textContent()).toContain('Identity provider (managed by your company)');
    expect(await page.getByRole('button', { name: 'Change Identity provider' }).count()).toBe(0);
    // An editable setting: recording tool arguments, written to the file and applied at once.
    await page.getByRole('button', { name: 'Change Record tool arguments' }).click();
    await page.getByRole('checkbox', { name: 'Record tool arguments' }).click();
    // Saving restarts the core: it waits for the person to confirm, and Cancel leaves the file as it was.
    await page.getByRole('group', { name: 'Confirm Record tool arguments' }).getByRole('button', { name: 'Cancel' }).click();
    expect((JSON.parse(await readFile(configPath, 'utf8')) as { audit?: { capture?: { arguments?: boolean } } }).audit?.capture?.arguments).not.toBe(true);
    await page.getByRole('checkbox', { name: 'Record tool arguments' }).click();
    await page.getByRole('button', { name: 'Save and restart' }).click();
    // The message names the setting as the page does, not by its key in the file.
    await page.getByRole('status').filter({ hasText: 'Record tool arguments: saved' }).waitFor({ timeout: 15_000 });
    expect(await page.getByRole('main').textContent()).not.toContain('audit.capture');
    expect((JSON.parse(await readFile(configPath, 'utf8')) as { audit?: { capture?: { arguments?: boolean } } }).audit?.capture?.arguments).toBe(true);
    // The core restarted on the same port, and the header follows it.
    await expect.poll(() => page.getByLabel('Local endpoint URL').textContent(), { timeout: 10_000 }).toBe(serve.ready.mcpUrl);
    // An invalid value is refused with the field, and the file is left as it was.
    await page.getByRole('button', { name: 'Change Redacted patterns' }).click();
    await page.getByRole('textbox', { name: 'Redacted patterns' }).fill('([unclosed');
    await page.getByRole('textbox', { name: 'Redacted patterns' }).press('Enter');
    await page.getByRole('button', { name: 'Save and restart' }).click();
    await page.getByRole('alert').filter({ hasText: 'regular expression' }).waitFor();
    expect(await page.getByRole('alert').filter({ hasText: 'regular expression' }).textContent()).toBe(
      'Redacted patterns: Not saved: entry 1 must be a valid regular expression. The file was left as it was.',
    );
    // A port that is not a number is refused inline, in words, before anything is sent; nothing points at a log the person cannot see.
    await page.getByRole('button', { name: 'Change Endpoint port' }).click();
    await page.getByRole('textbox', { name: 'Endpoint port' }).fill('abc');
    await page.getByRole('textbox', { name: 'Endpoint port' }).press('Enter');
    await page.getByRole('alert').filter({ hasText: 'whole number from 0 to 65535' }).waitFor();
    expect(await page.getByRole('textbox', { name: 'Endpoint port' }).getAttribute('aria-invalid')).toBe('true');
    expect(await page.getByRole('button', { name: 'Save and restart' }).count()).toBe(0);
    expect(await page.getByRole('main').textContent()).not.toMatch(/see the .*log/i);
    expect(await readFile(configPath, 'utf8')).not.toContain('unclosed');
    await snapshot(page, '6-settings');
    // The log is readable from here: its newest lines, newest first (the responses' check below holds that none carries a credential).
    await page.getByRole('heading', { name: 'Recent log' }).waitFor();
    await expect.poll(() => page.getByRole('log', { name: 'Recent log lines, newest first' }).locator('.log-line').count()).toBeGreaterThan(0);
    expect(await page.getByRole('log', { name: 'Recent log lines, newest first' }).textContent()).toMatch(/info|warn/);
    // After that restart the open page shows the servers as they are again, not "connecting" until a reload.
    await page.getByRole('button', { name: 'Servers' }).click();
    for (const title of ['Company wiki', 'Finance', 'Finance reports']) {
      await expect.poll(() => page.getByRole('listitem', { name: title, exact: true }).locator('.badge').textContent(), { timeout: 15_000 }).toBe('ready');
    }
    await expect.poll(() => badge().textContent(), { timeout: 10_000 }).toBe('All good');
    // The restarted core's connections are new; their tool counts follow within a push or two.
    await expect.poll(() => page.getByRole('listitem', { name: 'Finance reports' }).locator('dd').last().textContent(), { timeout: 10_000 }).toMatch(/^\d+$/);
    await snapshot(page, '6b-servers-after-restart');
  }, 90_000);

  it('follows the system’s light and dark schemes at 800, 1280 and 1920 px: every page, the server drawer and a record’s detail without a horizontal scroll, a serious or critical axe violation, a console error or a failed request; screenshots kept', async () => {
    const axe = await readFile(join(import.meta.dirname, '../../node_modules/axe-core/axe.min.js'), 'utf8');
    const violations: string[] = [];
    const check = async (tab: Page, where: string) => {
      // Evaluated through the DevTools protocol, which the page's CSP does not govern (it would refuse an injected script, rightly).
      await tab.evaluate(axe);
      const result = (await tab.evaluate("axe.run(document, { resultTypes: ['violations'] })")) as {
        violations: { id: string; impact: string; nodes: { target: string[] }[] }[];
      };
      for (const violation of result.violations)
        if (violation.impact === 'serious' || violation.impact === 'critical')
          violations.push(`${where}: ${violation.id} at ${violation.nodes.map((node) => node.target.join(' ')).join(', ')}`);
    };
    for (const scheme of ['light', 'dark'] as const)
      for (const width of [800, 1280, 1920]) {
        const context = await browser.newContext({ colorScheme: scheme, viewport: { width, height: 900 } });
        const tab = await context.newPage();
        const problems: string[] = [];
        tab.on('console', (message) => void (message.type() === 'error' && problems.push(message.text())));
        tab.on('pageerror', (error) => problems.push(error.message));
        tab.on('response', (response) => void (response.status() >= 400 && problems.push(`${response.status()} ${response.url()}`)));
        // An event stream the page ends itself (a page that stops listening) is aborted by design; anything else failing is a problem.
        tab.on('requestfailed', (request) => {
          if (!(new URL(request.url()).pathname === '/api/events' && request.failure()?.errorText === 'net::ERR_ABORTED'))
            problems.push(`failed ${request.url()} ${request.failure()?.errorText}`);
        });
        await tab.goto(serve.ready.uiUrl!);
        const background = await tab.evaluate(() => getComputedStyle(document.documentElement).backgroundColor);
        const [red] = background.match(/\d+/g)!.map(Number);
        expect(scheme === 'dark' ? red! < 60 : red! > 200, `${scheme} background ${background}`).toBe(true);
        // Focus is visible: tabbing to the first section shows a ring around it.
        for (let presses = 0; presses < 10 && !(await tab.evaluate(() => document.activeElement?.closest('nav') !== null)); presses++)
          await tab.keyboard.press('Tab');
        const ring = await tab.evaluate(() => {
          const style = getComputedStyle(document.activeElement!);
          return { style: style.outlineStyle, width: style.outlineWidth, name: document.activeElement!.getAttribute('aria-label') };
        });
        expect(ring, `focus ring (${scheme}, ${width} px)`).toEqual({ style: 'solid', width: '2px', name: 'Servers' });
        for (const name of ['Servers', 'Sign-in', 'Clients', 'Activity', 'Settings']) {
          const where = `${name} (${scheme}, ${width} px)`;
          await tab.getByRole('navigation').getByRole('button', { name }).click();
          await tab.getByRole('main', { name }).waitFor();
          await tab.getByRole('heading', { level: 2 }).first().waitFor();
          await tab.waitForTimeout(400);
          expect(await tab.evaluate(() => document.documentElement.scrollWidth), where).toBeLessThanOrEqual(width);
          await mkdir(ARTIFACTS, { recursive: true });
          await tab.screenshot({ path: join(ARTIFACTS, `scheme-${scheme}-${width}-${name.toLowerCase()}.png`), fullPage: true });
          await check(tab, where);
          if (name === 'Servers') {
            await tab.getByRole('listitem', { name: 'Company wiki' }).getByRole('button', { name: 'Details' }).click();
            await tab.getByRole('dialog', { name: 'Company wiki: details' }).getByText('wiki_echo').waitFor();
            await tab.waitForTimeout(300);
            await tab.screenshot({ path: join(ARTIFACTS, `scheme-${scheme}-${width}-servers-drawer.png`) });
            await check(tab, `the server drawer (${scheme}, ${width} px)`);
            await tab.keyboard.press('Escape');
            await tab.getByRole('dialog').waitFor({ state: 'hidden' });
          }
          if (name === 'Activity') {
            await tab
              .getByRole('figure', { name: /^Calls and errors per/ })
              .locator('svg.recharts-surface')
              .first()
              .waitFor();
            await tab.getByRole('cell', { name: 'wiki_add' }).first().click();
            const detail = tab.getByRole('dialog', { name: /^Record \d+$/ });
            await detail.waitFor();
            const [list, panel] = [await tab.locator('.activity-list').boundingBox(), await detail.boundingBox()];
            expect(panel!.x, where).toBeGreaterThanOrEqual(list!.x + list!.width);
            expect(await tab.evaluate(() => document.documentElement.scrollWidth), where).toBeLessThanOrEqual(width);
            await tab.screenshot({ path: join(ARTIFACTS, `scheme-${scheme}-${width}-activity-detail.png`) });
            await check(tab, `a record's detail (${scheme}, ${width} px)`);
            await detail.getByRole('button', { name: 'Close' }).click();
          }
        }
        expect(problems, `${scheme} at ${width} px`).toEqual([]);
        await context.close();
      }
    expect(violations).toEqual([]);
  }, 240_000);

  it('a malicious page in the same browser cannot use the UI’s API, even holding the token', async () => {
    const uiOrigin = new URL(serve.ready.uiUrl!).origin;
    const token = new URL(serve.ready.uiUrl!).hash.replace('#token=', '');
    const attacker = createServer((_request, response) =>
      response.writeHead(200, { 'content-type': 'text/html' }).end(`<script>
        (async () => {
          const results = {};
          for (const [name, init] of [
            ['cors', { method: 'POST', headers: { authorization: 'Bearer ${token}', 'content-type': 'application/json' }, body: '{}' }],
            ['simple', { method: 'POST', mode: 'no-cors', headers: { 'content-type': 'text/plain' }, body: '{"id":"wiki","enabled":false}' }],
          ]) {
            try { const response = await fetch('${uiOrigin}/api/invoke/servers:setEnabled', init); results[name] = response.type + ' ' + response.status; }
            catch (error) { results[name] = 'blocked'; }
          }
          window.results = results;
        })();
      </script>`),
    );
    await new Promise<void>((resolve) => attacker.listen(0, '127.0.0.1', resolve));
    const tab = await browser.newPage();
    await tab.goto(`http://127.0.0.1:${(attacker.address() as AddressInfo).port}/`);
    await tab.waitForFunction(() => (window as unknown as { results?: object }).results !== undefined);
    const results = (await tab.evaluate(() => (window as unknown as { results: Record<string, string> }).results)) as Record<string, string>;
    await tab.close();
    await new Promise((resolve) => attacker.close(resolve));
    expect(results.cors).toBe('blocked');
    expect(results.simple).toBe('opaque 0');
    // Nothing changed: wiki is still enabled.
    expect(
      (JSON.parse(await readFile(configPath, 'utf8')) as { servers: { id: string; enabled?: boolean }[] }).servers.find((server) => server.id === 'wiki')
        ?.enabled,
    ).not.toBe(false);
  });

  it('keeps the API closed: no token is 401, a foreign page’s origin is 403, and no response ever carried a credential', async () => {
    const base = new URL(serve.ready.uiUrl!).origin;
    expect((await get(`${base}/api/invoke/app:getStatus`)).status).toBe(401);
    const token = new URL(serve.ready.uiUrl!).hash.replace('#token=', '');
    expect((await get(`${base}/api/invoke/app:getStatus`, { authorization: `Bearer ${token}`, origin: 'http://127.0.0.1:1' })).status).toBe(403);
    expect((await get(`${base}/api/invoke/app:getStatus`, { authorization: `Bearer ${token}` })).status).toBe(200);
    // A field the company manages cannot be changed through the API either.
    const locked = await new Promise<string>((resolve, reject) => {
      const request = httpRequest(
        `${base}/api/invoke/settings:update`,
        { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` } },
        (response) => {
          let body = '';
          response.on('data', (chunk: Buffer) => (body += chunk.toString()));
          response.on('end', () => resolve(body));
        },
      );
      request.on('error', reject);
      request.end(JSON.stringify({ field: 'auth.idp', value: null }));
    });
    expect(JSON.parse(locked)).toMatchObject({ ok: false, error: { code: 'POLICY_DENIED' } });
    expect(responses.length).toBeGreaterThan(5);
    expect(responses.join('\n')).not.toMatch(/sbc_[A-Za-z0-9_-]{20,}/);
  });
});

describe('the UI with nothing set up yet (an empty configuration, no AI client on the machine)', () => {
  let serve: ServeProcess;
  let browser: Browser;
  let work: string;
  let configPath: string;

  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'switchboard-ui-empty-'));
    const home = join(work, 'home');
    await mkdir(home, { recursive: true });
    configPath = join(work, 'config.json');
    await writeFile(configPath, JSON.stringify({ servers: [], auth: { profile: `test-ui-empty-${process.pid}` } }));
    serve = await startServe(['--config', configPath, '--data-dir', join(work, 'data'), '--ui'], {
      env: { ...process.env, HOME: home, XDG_CONFIG_HOME: join(home, '.config') },
    });
    browser = await launchChromium();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await serve?.stop();
  });

  it('says on every page what to do next, in both schemes, with no serious or critical axe violation and no console error', async () => {
    const axe = await readFile(join(import.meta.dirname, '../../node_modules/axe-core/axe.min.js'), 'utf8');
    // Each page's empty state: its heading, and words that name the next step.
    const expected: Record<string, [heading: string, next: RegExp][]> = {
      Servers: [['No servers yet', /Discover at.*company’s domain|company’s domain.*Discover at/]],
      'Sign-in': [['No server to sign in to', /Enable a server on the Servers page/]],
      Clients: [
        ['No client has a credential yet', /Set up a client above/],
        ['No AI client found on this machine', /Install one/],
      ],
      Activity: [['No calls yet', /Set up a client on the Clients page/]],
    };
    for (const scheme of ['light', 'dark'] as const) {
      const context = await browser.newContext({ colorScheme: scheme, viewport: { width: 1280, height: 900 } });
      const tab = await context.newPage();
      const problems: string[] = [];
      tab.on('console', (message) => void (message.type() === 'error' && problems.push(message.text())));
      tab.on('response', (response) => void (response.status() >= 400 && problems.push(`${response.status()} ${response.url()}`)));
      await tab.goto(serve.ready.uiUrl!);
      for (const [name, states] of Object.entries(expected)) {
        await tab.getByRole('navigation').getByRole('button', { name }).click();
        for (const [heading, next] of states) {
          const title = tab.getByText(heading, { exact: true });
          await title.waitFor();
          // The words that follow the heading (an empty state's text, or an alert's body) say what to do.
          expect(await title.locator('xpath=ancestor::*[self::div or self::section][1]/..').textContent(), `${name}: ${heading}`).toMatch(next);
        }
        await mkdir(ARTIFACTS, { recursive: true });
        await tab.screenshot({ path: join(ARTIFACTS, `empty-${scheme}-${name.toLowerCase()}.png`), fullPage: true });
        await tab.evaluate(axe);
        const result = (await tab.evaluate("axe.run(document, { resultTypes: ['violations'] })")) as { violations: { id: string; impact: string }[] };
        expect(
          result.violations.filter((violation) => violation.impact === 'serious' || violation.impact === 'critical').map((violation) => violation.id),
          `${name} (${scheme})`,
        ).toEqual([]);
      }
      expect(problems).toEqual([]);
      await context.close();
    }
  }, 90_000);

  it('opens on the guided setup, unless the person chose a section before the app knew it was a first run', async () => {
    const tab = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await tab.goto(serve.ready.uiUrl!);
    await tab.getByRole('heading', { name: 'Set up Switchboard' }).waitFor();
    await tab.close();
    // The answer held until after the person picked Sign-in: the guide must not take the page from them.
    const late = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    // The page encodes the channel's name in the path (firstRun%3Aget).
    const isFirstRunQuestion = (url: URL) => decodeURIComponent(url.pathname) === '/api/invoke/firstRun:get';
    const answered = late.waitForResponse((response) => isFirstRunQuestion(new URL(response.url())));
    await late.route(isFirstRunQuestion, async (route) => {
      await held;
      await route.continue();
    });
    await late.goto(serve.ready.uiUrl!);
    await late.getByRole('navigation').getByRole('button', { name: 'Sign-in' }).click();
    release();
    await answered;
    await late.getByText('No server to sign in to', { exact: true }).waitFor();
    expect(await late.getByRole('heading', { name: 'Set up Switchboard' }).count()).toBe(0);
    await late.close();
  });

  it('adds an audit export with a form, not a JSON box: a missing file is said inline, then saved after the restart is confirmed', async () => {
    const tab = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await tab.goto(serve.ready.uiUrl!);
    await tab.getByRole('navigation').getByRole('button', { name: 'Settings' }).click();
    await tab.getByRole('button', { name: 'Change Audit export' }).click();
    const form = tab.getByRole('form', { name: 'Audit exports' });
    await form.getByText('No export yet').waitFor();
    await form.getByRole('button', { name: 'Add a JSON lines file' }).click();
    await form.getByRole('button', { name: 'Save', exact: true }).click();
    await tab.getByRole('alert').filter({ hasText: 'Export 1: enter the file to write to.' }).waitFor();
    expect(await tab.getByRole('group', { name: 'Confirm Audit export' }).count()).toBe(0);
    const file = join(work, 'audit-export.jsonl');
    await form.getByRole('group', { name: 'Export 1' }).getByLabel('File', { exact: true }).fill(file);
    await form.getByRole('button', { name: 'Save', exact: true }).click();
    await tab.getByRole('group', { name: 'Confirm Audit export' }).getByRole('button', { name: 'Save and restart' }).click();
    await tab.getByRole('status').filter({ hasText: 'Audit export: saved' }).waitFor({ timeout: 15_000 });
    const written = JSON.parse(await readFile(configPath, 'utf8')) as { audit?: { sinks?: unknown[] } };
    expect(written.audit?.sinks).toEqual([{ type: 'jsonl', path: file }]);
    await mkdir(ARTIFACTS, { recursive: true });
    await tab.screenshot({ path: join(ARTIFACTS, 'empty-light-settings-sinks.png'), fullPage: true });
    await tab.close();
  }, 60_000);
});
