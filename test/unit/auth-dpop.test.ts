// DPoP (RFC 9449): the proof key kept in the keychain, DPoP-bound tokens recorded as such and never sent as bearer, proofs and the nonce retry upstream.
import { createHash } from 'node:crypto';
import type * as oauth from 'oauth4webapi';
import { describe, expect, it } from 'vitest';
import { createAuthorizedFetch } from '../../main/core/auth/authorized-fetch.ts';
import { dpopHandleFor, wantsDpop } from '../../main/core/auth/dpop-proof-key.ts';
import { ServerAuthorizer } from '../../main/core/auth/server-authorizer.ts';
import { toTokenRecord } from '../../main/core/auth/token-grants.ts';
import { configSchema } from '../../main/core/config/config-schema.ts';
import { systemClock } from '../../main/core/ports.ts';
import { vaultAccounts, Vault, type DpopKeyRecord, type TokenRecord } from '../../main/core/vault/vault.ts';
import { MemorySecretStore } from '../support/memory-secret-store.ts';

const as: oauth.AuthorizationServer = { issuer: 'https://as.example', token_endpoint: 'https://as.example/token' };

function decode(jwt: string): { header: Record<string, unknown>; payload: Record<string, unknown> } {
  const [header, payload] = jwt
    .split('.')
    .slice(0, 2)
    .map((part) => JSON.parse(Buffer.from(part, 'base64url').toString('utf8')) as Record<string, unknown>);
  return { header: header!, payload: payload! };
}

describe('DPoP', () => {
  it('is used when the AS lists ES256 proofs or the resource requires bound tokens, not otherwise', () => {
    expect(wantsDpop({ ...as, dpop_signing_alg_values_supported: ['ES256', 'RS256'] }, undefined)).toBe(true);
    expect(wantsDpop({ ...as, dpop_signing_alg_values_supported: ['RS256'] }, undefined)).toBe(false);
    expect(wantsDpop(as, { resource: 'https://mcp.example/mcp', authorizationServers: [as.issuer], dpopBoundAccessTokensRequired: true })).toBe(true);
    expect(wantsDpop(as, { resource: 'https://mcp.example/mcp', authorizationServers: [as.issuer] })).toBe(false);
  });

  it('keeps one key pair per server in the keychain, as JWKs, and signs with the same key after a restart', async () => {
    const store = new MemorySecretStore();
    const vault = new Vault(store);
    const first = await dpopHandleFor('crm', vault);
    const record = await vault.read<DpopKeyRecord>(vaultAccounts.dpopKey('crm'));
    expect(record).toMatchObject({ alg: 'ES256', privateJwk: { kty: 'EC', crv: 'P-256' }, publicJwk: { kty: 'EC', crv: 'P-256' } });
    expect(record!.privateJwk.d).toBeTypeOf('string');
    expect(record!.publicJwk.d).toBeUndefined();
    const again = await dpopHandleFor('crm', new Vault(store));
    expect(await again.calculateThumbprint()).toBe(await first.calculateThumbprint());
    expect(await (await dpopHandleFor('other', vault)).calculateThumbprint()).not.toBe(await first.calculateThumbprint());
  });

  it('records a token_type DPoP token as DPoP-bound, and a bearer one without a type', () => {
    const context = { issuer: as.issuer, clientId: 'c', serverUrl: 'https://mcp.example/mcp', grant: 'authorization_code' as const };
    expect(toTokenRecord({ access_token: 'a', token_type: 'dpop' }, context, 0).tokenType).toBe('dpop');
    expect(toTokenRecord({ access_token: 'a', token_type: 'bearer' }, context, 0).tokenType).toBeUndefined();
  });

  it('never hands a DPoP-bound token out as a bearer token; upstream it goes as DPoP with a fresh proof, retried once with the server’s nonce', async () => {
    const config = configSchema.parse({ servers: [{ id: 'crm', url: 'https://mcp.example/mcp' }] });
    const vault = new Vault(new MemorySecretStore());
    const record: TokenRecord = {
      accessToken: 'bound-token',
      issuer: as.issuer,
      clientId: 'c',
      serverUrl: 'https://mcp.example/mcp',
      grant: 'authorization_code',
      tokenType: 'dpop',
      issuedAt: Date.now(),
      expiresAt: Date.now() + 3_600_000,
    };
    await vault.write(vaultAccounts.token('crm'), record);
    const logger = { log: () => undefined };
    const authorizer = new ServerAuthorizer(config.servers[0]!, { auth: config.auth, vault, sso: undefined, logger, clock: systemClock });
    await expect(authorizer.accessToken()).rejects.toMatchObject({ code: 'AUTH_PROOF_REQUIRED' });

    const seen: Headers[] = [];
    const upstream = async (_url: string | URL, init?: RequestInit) => {
      const headers = new Headers(init?.headers);
      seen.push(headers);
      if (seen.length === 1)
        return new Response('{}', { status: 401, headers: { 'www-authenticate': 'DPoP error="use_dpop_nonce"', 'dpop-nonce': 'server-nonce-1' } });
      return new Response('{"jsonrpc":"2.0","id":1,"result":{}}', { status: 200, headers: { 'content-type': 'application/json' } });
    };
    const fetch = createAuthorizedFetch(authorizer, upstream);
    const response = await fetch('https://mcp.example/mcp?session=1', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-kept': 'yes' },
      body: '{}',
    });
    expect(response.status).toBe(200);
    expect(seen).toHaveLength(2);
    const proofs = seen.map((headers) => {
      expect(headers.get('authorization')).toBe('DPoP bound-token');
      expect(headers.get('x-kept')).toBe('yes');
      return decode(headers.get('dpop')!);
    });
    const ath = createHash('sha256').update('bound-token').digest('base64url');
    for (const { header, payload } of proofs) {
      expect(header).toMatchObject({ typ: 'dpop+jwt', alg: 'ES256', jwk: { kty: 'EC' } });
      expect((header.jwk as Record<string, unknown>).d).toBeUndefined();
      // htu without the query (RFC 9449 §4.2), and the token's hash.
      expect(payload).toMatchObject({ htm: 'POST', htu: 'https://mcp.example/mcp', ath });
    }
    expect(proofs[0]!.payload.nonce).toBeUndefined();
    expect(proofs[1]!.payload.nonce).toBe('server-nonce-1');
    expect(proofs[1]!.payload.jti).not.toBe(proofs[0]!.payload.jti);

    // Signing out forgets the key with the tokens bound to it.
    await authorizer.signOut();
    expect(await vault.read(vaultAccounts.dpopKey('crm'))).toBeUndefined();
  });
});

describe('token requests with proofs, and workload identity (SEP-1933)', () => {
  it('a workload JWT in the keychain is the jwt-bearer assertion; the token request carries a proof, once more with the AS nonce, and the DPoP token is kept as bound', async () => {
    const requests: { grant: string | null; assertion: string | null; clientId: string | null; proof: Record<string, unknown> | undefined }[] = [];
    const json = (body: unknown, init: ResponseInit = {}) =>
      new Response(JSON.stringify(body), { ...init, headers: { 'content-type': 'application/json', ...(init.headers as Record<string, string>) } });
    const inProcessFetch = (async (input: string | URL | Request, init?: RequestInit) => {
      const request = new Request(input, init);
      const url = new URL(request.url);
      if (url.href === 'https://mcp.example/.well-known/oauth-protected-resource/mcp')
        return json({ resource: 'https://mcp.example/mcp', authorization_servers: ['https://as.example'] });
      if (url.href === 'https://as.example/.well-known/oauth-authorization-server') {
        return json({
          issuer: 'https://as.example',
          token_endpoint: 'https://as.example/token',
          response_types_supported: ['code'],
          grant_types_supported: ['urn:ietf:params:oauth:grant-type:jwt-bearer'],
          dpop_signing_alg_values_supported: ['ES256'],
        });
      }
      if (url.href === 'https://as.example/token') {
        const body = new URLSearchParams(await request.text());
        const proof = request.headers.get('dpop') ? decode(request.headers.get('dpop')!).payload : undefined;
        requests.push({ grant: body.get('grant_type'), assertion: body.get('assertion'), clientId: body.get('client_id'), proof });
        if (proof?.nonce !== 'as-nonce') return json({ error: 'use_dpop_nonce' }, { status: 400, headers: { 'dpop-nonce': 'as-nonce' } });
        return json({ access_token: 'workload-token', token_type: 'DPoP', expires_in: 3600 });
      }
      return new Response('not found', { status: 404 });
    }) as typeof fetch;
    const config = configSchema.parse({ servers: [{ id: 'wl', url: 'https://mcp.example/mcp', auth: { clientId: 'workload-1' } }] });
    const vault = new Vault(new MemorySecretStore());
    await vault.setSecret(vaultAccounts.workloadAssertion('wl'), 'header.workload-jwt.signature\n');
    const authorizer = new ServerAuthorizer(config.servers[0]!, {
      auth: config.auth,
      vault,
      sso: undefined,
      logger: { log: () => undefined },
      clock: systemClock,
      network: { inProcessFetch },
    });
    await authorizer.authorize({ resourceMetadataUrl: 'https://mcp.example/.well-known/oauth-protected-resource/mcp' });

    expect(requests.map(({ grant, assertion, clientId }) => ({ grant, assertion, clientId }))).toEqual([
      { grant: 'urn:ietf:params:oauth:grant-type:jwt-bearer', assertion: 'header.workload-jwt.signature', clientId: 'workload-1' },
      { grant: 'urn:ietf:params:oauth:grant-type:jwt-bearer', assertion: 'header.workload-jwt.signature', clientId: 'workload-1' },
    ]);
    expect(requests[0]!.proof).toMatchObject({ htm: 'POST', htu: 'https://as.example/token' });
    expect(requests[0]!.proof!.nonce).toBeUndefined();
    expect(requests[1]!.proof!.nonce).toBe('as-nonce');
    expect(await vault.read<TokenRecord>(vaultAccounts.token('wl'))).toMatchObject({
      accessToken: 'workload-token',
      tokenType: 'dpop',
      grant: 'workload-identity',
      clientId: 'workload-1',
    });
    expect(await authorizer.credential()).toMatchObject({ token: 'workload-token', dpop: expect.anything() });
  });
});
