// Hostile authorization metadata, a dead identity provider, a revoked refresh token and a missing or locked keychain: each ends in a clear error, never a hang.
import { spawnSync } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { discoverAuthorizationServer, discoverProtectedResource } from '../../main/core/auth/discovery.ts';
import { SsoSession } from '../../main/core/auth/enterprise-sso.ts';
import { silentLogger } from '../../main/core/index.ts';
import { configSchema } from '../../main/core/config/config-schema.ts';
import { vaultAccounts } from '../../main/core/vault/vault.ts';
import { Vault } from '../../main/core/vault/vault.ts';
import { startIdentityProvider, type IdentityProvider } from '../sandbox/identity-provider.ts';
import { visitAuthorizationUrl } from '../sandbox/scripted-browser.ts';
import { MemorySecretStore } from '../support/memory-secret-store.ts';

/** A loopback server answering each path with whatever the test puts in `documents`. */
async function startHostileServer(): Promise<{
  origin: string;
  documents: Map<string, { status?: number; body: string; headers?: Record<string, string> }>;
  server: Server;
}> {
  const documents = new Map<string, { status?: number; body: string; headers?: Record<string, string> }>();
  const server = createServer((request, response) => {
    const document = documents.get(request.url ?? '/');
    if (!document) return void response.writeHead(404).end();
    response.writeHead(document.status ?? 200, { 'content-type': 'application/json', ...document.headers }).end(document.body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return { origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, documents, server };
}

async function codeOf(promise: Promise<unknown>): Promise<{ code?: string; message: string }> {
  return promise.then(
    () => ({ message: 'resolved' }),
    (error: { code?: string; message: string }) => ({ code: error.code, message: error.message }),
  );
}

describe('hostile authorization metadata', () => {
  let hostile: Awaited<ReturnType<typeof startHostileServer>>;
  const prmPath = '/.well-known/oauth-protected-resource/mcp';
  const asPath = '/.well-known/oauth-authorization-server';

  beforeAll(async () => {
    hostile = await startHostileServer();
  });
  afterAll(() => new Promise<void>((resolve) => hostile.server.close(() => resolve())));

  const serverUrl = () => new URL(`${hostile.origin}/mcp`);
  const prm = (fields: Record<string, unknown>) =>
    hostile.documents.set(prmPath, { body: JSON.stringify({ resource: `${hostile.origin}/mcp`, authorization_servers: [hostile.origin], ...fields }) });

  it('refuses a PRM for another resource, with wrong types, or oversized', async () => {
    prm({ resource: `${hostile.origin}/other` });
    expect(await codeOf(discoverProtectedResource(serverUrl()))).toMatchObject({ code: 'AUTH_DISCOVERY_FAILED', message: expect.stringContaining('not') });
    prm({ authorization_servers: 'not-a-list' });
    expect(await codeOf(discoverProtectedResource(serverUrl()))).toMatchObject({
      code: 'AUTH_DISCOVERY_FAILED',
      message: expect.stringContaining('authorization_servers'),
    });
    hostile.documents.set(prmPath, { body: `{"resource":"${'x'.repeat(400_000)}"}` });
    expect(await codeOf(discoverProtectedResource(serverUrl()))).toMatchObject({ code: 'AUTH_DISCOVERY_FAILED', message: expect.stringContaining('limited') });
    hostile.documents.set(prmPath, { body: '{not json' });
    expect(await codeOf(discoverProtectedResource(serverUrl()))).toMatchObject({ code: 'AUTH_DISCOVERY_FAILED', message: expect.stringContaining('JSON') });
  });

  it('refuses authorization servers and endpoints with schemes other than https (or loopback http), before contacting them', async () => {
    prm({ authorization_servers: ['http://as.example.test'] });
    expect(await codeOf(discoverProtectedResource(serverUrl()))).toMatchObject({ code: 'AUTH_DISCOVERY_FAILED', message: expect.stringContaining('https') });
    for (const endpoint of ['javascript:alert(1)', 'file:///etc/passwd', 'data:text/html,hi']) {
      hostile.documents.set(asPath, {
        body: JSON.stringify({
          issuer: hostile.origin,
          authorization_endpoint: endpoint,
          token_endpoint: `${hostile.origin}/token`,
          code_challenge_methods_supported: ['S256'],
        }),
      });
      expect(await codeOf(discoverAuthorizationServer(hostile.origin, false)), endpoint).toMatchObject({
        code: 'AUTH_DISCOVERY_FAILED',
        message: expect.stringContaining('authorization_endpoint'),
      });
    }
  });

  it('refuses metadata whose issuer is not the one it was fetched for (mix-up), and does not follow redirects', async () => {
    hostile.documents.set(asPath, {
      body: JSON.stringify({ issuer: 'https://elsewhere.example.test', authorization_endpoint: `${hostile.origin}/a`, token_endpoint: `${hostile.origin}/t` }),
    });
    expect(await codeOf(discoverAuthorizationServer(hostile.origin, false))).toMatchObject({
      code: 'AUTH_DISCOVERY_FAILED',
      message: expect.stringContaining('issuer'),
    });
    hostile.documents.set(prmPath, { status: 302, body: '', headers: { location: 'http://169.254.169.254/latest/meta-data' } });
    expect(await codeOf(discoverProtectedResource(serverUrl()))).toMatchObject({ code: 'AUTH_DISCOVERY_FAILED', message: expect.stringContaining('302') });
  });
});

describe('identity provider faults (keychain: in-memory stand-in)', () => {
  let idp: IdentityProvider;
  let sso: SsoSession;
  let now = Date.now();
  // The person, scripted: the authorization URL is followed by the sandbox's browser stand-in.
  const scriptedPerson = { handoff: { open: async (url: string) => void (await visitAuthorizationUrl(url)) }, signal: new AbortController().signal };
  // An in-memory stand-in for the keychain: these tests are about the IdP's answers, not about storing secrets (the
  // real keychain's own faults are the next describe's).
  const store = new MemorySecretStore();

  beforeAll(async () => {
    idp = await startIdentityProvider();
    const config = configSchema.parse({
      auth: {
        idp: { issuer: idp.issuer, clientId: idp.clientId, tokenEndpointAuthMethod: 'client_secret_basic', extraAuthorizationParams: { prompt: 'consent' } },
        signInTimeoutMs: 10_000,
      },
    });
    await store.set(vaultAccounts.idpClientSecret(), idp.clientSecret);
    sso = new SsoSession({
      idp: config.auth.idp!,
      auth: config.auth,
      vault: new Vault(store),
      logger: silentLogger,
      clock: { now: () => now },
    });
    await sso.signIn(scriptedPerson);
  });

  afterAll(async () => {
    await idp?.close();
  });

  it('a revoked refresh token ends the session with AUTH_SSO_REQUIRED (sign in again), not a retry loop', async () => {
    expect(await idp.revokeRefreshTokens()).toBeGreaterThan(0);
    now += 2 * 3600 * 1000; // the ID token has expired, so the next use must refresh
    expect(await codeOf(sso.idJagFor('https://as.example.test', undefined, undefined))).toMatchObject({
      code: 'AUTH_SSO_REQUIRED',
      message: expect.stringContaining('switchboard login'),
    });
    expect(await sso.status()).toMatchObject({ signedIn: false });
  });

  it('a dead identity provider is a prompt, clear failure', async () => {
    now = Date.now();
    await sso.signIn(scriptedPerson);
    await idp.close();
    now += 2 * 3600 * 1000;
    const started = Date.now();
    const outcome = await codeOf(sso.idJagFor('https://as.example.test', undefined, undefined));
    expect(outcome.code).toMatch(/^AUTH_(DISCOVERY|GRANT)_FAILED$/);
    expect(Date.now() - started).toBeLessThan(20_000);
    // The session is kept: the IdP being down is not the person's fault, so no new sign-in is demanded.
    expect(await store.get(vaultAccounts.sso())).toBeDefined();
  });
});

describe('keychain faults', () => {
  /** Runs a store.set in a child process with the given environment and reports the outcome. */
  async function probe(wrapper: string[], env: Record<string, string | undefined>): Promise<{ code?: string; message?: string }> {
    const dir = await mkdtemp(join(tmpdir(), 'switchboard-keychain-'));
    const script = join(dir, 'probe.ts');
    const storeModule = new URL('../../main/core/vault/keytar-secret-store.ts', import.meta.url).pathname;
    await writeFile(
      script,
      `import { KeytarSecretStore } from ${JSON.stringify(storeModule)};\ntry { await new KeytarSecretStore('probe').set('a', 'b'); console.log('{}'); } catch (e) { console.log(JSON.stringify({ code: e.code, message: e.message })); }\n`,
    );
    const result = spawnSync(wrapper[0]!, [...wrapper.slice(1), process.execPath, script], {
      env: { ...process.env, ...env, XDG_DATA_HOME: join(dir, 'data'), XDG_RUNTIME_DIR: dir },
      encoding: 'utf8',
      timeout: 30_000,
    });
    const line = result.stdout.trim().split('\n').at(-1) ?? '';
    return JSON.parse(line || '{"message":"no output"}') as { code?: string; message?: string };
  }

  it('no Secret Service at all: VAULT_UNAVAILABLE saying what to do', async () => {
    expect(await probe(['env'], { DBUS_SESSION_BUS_ADDRESS: undefined, DISPLAY: undefined })).toMatchObject({
      code: 'VAULT_UNAVAILABLE',
      message: expect.stringContaining('unlock'),
    });
  });

  it('a locked keyring: VAULT_UNAVAILABLE, promptly, with no fallback to a file', async () => {
    const locked = await probe(
      ['dbus-run-session', '--', 'bash', '-c', 'gnome-keyring-daemon --start --components=secrets >/dev/null 2>&1; exec "$@"', 'locked'],
      { DISPLAY: undefined },
    );
    expect(locked).toMatchObject({ code: 'VAULT_UNAVAILABLE' });
  });
});
