// Finding servers: by domain or MCP URL (remembered in the catalog cache) and in the MCP Registry; what was found is offered in the server list.
import { discoverIntoCatalog, type CatalogDiscovery } from '../discovery/catalog-discovery.ts';
import { CatalogStore, catalogDatabasePath } from '../discovery/catalog-store.ts';
import { searchRegistry, type RegistryServer } from '../discovery/registry-client.ts';
import type { AppContext } from './app-context.ts';

export interface DiscoveryService {
  /** A domain (its AI catalog) or an MCP URL (its card, older well-known paths, or a live connection with `live` or without a card). */
  discover(target: string, options?: { live?: boolean }): Promise<CatalogDiscovery>;
  /** One page of the MCP Registry (discovery.registryUrl); the servers found are remembered in the catalog cache. */
  searchRegistry(query: { text?: string; cursor?: string }): Promise<{ servers: RegistryServer[]; nextCursor?: string }>;
}

/** The catalog cache is opened for one use and closed: serve, the app and commands share the file. */
export async function withCatalog<T>(dataDir: string, use: (catalog: CatalogStore) => T | Promise<T>): Promise<T> {
  const catalog = new CatalogStore(catalogDatabasePath(dataDir));
  try {
    return await use(catalog);
  } finally {
    catalog.close();
  }
}

export function createDiscoveryService(context: AppContext): DiscoveryService {
  return {
    async discover(target, options = {}) {
      const { privateHosts } = await context.policy();
      return withCatalog(context.dataDir, (cache) => discoverIntoCatalog(target, { privateHosts, cache, ...(options.live ? { live: true } : {}) }));
    },
    async searchRegistry({ text, cursor }) {
      const [config, policy] = await Promise.all([context.config(), context.policy()]);
      const page = await searchRegistry(
        { baseUrl: config.discovery.registryUrl, policy: { privateHosts: new Set(policy.privateHosts) } },
        { ...(text ? { search: text } : {}), ...(cursor ? { cursor } : {}) },
      );
      await withCatalog(context.dataDir, (cache) => {
        for (const server of page.servers) {
          const remote = server.remotes[0];
          cache.saveEntry({
            key: server.name,
            source: 'registry',
            name: server.name,
            version: server.version,
            ...(server.title ? { title: server.title } : {}),
            ...(server.description ? { description: server.description } : {}),
            ...(remote ? { mcpUrl: remote.url } : {}),
            document: JSON.stringify(server),
            runnable: server.runnable,
            discoveredAt: Date.now(),
          });
        }
      });
      return page;
    },
  };
}
