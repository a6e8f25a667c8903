// servers:* — every server from the configuration, the company's offer and discovery; details, on/off, discovery.
import type { ServerEntry } from '../../../../shared/contract/schemas.ts';
import { ConfigEditor } from '../../config/config-editor.ts';
import { addRemoteServer, remoteInputs } from '../../discovery/add-remote-server.ts';
import { discoverIntoCatalog } from '../../discovery/catalog-discovery.ts';
import { CatalogStore, catalogDatabasePath } from '../../discovery/catalog-store.ts';
import { policyRefusal } from '../../discovery/company-policy.ts';
import type { ServerCard } from '../../discovery/server-card.ts';
import { SwitchboardError } from '../../errors.ts';
import type { ChannelHandlers, UiServiceDeps } from './ui-deps.ts';

export function serversChannels(deps: UiServiceDeps): ChannelHandlers<'servers:list' | 'servers:detail' | 'servers:setEnabled' | 'servers:discover'> {
  async function serverEntries(): Promise<ServerEntry[]> {
    const config = deps.config();
    const status = deps.switchboard().status();
    const auth = await deps.switchboard().auth.status();
    const catalog = new CatalogStore(catalogDatabasePath(deps.dataDir));
    let cached: ReturnType<CatalogStore['entries']>;
    try {
      cached = catalog.entries();
    } finally {
      catalog.close();
    }
    const cardFor = (url: string) => cached.find((entry) => entry.mcpUrl === url);
    const authKind = (id: string): ServerEntry['auth'] => {
      const server = auth.servers.find((candidate) => candidate.id === id)?.auth;
      if (!server) return 'unknown';
      if (server.state === 'not-required') return 'none';
      return server.via === 'id-jag' ? 'id-jag' : server.via === 'client_credentials' ? 'client-credentials' : server.via === 'authorization_code' ? 'oauth' : 'unknown';
    };
    const entries: ServerEntry[] = config.servers.map((server) => {
      const card = cardFor(server.url);
      const live = status.servers.find((candidate) => candidate.id === server.id);
      const denied = policyRefusal(deps.policy, server.url);
      return {
        id: server.id,
        title: server.title ?? card?.title ?? live?.serverName ?? server.id,
        ...(card?.description ? { description: card.description } : {}),
        url: server.url,
        ...(card?.name ? { publisher: card.name.split('/')[0]! } : {}),
        auth: authKind(server.id),
        enabled: server.enabled,
        configured: true,
        source: deps.policy.servers.some((offered) => offered.url === server.url) ? 'company' : 'config',
        ...(denied ? { deniedBy: denied } : {}),
        ...(live ? { status: live } : {}),
        ...(card ? { fetchedAt: new Date(card.discoveredAt).toISOString() } : {}),
      };
    });
    for (const offered of deps.policy.servers) {
      if (entries.some((entry) => entry.url === offered.url || entry.id === offered.id)) continue;
      entries.push({ id: offered.id, title: offered.title ?? offered.id, ...(offered.description ? { description: offered.description } : {}), url: offered.url, auth: 'unknown', enabled: false, configured: false, source: 'company' });
    }
    for (const entry of cached) {
      // Already configured — by its URL, or (for a template) as the server added from this very entry.
      if (!entry.runnable || !entry.mcpUrl || entries.some((known) => known.url === entry.mcpUrl) || config.servers.some((server) => server.source === entry.key)) continue;
      const card = entry.document && entry.source !== 'registry' ? (JSON.parse(entry.document) as ServerCard) : undefined;
      const inputs = remoteInputs(card, entry.mcpUrl);
      entries.push({
        ...(inputs.length ? { inputs } : {}),
        id: entry.key.replace(/[^a-z0-9_-]/gi, '-').toLowerCase().slice(0, 32),
        title: entry.title ?? entry.name ?? entry.mcpUrl,
        ...(entry.description ? { description: entry.description } : {}),
        url: entry.mcpUrl,
        ...(entry.name ? { publisher: entry.name.split('/')[0]! } : {}),
        auth: 'unknown',
        enabled: false,
        configured: false,
        source: 'catalog',
        fetchedAt: new Date(entry.discoveredAt).toISOString(),
      });
    }
    return entries;
  }

  async function setEnabled(id: string, enabled: boolean, values: Record<string, string> = {}): Promise<void> {
    const editor = new ConfigEditor(deps.configPath);
    const configured = deps.config().servers.find((server) => server.id === id);
    if (configured) {
      if (enabled) {
        const denied = policyRefusal(deps.policy, configured.url);
        if (denied) throw new SwitchboardError('POLICY_DENIED', denied);
      }
      await editor.setServerField(id, 'enabled', enabled);
    } else {
      const offered = (await serverEntries()).find((entry) => entry.id === id && !entry.configured);
      if (!offered) throw new SwitchboardError('CONFIG_INVALID', `no server "${id}" is configured or offered`);
      if (!enabled) return;
      if (offered.source === 'catalog') {
        // A discovered server: its card says what it needs (URL variables, headers); secrets go to the keychain.
        const vault = deps.switchboard().auth.vault;
        const cached = cachedCard(offered.url);
        await addRemoteServer(
          { url: offered.url, values, id, title: offered.title },
          { configPath: deps.configPath, config: deps.config(), policy: deps.policy, setSecret: (account, value) => vault.setSecret(account, value), findCard: async () => cached },
        );
      } else {
        const denied = policyRefusal(deps.policy, offered.url);
        if (denied) throw new SwitchboardError('POLICY_DENIED', denied);
        await editor.addServer({ id, url: offered.url, ...(offered.title !== id ? { title: offered.title } : {}) });
      }
    }
    deps.switchboard().recordSecurityEvent({ method: enabled ? 'config.server_enabled' : 'config.server_disabled', server: id, details: { by: 'app' } });
    await deps.restartCore();
  }

  function cachedCard(url: string): { card: ServerCard; from: string } | undefined {
    const catalog = new CatalogStore(catalogDatabasePath(deps.dataDir));
    try {
      const entry = catalog.entries().find((candidate) => candidate.mcpUrl === url && candidate.document && candidate.source !== 'registry');
      return entry ? { card: JSON.parse(entry.document!) as ServerCard, from: entry.key } : undefined;
    } finally {
      catalog.close();
    }
  }

  return {
    'servers:list': async () => ({ servers: await serverEntries() }),
    'servers:detail': async ({ id }) => ({ id, ...(await deps.switchboard().describeServer(id)) }),
    'servers:setEnabled': async ({ id, enabled, values }) => {
      await setEnabled(id, enabled, values);
      return { servers: await serverEntries() };
    },
    'servers:discover': async ({ target }) => {
      const cache = new CatalogStore(catalogDatabasePath(deps.dataDir));
      try {
        const result = await discoverIntoCatalog(target, { privateHosts: deps.policy.privateHosts, cache });
        return { found: result.cards.length + (result.description && !result.cards.length ? 1 : 0), problems: result.problems };
      } finally {
        cache.close();
      }
    },
  };
}
