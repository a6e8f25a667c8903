// Assembles the core services from a validated configuration and runs them until stopped.
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { AuthInfo } from '@modelcontextprotocol/server';
import { createHash } from 'node:crypto';
import { AuditRecorder, type AuditTrail } from './audit/audit-recorder.ts';
import { auditDatabasePath } from './audit/audit-paths.ts';
import { AuditStore } from './audit/audit-store.ts';
import { createAuditSink } from './audit/sinks/create-sink.ts';
import { SinkExporter } from './audit/sinks/sink-exporter.ts';
import { SsoSession, type SsoStatus } from './auth/enterprise-sso.ts';
import { ServerAuthorizer, type SecurityEvent, type ServerAuthStatus } from './auth/server-authorizer.ts';
import { ANONYMOUS_CLIENT, ClientRegistry, clientRegistryPath, type AuthenticatedClient } from './clients/client-registry.ts';
import type { SwitchboardConfig } from './config/config-schema.ts';
import { startControlSocket } from './control/control-socket.ts';
import { createDownstreamServerFactory, type DownstreamContext } from './gateway/downstream-protocol.ts';
import { bindStableEndpoint, type AddressChange } from './gateway/endpoint-address.ts';
import { startLocalEndpoint, type LocalEndpoint } from './gateway/local-endpoint.ts';
import { createGatewayMcpHandler } from './gateway/mcp-handler.ts';
import { createBrowserOpener } from './platform/system-browser.ts';
import { systemClock, type BrowserOpener, type Clock, type Logger, type Paths, type SecretStore } from './ports.ts';
import { SwitchboardError } from './errors.ts';
import { CatalogRouter, type ClientView, type NameCollision } from './router/catalog-router.ts';
import { NameLedger } from './router/name-ledger.ts';
import { UpstreamConnection, type UpstreamStatus } from './upstream/upstream-connection.ts';
import { KeytarSecretStore } from './vault/keytar-secret-store.ts';
import { Vault, vaultAccounts } from './vault/vault.ts';

const ENTERPRISE_MANAGED_AUTHORIZATION = 'io.modelcontextprotocol/enterprise-managed-authorization';

export interface SwitchboardDeps {
  config: SwitchboardConfig;
  logger: Logger;
  paths: Paths;
  /** Development and conformance runs only: accept requests without a client credential. */
  allowAnonymous?: boolean;
  /** The keychain; the OS keychain through keytar unless given (profile from the configuration). */
  secretStore?: SecretStore;
  /** Where sign-in URLs open; the system browser (or auth.browserCommand) unless given. */
  browser?: BrowserOpener;
  clock?: Clock;
}

/** Sign-in for the CLI and the UI: the SSO session and each server's token. */
export interface SwitchboardAuth {
  status(): Promise<{ sso: SsoStatus; servers: { id: string; auth: ServerAuthStatus }[] }>;
  /** Signs in to the company IdP (SSO). */
  signIn(): Promise<SsoStatus>;
  /** Signs in to one server now, in the browser or silently (ID-JAG, client credentials). */
  signInToServer(serverId: string): Promise<ServerAuthStatus>;
  importIdToken(idToken: string): Promise<SsoStatus>;
  /** Forgets the SSO session and every server token (or one server's). */
  signOut(serverId?: string): Promise<void>;
  vault: Vault;
}

export interface SwitchboardStatus {
  mcpUrl: string | undefined;
  anonymousAllowed: boolean;
  clients: { id: string; createdAt: string; servers?: string[]; tools?: string[] }[];
  legacySessions: number;
  servers: UpstreamStatus[];
  collisions: readonly NameCollision[];
  /** Set when the remembered port was taken at start and the endpoint moved to another one. */
  addressChanged?: AddressChange;
}

export interface Switchboard {
  /** Binds the local endpoint and starts connecting upstreams in the background; resolves once clients can connect. */
  start(): Promise<{ mcpUrl: string }>;
  status(): SwitchboardStatus;
  auth: SwitchboardAuth;
  /** The audit store while running (for the UI's queries); undefined when auditing is off or before start(). */
  audit(): AuditStore | undefined;
  /** Records a security event from the app or the CLI (client set up, configuration changed) in the audit trail. */
  recordSecurityEvent(event: { method: string; client?: string; server?: string; details?: Record<string, unknown> }): void;
  /** What one server offers right now (from its cached lists), for the UI's detail view. */
  describeServer(serverId: string): Promise<{ tools: { name: string; title?: string; description?: string }[]; prompts: { name: string; description?: string }[]; resources: { uri: string; name?: string }[] }>;
  stop(): Promise<void>;
}

export function createSwitchboard(deps: SwitchboardDeps): Switchboard {
  const { config, logger } = deps;
  const registry = new ClientRegistry(clientRegistryPath(deps.paths.dataDir));
  const enabled = config.servers.filter((server) => server.enabled);
  // Late-bound: upstreams report list changes to the handler, which is built after them.
  let notifyListChanged: (kind: 'tools' | 'prompts' | 'resources' | 'resourceTemplates') => void = () => undefined;
  let notifyResourceUpdated: (uri: string) => void = () => undefined;
  // The audit trail opens with start() (its folder may not exist before); until then records have nowhere to go.
  let recorder: AuditRecorder | undefined;
  let auditStore: AuditStore | undefined;
  let exporters: SinkExporter[] = [];
  let pruneTimer: NodeJS.Timeout | undefined;
  let currentUser: string | undefined;
  const trail: AuditTrail = { record: async (entry) => recorder?.record(entry) };
  const securityEvent = ({ method, server, outcome, errorType, details }: SecurityEvent) =>
    void trail.record({ kind: 'security', method, outcome, ...(server ? { server } : {}), ...(errorType ? { errorType } : {}), ...(details ? { details } : {}) });
  const vault = new Vault(deps.secretStore ?? new KeytarSecretStore(config.auth.profile));
  const browser = deps.browser ?? createBrowserOpener(config.auth.browserCommand);
  const clock = deps.clock ?? systemClock;
  const sso = config.auth.idp ? new SsoSession({ idp: config.auth.idp, auth: config.auth, vault, browser, logger, clock, onSecurityEvent: securityEvent }) : undefined;
  const refreshUser = () => void sso?.subject().then((subject) => (currentUser = subject), () => undefined);
  const upstreams = enabled.map((server) => {
    // Every server gets an authorizer: whether it needs a token is learned from its first 401, not configured.
    const authorizer: ServerAuthorizer = new ServerAuthorizer(server, {
      auth: config.auth,
      vault,
      browser,
      sso,
      logger,
      clock,
      onTokenObtained: () => connection.refreshSurface(),
      onSecurityEvent: securityEvent,
    });
    const connection: UpstreamConnection = new UpstreamConnection(server, {
      logger,
      requestTimeoutMs: config.gateway.upstreamTimeoutMs,
      onListChanged: (kind) => notifyListChanged(kind),
      onResourceUpdated: (uri) => notifyResourceUpdated(uri),
      authorizer,
      secretHeader: (name) => vault.getSecret(vaultAccounts.serverHeader(server.id, name)),
      // With an IdP configured Switchboard can get tokens through ID-JAG, and says so as the extension asks.
      ...(sso ? { extensions: { [ENTERPRISE_MANAGED_AUTHORIZATION]: {} } } : {}),
    });
    return { connection, authorizer, prefix: server.prefix ?? server.id };
  });
  const authorizerOf = (serverId: string) => {
    const found = upstreams.find((upstream) => upstream.connection.id === serverId);
    if (!found) throw new SwitchboardError('CONFIG_INVALID', `no enabled server has the id "${serverId}"`);
    return found.authorizer;
  };
  const noSso = (): SsoSession => {
    throw new SwitchboardError('CONFIG_INVALID', 'no identity provider is configured (auth.idp in the configuration file)');
  };
  const router = new CatalogRouter(upstreams, logger, new NameLedger(join(deps.paths.dataDir, 'names.json'), logger));
  const handler = createGatewayMcpHandler({
    buildServer: createDownstreamServerFactory(router, config.audit.enabled ? { trail, capture: config.audit.capture } : undefined),
    contextOf: downstreamContext,
    maxBodyBytes: config.gateway.maxBodyBytes,
    logger,
  });
  notifyListChanged = (kind) => handler.notifyListChanged(kind);
  notifyResourceUpdated = (uri) => handler.notifyResourceUpdated(uri);
  let endpoint: LocalEndpoint | undefined;
  let addressChanged: AddressChange | undefined;
  let control: { close(): Promise<void> } | undefined;

  const authenticate = (credential: string | undefined): AuthenticatedClient | undefined =>
    registry.authenticate(credential) ?? (deps.allowAnonymous && credential === undefined ? ANONYMOUS_CLIENT : undefined);

  const auth: SwitchboardAuth = {
    vault,
    async status() {
      return {
        sso: sso ? await sso.status() : { configured: false, signedIn: false },
        servers: upstreams.map(({ connection, authorizer }) => ({ id: connection.id, auth: authorizer.status() })),
      };
    },
    async signIn() {
      const status = await (sso ?? noSso()).signIn();
      refreshUser();
      return status;
    },
    async importIdToken(idToken) {
      const status = await (sso ?? noSso()).importIdToken(idToken);
      refreshUser();
      return status;
    },
    async signInToServer(serverId) {
      const authorizer = authorizerOf(serverId);
      await authorizer.signIn();
      return authorizer.status();
    },
    async signOut(serverId) {
      if (serverId) return authorizerOf(serverId).signOut();
      await Promise.all([sso?.signOut(), ...upstreams.map(({ authorizer }) => authorizer.signOut())]);
    },
  };

  function openAudit(): void {
    const store = AuditStore.open(auditDatabasePath(deps.paths.dataDir));
    auditStore = store;
    exporters = config.audit.sinks.map((sink) => new SinkExporter(createAuditSink(sink), store, logger));
    recorder = new AuditRecorder(store, { logger, user: () => currentUser, onWritten: () => exporters.forEach((exporter) => exporter.poke()) });
    refreshUser();
    const prune = () => {
      try {
        const removed = store.prune(config.audit.retention);
        if (removed) logger.log('info', 'audit.pruned', { removed });
      } catch (error) {
        logger.log('warn', 'audit.prune_failed', { message: (error as Error).message });
      }
    };
    prune();
    pruneTimer = setInterval(prune, 3_600_000);
    pruneTimer.unref();
    const configDigest = createHash('sha256').update(JSON.stringify(config)).digest('hex');
    void trail.record({ kind: 'security', method: 'switchboard.started', outcome: 'ok', details: { servers: enabled.map((server) => server.id), configDigest } });
    for (const exporter of exporters) exporter.poke();
  }

  function closeAudit(): void {
    if (pruneTimer) clearInterval(pruneTimer);
    pruneTimer = undefined;
    recorder?.close();
    recorder = undefined;
  }

  return {
    auth,
    async start() {
      if (endpoint) return { mcpUrl: endpoint.mcpUrl };
      if (deps.allowAnonymous) {
        logger.log('warn', 'gateway.anonymous_allowed', {
          message: 'ANONYMOUS ACCESS IS ON: any program on this machine can use every enabled server through Switchboard. Use it for development and conformance runs only.',
        });
      }
      // The folder holds the control socket and the client registry: private to this user.
      await mkdir(deps.paths.dataDir, { recursive: true, mode: 0o700 });
      control = await startControlSocket(deps.paths.dataDir, { status: () => this.status() });
      const bound = await bindStableEndpoint({
        configuredPort: config.gateway.port,
        dataDir: deps.paths.dataDir,
        logger,
        bind: (port) => startLocalEndpoint({ port, maxBodyBytes: config.gateway.maxBodyBytes, allowedOrigins: config.gateway.allowedOrigins, handler, authenticate, logger }),
      }).catch(async (error: unknown) => {
        await control?.close();
        throw error;
      });
      ({ endpoint, addressChanged } = bound);
      if (config.audit.enabled) openAudit();
      // Connecting is not on the ready path: a slow or dead server must not delay every other one.
      for (const { connection } of upstreams) void connection.connect().catch(() => undefined);
      logger.log('info', 'switchboard.ready', { mcpUrl: endpoint.mcpUrl, servers: enabled.length });
      return { mcpUrl: endpoint.mcpUrl };
    },
    status() {
      return {
        mcpUrl: endpoint?.mcpUrl,
        anonymousAllowed: Boolean(deps.allowAnonymous),
        clients: registry.list().map(({ id, createdAt, servers, tools }) => ({ id, createdAt, ...(servers ? { servers } : {}), ...(tools ? { tools } : {}) })),
        legacySessions: handler.sessionCount(),
        servers: upstreams.map(({ connection }) => connection.status()),
        collisions: router.collisions(),
        ...(addressChanged ? { addressChanged } : {}),
      };
    },
    async stop() {
      const running = endpoint;
      endpoint = undefined;
      await Promise.allSettled([control?.close(), running?.close(), handler.close(), ...upstreams.map(({ connection }) => connection.close())]);
      void trail.record({ kind: 'security', method: 'switchboard.stopped', outcome: 'ok' });
      closeAudit();
      // One last delivery attempt, briefly: whatever is left is sent after the next start (the cursor remembers).
      await Promise.allSettled(exporters.map((exporter) => Promise.race([exporter.drain(), new Promise((resolve) => setTimeout(resolve, 1000).unref())])));
      await Promise.allSettled(exporters.map((exporter) => exporter.close()));
      exporters = [];
      auditStore?.close();
      auditStore = undefined;
    },
    audit: () => auditStore,
    recordSecurityEvent({ method, client, server, details }) {
      void trail.record({ kind: 'security', method, outcome: 'ok', ...(client ? { client } : {}), ...(server ? { server } : {}), ...(details ? { details } : {}) });
    },
    async describeServer(serverId) {
      const upstream = upstreams.find(({ connection }) => connection.id === serverId);
      if (!upstream) throw new SwitchboardError('CONFIG_INVALID', `the server "${serverId}" is not enabled; enable it to see what it offers`);
      const [tools, prompts, resources] = await Promise.all([upstream.connection.list('tools'), upstream.connection.list('prompts'), upstream.connection.list('resources')]);
      const text = (value: unknown) => (typeof value === 'string' ? value : undefined);
      return {
        tools: (tools as { name: string; title?: unknown; description?: unknown }[]).map((tool) => ({ name: tool.name, ...(text(tool.title) ? { title: text(tool.title)! } : {}), ...(text(tool.description) ? { description: text(tool.description)! } : {}) })),
        prompts: (prompts as { name: string; description?: unknown }[]).map((prompt) => ({ name: prompt.name, ...(text(prompt.description) ? { description: text(prompt.description)! } : {}) })),
        resources: (resources as { uri: string; name?: unknown }[]).map((resource) => ({ uri: resource.uri, ...(text(resource.name) ? { name: text(resource.name)! } : {}) })),
      };
    },
  };
}

function downstreamContext(authInfo: AuthInfo | undefined): DownstreamContext {
  const view = (authInfo?.extra?.view ?? {}) as ClientView;
  return { clientId: authInfo?.clientId ?? ANONYMOUS_CLIENT.id, view, subscriptions: new Set() };
}
