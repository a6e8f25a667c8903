// The one merged server list: configured servers, then the company's offer, then the catalog — each server once, by one de-duplication rule.
import type { ServerAuthStatus } from '../auth/server-authorizer.ts';
import type { SwitchboardConfig } from '../config/config-schema.ts';
import { remoteInputs, type RemoteInput } from '../discovery/add-remote-server.ts';
import type { CatalogEntryRecord } from '../discovery/catalog-store.ts';
import { policyRefusal, type CompanyPolicy } from '../discovery/company-policy.ts';
import type { ServerCard } from '../discovery/server-card.ts';
import type { UpstreamStatus } from '../upstream/upstream-connection.ts';

export interface ServerListing {
  id: string;
  title: string;
  description?: string;
  url: string;
  publisher?: string;
  /** How it signs in, as far as known: only a running core knows (from the server's first answers). */
  auth: 'none' | 'oauth' | 'id-jag' | 'client-credentials' | 'unknown';
  enabled: boolean;
  configured: boolean;
  source: 'config' | 'company' | 'catalog';
  /** Refused by the company policy: shown, but cannot be enabled. */
  deniedBy?: string;
  /** Live state, when a core runs and the server is enabled. */
  status?: UpstreamStatus;
  /** When its card or catalog entry was fetched (epoch ms), for what the catalog cache knows. */
  fetchedAt?: number;
  /** What enabling it asks for (a templated remote's variables, headers). */
  inputs?: RemoteInput[];
}

/** What the list is made from; `live` only where a core runs. */
export interface ServerListSources {
  config: SwitchboardConfig;
  policy: CompanyPolicy;
  catalog: readonly CatalogEntryRecord[];
  live?: { servers: readonly UpstreamStatus[]; auth: readonly { id: string; auth: ServerAuthStatus }[] };
}

/**
 * The rule: a configured server is listed as configured, whatever else knows it. A company offer is listed unless a
 * configured server has its URL or its id. A catalog entry is listed only when Switchboard can run it (a remote URL),
 * no server above has its URL, and no configured server was added from it (a template's resolved URL differs from
 * the entry's). Package-only registry entries are not offered: they cannot be enabled (`registry search` marks them).
 */
export function mergeServerList(sources: ServerListSources): ServerListing[] {
  const { config, policy, catalog, live } = sources;
  // The entry a server was added from (a template's filled-in URL differs from the entry's), else one for its URL.
  const cardFor = (server: { url: string; source?: string | undefined }) =>
    catalog.find((entry) => server.source !== undefined && entry.key === server.source) ?? catalog.find((entry) => entry.mcpUrl === server.url);
  const entries: ServerListing[] = config.servers.map((server) => {
    const card = cardFor(server);
    const status = live?.servers.find((candidate) => candidate.id === server.id);
    const denied = policyRefusal(policy, server.url);
    return {
      id: server.id,
      title: server.title ?? card?.title ?? status?.serverName ?? server.id,
      ...(card?.description ? { description: card.description } : {}),
      url: server.url,
      ...(card?.name ? { publisher: publisherOf(card.name) } : {}),
      auth: authKind(live?.auth.find((candidate) => candidate.id === server.id)?.auth),
      enabled: server.enabled,
      configured: true,
      source: policy.servers.some((offered) => offered.url === server.url) ? 'company' : 'config',
      ...(denied ? { deniedBy: denied } : {}),
      ...(status ? { status } : {}),
      ...(card ? { fetchedAt: card.discoveredAt } : {}),
    };
  });
  for (const offered of policy.servers) {
    if (entries.some((entry) => entry.url === offered.url || entry.id === offered.id)) continue;
    entries.push({
      id: offered.id,
      title: offered.title ?? offered.id,
      ...(offered.description ? { description: offered.description } : {}),
      url: offered.url,
      auth: 'unknown',
      enabled: false,
      configured: false,
      source: 'company',
    });
  }
  for (const entry of catalog) {
    if (!entry.runnable || !entry.mcpUrl || entries.some((known) => known.url === entry.mcpUrl) || config.servers.some((server) => server.source === entry.key))
      continue;
    // A registry entry's document is the registry's own shape, not a Server Card.
    const card = entry.document && entry.source !== 'registry' ? (JSON.parse(entry.document) as ServerCard) : undefined;
    const inputs = remoteInputs(card, entry.mcpUrl);
    entries.push({
      id: catalogServerId(entry.key),
      title: entry.title ?? entry.name ?? entry.mcpUrl,
      ...(entry.description ? { description: entry.description } : {}),
      url: entry.mcpUrl,
      ...(entry.name ? { publisher: publisherOf(entry.name) } : {}),
      auth: 'unknown',
      enabled: false,
      configured: false,
      source: 'catalog',
      fetchedAt: entry.discoveredAt,
      ...(inputs.length ? { inputs } : {}),
    });
  }
  return entries;
}

/** The id a catalog entry is offered (and added) under: its key, made a valid server id. */
export function catalogServerId(key: string): string {
  return key
    .replace(/[^a-z0-9_-]/gi, '-')
    .toLowerCase()
    .slice(0, 32);
}

/** A reverse-DNS card name's namespace (`io.example/crm` → `io.example`). */
function publisherOf(name: string): string {
  return name.split('/')[0]!;
}

function authKind(status: ServerAuthStatus | undefined): ServerListing['auth'] {
  if (!status) return 'unknown';
  if (status.state === 'not-required') return 'none';
  return status.via === 'id-jag'
    ? 'id-jag'
    : status.via === 'client_credentials'
      ? 'client-credentials'
      : status.via === 'authorization_code'
        ? 'oauth'
        : 'unknown';
}
