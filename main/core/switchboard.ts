// The composition root: builds the core services from a validated configuration, in dependency order, and starts and stops them as one.
import { join } from 'node:path';
import type { AuditStore } from './audit/audit-store.ts';
import { SsoSession } from './auth/enterprise-sso.ts';
import { SignInDesk } from './auth/sign-in-desk.ts';
import { ClientRegistry, clientRegistryPath } from './clients/client-registry.ts';
import type { SwitchboardConfig } from './config/config-schema.ts';
import { startControlSocket } from './control/control-socket.ts';
import type { AddressChange } from './gateway/endpoint-address.ts';
import { ensureOwnerOnlyDir } from './platform/owner-only.ts';
import { ToolPins } from './pinning/tool-pins.ts';
import { createBrowserOpener } from './platform/system-browser.ts';
import { systemClock, type BrowserOpener, type Clock, type Logger, type Paths, type SecretStore } from './ports.ts';
import { CatalogRouter } from './router/catalog-router.ts';
import { NameLedger } from './router/name-ledger.ts';
import { SurfaceMemory } from './router/surface-memory.ts';
import { AuditLifecycle } from './switchboard/audit-lifecycle.ts';
import { createClientGateway } from './switchboard/client-gateway.ts';
import { describeServerOffer, type ServerOffer } from './switchboard/server-offer.ts';
import { SignedInUser } from './switchboard/signed-in-user.ts';
import { statusSnapshot, type SwitchboardStatus } from './switchboard/status-snapshot.ts';
import { createSwitchboardAuth, type SwitchboardAuth } from './switchboard/switchboard-auth.ts';
import { connectInBackground, createUpstreams } from './switchboard/upstreams.ts';
import { openSecretStore } from './vault/open-secret-store.ts';
import { Vault } from './vault/vault.ts';

export type { SwitchboardStatus } from './switchboard/status-snapshot.ts';
export type { SignInStart, SwitchboardAuth } from './switchboard/switchboard-auth.ts';

export interface SwitchboardDeps {
  config: SwitchboardConfig;
  logger: Logger;
  paths: Paths;
  /** Development and conformance runs only: accept requests without a client credential. */
  allowAnonymous?: boolean;
  /** The keychain; the OS keychain unless given (profile from the configuration; SWITCHBOARD_KEYCHAIN=memory for demos). */
  secretStore?: SecretStore;
  /** Where sign-in URLs open; the system browser (or auth.browserCommand) unless given. */
  browser?: BrowserOpener;
  clock?: Clock;
  /** Hosts the company policy names as internal: their private addresses may be reached by sign-in fetches too. */
  privateHosts?: readonly string[];
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
  describeServer(serverId: string): Promise<ServerOffer>;
  stop(): Promise<void>;
}

const ANONYMOUS_WARNING =
  'ANONYMOUS ACCESS IS ON: any program on this machine can use every enabled server through Switchboard. Use it for development and conformance runs only.';

export function createSwitchboard(deps: SwitchboardDeps): Switchboard {
  const { config, logger } = deps;
  const { dataDir } = deps.paths;
  const clock = deps.clock ?? systemClock;
  const vault = new Vault(deps.secretStore ?? openSecretStore(config.auth.profile, { logger }));
  // First, so the auth code can report security events from the start: they go nowhere until start() opens the trail.
  const audit = new AuditLifecycle({ config, dataDir, logger });
  const onSecurityEvent = audit.recordSecurityEvent.bind(audit);
  // Which hosts a server may send sign-in fetches to at private addresses: the company's, besides configured ones.
  const network = { namedHosts: new Set((deps.privateHosts ?? []).map((host) => host.toLowerCase())) };
  const sso = config.auth.idp ? new SsoSession({ idp: config.auth.idp, auth: config.auth, vault, logger, clock, onSecurityEvent, network }) : undefined;
  const user = new SignedInUser(sso);
  // The one cycle no order breaks: upstreams report list changes to the client gateway, which serves them through the
  // router, which is built on the upstreams. They report only once connected or signed in, never while this function
  // runs, so the gateway below exists by then.
  const upstreams = createUpstreams(config.servers, {
    auth: config.auth,
    gateway: config.gateway,
    vault,
    sso,
    logger,
    clock,
    onSecurityEvent,
    network,
    onListChanged: (kind) => gateway.notifyListChanged(kind),
    onResourceUpdated: (uri) => gateway.notifyResourceUpdated(uri),
  });
  // Tool definitions pass as first approved (cleaned); changed ones wait for the person, whose approval tells the clients.
  const pins = new ToolPins({ dataDir, changes: config.tools.changes, logger, onSecurityEvent, onApproved: () => gateway.notifyListChanged('tools') });
  const router = new CatalogRouter(upstreams, logger, new NameLedger(join(dataDir, 'names.json'), logger), {
    memory: new SurfaceMemory(join(dataDir, 'surfaces.json'), logger),
    pins,
  });
  const desk = new SignInDesk({ timeoutMs: config.auth.signInTimeoutMs, now: () => clock.now() });
  const auth = createSwitchboardAuth({ vault, sso, desk, upstreams, user, browser: deps.browser ?? createBrowserOpener(config.auth.browserCommand) });
  const registry = new ClientRegistry(clientRegistryPath(dataDir));
  const allowAnonymous = Boolean(deps.allowAnonymous);
  const gateway = createClientGateway({
    config,
    dataDir,
    router,
    registry,
    allowAnonymous,
    audit: audit.gatewayAudit,
    beginSignIn: (serverId) => auth.beginSignIn(serverId),
    logger,
  });
  let control: { close(): Promise<void> } | undefined;
  // Left alone by stop(): the status goes on naming the last move until the next start binds again.
  let addressChanged: AddressChange | undefined;
  const status = () =>
    statusSnapshot({
      mcpUrl: gateway.mcpUrl(),
      addressChanged,
      anonymousAllowed: allowAnonymous,
      registry,
      legacySessions: () => gateway.sessionCount(),
      upstreams,
      router,
      toolListings: () => gateway.toolListings(),
    });

  return {
    auth,
    async start() {
      const mcpUrl = gateway.mcpUrl();
      if (mcpUrl) return { mcpUrl };
      if (allowAnonymous) logger.log('warn', 'gateway.anonymous_allowed', { message: ANONYMOUS_WARNING });
      // The folder holds the control socket, the client registry and the audit trail: private to this user, and made so
      // (with a log line) if an earlier version or the person left it open. Before the socket exists in it.
      await ensureOwnerOnlyDir(dataDir, logger);
      const controlSocket = await startControlSocket(dataDir, { status, auth });
      control = controlSocket;
      const listening = await gateway.listen().catch(async (error: unknown) => {
        await controlSocket.close();
        throw error;
      });
      addressChanged = listening.addressChanged;
      audit.start(user);
      // Connecting is not on the ready path: a slow or dead server must not delay every other one.
      for (const { connection } of upstreams) connectInBackground(connection);
      logger.log('info', 'switchboard.ready', { mcpUrl: listening.mcpUrl, servers: upstreams.length });
      return { mcpUrl: listening.mcpUrl };
    },
    status,
    async stop() {
      // A sign-in waiting in a browser ends with Switchboard: its deadline must not keep the process alive.
      desk.cancelAll();
      await Promise.allSettled([control?.close(), gateway.close(), ...upstreams.map(({ connection }) => connection.close())]);
      // Nothing lists tools any more: looking for approvals stops with the core.
      pins.close();
      await audit.stop();
    },
    audit: () => audit.store(),
    recordSecurityEvent: ({ method, client, server, details }) => audit.recordSecurityEvent({ method, outcome: 'ok', client, server, details }),
    describeServer: (serverId) => describeServerOffer(upstreams, serverId),
  };
}
