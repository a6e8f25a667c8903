// A hostile server names internal addresses in its 401, its metadata and its redirects: every authorization fetch is refused before a socket opens; hosts the person or company named still get through.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as oauth from 'oauth4webapi';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { guardedAuthFetch, oauthRequestOptions } from '../../main/core/auth/auth-http.ts';
import { createAuthorizedFetch } from '../../main/core/auth/authorized-fetch.ts';
import { discoverAuthorizationServer } from '../../main/core/auth/discovery.ts';
import { SsoSession } from '../../main/core/auth/enterprise-sso.ts';
import { authGuardFor, type AuthNetworkOptions } from '../../main/core/auth/named-hosts.ts';
import { ServerAuthorizer } from '../../main/core/auth/server-authorizer.ts';
import { configSchema } from '../../main/core/config/config-schema.ts';
import type { Resolver } from '../../main/core/net/guarded-connection.ts';
import { systemClock, type Logger } from '../../main/core/ports.ts';
import { createUpstreams } from '../../main/core/switchboard/upstreams.ts';
import { vaultAccounts, Vault, type SsoRecord, type TokenRecord } from '../../main/core/vault/vault.ts';
import { MemorySecretStore } from '../support/memory-secret-store.ts';

/** What the test resolver answers. Nothing here is ever dialled: the connector spy stops every address off loopback. */
const ADDRESSES: Record<string, string> = {
  localhost: '127.0.0.1',
  'metadata.evil.test': '127.0.0.1', // a public name pointing at this machine (DNS rebinding)
  'internal.evil.test': '10.0.0.5',
  'cloud.evil.test': '169.254.169.254',
  'mcp.remote.test': '93.184.216.34',
  'intranet.corp.test': '10.0.0.5',
  'auth.corp.test': '10.0.0.6',
  'idp.corp.test': '10.0.0.7',
};

/** Thrown by the connector spy for any approved address off loopback, so an allowed private address is proved, not reached. */
const KEPT_ON_LOOPBACK = 'test connector: approved, but kept on loopback';

/** The resolver and the connector, both recording: which names were looked up, and which addresses were about to be dialled. */
function networkSpies() {
  const asked: string[] = [];
  const dialled: string[] = [];
  const resolver: Resolver = async (host) => {
    asked.push(host);
    const address = ADDRESSES[host];
    if (!address) throw new Error(`the test resolver does not know ${host}`);
    return [{ address, family: 4 }];
  };
  const beforeConnect = (host: string, address: string) => {
    dialled.push(`${host}=${address}`);
    if (address !== '127.0.0.1') throw new Error(KEPT_ON_LOOPBACK);
  };
  return { asked, dialled, network: { resolver, beforeConnect } satisfies AuthNetworkOptions };
}

type Route = (request: IncomingMessage, response: ServerResponse) => void;

/** A hostile MCP server and authorization server on 127.0.0.1: its 401 challenge and every document are the test's to set. */
async function startHostileServer() {
  const routes = new Map<string, Route>();
  const hits: string[] = [];
  let challenge = 'Bearer';
  const server: Server = createServer((request, response) => {
    const path = (request.url ?? '/').split('?')[0]!;
    hits.push(`${request.method} ${path}`);
    if (request.method === 'POST' && path === '/mcp')
      return void response.writeHead(401, { 'www-authenticate': challenge, 'content-type': 'application/json' }).end('{}');
    const route = routes.get(path);
    if (!route) return void response.writeHead(404).end();
    route(request, response);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    origin,
    issuer: `${origin}/`,
    mcpUrl: `${origin}/mcp`,
    prmUrl: `${origin}/.well-known/oauth-protected-resource/mcp`,
    hits,
    routes,
    challengeWith(resourceMetadata: string) {
      challenge = `Bearer resource_metadata="${resourceMetadata}"`;
    },
    json(path: string, body: unknown) {
      routes.set(path, (_request, response) => response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body)));
    },
    redirect(path: string, status: number, location: string) {
      routes.set(path, (_request, response) => response.writeHead(status, { location }).end());
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

const ping = {
  method: 'POST',
  headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
  body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'ping' }),
};

function recordingLogger() {
  const logs: { level: string; event: string; fields?: Record<string, unknown> }[] = [];
  const logger: Logger = { log: (level, event, fields) => void logs.push({ level, event, ...(fields ? { fields } : {}) }) };
  return { logs, logger };
}

/** A ServerAuthorizer as createUpstreams builds one, with the spies as its network. */
function authorizerFor(url: string, network: AuthNetworkOptions, auth: Record<string, unknown> = {}) {
  const config = configSchema.parse({ servers: [{ id: 'hostile', url, ...(Object.keys(auth).length ? { auth } : {}) }] });
  const vault = new Vault(new MemorySecretStore());
  const { logs, logger } = recordingLogger();
  const authorizer = new ServerAuthorizer(config.servers[0]!, { auth: config.auth, vault, sso: undefined, logger, clock: systemClock, network });
  return { authorizer, vault, logs, fetch: createAuthorizedFetch(authorizer) };
}

async function failure(promise: Promise<unknown>): Promise<{ code?: string; message: string }> {
  try {
    await promise;
  } catch (error) {
    return { code: (error as { code?: string }).code, message: (error as Error).message };
  }
  throw new Error('expected a failure');
}

describe('authorization fetches on a hostile server’s say-so (issue 17)', () => {
  let hostile: Awaited<ReturnType<typeof startHostileServer>>;
  let spies: ReturnType<typeof networkSpies>;

  beforeAll(async () => {
    hostile = await startHostileServer();
  });
  afterAll(async () => {
    await hostile?.close();
  });
  beforeEach(() => {
    hostile.routes.clear();
    hostile.hits.length = 0;
    spies = networkSpies();
  });

  /** A server's metadata pointing its authorization server at the hostile server itself, with these endpoints. */
  function serveMetadata(endpoints: Record<string, string>) {
    hostile.challengeWith(hostile.prmUrl);
    hostile.json('/.well-known/oauth-protected-resource/mcp', { resource: hostile.mcpUrl, authorization_servers: [hostile.origin] });
    hostile.json('/.well-known/oauth-authorization-server', {
      issuer: hostile.issuer,
      authorization_endpoint: `${hostile.origin}/authorize`,
      token_endpoint: `${hostile.origin}/token`,
      code_challenge_methods_supported: ['S256'],
      grant_types_supported: ['authorization_code', 'refresh_token', 'client_credentials'],
      ...endpoints,
    });
  }

  it('a 401 whose resource_metadata names a link-local, private or rebound address: refused before any connection, on every attempt', async () => {
    const { fetch, authorizer } = authorizerFor(hostile.mcpUrl, spies.network);
    const cases: [string, string, string][] = [
      ['https://169.254.169.254/latest/meta-data/', '169.254.169.254 is the link-local address', 'only hosts named by the company policy'],
      ['https://10.0.0.1/x', '10.0.0.1 is the private address', 'only hosts named by'],
      ['https://[fd00::1]/x', 'fd00::1 is the private address', 'only hosts named by'],
      ['https://metadata.evil.test/x', 'metadata.evil.test resolves to the loopback address 127.0.0.1', 'only a URL that names this machine'],
      ['https://internal.evil.test/x', 'internal.evil.test resolves to the private address 10.0.0.5', 'only hosts named by'],
      ['https://cloud.evil.test/x', 'cloud.evil.test resolves to the link-local address 169.254.169.254', 'only hosts named by'],
      ['https://0.0.0.0/x', '0.0.0.0 is the reserved address', 'never contacted'],
    ];
    for (const [target, names, rule] of cases) {
      hostile.challengeWith(target);
      // At start-up, and again on the reconnect after it: the same refusal, never a connection.
      for (const attempt of [1, 2]) {
        const refused = await failure(fetch(hostile.mcpUrl, ping));
        expect(refused, `${target} (attempt ${attempt})`).toEqual({ code: 'AUTH_ADDRESS_REFUSED', message: expect.stringContaining(names) });
        expect(refused.message, target).toContain(rule);
      }
    }
    expect(spies.dialled).toEqual([]);
    // Names were looked up (that is how the policy decides); literals were not even that.
    expect(new Set(spies.asked)).toEqual(new Set(['metadata.evil.test', 'internal.evil.test', 'cloud.evil.test']));
    expect(hostile.hits.every((hit) => hit === 'POST /mcp')).toBe(true);
    expect(authorizer.status()).toMatchObject({ state: 'failed', code: 'AUTH_ADDRESS_REFUSED' });
  });

  it('protected resource metadata naming an authorization server on a private address: refused before connecting to it', async () => {
    hostile.challengeWith(hostile.prmUrl);
    hostile.json('/.well-known/oauth-protected-resource/mcp', { resource: hostile.mcpUrl, authorization_servers: ['https://internal.evil.test/'] });
    const { fetch } = authorizerFor(hostile.mcpUrl, spies.network);
    expect(await failure(fetch(hostile.mcpUrl, ping))).toEqual({
      code: 'AUTH_ADDRESS_REFUSED',
      message: expect.stringContaining('internal.evil.test resolves to the private address 10.0.0.5'),
    });
    // Only the hostile server itself (a URL naming this machine, for a server configured on this machine) was dialled.
    expect(spies.dialled.every((entry) => entry.endsWith('=127.0.0.1'))).toBe(true);
    expect(spies.asked).toEqual(['internal.evil.test']);
  });

  it('AS metadata naming a private token endpoint: the client credentials grant is refused before connecting', async () => {
    serveMetadata({ token_endpoint: 'https://10.0.0.1/token' });
    const { fetch, authorizer } = authorizerFor(hostile.mcpUrl, spies.network, {
      grant: 'client_credentials',
      clientId: 'switchboard',
      tokenEndpointAuthMethod: 'none',
    });
    expect(await failure(fetch(hostile.mcpUrl, ping))).toEqual({
      code: 'AUTH_ADDRESS_REFUSED',
      message: expect.stringContaining('refused to contact https://10.0.0.1/token: 10.0.0.1 is the private address'),
    });
    expect(spies.dialled.every((entry) => entry.endsWith('=127.0.0.1'))).toBe(true);
    expect(authorizer.status()).toMatchObject({ state: 'failed', code: 'AUTH_ADDRESS_REFUSED' });
  });

  it('AS metadata naming a link-local registration endpoint: a person’s sign-in stops before registering, and no browser opens', async () => {
    serveMetadata({ registration_endpoint: 'https://cloud.evil.test/register' });
    const { authorizer } = authorizerFor(hostile.mcpUrl, spies.network);
    const opened: string[] = [];
    const person = { handoff: { open: async (url: string) => void opened.push(url) }, signal: new AbortController().signal };
    expect(await failure(authorizer.signInPerson(person))).toEqual({
      code: 'AUTH_ADDRESS_REFUSED',
      message: expect.stringContaining('cloud.evil.test resolves to the link-local address 169.254.169.254'),
    });
    expect(opened).toEqual([]);
    expect(spies.dialled.every((entry) => entry.endsWith('=127.0.0.1'))).toBe(true);
  });

  it('a rebound token endpoint at refresh time: refused, the expired record forgotten, and the refusal logged with its code', async () => {
    serveMetadata({ token_endpoint: 'https://metadata.evil.test/token' });
    const { fetch, vault, logs } = authorizerFor(hostile.mcpUrl, spies.network, { clientId: 'switchboard', tokenEndpointAuthMethod: 'none' });
    const expired: TokenRecord = {
      accessToken: 'old',
      refreshToken: 'rt',
      expiresAt: Date.now() - 1_000,
      issuedAt: Date.now() - 60_000,
      serverUrl: hostile.mcpUrl,
      issuer: hostile.issuer,
      clientId: 'switchboard',
      grant: 'authorization_code',
    };
    await vault.write(vaultAccounts.token('hostile'), expired);
    // The renewal fails; the request goes on without a token and ends asking for a sign-in.
    expect(await failure(fetch(hostile.mcpUrl, ping))).toMatchObject({ code: 'AUTH_SIGN_IN_REQUIRED' });
    const refusal = logs.find((entry) => entry.event === 'auth.failed' && entry.fields?.code === 'AUTH_ADDRESS_REFUSED');
    expect(refusal?.fields?.reason).toContain('metadata.evil.test resolves to the loopback address 127.0.0.1');
    expect(await vault.read(vaultAccounts.token('hostile'))).toBeUndefined();
    expect(spies.dialled.every((entry) => entry.endsWith('=127.0.0.1'))).toBe(true);
  });

  it('a private revocation endpoint: sign-out forgets the token here, revokes nothing there, and says why', async () => {
    serveMetadata({ revocation_endpoint: 'https://internal.evil.test/revoke' });
    const { authorizer, vault, logs } = authorizerFor(hostile.mcpUrl, spies.network, { clientId: 'switchboard', tokenEndpointAuthMethod: 'none' });
    const record: TokenRecord = {
      accessToken: 'at',
      refreshToken: 'rt',
      expiresAt: Date.now() + 3_600_000,
      issuedAt: Date.now(),
      serverUrl: hostile.mcpUrl,
      issuer: hostile.issuer,
      clientId: 'switchboard',
      grant: 'authorization_code',
    };
    await vault.write(vaultAccounts.token('hostile'), record);
    expect(await authorizer.signOut()).toEqual({ revoked: [] });
    expect(await vault.read(vaultAccounts.token('hostile'))).toBeUndefined();
    const failures = logs.filter((entry) => entry.event === 'auth.revocation_failed');
    expect(failures).toHaveLength(2);
    for (const entry of failures) expect(entry.fields?.message).toContain('internal.evil.test resolves to the private address 10.0.0.5');
    expect(spies.dialled.every((entry) => entry.endsWith('=127.0.0.1'))).toBe(true);
  });

  it('a link-local jwks_uri: oauth4webapi fetching the key set through our options is refused too', async () => {
    serveMetadata({ jwks_uri: 'https://169.254.169.254/jwks' });
    const authFetch = guardedAuthFetch(authGuardFor(hostile.mcpUrl, spies.network));
    const as = await discoverAuthorizationServer(hostile.origin, false, authFetch);
    // An access token whose claims pass, so the next step is fetching the AS's keys to check its signature.
    const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
    const now = Math.floor(Date.now() / 1000);
    const claims = { iss: as.issuer, aud: hostile.mcpUrl, sub: 'someone', client_id: 'c', jti: 'j', iat: now, exp: now + 60 };
    const token = `${encode({ alg: 'ES256', typ: 'at+jwt' })}.${encode(claims)}.${Buffer.from('x').toString('base64url')}`;
    const request = new Request(hostile.mcpUrl, { headers: { authorization: `Bearer ${token}` } });
    expect(await failure(oauth.validateJwtAccessToken(as, request, hostile.mcpUrl, oauthRequestOptions(as.jwks_uri!, authFetch)))).toEqual({
      code: 'AUTH_ADDRESS_REFUSED',
      message: expect.stringContaining('169.254.169.254 is the link-local address'),
    });
    expect(spies.dialled.every((entry) => entry.endsWith('=127.0.0.1'))).toBe(true);
  });

  it('redirects are never followed: a metadata document or token endpoint redirecting inside is refused, its Location never looked up or dialled', async () => {
    hostile.challengeWith(`${hostile.origin}/prm-elsewhere`);
    hostile.redirect('/prm-elsewhere', 302, 'https://internal.evil.test/.well-known/oauth-protected-resource');
    const first = authorizerFor(hostile.mcpUrl, spies.network);
    expect(await failure(first.fetch(hostile.mcpUrl, ping))).toEqual({ code: 'AUTH_DISCOVERY_FAILED', message: expect.stringContaining('answered HTTP 302') });

    serveMetadata({});
    hostile.redirect('/token', 307, 'https://169.254.169.254/token');
    const second = authorizerFor(hostile.mcpUrl, spies.network, { grant: 'client_credentials', clientId: 'switchboard', tokenEndpointAuthMethod: 'none' });
    expect(await failure(second.fetch(hostile.mcpUrl, ping))).toMatchObject({ code: 'AUTH_GRANT_FAILED' });

    expect(spies.asked).toEqual([]);
    expect(spies.dialled.every((entry) => entry.endsWith('=127.0.0.1'))).toBe(true);
    expect(hostile.hits).toContain('POST /token');
  });

  it('a server elsewhere cannot send Switchboard to this machine, by literal or by name', async () => {
    // Configured at a public name (never connected to here): its challenge is handed to the authorizer as its 401 would be.
    const { authorizer } = authorizerFor('https://mcp.remote.test/mcp', spies.network);
    for (const target of [hostile.prmUrl, hostile.prmUrl.replace('127.0.0.1', 'localhost')]) {
      expect(await failure(authorizer.authorize({ resourceMetadataUrl: target })), target).toEqual({
        code: 'AUTH_ADDRESS_REFUSED',
        message: expect.stringContaining('was named by a server elsewhere; only servers on this machine may send Switchboard to it'),
      });
    }
    expect(spies.dialled).toEqual([]);
    expect(hostile.hits).toEqual([]);
  });

  it('named hosts may use private addresses: the server’s own host, every configured server’s, the company’s, the IdP’s — proved at the connector, never dialled', async () => {
    // The server's own host on a private address (an internal server and its own metadata).
    const internal = authorizerFor('https://intranet.corp.test/mcp', spies.network);
    expect(
      await failure(internal.authorizer.authorize({ resourceMetadataUrl: 'https://intranet.corp.test/.well-known/oauth-protected-resource/mcp' })),
    ).toEqual({
      code: 'AUTH_DISCOVERY_FAILED',
      message: expect.stringContaining(KEPT_ON_LOOPBACK),
    });
    expect(spies.dialled).toEqual(['intranet.corp.test=10.0.0.5']);

    // As createSwitchboard wires it: another configured server's host and a company-named host are allowed too, an
    // unnamed one is not.
    const config = configSchema.parse({
      servers: [
        { id: 'hostile', url: hostile.mcpUrl },
        { id: 'intranet', url: 'https://intranet.corp.test/mcp' },
        { id: 'off', url: 'https://internal.evil.test/mcp', enabled: false },
      ],
    });
    const { logger } = recordingLogger();
    const [upstream] = createUpstreams(config.servers, {
      auth: config.auth,
      gateway: config.gateway,
      vault: new Vault(new MemorySecretStore()),
      sso: undefined,
      logger,
      clock: systemClock,
      network: { ...spies.network, namedHosts: new Set(['auth.corp.test']) },
      onSecurityEvent: () => undefined,
      onListChanged: () => undefined,
      onResourceUpdated: () => undefined,
    });
    spies.dialled.length = 0;
    expect(await failure(upstream!.authorizer.authorize({ resourceMetadataUrl: 'https://intranet.corp.test/prm' }))).toMatchObject({
      message: expect.stringContaining(KEPT_ON_LOOPBACK),
    });
    hostile.json('/.well-known/oauth-protected-resource/mcp', { resource: hostile.mcpUrl, authorization_servers: ['https://auth.corp.test/'] });
    expect(await failure(upstream!.authorizer.authorize({ resourceMetadataUrl: hostile.prmUrl }))).toMatchObject({
      message: expect.stringContaining(KEPT_ON_LOOPBACK),
    });
    // A disabled server lends its host nothing.
    expect(await failure(upstream!.authorizer.authorize({ resourceMetadataUrl: 'https://internal.evil.test/prm' }))).toMatchObject({
      code: 'AUTH_ADDRESS_REFUSED',
    });
    expect(spies.dialled).toEqual(['intranet.corp.test=10.0.0.5', '127.0.0.1=127.0.0.1', 'auth.corp.test=10.0.0.6']);

    // The configured identity provider's host.
    const sso = new SsoSession({ ...ssoDeps('https://idp.corp.test/'), network: spies.network });
    spies.dialled.length = 0;
    const person = { handoff: { open: async () => undefined }, signal: new AbortController().signal };
    expect(await failure(sso.signIn(person))).toMatchObject({ message: expect.stringContaining(KEPT_ON_LOOPBACK) });
    expect(spies.dialled).toEqual(['idp.corp.test=10.0.0.7']);
  });

  it('an identity provider whose metadata names a private token endpoint: the refresh is refused and the session kept, as when the IdP is down', async () => {
    serveMetadata({ token_endpoint: 'https://internal.evil.test/token' });
    const deps = ssoDeps(hostile.issuer);
    const sso = new SsoSession({ ...deps, network: spies.network });
    const record: SsoRecord = {
      issuer: hostile.issuer,
      idToken: 'expired.id.token',
      idTokenExpiresAt: Date.now() - 1_000,
      refreshToken: 'rt',
      subject: 'someone',
    };
    await deps.vault.write(vaultAccounts.sso(), record);
    expect(await failure(sso.idJagFor('https://as.example.test/', undefined, undefined))).toEqual({
      code: 'AUTH_ADDRESS_REFUSED',
      message: expect.stringContaining('internal.evil.test resolves to the private address 10.0.0.5'),
    });
    expect(await deps.vault.read(vaultAccounts.sso())).toEqual(record);
    expect(spies.dialled.every((entry) => entry.endsWith('=127.0.0.1'))).toBe(true);
  });
});

function ssoDeps(issuer: string) {
  const config = configSchema.parse({ auth: { idp: { issuer, clientId: 'switchboard' } } });
  return { idp: config.auth.idp!, auth: config.auth, vault: new Vault(new MemorySecretStore()), logger: recordingLogger().logger, clock: systemClock };
}
