// A person's first run, as one journey through the window's contract: empty data folder, company sign-in, servers picked, the AI client found on the machine set up, and a tool called by that client with exactly what was written for it.
import { randomBytes } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KeytarSecretStore } from '../../main/core/vault/keytar-secret-store.ts';
import { startSandbox, type Sandbox } from '../sandbox/index.ts';
import { visitAuthorizationUrl } from '../sandbox/scripted-browser.ts';
import { prepareFirstRunMachine } from '../support/first-run-machine.ts';
import { startServe, type ServeProcess } from '../support/serve-process.ts';

type Answer<T> = { ok: boolean; value?: T; error?: { code: string; message: string } };

describe('first run', () => {
  let sandbox: Sandbox;
  let serve: ServeProcess;
  let home: string;
  let dataDir: string;
  let uiUrl: URL;
  const profile = `test-first-run-${randomBytes(6).toString('hex')}`;
  const store = new KeytarSecretStore(profile);

  /** What the page does: one contract call over the window's loopback API, with the token from its address. */
  async function invokeUi<T>(channel: string, request?: unknown): Promise<T> {
    const token = new URLSearchParams(uiUrl.hash.slice(1)).get('token')!;
    const response = await fetch(new URL(`/api/invoke/${channel}`, uiUrl), {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify(request),
    });
    const answer = (await response.json()) as Answer<T>;
    if (!answer.ok) throw new Error(`${channel}: ${answer.error?.code} ${answer.error?.message}`);
    return answer.value!;
  }

  beforeAll(async () => {
    sandbox = await startSandbox();
    // Cursor is installed on this machine (its folder exists) and has never heard of Switchboard; the company's servers are configured, none enabled.
    const machine = await prepareFirstRunMachine(sandbox, profile);
    ({ home, dataDir } = machine);
    serve = await startServe(machine.serveArgs, { env: machine.env });
    uiUrl = new URL(serve.ready.uiUrl!);
  }, 60_000);

  afterAll(async () => {
    await serve?.stop();
    for (const account of await store.accounts().catch(() => [])) await store.delete(account);
    await sandbox?.close();
  });

  it('goes from an empty data folder to a tool call made by the AI client it set up', async () => {
    // The window opens on a machine where nothing is set up: nobody signed in, nothing enabled, no client registered.
    expect(await readdir(dataDir)).not.toContain('clients.json');
    const before = await invokeUi<{ signedIn: boolean; servers: { enabled: boolean }[] }>('app:getStatus');
    expect(before.signedIn).toBe(false);
    expect((await invokeUi<{ registered: unknown[] }>('clients:list')).registered).toEqual([]);

    // 1. Sign in with the company: the page opens the link, the person approves in their browser.
    const signIn = await invokeUi<{ started: { state: string; authorizationUrl?: string } }>('auth:signIn');
    expect(signIn.started.state).toBe('waiting');
    await visitAuthorizationUrl(signIn.started.authorizationUrl!);
    await expect.poll(async () => (await invokeUi<{ signedIn: boolean }>('app:getStatus')).signedIn, { timeout: 15_000 }).toBe(true);

    // 2. Pick the servers the company offers.
    for (const id of ['wiki', 'finance']) await invokeUi('servers:setEnabled', { id, enabled: true });

    // 3. The AI client found on this machine, previewed, then set up.
    const clients = await invokeUi<{ aiClients: { id: string; detected?: boolean; installed?: boolean }[] }>('clients:list');
    expect(clients.aiClients.find((client) => client.id === 'cursor')).toBeDefined();
    const preview = await invokeUi<{ path: string }>('clients:preview', { client: 'cursor' });
    expect(preview.path).toBe(join(home, '.cursor', 'mcp.json'));
    const configured = await invokeUi<{ path: string; via: string }>('clients:configure', { client: 'cursor' });
    expect(configured).toMatchObject({ path: join(home, '.cursor', 'mcp.json'), via: 'file' });

    // 4. Cursor, reading only its own file, calls a tool: the one that needs the company sign-in, obtained silently.
    const written = JSON.parse(await readFile(configured.path, 'utf8')) as { mcpServers: Record<string, { url: string; headers?: Record<string, string> }> };
    const entry = Object.values(written.mcpServers)[0]!;
    const client = new Client({ name: 'cursor', version: '1.0.0' });
    await client.connect(new StreamableHTTPClientTransport(new URL(entry.url), { requestInit: { headers: entry.headers ?? {} } }));
    try {
      const names = (await client.listTools()).tools.map((tool) => tool.name);
      expect(names).toEqual(expect.arrayContaining(['wiki_add', 'finance_whoami']));
      expect((await client.callTool({ name: 'wiki_add', arguments: { a: 20, b: 22 } })).content).toEqual([expect.objectContaining({ text: '42' })]);
      const whoami = await client.callTool({ name: 'finance_whoami', arguments: {} });
      expect(whoami.isError, JSON.stringify(whoami.content)).toBeFalsy();
    } finally {
      await client.close();
    }

    // The window now says so: the client is registered and the calls are in Activity.
    expect((await invokeUi<{ registered: { id: string }[] }>('clients:list')).registered.map((client) => client.id)).toContain('cursor');
    const activity = await invokeUi<{ records: { target?: string | null; client?: string | null }[] }>('audit:query', {});
    expect(activity.records.filter((record) => record.client === 'cursor').map((record) => record.target)).toEqual(
      expect.arrayContaining(['wiki_add', 'finance_whoami']),
    );
  }, 90_000);
});
