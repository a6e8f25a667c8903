// Finds Server Cards for a domain or an MCP URL, in the suggested order: AI catalog, <mcp-url>/server-card, then older well-known paths.
import { SwitchboardError } from '../errors.ts';
import { isLoopbackHost } from '../platform/loopback.ts';
import type { AddressPolicy } from './address-policy.ts';
import { parseAiCatalog } from './ai-catalog.ts';
import type { CatalogStore, CatalogEntryRecord } from './catalog-store.ts';
import { guardedFetch, type FetchedDocument, type Resolver } from './guarded-fetch.ts';
import { AI_CATALOG_MEDIA_TYPE, SERVER_CARD_MEDIA_TYPE, validateServerCard, type ServerCard } from './server-card.ts';

export interface DiscoveredCard {
  source: CatalogEntryRecord['source'];
  /** Where the card came from (its URL, or the catalog's for an inline card). */
  from: string;
  identifier?: string;
  card: ServerCard;
}

export interface DiscoveryProblem {
  url: string;
  code: string;
  message: string;
}

export interface DiscoveryResult {
  cards: DiscoveredCard[];
  problems: DiscoveryProblem[];
}

export interface DiscoveryDeps {
  policy: AddressPolicy;
  resolver?: Resolver;
  cache?: CatalogStore;
  /** How many documents are fetched at once (a catalog may list hundreds of cards). */
  concurrency?: number;
  timeoutMs?: number;
  now?: () => number;
}

/** Paths earlier drafts and scanners used; tried after the current ones, at the MCP URL's origin. */
const OLDER_WELL_KNOWN = ['/.well-known/mcp/server-card.json', '/.well-known/mcp.json'];

/**
 * `input` is a domain (`example.com`) or a URL: an origin is treated as a domain, anything with a path as an MCP
 * endpoint. Every document is fetched through the guarded fetcher and validated; one bad card or slow server is a
 * problem in the result and never stops the others.
 */
export async function discoverCards(input: string, deps: DiscoveryDeps): Promise<DiscoveryResult> {
  const target = parseInput(input);
  const result: DiscoveryResult = { cards: [], problems: [] };
  const catalogUrl = `${target.origin}/.well-known/ai-catalog.json`;
  const catalog = await fetchDocument(catalogUrl, `${AI_CATALOG_MEDIA_TYPE}, application/json`, deps).catch((error: unknown) => {
    if (!isNotFound(error)) result.problems.push(problem(catalogUrl, error));
    return undefined;
  });
  if (catalog) {
    try {
      const entries = parseAiCatalog(catalog.body, catalogUrl);
      await eachBounded(entries, deps.concurrency ?? 8, async (entry) => {
        const from = entry.url ? new URL(entry.url, catalogUrl).href : catalogUrl;
        try {
          const value = entry.data ?? JSON.parse((await fetchDocument(from, `${SERVER_CARD_MEDIA_TYPE}, application/json`, deps)).body);
          const card = validateServerCard(value, from);
          if (target.mcpUrl && !card.remotes?.some((remote) => sameEndpoint(remote.url, target.mcpUrl!))) return;
          result.cards.push({ source: 'ai-catalog', from, identifier: entry.identifier, card });
        } catch (error) {
          result.problems.push(problem(from, error));
        }
      });
    } catch (error) {
      result.problems.push(problem(catalogUrl, error));
    }
  }
  if (result.cards.length > 0 || !target.mcpUrl) return result;

  const candidates: [string, DiscoveredCard['source']][] = [
    [`${target.mcpUrl.replace(/\/$/, '')}/server-card`, 'server-card'],
    ...OLDER_WELL_KNOWN.map((path): [string, DiscoveredCard['source']] => [`${target.origin}${path}`, 'well-known']),
  ];
  for (const [url, source] of candidates) {
    try {
      const document = await fetchDocument(url, `${SERVER_CARD_MEDIA_TYPE}, application/json`, deps);
      result.cards.push({ source, from: url, card: validateServerCard(parseJson(document.body, url), url) });
      return result;
    } catch (error) {
      if (!isNotFound(error)) result.problems.push(problem(url, error));
    }
  }
  return result;
}

/**
 * Fetches with the cache: a fresh copy (within max-age) is used as is; a stale one is revalidated with If-None-Match
 * (304 keeps it); a failure falls back to the cached copy so Switchboard works offline with what it knew.
 */
async function fetchDocument(url: string, accept: string, deps: DiscoveryDeps): Promise<FetchedDocument> {
  const now = deps.now?.() ?? Date.now();
  const cached = deps.cache?.document(url);
  if (cached?.maxAgeSeconds !== undefined && cached.fetchedAt + cached.maxAgeSeconds * 1000 > now) {
    return { url, status: 200, notModified: true, body: cached.body, ...(cached.etag ? { etag: cached.etag } : {}) };
  }
  let fetched: FetchedDocument;
  try {
    fetched = await guardedFetch(
      url,
      { accept, ...(cached?.etag ? { etag: cached.etag } : {}), ...(deps.timeoutMs ? { timeoutMs: deps.timeoutMs } : {}) },
      deps.policy,
      deps.resolver,
    );
  } catch (error) {
    if (cached && error instanceof SwitchboardError && (error.code === 'DISCOVERY_FETCH_FAILED' || error.code === 'DISCOVERY_TIMEOUT'))
      return { url, status: 200, notModified: true, body: cached.body };
    throw error;
  }
  if (fetched.notModified && cached) {
    deps.cache?.saveDocument({ ...cached, fetchedAt: now, ...(fetched.maxAgeSeconds !== undefined ? { maxAgeSeconds: fetched.maxAgeSeconds } : {}) });
    return { ...fetched, body: cached.body };
  }
  if (fetched.status === 404 || fetched.status === 410) throw new SwitchboardError('DISCOVERY_NOT_FOUND', `${url} does not exist (HTTP ${fetched.status})`);
  if (fetched.status !== 200) throw new SwitchboardError('DISCOVERY_FETCH_FAILED', `${url} answered HTTP ${fetched.status}`);
  deps.cache?.saveDocument({
    url,
    body: fetched.body,
    fetchedAt: now,
    ...(fetched.etag ? { etag: fetched.etag } : {}),
    ...(fetched.maxAgeSeconds !== undefined ? { maxAgeSeconds: fetched.maxAgeSeconds } : {}),
  });
  return fetched;
}

function parseInput(input: string): { origin: string; mcpUrl?: string } {
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(input) ? input : `${isLoopbackHost(input.split(':')[0] ?? '') ? 'http' : 'https'}://${input}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    throw new SwitchboardError('DISCOVERY_URL_REFUSED', `"${input}" is neither a domain nor a URL`);
  }
  const mcpUrl = url.pathname !== '/' ? `${url.origin}${url.pathname}` : undefined;
  return { origin: url.origin, ...(mcpUrl ? { mcpUrl } : {}) };
}

function sameEndpoint(candidate: string, mcpUrl: string): boolean {
  return candidate.replace(/\/$/, '') === mcpUrl.replace(/\/$/, '');
}

function parseJson(text: string, url: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new SwitchboardError('DISCOVERY_CARD_INVALID', `the Server Card at ${url} is not JSON`);
  }
}

function isNotFound(error: unknown): boolean {
  return error instanceof SwitchboardError && error.code === 'DISCOVERY_NOT_FOUND';
}

function problem(url: string, error: unknown): DiscoveryProblem {
  if (error instanceof SwitchboardError) return { url, code: error.code, message: error.message };
  if (error instanceof SyntaxError) return { url, code: 'DISCOVERY_CARD_INVALID', message: `${url} is not JSON` };
  return { url, code: 'DISCOVERY_FETCH_FAILED', message: String((error as Error).message) };
}

/** Runs `work` over the items with at most `limit` at a time. */
async function eachBounded<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) await work(items[next++]!);
    }),
  );
}
