// The CLI reaches the running Switchboard: login, logout and auth status through its control socket, Ctrl-C cancels there, revoked client credentials and removed servers' secrets (real serve, real keyring, sandbox).
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { controlRequest } from '../../main/core/control/control-client.ts';
import { controlSocketPath } from '../../main/core/control/control-socket.ts';
import { vaultAccounts } from '../../main/core/vault/vault.ts';
import { KeytarSecretStore } from '../../main/core/vault/keytar-secret-store.ts';
import { startSandbox, type Sandbox } from '../sandbox/index.ts';
import { CLI_ENTRY, runCli, startServe, type ServeProcess } from '../support/serve-process.ts';

/** Raw HTTP on the control socket, so the test can send what no well-behaved CLI would. */
function rawControl(dataDir: string, method: string, path: string, body?: string | Buffer): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const request = httpRequest(
      { socketPath: controlSocketPath(dataDir), method, path, agent: false, headers: body === undefined ? {} : { 'content-type': 'application/json' } },
      (response) => {
        let text = '';
        response.on('data', (chunk: Buffer) => (text += chunk.toString()));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, body: text }));
      },
    );
    request.on('error', reject);
    request.end(body);
  });
}

/** One MCP request with a bearer credential; the status says whether the endpoint still accepts it. */
async function postMcp(mcpUrl: string, credential: string): Promise<number> {
  const response = await fetch(mcpUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', authorization: `Bearer ${credential}` },
    body: JSON.stringify({
      jsonrpc: '2.0',
      id: 1,
      method: 'initialize',
      params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 't', version: '1' } },
    }),
  });
  await response.body?.cancel();
  return response.status;
}

describe('sign-in and sign-out reach the running Switchboard', () => {
  let sandbox: Sandbox;
  let serve: ServeProcess;
  let work: string;
  let configPath: string;
  let dataDir: string;
  let uiUrl: URL;
  let credential: string;
  const profile = `test-running-${randomBytes(6).toString('hex')}`;
  const store = new KeytarSecretStore(profile);
  const cli = (args: string[], input?: string) => runCli([...args, '--config', configPath, '--data-dir', dataDir], input);
  const crm = () => sandbox.servers.find((entry) => entry.server.name === 'crm')!;

  async function connect(): Promise<Client> {
    const client = new Client({ name: 'running-sign-in-test', version: '1.0.0' }, { versionNegotiation: { mode: 'auto' } });
    await client.connect(
      new StreamableHTTPClientTransport(new URL(serve.ready.mcpUrl), { requestInit: { headers: { authorization: `Bearer ${credential}` } } }),
    );
    return client;
  }

  async function invokeUi(channel: string, request: unknown): Promise<{ ok: boolean; value?: unknown; error?: { code: string; message: string } }> {
    const token = new URLSearchParams(uiUrl.hash.slice(1)).get('token')!;
    const response = await fetch(new URL(`/api/invoke/${channel}`, uiUrl), {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify(request),
    });
    return (await response.json()) as { ok: boolean; value?: unknown; error?: { code: string; message: string } };
  }

  beforeAll(async () => {
    sandbox = await startSandbox();
    work = await mkdtemp(join(tmpdir(), 'switchboard-running-'));
    configPath = join(work, 'config.json');
    dataDir = join(work, 'data');
    const url = (name: string) => sandbox.servers.find((entry) => entry.server.name === name)!.server.url;
    await writeFile(
      configPath,
      JSON.stringify({
        servers: [
          { id: 'wiki', url: url('wiki') },
          { id: 'crm', url: url('crm') },
          { id: 'finance', url: url('finance'), auth: { clientId: sandbox.idJagClient.client_id, tokenEndpointAuthMethod: 'client_secret_basic' } },
        ],
        auth: {
          profile,
          idp: {
            issuer: sandbox.idp.issuer,
            clientId: sandbox.idp.clientId,
            tokenEndpointAuthMethod: 'client_secret_basic',
            extraAuthorizationParams: { prompt: 'consent' },
          },
          // The person's browser, scripted: `login` opens it with the authorization URL and it signs in as the sandbox user.
          browserCommand: [process.execPath, join(import.meta.dirname, '../sandbox/visit-url.ts')],
          signInTimeoutMs: 30_000,
        },
      }),
    );
    for (const [owner, secret] of [
      ['idp', sandbox.idp.clientSecret],
      ['finance', sandbox.idJagClient.client_secret],
    ] as const) {
      const stored = await cli(['auth', 'set-secret', owner], secret);
      expect(stored.code, stored.stderr).toBe(0);
    }
    const added = await runCli(['clients', 'add', 'tester', '--data-dir', dataDir, '--profile', profile, '--json']);
    expect(added.code, added.stderr).toBe(0);
    credential = (JSON.parse(added.stdout) as { credential: string }).credential;
    const home = join(work, 'home');
    await mkdir(join(home, '.cursor'), { recursive: true });
    serve = await startServe(['--config', configPath, '--data-dir', dataDir, '--ui'], {
      env: { ...process.env, HOME: home, XDG_CONFIG_HOME: join(home, '.config') },
    });
    uiUrl = new URL(serve.ready.uiUrl!);
  }, 60_000);

  afterAll(async () => {
    await serve?.stop();
    for (const account of await store.accounts().catch(() => [])) await store.delete(account);
    await sandbox?.close();
  });

  it('the control socket refuses malformed requests with 400 (413 when too large) and a {code, message} body', async () => {
    const refusals = [
      await rawControl(dataDir, 'POST', '/auth/sign-in', 'not json'),
      await rawControl(dataDir, 'POST', '/auth/sign-in', JSON.stringify({ server: 'Not A Server Id!' })),
      await rawControl(dataDir, 'POST', '/auth/sign-in', JSON.stringify({ server: 'crm', extra: true })),
      await rawControl(dataDir, 'POST', '/auth/sign-in', JSON.stringify(['crm'])),
      await rawControl(dataDir, 'POST', '/auth/sign-in/wait', JSON.stringify({ waitMs: -5 })),
      await rawControl(dataDir, 'POST', '/auth/sign-out', JSON.stringify({ server: 12 })),
      // A well-formed request for a server that is not configured is bad input too.
      await rawControl(dataDir, 'POST', '/auth/sign-in', JSON.stringify({ server: 'nowhere' })),
    ];
    for (const refusal of refusals) {
      expect(refusal.status, refusal.body).toBe(400);
      expect(JSON.parse(refusal.body)).toEqual({ code: 'CONFIG_INVALID', message: expect.stringMatching(/.{20,}/) });
    }
    const tooLarge = await rawControl(dataDir, 'POST', '/auth/sign-out', Buffer.alloc(64 * 1024, 0x20));
    expect(tooLarge.status).toBe(413);
    expect(JSON.parse(tooLarge.body)).toMatchObject({ code: 'CONFIG_INVALID' });
    expect((await rawControl(dataDir, 'GET', '/auth/sign-out')).status).toBe(405);
    expect((await rawControl(dataDir, 'GET', '/no-such-route')).status).toBe(404);
    // Nothing was signed out by any of that.
    expect(await controlRequest(dataDir, 'GET', '/auth/status')).toMatchObject({ sso: { configured: true } });
  });

  it('`login` signs in to SSO in the running Switchboard, opening the browser and saying where it waits', async () => {
    const login = await cli(['login', '--json']);
    expect(login.code, login.stderr).toBe(0);
    expect(JSON.parse(login.stdout)).toMatchObject({ sso: { signedIn: true, issuer: sandbox.idp.issuer } });
    expect(login.stderr).toContain('in the Switchboard running with the data folder');
    expect(login.stderr).toContain('Opening your browser…');
    expect(login.stderr).toMatch(/Waiting for the sign-in to finish in your browser.*until .*Ctrl-C cancels it/);
    // The running Switchboard holds the session: finance works through ID-JAG without another prompt.
    const status = JSON.parse((await cli(['auth', 'status', '--json'])).stdout) as { sso: { signedIn: boolean } };
    expect(status.sso.signedIn).toBe(true);
    const client = await connect();
    try {
      await vi.waitFor(async () => expect((await client.callTool({ name: 'finance_whoami', arguments: {} })).isError).toBeFalsy(), {
        timeout: 10_000,
        interval: 200,
      });
    } finally {
      await client.close();
    }
  }, 60_000);

  it('Ctrl-C during `login <server>` cancels the sign-in in the running Switchboard and exits non-zero', async () => {
    const child = spawn(process.execPath, [CLI_ENTRY, 'login', 'crm', '--no-browser', '--config', configPath, '--data-dir', dataDir], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = once(child, 'exit');
    await vi.waitFor(() => expect(stderr).toContain('Ctrl-C cancels it'), { timeout: 20_000, interval: 50 });
    expect(stderr).toMatch(/Open this address in your browser to sign in:\s+http:\/\/127\.0\.0\.1:\d+\/.*code_challenge=/);
    expect(((await controlRequest(dataDir, 'GET', '/auth/status')) as { signingIn: { target: string }[] }).signingIn.map((entry) => entry.target)).toContain(
      'crm',
    );
    child.kill('SIGINT');
    const [code] = (await exited) as [number | null];
    expect(code).toBe(130);
    expect(stderr).toMatch(/AUTH_CALLBACK_FAILED: sign-in to "crm" cancelled in the running Switchboard/);
    await vi.waitFor(
      async () => expect(((await controlRequest(dataDir, 'GET', '/auth/status')) as { signingIn: { target: string }[] }).signingIn).toEqual([]),
      { timeout: 5000 },
    );
  }, 30_000);

  it('`logout <server>` while serve runs: the next call to that server needs a sign-in, and no token comes back to the keychain', async () => {
    const login = await cli(['login', 'crm', '--json']);
    expect(login.code, login.stderr).toBe(0);
    expect(JSON.parse(login.stdout)).toMatchObject({ server: 'crm', auth: { state: 'signed-in', via: 'authorization_code' } });
    const client = await connect();
    try {
      await vi.waitFor(
        async () =>
          expect(
            JSON.parse(((await client.callTool({ name: 'crm_whoami', arguments: {} })) as { content: { text: string }[] }).content[0]!.text),
          ).toMatchObject({ server: 'crm' }),
        { timeout: 10_000, interval: 200 },
      );
      expect(await store.get(vaultAccounts.token('crm'))).toBeDefined();

      const logout = await cli(['logout', 'crm', '--json']);
      expect(logout.code, logout.stderr).toBe(0);
      expect(JSON.parse(logout.stdout)).toEqual({ signedOut: 'crm' });
      const seenByCrm = crm().server.authorizationsReceived.length;
      const refused = (await client.callTool({ name: 'crm_whoami', arguments: {} })) as { isError?: boolean; content: { text: string }[] };
      expect(refused.isError).toBe(true);
      expect(refused.content[0]!.text).toMatch(/"crm" needs you to sign in/);
      // No token in memory: crm saw no bearer after the sign-out, and none was written back to the keychain.
      expect(crm().server.authorizationsReceived.length).toBe(seenByCrm);
      expect(await store.get(vaultAccounts.token('crm'))).toBeUndefined();
      expect(
        (JSON.parse((await cli(['auth', 'status', '--json'])).stdout) as { servers: { id: string; auth: { state: string } }[] }).servers.find(
          (server) => server.id === 'crm',
        )?.auth.state,
      ).toBe('needs-sign-in');

      // Signing out of everything ends the SSO session in the running Switchboard too: finance needs a sign-in again.
      expect((await cli(['logout', '--json'])).code).toBe(0);
      const finance = (await client.callTool({ name: 'finance_whoami', arguments: {} })) as { isError?: boolean; content: { text: string }[] };
      expect(finance.isError).toBe(true);
      expect(finance.content[0]!.text).toMatch(/sign in/);
      expect(await store.get(vaultAccounts.sso())).toBeUndefined();
    } finally {
      await client.close();
    }
  }, 60_000);

  it("undoing a client's setup in the UI revokes its credential: refused (401) within a second, gone from the keychain, recorded", async () => {
    const configured = await invokeUi('clients:configure', { client: 'cursor' });
    expect(configured.ok, JSON.stringify(configured.error)).toBe(true);
    const cursorCredential = (await store.get(vaultAccounts.localClient('cursor')))!;
    expect(cursorCredential).toMatch(/^sbc_/);
    expect(await postMcp(serve.ready.mcpUrl, cursorCredential)).toBe(200);

    const undone = await invokeUi('clients:undo', { client: 'cursor' });
    expect(undone.ok, JSON.stringify(undone.error)).toBe(true);
    const revokedAt = Date.now();
    await vi.waitFor(async () => expect(await postMcp(serve.ready.mcpUrl, cursorCredential)).toBe(401), { timeout: 1500, interval: 50 });
    expect(Date.now() - revokedAt).toBeLessThan(1200);
    expect(await store.get(vaultAccounts.localClient('cursor'))).toBeUndefined();
    await vi.waitFor(
      async () => {
        const audit = JSON.parse((await runCli(['audit', 'query', '--method', 'client.removed', '--data-dir', dataDir, '--json'])).stdout) as {
          records: unknown[];
        };
        expect(JSON.stringify(audit.records)).toContain('cursor');
      },
      { timeout: 5000, interval: 200 },
    );
  }, 30_000);

  it('`clients remove` revokes the credential the same way: refused within a second, keychain entry deleted', async () => {
    const added = await runCli(['clients', 'add', 'doomed', '--data-dir', dataDir, '--profile', profile, '--json']);
    const doomed = (JSON.parse(added.stdout) as { credential: string }).credential;
    expect(await postMcp(serve.ready.mcpUrl, doomed)).toBe(200);
    const removed = await runCli(['clients', 'remove', 'doomed', '--data-dir', dataDir, '--profile', profile, '--json']);
    expect(removed.code, removed.stderr).toBe(0);
    const revokedAt = Date.now();
    await vi.waitFor(async () => expect(await postMcp(serve.ready.mcpUrl, doomed)).toBe(401), { timeout: 1500, interval: 50 });
    expect(Date.now() - revokedAt).toBeLessThan(1200);
    expect(await store.get(vaultAccounts.localClient('doomed'))).toBeUndefined();
  });

  it("`servers remove` deletes the server's token, client secret and secret headers from the keychain, and nothing else", async () => {
    const otherConfig = join(work, 'other.json');
    await writeFile(
      otherConfig,
      JSON.stringify({
        servers: [
          { id: 'gone', url: 'https://gone.example/mcp', secretHeaders: ['X-Api-Key'] },
          { id: 'kept', url: 'https://kept.example/mcp' },
        ],
        auth: { profile },
      }),
    );
    const entries = [
      vaultAccounts.token('gone'),
      vaultAccounts.serverClientSecret('gone'),
      vaultAccounts.serverHeader('gone', 'X-Api-Key'),
      vaultAccounts.serverHeader('gone', 'X-Set-By-Hand'),
    ];
    for (const account of [...entries, vaultAccounts.token('kept')]) await store.set(account, `secret-of-${account}`);
    const removed = await runCli(['servers', 'remove', 'gone', '--config', otherConfig, '--data-dir', join(work, 'other-data'), '--json']);
    expect(removed.code, removed.stderr).toBe(0);
    expect(JSON.parse(removed.stdout)).toEqual({ removed: 'gone', keychainEntriesDeleted: expect.arrayContaining(entries) });
    for (const account of entries) expect(await store.get(account), account).toBeUndefined();
    expect(await store.get(vaultAccounts.token('kept'))).toBe(`secret-of-${vaultAccounts.token('kept')}`);
    expect(removed.stdout + removed.stderr).not.toContain('secret-of-');
  });
  it("the window's log view shows the running core's recent lines, warnings alone when asked, and no secret among them", async () => {
    const all = await invokeUi('logs:recent', { limit: 1000, minLevel: 'debug' });
    expect(all.ok, JSON.stringify(all.error)).toBe(true);
    const { file, lines } = all.value as { file: string | null; lines: { level: string; event: string; text: string }[] };
    // serve writes to its terminal; only the app keeps a log file.
    expect(file).toBeNull();
    expect(lines.map((line) => line.event)).toEqual(expect.arrayContaining(['switchboard.ready']));
    const text = lines.map((line) => line.text).join('\n');
    for (const secret of [sandbox.idp.clientSecret, sandbox.idJagClient.client_secret, credential]) expect(text).not.toContain(secret);
    const warnings = await invokeUi('logs:recent', { minLevel: 'warn' });
    expect((warnings.value as { lines: { level: string }[] }).lines.every((line) => line.level === 'warn' || line.level === 'error')).toBe(true);
    // The request is checked like any other: a limit out of range is refused with the contract's code.
    expect(await invokeUi('logs:recent', { limit: 0 })).toMatchObject({ ok: false, error: { code: 'CONFIG_INVALID' } });
  });
});
