// The UI contract served by the core: one handler per channel, requests and responses checked against the shared schemas, secrets never returned.
import type { z } from 'zod';
import { EVENT_CHANNELS, isInvokeChannel, type EventChannel, type InvokeChannel } from '../../../shared/contract/channels.ts';
import { CONTRACT, EVENTS, type AppStatus, type ContractEvent, type ServerEntry } from '../../../shared/contract/schemas.ts';
import { fail, ok, type Result } from '../../../shared/result.ts';
import type { AuditQuery, AuditStore } from '../audit/audit-store.ts';
import { applySetup, inspectClient, previewSetup, undoSetup } from '../clients/ai-client-setup.ts';
import { AI_CLIENT_TARGETS, entryFor, type AiClientTarget, type PathEnvironment } from '../clients/ai-client-targets.ts';
import { ClientRegistry, clientRegistryPath } from '../clients/client-registry.ts';
import { ConfigEditor } from '../config/config-editor.ts';
import type { SwitchboardConfig } from '../config/config-schema.ts';
import { policyRefusal, type CompanyPolicy } from '../discovery/company-policy.ts';
import { addRemoteServer, remoteInputs } from '../discovery/add-remote-server.ts';
import { discoverIntoCatalog } from '../discovery/catalog-discovery.ts';
import type { ServerCard } from '../discovery/server-card.ts';
import { CatalogStore, catalogDatabasePath } from '../discovery/catalog-store.ts';
import { isSwitchboardError, SwitchboardError } from '../errors.ts';
import type { Logger } from '../ports.ts';
import type { Switchboard } from '../switchboard.ts';
import { SWITCHBOARD_VERSION } from '../version.ts';
import { vaultAccounts } from '../vault/vault.ts';

export interface UiServiceDeps {
  /** The running core; the host may replace it (a restart after a server is enabled keeps the same port). */
  switchboard: () => Switchboard;
  config: () => SwitchboardConfig;
  configPath: string;
  dataDir: string;
  policy: CompanyPolicy;
  /** Applies a changed configuration file: the host restarts the core (on the same port unless told otherwise). */
  restartCore: (options?: { keepPort?: boolean }) => Promise<void>;
  pathEnvironment: PathEnvironment;
  /** The full command line that starts the stdio bridge (`switchboard stdio`, resolved to this installation), for Claude Desktop. */
  bridgeCommand: { command: string; args: string[]; env?: Record<string, string> };
  logger: Logger;
}

export type UiEventListener = <C extends EventChannel>(channel: C, payload: ContractEvent<C>) => void;

export interface UiService {
  /** Checks the request against the contract, runs the handler, and wraps the answer (or error) as a Result. */
  invoke(channel: string, request: unknown): Promise<Result<unknown>>;
  subscribe(listener: UiEventListener): () => void;
  close(): void;
}

const CREDENTIAL_PLACEHOLDER = '«your Switchboard credential, written only to this file»';

export function createUiService(deps: UiServiceDeps): UiService {
  const registry = new ClientRegistry(clientRegistryPath(deps.dataDir));
  const listeners = new Set<UiEventListener>();
  let lastAuditSeq: number | undefined;
  let lastStatus = '';

  const audit = (): AuditStore => {
    const store = deps.switchboard().audit();
    if (!store) throw new SwitchboardError('AUDIT_UNAVAILABLE', 'the audit trail is off (audit.enabled is false in the configuration)');
    return store;
  };

  const targetOf = (id: string): AiClientTarget => AI_CLIENT_TARGETS.find((target) => target.id === id)!;

  /** Each AI client gets its own local credential, made on first setup and kept in the keychain. */
  async function credentialFor(clientId: string): Promise<string> {
    const vault = deps.switchboard().auth.vault;
    const existing = registry.list().find((client) => client.id === clientId);
    if (existing) {
      const kept = await vault.getSecret(vaultAccounts.localClient(clientId));
      if (kept) return kept;
      await registry.remove(clientId);
    }
    const { credential } = await registry.add(clientId);
    await vault.setSecret(vaultAccounts.localClient(clientId), credential);
    deps.switchboard().recordSecurityEvent({ method: 'client.added', client: clientId, details: { by: 'app' } });
    return credential;
  }

  async function entryForClient(target: AiClientTarget, withSecret: boolean): Promise<Record<string, unknown>> {
    const mcpUrl = deps.switchboard().status().mcpUrl;
    if (!mcpUrl) throw new SwitchboardError('GATEWAY_NOT_RUNNING', 'the local endpoint is not running yet');
    const credential = withSecret ? await credentialFor(target.id) : CREDENTIAL_PLACEHOLDER;
    return entryFor(target, { mcpUrl, credential, bridgeCommand: deps.bridgeCommand });
  }

  function appStatus(authNeeds: string[], signedIn: boolean): AppStatus {
    const status = deps.switchboard().status();
    const failing = status.servers.filter((server) => server.state === 'unavailable').map((server) => `${server.id}: ${server.lastError?.message ?? 'unavailable'}`);
    return { version: SWITCHBOARD_VERSION, mcpUrl: status.mcpUrl ?? null, servers: status.servers, signedIn, needsAttention: [...authNeeds, ...failing] };
  }

  // Sign-in state reads the keychain, so the pushed status refreshes it every few seconds, not on every tick.
  let authSnapshot: { needs: string[]; signedIn: boolean; at: number } | undefined;
  const AUTH_REFRESH_MS = 5000;

  async function fullStatus(fresh = true): Promise<AppStatus> {
    if (fresh || !authSnapshot || Date.now() - authSnapshot.at > AUTH_REFRESH_MS) {
      const auth = await deps.switchboard().auth.status();
      const needs = auth.servers.filter((server) => server.auth.state === 'needs-sign-in' || server.auth.state === 'failed').map((server) => `${server.id}: sign-in needed`);
      authSnapshot = { needs, signedIn: auth.sso.signedIn, at: Date.now() };
    }
    return appStatus(authSnapshot.needs, authSnapshot.signedIn);
  }

  async function authStatus() {
    const auth = await deps.switchboard().auth.status();
    return {
      sso: { configured: auth.sso.configured, signedIn: auth.sso.signedIn, ...(auth.sso.issuer ? { issuer: auth.sso.issuer } : {}), ...(auth.sso.subject ? { subject: auth.sso.subject } : {}), ...(auth.sso.idTokenExpiresAt ? { idTokenExpiresAt: auth.sso.idTokenExpiresAt } : {}) },
      servers: auth.servers.map(({ id, auth: server }) => ({ id, state: server.state, ...(server.via ? { via: server.via } : {}), ...(server.code ? { code: server.code } : {}), ...(server.reason ? { message: server.reason } : {}) })),
    };
  }

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

  function auditFilter(request: z.infer<typeof CONTRACT['audit:query']['request']>): AuditQuery {
    return { ...request };
  }

  const handlers: { [C in InvokeChannel]: (request: z.infer<(typeof CONTRACT)[C]['request']>) => Promise<z.input<(typeof CONTRACT)[C]['response']>> } = {
    'app:getStatus': () => fullStatus(),
    'servers:list': async () => ({ servers: await serverEntries() }),
    'servers:detail': async ({ id }) => {
      const detail = await deps.switchboard().describeServer(id);
      return { id, ...detail };
    },
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
    'auth:status': () => authStatus(),
    'auth:signIn': async (request) => {
      if (request?.server) await deps.switchboard().auth.signInToServer(request.server);
      else await deps.switchboard().auth.signIn();
      return authStatus();
    },
    'auth:signOut': async (request) => {
      await deps.switchboard().auth.signOut(request?.server);
      return authStatus();
    },
    'clients:list': async () => ({
      aiClients: await Promise.all(AI_CLIENT_TARGETS.map(async (target) => ({ id: target.id, name: target.name, transport: target.transport, ...(await inspectClient(target, deps.pathEnvironment)) }))),
      registered: registry.list().map(({ credentialSha256: _hash, ...client }) => client),
    }),
    'clients:preview': async ({ client }) => {
      const target = targetOf(client);
      return previewSetup(target, deps.pathEnvironment, await entryForClient(target, false));
    },
    'clients:configure': async ({ client }) => {
      const target = targetOf(client);
      const result = await applySetup(target, deps.pathEnvironment, await entryForClient(target, true));
      deps.logger.log('info', 'clients.configured', { client, path: result.path });
      deps.switchboard().recordSecurityEvent({ method: 'client.configured', client, details: { path: result.path, backup: result.backupPath } });
      return result;
    },
    'clients:undo': async ({ client }) => {
      const result = await undoSetup(targetOf(client), deps.pathEnvironment);
      if (result.removed) deps.switchboard().recordSecurityEvent({ method: 'client.unconfigured', client, details: { path: result.path } });
      return result;
    },
    'clients:setView': async ({ id, servers, tools }) => {
      const updated = await registry.setView(id, { ...(servers ? { servers } : {}), ...(tools ? { tools } : {}) });
      deps.switchboard().recordSecurityEvent({ method: 'client.view_changed', client: id, details: { servers: servers ?? 'all', tools: tools ?? 'all' } });
      const { credentialSha256: _hash, ...client } = updated;
      return client;
    },
    'audit:query': async (request) => {
      const page = audit().query(auditFilter(request));
      return { records: page.records, ...(page.nextBeforeSeq ? { nextBeforeSeq: page.nextBeforeSeq } : {}) };
    },
    'audit:summary': async (request) => audit().summary(auditFilter(request)),
    'audit:verify': async () => {
      const report = audit().verify();
      return { ok: report.ok, checked: report.checked, message: report.ok ? `all ${report.checked} records verify` : `record ${report.problem!.seq} was ${report.problem!.kind}: ${report.problem!.detail}` };
    },
    'audit:export': async (request) => {
      const { records } = audit().query({ ...auditFilter(request), limit: request.limit ?? 500 });
      return { fileName: `switchboard-audit-${new Date().toISOString().slice(0, 10)}.jsonl`, text: records.map((record) => JSON.stringify(record)).join('\n') + (records.length ? '\n' : '') };
    },
    'settings:update': async ({ field, value }) => {
      const managedBy = deps.policy.locked.find((locked) => field === locked || field.startsWith(`${locked}.`) || locked.startsWith(`${field}.`));
      if (managedBy) throw new SwitchboardError('POLICY_DENIED', `${field} is managed by your company's policy ("${managedBy}"); ask your administrator to change it`);
      await new ConfigEditor(deps.configPath).set(field.split('.'), value ?? undefined);
      deps.switchboard().recordSecurityEvent({ method: 'config.changed', details: { field, by: 'app' } });
      await deps.restartCore({ keepPort: field !== 'gateway.port' });
      return handlers['settings:get'](undefined);
    },
    'settings:get': async () => {
      const config = deps.config();
      const status = deps.switchboard().status();
      return {
        configPath: deps.configPath,
        dataDir: deps.dataDir,
        gateway: { port: status.mcpUrl ? Number(new URL(status.mcpUrl).port) : config.gateway.port, allowedOrigins: config.gateway.allowedOrigins },
        idp: config.auth.idp ? { issuer: config.auth.idp.issuer, clientId: config.auth.idp.clientId } : null,
        catalogs: deps.policy.domains,
        registryUrl: config.discovery.registryUrl,
        audit: {
          enabled: config.audit.enabled,
          captureArguments: config.audit.capture.arguments,
          captureResults: config.audit.capture.results,
          sinks: config.audit.sinks.map((sink) => ({ type: sink.type, target: sink.type === 'jsonl' ? sink.path : sink.type === 'otlp' ? sink.url : `${sink.host}:${sink.port}` })),
          redactKeys: config.audit.capture.redact.keys,
          redactPatterns: config.audit.capture.redact.patterns,
          sinksJson: JSON.stringify(config.audit.sinks, null, 2),
        },
        locked: deps.policy.locked,
      };
    },
  };

  // Events: status when it changes, new audit records as they are written (checked twice a second).
  const poller = setInterval(() => {
    if (!listeners.size) return;
    void (async () => {
      const status = await fullStatus(false).catch(() => undefined);
      const serialised = JSON.stringify(status);
      if (status && serialised !== lastStatus) {
        lastStatus = serialised;
        emit('events:status', status);
      }
      const store = deps.switchboard().audit();
      if (!store) return;
      const head = store.headSeq();
      if (lastAuditSeq === undefined) lastAuditSeq = head;
      if (head > lastAuditSeq) {
        const records = store.after(lastAuditSeq, 200);
        lastAuditSeq = records.at(-1)?.seq ?? head;
        emit('events:audit', { records });
      }
    })();
  }, 500);
  poller.unref();

  function emit<C extends EventChannel>(channel: C, payload: ContractEvent<C>): void {
    const checked = EVENTS[channel].parse(payload) as ContractEvent<C>;
    for (const listener of listeners) listener(channel, checked);
  }

  return {
    async invoke(channel, request) {
      if (!isInvokeChannel(channel)) return fail('INTERNAL', `unknown channel ${String(channel)}`);
      const contract = CONTRACT[channel];
      const parsed = contract.request.safeParse(request ?? undefined);
      if (!parsed.success) return fail('CONFIG_INVALID', `invalid request for ${channel}: ${parsed.error.issues[0]!.path.join('.') || '(root)'} ${parsed.error.issues[0]!.message}`);
      try {
        const value = await (handlers[channel] as (input: unknown) => Promise<unknown>)(parsed.data);
        // The response schema is the last gate: fields it does not name (a hash, a token) never leave.
        return ok(contract.response.parse(value));
      } catch (error) {
        if (isSwitchboardError(error)) return fail(error.code, error.message);
        deps.logger.log('error', 'ui.request_failed', { channel, message: (error as Error).message });
        return fail('INTERNAL', 'the request failed; see the Switchboard log');
      }
    },
    subscribe(listener) {
      listeners.add(listener);
      lastStatus = '';
      return () => listeners.delete(listener);
    },
    close() {
      clearInterval(poller);
      listeners.clear();
    },
  };
}

export { EVENT_CHANNELS };
