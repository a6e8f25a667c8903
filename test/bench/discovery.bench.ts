// Discovery benchmark: 1,000 Server Cards listed by one AI catalog on loopback, against plain parallel fetches of the same documents.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { discoverCards } from '../../main/core/discovery/card-discovery.ts';
import { elapsedMs, now, result, type BenchResult } from './bench-kit.ts';

const CARDS = 1000;
const CONCURRENCY = 8;

export async function discoveryBenchmarks(): Promise<BenchResult[]> {
  const server = createServer((request, response) => {
    const path = request.url ?? '/';
    if (path === '/.well-known/ai-catalog.json') {
      const entries = Array.from({ length: CARDS }, (_, index) => ({
        identifier: `urn:air:bench:${index}`,
        type: 'application/mcp-server-card+json',
        url: `/cards/${index}.json`,
      }));
      return void response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ specVersion: '1.0', entries }));
    }
    const match = /^\/cards\/(\d+)\.json$/.exec(path);
    if (!match) return void response.writeHead(404).end();
    const card = {
      $schema: 'https://static.modelcontextprotocol.io/schemas/v1/server-card.schema.json',
      name: `com.example.bench/server-${match[1]}`,
      version: '1.0.0',
      description: `Benchmark server ${match[1]}`,
      title: `Server ${match[1]}`,
      remotes: [{ type: 'streamable-http', url: `https://s${match[1]}.example.com/mcp` }],
    };
    response.writeHead(200, { 'content-type': 'application/mcp-server-card+json' }).end(JSON.stringify(card));
  });
  server.keepAliveTimeout = 1;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  try {
    // Baseline: the same 1,001 documents with plain fetch at the same concurrency, no checks, no validation.
    let started = now();
    const catalog = (await (await fetch(`${origin}/.well-known/ai-catalog.json`)).json()) as { entries: { url: string }[] };
    let next = 0;
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (next < catalog.entries.length) await (await fetch(new URL(catalog.entries[next++]!.url, origin))).json();
      }),
    );
    const bareMs = elapsedMs(started);

    started = now();
    const found = await discoverCards(origin, { policy: { privateHosts: new Set() }, concurrency: CONCURRENCY });
    const discoveryMs = elapsedMs(started);
    if (found.cards.length !== CARDS) throw new Error(`discovered ${found.cards.length} of ${CARDS} cards: ${JSON.stringify(found.problems.slice(0, 3))}`);
    return [
      result({
        scenario: 'discovery',
        metric: `${CARDS} Server Cards from one AI catalog, ${CONCURRENCY} at a time (guarded fetch + schema validation)`,
        value: Math.round(discoveryMs),
        unit: 'ms',
        baseline: { label: 'plain fetch of the same documents', value: Math.round(bareMs) },
      }),
    ];
  } finally {
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  }
}
