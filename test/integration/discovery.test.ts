// Discovery against sandbox servers and hostile documents: cards and catalogs at every path, each bad document refused with its code, none stalling the rest.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { refusalFor } from '../../main/core/discovery/address-policy.ts';
import { discoverCards } from '../../main/core/discovery/card-discovery.ts';
import { CatalogStore } from '../../main/core/discovery/catalog-store.ts';
import { checkUrl, guardedFetch, type Resolver } from '../../main/core/discovery/guarded-fetch.ts';
import { searchRegistry } from '../../main/core/discovery/registry-client.ts';
import { startMcpServer, type SandboxMcpServer } from '../sandbox/mcp-servers.ts';

const NO_PRIVATE = { privateHosts: new Set<string>() };
const validCard = (name: string, url: string, extra: Record<string, unknown> = {}) => ({
  $schema: 'https://static.modelcontextprotocol.io/schemas/v1/server-card.schema.json',
  name: `com.example/${name}`,
  version: '1.0.0',
  description: `The ${name} server`,
  remotes: [{ type: 'streamable-http', url }],
  ...extra,
});

/** A loopback server whose routes the tests fill in; counts requests and conditional requests per path. */
async function startDocumentServer() {
  const routes = new Map<string, (request: IncomingMessage, response: ServerResponse) => void>();
  const hits = new Map<string, number>();
  const server = createServer((request, response) => {
    const path = (request.url ?? '/').split('?')[0]!;
    hits.set(path, (hits.get(path) ?? 0) + 1);
    const route = routes.get(path);
    if (!route) return void response.writeHead(404).end();
    route(request, response);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const json = (path: string, body: unknown, headers: Record<string, string> = {}) =>
    routes.set(path, (_request, response) =>
      response.writeHead(200, { 'content-type': 'application/json', ...headers }).end(typeof body === 'string' ? body : JSON.stringify(body)),
    );
  return {
    origin,
    routes,
    hits,
    json,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

describe('discovery', () => {
  let wiki: SandboxMcpServer;
  let docs: Awaited<ReturnType<typeof startDocumentServer>>;

  beforeAll(async () => {
    wiki = await startMcpServer({ name: 'wiki', era: 'modern' });
    docs = await startDocumentServer();
  });
  afterAll(async () => {
    await wiki?.close();
    await docs?.close();
  });

  it('finds a sandbox server from its domain (AI catalog) and from its MCP URL (server-card)', async () => {
    const byDomain = await discoverCards(new URL(wiki.url).host, { policy: NO_PRIVATE });
    expect(byDomain.problems).toEqual([]);
    expect(byDomain.cards).toEqual([
      expect.objectContaining({
        source: 'ai-catalog',
        identifier: expect.stringContaining(':mcp:wiki'),
        card: expect.objectContaining({ name: 'io.switchboard.sandbox/wiki' }),
      }),
    ]);
    const byUrl = await discoverCards(wiki.url, { policy: NO_PRIVATE });
    expect(byUrl.cards[0]).toMatchObject({ card: { remotes: [{ url: wiki.url }] } });
  });

  it('falls back to the older well-known paths when there is no catalog or server-card', async () => {
    docs.json('/.well-known/mcp.json', validCard('legacy', `${docs.origin}/legacy/mcp`));
    const result = await discoverCards(`${docs.origin}/legacy/mcp`, { policy: NO_PRIVATE });
    expect(result.cards).toEqual([expect.objectContaining({ source: 'well-known', card: expect.objectContaining({ name: 'com.example/legacy' }) })]);
    docs.routes.delete('/.well-known/mcp.json');
  });

  it('refuses each hostile card with its code, keeps the good ones, and a server that never finishes does not stall the rest', async () => {
    let nested: Record<string, unknown> = {};
    const deep = nested;
    for (let level = 0; level < 40; level++) nested = nested.x = {};
    const entries: Record<string, unknown> = {
      good: validCard('good', `${docs.origin}/good/mcp`),
      oversized: { ...validCard('big', `${docs.origin}/big/mcp`), _meta: { 'com.example/pad': 'x'.repeat(400_000) } },
      deep: { ...validCard('deep', `${docs.origin}/deep/mcp`), _meta: { 'com.example/deep': deep } },
      types: { ...validCard('types', `${docs.origin}/t/mcp`), version: 42 },
      script: validCard('script', `${docs.origin}/s/mcp`, { websiteUrl: 'javascript:alert(1)' }),
      file: validCard('file', `${docs.origin}/f/mcp`, { icons: [{ src: 'file:///etc/passwd' }] }),
    };
    for (const [name, body] of Object.entries(entries)) docs.json(`/cards/${name}.json`, body);
    docs.routes.set('/cards/hang.json', (_request, response) => response.writeHead(200, { 'content-type': 'application/json' }).write('{"$schema":'));
    docs.json('/.well-known/ai-catalog.json', {
      specVersion: '1.0',
      entries: [...Object.keys(entries), 'hang'].map((name) => ({
        identifier: `urn:air:example:${name}`,
        type: 'application/mcp-server-card+json',
        url: `/cards/${name}.json`,
      })),
    });
    const started = Date.now();
    const result = await discoverCards(docs.origin, { policy: NO_PRIVATE, timeoutMs: 800 }).finally(() => docs.routes.delete('/.well-known/ai-catalog.json'));
    expect(Date.now() - started).toBeLessThan(5000);
    expect(result.cards.map((found) => found.card.name)).toEqual(['com.example/good']);
    const codes = Object.fromEntries(result.problems.map((found) => [found.url.split('/').at(-1), found.code]));
    expect(codes).toEqual({
      'oversized.json': 'DISCOVERY_TOO_LARGE',
      'deep.json': 'DISCOVERY_CARD_INVALID',
      'types.json': 'DISCOVERY_CARD_INVALID',
      'script.json': 'DISCOVERY_CARD_INVALID',
      'file.json': 'DISCOVERY_CARD_INVALID',
      'hang.json': 'DISCOVERY_TIMEOUT',
    });
    expect(result.problems.find((found) => found.url.endsWith('script.json'))!.message).toContain('/websiteUrl');
    expect(result.problems.find((found) => found.url.endsWith('file.json'))!.message).toContain('/icons/0/src');
  });

  it('refuses redirects and names that lead to private, loopback or link-local addresses — before any connection', async () => {
    const asked: string[] = [];
    const resolver: Resolver = async (host) => {
      asked.push(host);
      const addresses: Record<string, string> = {
        'intranet.example.test': '10.1.2.3',
        'metadata.example.test': '169.254.169.254',
        'rebind.example.test': '127.0.0.1',
      };
      return [{ address: addresses[host] ?? '192.0.2.1', family: 4 }];
    };
    for (const [target, code] of [
      ['https://intranet.example.test/card', 'DISCOVERY_ADDRESS_REFUSED'],
      ['https://metadata.example.test/latest', 'DISCOVERY_ADDRESS_REFUSED'],
      ['https://10.0.0.7/card', 'DISCOVERY_ADDRESS_REFUSED'],
      ['http://10.0.0.7/card', 'DISCOVERY_URL_REFUSED'],
      ['file:///etc/passwd', 'DISCOVERY_URL_REFUSED'],
    ] as const) {
      docs.routes.set('/redirect', (_request, response) => response.writeHead(302, { location: target }).end());
      await expect(guardedFetch(`${docs.origin}/redirect`, { accept: 'application/json' }, NO_PRIVATE, resolver), target).rejects.toMatchObject({ code });
    }
    // A public name that resolves to this machine (DNS rebinding) is refused too.
    await expect(guardedFetch('https://rebind.example.test/card', { accept: 'application/json' }, NO_PRIVATE, resolver)).rejects.toMatchObject({
      code: 'DISCOVERY_ADDRESS_REFUSED',
    });
    // Hosts the company catalog names may use private addresses (internal servers are normal in enterprises); checked
    // on the policy alone, so the test never connects to one.
    expect(refusalFor('10.1.2.3', 'intranet.example.test', { privateHosts: new Set(['intranet.example.test']) })).toBeUndefined();
    expect(refusalFor('10.1.2.3', 'other.example.test', { privateHosts: new Set(['intranet.example.test']) })).toContain('company catalog');
    expect(refusalFor('::ffff:127.0.0.1', 'rebind.example.test', NO_PRIVATE)).toContain('loopback');
    expect(asked).toEqual(expect.arrayContaining(['intranet.example.test', 'metadata.example.test', 'rebind.example.test']));
    // And never from a public host into this machine.
    expect(() => checkUrl('http://127.0.0.1:8080/', new URL('https://cards.example.test/'))).toThrow(
      expect.objectContaining({ code: 'DISCOVERY_ADDRESS_REFUSED' }),
    );
  });

  it('revalidates with If-None-Match (304 keeps the cached card), honours max-age, and works offline from the cache', async () => {
    const cache = new CatalogStore(join(await mkdtemp(join(tmpdir(), 'switchboard-catalog-')), 'catalog.db'));
    let conditional = 0;
    const body = JSON.stringify(validCard('cached', `${docs.origin}/cached/mcp`));
    docs.routes.set('/cached/mcp/server-card', (request, response) => {
      if (request.headers['if-none-match'] === '"v1"') {
        conditional++;
        return void response.writeHead(304, { etag: '"v1"' }).end();
      }
      response.writeHead(200, { 'content-type': 'application/mcp-server-card+json', etag: '"v1"', 'cache-control': 'no-cache' }).end(body);
    });
    const first = await discoverCards(`${docs.origin}/cached/mcp`, { policy: NO_PRIVATE, cache });
    const second = await discoverCards(`${docs.origin}/cached/mcp`, { policy: NO_PRIVATE, cache });
    expect(second.cards[0]!.card).toEqual(first.cards[0]!.card);
    expect(conditional).toBe(1);
    docs.routes.set('/cached/mcp/server-card', (_request, response) => response.destroy());
    const offline = await discoverCards(`${docs.origin}/cached/mcp`, { policy: NO_PRIVATE, cache });
    expect(offline.cards[0]!.card.name).toBe('com.example/cached');
    cache.close();
  });

  it('searches the MCP Registry API with cursor paging; package-only entries are marked not runnable', async () => {
    const page = (servers: unknown[], nextCursor?: string) => ({ servers, metadata: { count: servers.length, ...(nextCursor ? { nextCursor } : {}) } });
    docs.routes.set('/v0.1/servers', (request, response) => {
      const url = new URL(request.url!, docs.origin);
      expect(url.searchParams.get('search')).toBe('crm');
      const body =
        url.searchParams.get('cursor') === 'p2'
          ? page([{ server: { name: 'com.example/crm-local', version: '1.0.0', packages: [{ registryType: 'npm', identifier: '@example/crm' }] } }])
          : page(
              [
                {
                  server: {
                    name: 'com.example/crm',
                    version: '2.1.0',
                    title: 'CRM',
                    remotes: [{ type: 'streamable-http', url: 'https://crm.example.com/mcp' }],
                  },
                  _meta: { 'io.modelcontextprotocol.registry/official': { status: 'active' } },
                },
              ],
              'p2',
            );
      response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    });
    const deps = { baseUrl: docs.origin, policy: NO_PRIVATE };
    const first = await searchRegistry(deps, { search: 'crm' });
    expect(first.servers).toEqual([expect.objectContaining({ name: 'com.example/crm', runnable: true, status: 'active' })]);
    const second = await searchRegistry(deps, { search: 'crm', cursor: first.nextCursor! });
    expect(second.servers).toEqual([expect.objectContaining({ name: 'com.example/crm-local', runnable: false })]);
    expect(second.nextCursor).toBeUndefined();
  });
});
