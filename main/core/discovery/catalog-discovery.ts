// Discovery that remembers: finds cards for a domain or MCP URL (or describes a card-less server live) and records them in the catalog cache.
import type { CatalogStore } from './catalog-store.ts';
import { discoverCards, type DiscoveryResult } from './card-discovery.ts';
import { describeLive, reconcile, type ServerDescription } from './live-description.ts';
import type { ServerCard } from './server-card.ts';

export interface CatalogDiscovery extends DiscoveryResult {
  /** For an MCP URL without a card (or with `live`): what the server itself reports, reconciled with its card. */
  description?: ServerDescription;
}

export async function discoverIntoCatalog(
  target: string,
  deps: { privateHosts: readonly string[]; cache: CatalogStore; live?: boolean },
): Promise<CatalogDiscovery> {
  const result: CatalogDiscovery = await discoverCards(target, {
    policy: { privateHosts: new Set(deps.privateHosts.map((host) => host.toLowerCase())) },
    cache: deps.cache,
  });
  const now = Date.now();
  for (const found of result.cards) {
    const remote = found.card.remotes?.find((candidate) => candidate.type === 'streamable-http');
    deps.cache.saveEntry({
      key: found.card.name,
      source: found.source,
      name: found.card.name,
      ...cardText(found.card),
      ...(remote ? { mcpUrl: remote.url } : {}),
      document: JSON.stringify(found.card),
      runnable: Boolean(remote),
      discoveredAt: now,
    });
  }
  const isEndpoint = /^[a-z]+:\/\/[^/]+\/.+/i.test(target);
  if (isEndpoint && (deps.live || result.cards.length === 0)) {
    const live = await describeLive(target).catch((error: unknown) => ({ error: (error as Error).message }));
    if ('error' in live) {
      result.problems.push({ url: target, code: 'DISCOVERY_FETCH_FAILED', message: live.error });
    } else {
      result.description = reconcile(target, result.cards[0]?.card, live);
      const description = result.description;
      if (!result.cards.length) {
        deps.cache.saveEntry({
          key: target,
          source: 'live',
          mcpUrl: target,
          ...(description.title ? { title: description.title } : {}),
          ...(description.version ? { version: description.version } : {}),
          ...(description.name ? { name: description.name } : {}),
          runnable: true,
          discoveredAt: now,
        });
      }
    }
  }
  return result;
}

function cardText(card: ServerCard): { title?: string; description?: string; version?: string } {
  return { ...(card.title ? { title: card.title } : {}), description: card.description, version: card.version };
}
