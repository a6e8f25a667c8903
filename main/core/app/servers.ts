// Choosing servers: the merged list, one server's offer, turning servers on and off, adding one by URL, removing one with its secrets.
import { ConfigEditor } from '../config/config-editor.ts';
import { addRemoteServer, remoteInputs } from '../discovery/add-remote-server.ts';
import { discoverCards } from '../discovery/card-discovery.ts';
import { policyRefusal, type CompanyPolicy } from '../discovery/company-policy.ts';
import type { ServerCard } from '../discovery/server-card.ts';
import { SwitchboardError } from '../errors.ts';
import type { Switchboard } from '../switchboard.ts';
import { forgetServerSecrets } from '../vault/server-secrets.ts';
import { vaultAccounts } from '../vault/vault.ts';
import type { AppContext } from './app-context.ts';
import { withCatalog } from './discovery.ts';
import { mergeServerList, type ServerListing } from './server-list.ts';

/** How Switchboard listed a server before it connected: its card or registry entry, or the company's offer. */
export interface ServerListedAs {
  from: 'card' | 'registry' | 'company';
  name?: string;
  title?: string;
  version?: string;
  description?: string;
  /** When the card or entry was fetched (epoch ms); absent for the company's offer, which comes with the policy. */
  fetchedAt?: number;
}

/** What an enabled server offers now, what it says about itself, and what it was listed as: a page shows where they differ. */
export type ServerOffer = Awaited<ReturnType<Switchboard['describeServer']>> & { listed?: ServerListedAs };

/** A remote about to be added: its URL with the template filled in, its card if it has one, and the secret headers it needs. */
export interface RemoteToAdd {
  url: string;
  resolvedUrl: string;
  card?: { card: ServerCard; from: string };
  /** Required secret headers its card lists: the caller asks for their values (they go to the keychain, never the file). */
  secretHeaders: string[];
}

export interface ServersService {
  list(): Promise<ServerListing[]>;
  /** What one enabled server offers right now; needs the running core. */
  offer(id: string): Promise<ServerOffer>;
  /**
   * Turns a configured server on or off; enabling one the list offers (the company's, the catalog's) adds it first.
   * The policy may refuse. `values` fill what a templated remote asks for (`var:<name>`, `header:<Name>`).
   */
  setEnabled(id: string, enabled: boolean, values?: Record<string, string>): Promise<void>;
  /** The URL template's variables that `values` leave empty. */
  missingVariables(url: string, values: Record<string, string>): string[];
  /** Fills in the template and looks for the remote's card (advisory: a server without one can be added too). */
  prepareAdd(url: string, values: Record<string, string>): Promise<RemoteToAdd>;
  add(remote: RemoteToAdd, request: { values: Record<string, string>; id?: string; title?: string }): Promise<{ id: string; url: string }>;
  /** Its secrets go first: if the keychain is locked the server stays in the file and the removal can be tried again. */
  remove(id: string): Promise<{ keychainEntriesDeleted: string[] }>;
  setSecretHeader(id: string, header: string, value: string): Promise<void>;
}

const TEMPLATE_VARIABLE = /\{([^}]+)\}/g;

export function createServersService(context: AppContext): ServersService {
  async function list(policy?: CompanyPolicy): Promise<ServerListing[]> {
    const [config, currentPolicy] = await Promise.all([context.config(), policy ?? context.policy()]);
    const core = context.core();
    const catalog = await withCatalog(context.dataDir, (cache) => cache.entries());
    const live = core ? { servers: core.status().servers, auth: (await core.auth.status()).servers } : undefined;
    return mergeServerList({ config, policy: currentPolicy, catalog, ...(live ? { live } : {}) });
  }

  function refuseIfDenied(policy: CompanyPolicy, url: string): void {
    const denied = policyRefusal(policy, url);
    if (denied) throw new SwitchboardError('POLICY_DENIED', denied);
  }

  async function add(remote: RemoteToAdd, request: { values: Record<string, string>; id?: string; title?: string }) {
    const [config, policy, secrets] = await Promise.all([context.config(), context.policy(), context.secrets()]);
    const added = await addRemoteServer(
      { url: remote.url, values: request.values, ...(request.id ? { id: request.id } : {}), ...(request.title ? { title: request.title } : {}) },
      { configPath: context.configPath, config, policy, setSecret: (account, value) => secrets.set(account, value), findCard: async () => remote.card },
    );
    context.recordSecurityEvent({ method: 'config.server_added', server: added.id, details: { url: added.url } });
    return added;
  }

  async function cachedCard(url: string): Promise<RemoteToAdd['card']> {
    const entries = await withCatalog(context.dataDir, (cache) => cache.entries());
    const entry = entries.find((candidate) => candidate.mcpUrl === url && candidate.document && candidate.source !== 'registry');
    return entry ? { card: JSON.parse(entry.document!) as ServerCard, from: entry.key } : undefined;
  }

  /** The card or registry entry kept for the server's URL, else the company's offer of it. */
  async function listedAs(id: string): Promise<ServerListedAs | undefined> {
    const [config, policy] = await Promise.all([context.config(), context.policy()]);
    const server = config.servers.find((candidate) => candidate.id === id);
    if (!server) return undefined;
    const { url } = server;
    const entries = await withCatalog(context.dataDir, (cache) => cache.entries());
    // The entry it was added from, when it was (a template's filled-in URL differs from the entry's), else one for its
    // URL. A 'live' entry is a card-less server described from its own answers: that is the live side, not a listing.
    const entry =
      entries.find((candidate) => server.source !== undefined && candidate.key === server.source) ??
      entries.find((candidate) => candidate.mcpUrl === url && candidate.source !== 'live');
    if (entry) {
      return {
        from: entry.source === 'registry' || entry.source === 'company' ? entry.source : 'card',
        ...(entry.name ? { name: entry.name } : {}),
        ...(entry.title ? { title: entry.title } : {}),
        ...(entry.version ? { version: entry.version } : {}),
        ...(entry.description ? { description: entry.description } : {}),
        fetchedAt: entry.discoveredAt,
      };
    }
    const offered = policy.servers.find((server) => server.url === url);
    if (!offered) return undefined;
    return { from: 'company', ...(offered.title ? { title: offered.title } : {}), ...(offered.description ? { description: offered.description } : {}) };
  }

  return {
    list: () => list(),
    async offer(id) {
      const core = context.core();
      if (!core) throw new SwitchboardError('GATEWAY_NOT_RUNNING', 'what a server offers is known only to a running Switchboard');
      const [offer, listed] = await Promise.all([core.describeServer(id), listedAs(id)]);
      return { ...offer, ...(listed ? { listed } : {}) };
    },
    async setEnabled(id, enabled, values = {}) {
      const [config, policy] = await Promise.all([context.config(), context.policy()]);
      const configured = config.servers.find((server) => server.id === id);
      if (configured) {
        if (enabled) refuseIfDenied(policy, configured.url);
        await new ConfigEditor(context.configPath).setServerField(id, 'enabled', enabled);
      } else {
        const offered = (await list(policy)).find((entry) => entry.id === id && !entry.configured);
        if (!offered) throw new SwitchboardError('CONFIG_INVALID', `no server "${id}" is configured or offered`);
        if (!enabled) return;
        if (offered.source === 'catalog') {
          // A discovered server: its card says what it needs (URL variables, headers); secrets go to the keychain.
          await add(
            { url: offered.url, resolvedUrl: offered.url, card: await cachedCard(offered.url), secretHeaders: [] },
            { values, id, title: offered.title },
          );
        } else {
          refuseIfDenied(policy, offered.url);
          await new ConfigEditor(context.configPath).addServer({ id, url: offered.url, ...(offered.title !== id ? { title: offered.title } : {}) });
          context.recordSecurityEvent({ method: 'config.server_added', server: id, details: { url: offered.url } });
        }
      }
      context.recordSecurityEvent({ method: enabled ? 'config.server_enabled' : 'config.server_disabled', server: id });
      await context.configChanged();
    },
    missingVariables: (url, values) => [...url.matchAll(TEMPLATE_VARIABLE)].map(([, name]) => name!).filter((name) => !values[`var:${name}`]),
    async prepareAdd(url, values) {
      const resolvedUrl = url.replace(TEMPLATE_VARIABLE, (_match, name: string) => {
        const value = values[`var:${name}`];
        if (!value) throw new SwitchboardError('CONFIG_INVALID', `the URL ${url} needs a value for "${name}"`);
        return encodeURIComponent(value);
      });
      const { privateHosts } = await context.policy();
      const found = await discoverCards(resolvedUrl, { policy: { privateHosts: new Set(privateHosts) } }).catch(() => undefined);
      const first = found?.cards[0];
      const card = first ? { card: first.card, from: first.from } : undefined;
      const secretHeaders = remoteInputs(card?.card, url)
        .filter((input) => input.kind === 'header' && input.secret && input.required)
        .map((input) => input.name);
      return { url, resolvedUrl, ...(card ? { card } : {}), secretHeaders };
    },
    add,
    async remove(id) {
      const config = await context.config();
      const entry = config.servers.find((server) => server.id === id);
      const keychainEntriesDeleted = entry ? await forgetServerSecrets(await context.secrets(), entry) : [];
      await new ConfigEditor(context.configPath).removeServer(id);
      context.recordSecurityEvent({ method: 'config.server_removed', server: id });
      await context.configChanged();
      return { keychainEntriesDeleted };
    },
    async setSecretHeader(id, header, value) {
      await (await context.secrets()).set(vaultAccounts.serverHeader(id, header), value);
    },
  };
}
