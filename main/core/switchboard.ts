// Assembles the core services from a validated configuration and runs them until stopped.
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { AuthInfo } from '@modelcontextprotocol/server';
import type { AuditStore } from './audit/audit-store.ts';
import { SsoSession } from './auth/enterprise-sso.ts';
import { SignInDesk } from './auth/sign-in-desk.ts';
import { ANONYMOUS_CLIENT, ClientRegistry, clientRegistryPath, type AuthenticatedClient } from './clients/client-registry.ts';
import type { SwitchboardConfig } from './config/config-schema.ts';
import { startControlSocket } from './control/control-socket.ts';
import { createCallRelay } from './gateway/call-relay.ts';
import { createDownstreamServerFactory, type DownstreamContext } from './gateway/downstream-protocol.ts';
import { bindStableEndpoint, type AddressChange } from './gateway/endpoint-address.ts';
import { startLocalEndpoint, type LocalEndpoint } from './gateway/local-endpoint.ts';
import { SignInLinks } from './gateway/sign-in-links.ts';
import { createGatewayMcpHandler } from './gateway/mcp-handler.ts';
import { createBrowserOpener } from './platform/system-browser.ts';
import { systemClock, type BrowserOpener, type Clock, type Logger, type Paths, type SecretStore } from './ports.ts';
import { CatalogRouter, type ClientView } from './router/catalog-router.ts';
import { NameLedger } from './router/name-ledger.ts';
import { SurfaceMemory } from './router/surface-memory.ts';
import { AuditLifecycle } from './switchboard/audit-lifecycle.ts';
import { describeServerOffer, type ServerOffer } from './switchboard/server-offer.ts';
import { serverIdOfTarget, signInTargetLabel } from './switchboard/sign-in-targets.ts';
import { SignedInUser } from './switchboard/signed-in-user.ts';
import { statusSnapshot, type SwitchboardStatus } from './switchboard/status-snapshot.ts';
import { createSwitchboardAuth, type SwitchboardAuth } from './switchboard/switchboard-auth.ts';
import { connectInBackground, createUpstreams } from './switchboard/upstreams.ts';
import { KeytarSecretStore } from './vault/keytar-secret-store.ts';
import { Vault } from './vault/vault.ts';

export type { SwitchboardStatus } from './switchboard/status-snapshot.ts';
export type { SignInStart, SwitchboardAuth } from './switchboard/switchboard-auth.ts';

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

export function createSwitchboard(deps: SwitchboardDeps): Switchboard {
  const { config, logger } = deps;
  const registry = new ClientRegistry(clientRegistryPath(deps.paths.dataDir));
  // Late-bound: upstreams report list changes to the handler, which is built after them.
  let notifyListChanged: (kind: 'tools' | 'prompts' | 'resources' | 'resourceTemplates') => void = () => undefined;
  let notifyResourceUpdated: (uri: string) => void = () => undefined;
  // First, so the auth code can report security events from the start: they go nowhere until start() opens the trail.
  const audit = new AuditLifecycle({ config, dataDir: deps.paths.dataDir, logger });
  const securityEvent = audit.recordSecurityEvent.bind(audit);
  const vault = new Vault(deps.secretStore ?? new KeytarSecretStore(config.auth.profile));
  const clock = deps.clock ?? systemClock;
  const sso = config.auth.idp ? new SsoSession({ idp: config.auth.idp, auth: config.auth, vault, logger, clock, onSecurityEvent: securityEvent }) : undefined;
  const user = new SignedInUser(sso);
  const upstreams = createUpstreams(config.servers, {
    auth: config.auth,
    gateway: config.gateway,
    vault,
    sso,
    logger,
    clock,
    onSecurityEvent: securityEvent,
    onListChanged: (kind) => notifyListChanged(kind),
    onResourceUpdated: (uri) => notifyResourceUpdated(uri),
  });
  const router = new CatalogRouter(upstreams, logger, new NameLedger(join(deps.paths.dataDir, 'names.json'), logger), {
    memory: new SurfaceMemory(join(deps.paths.dataDir, 'surfaces.json'), logger),
  });
  const desk = new SignInDesk({ timeoutMs: config.auth.signInTimeoutMs, now: () => clock.now() });
  const auth = createSwitchboardAuth({ vault, sso, desk, upstreams, user, browser: deps.browser ?? createBrowserOpener(config.auth.browserCommand) });
  const describeTarget = (target: string) => signInTargetLabel(target, config.auth.idp?.issuer);
  const signInLinks = new SignInLinks({ begin: (target) => auth.beginSignIn(serverIdOfTarget(target)), describe: describeTarget, logger });
  const handler = createGatewayMcpHandler({
    buildServer: createDownstreamServerFactory(router, {
      ...(audit.gatewayAudit ? { audit: audit.gatewayAudit } : {}),
      signInLinks: { issue: (target) => signInLinks.issue(target), describe: describeTarget },
    }),
    contextOf: downstreamContext,
    maxBodyBytes: config.gateway.maxBodyBytes,
    sessions: { idleMs: config.gateway.sessionIdleMs, maxPerClient: config.gateway.maxSessionsPerClient },
    logger,
  });
  const callRelay = config.gateway.callRelay ? createCallRelay(router, { ...(audit.gatewayAudit ? { audit: audit.gatewayAudit } : {}), logger }) : undefined;
  notifyListChanged = (kind) => handler.notifyListChanged(kind);
  notifyResourceUpdated = (uri) => handler.notifyResourceUpdated(uri);
  let endpoint: LocalEndpoint | undefined;
  let addressChanged: AddressChange | undefined;
  let control: { close(): Promise<void> } | undefined;

  const authenticate = (credential: string | undefined): AuthenticatedClient | undefined =>
    registry.authenticate(credential) ?? (deps.allowAnonymous && credential === undefined ? ANONYMOUS_CLIENT : undefined);

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
      control = await startControlSocket(deps.paths.dataDir, { status: () => this.status(), auth });
      const bound = await bindStableEndpoint({
        configuredPort: config.gateway.port,
        dataDir: deps.paths.dataDir,
        logger,
        bind: (port) => startLocalEndpoint({ port, maxBodyBytes: config.gateway.maxBodyBytes, allowedOrigins: config.gateway.allowedOrigins, handler, ...(callRelay ? { callRelay } : {}), signInLinks, authenticate, logger }),
      }).catch(async (error: unknown) => {
        await control?.close();
        throw error;
      });
      ({ endpoint, addressChanged } = bound);
      signInLinks.setOrigin(new URL(endpoint.mcpUrl).origin);
      audit.start(user);
      // Connecting is not on the ready path: a slow or dead server must not delay every other one.
      for (const { connection } of upstreams) connectInBackground(connection);
      logger.log('info', 'switchboard.ready', { mcpUrl: endpoint.mcpUrl, servers: upstreams.length });
      return { mcpUrl: endpoint.mcpUrl };
    },
    status: () =>
      statusSnapshot({ mcpUrl: endpoint?.mcpUrl, addressChanged, anonymousAllowed: Boolean(deps.allowAnonymous), registry, legacySessions: () => handler.sessionCount(), upstreams, router }),
    async stop() {
      const running = endpoint;
      endpoint = undefined;
      // A sign-in waiting in a browser ends with Switchboard: its deadline must not keep the process alive.
      desk.cancelAll();
      await Promise.allSettled([control?.close(), running?.close(), handler.close(), ...upstreams.map(({ connection }) => connection.close())]);
      await audit.stop();
    },
    audit: () => audit.store(),
    recordSecurityEvent: ({ method, client, server, details }) => audit.recordSecurityEvent({ method, outcome: 'ok', client, server, details }),
    describeServer: (serverId) => describeServerOffer(upstreams, serverId),
  };
}

function downstreamContext(authInfo: AuthInfo | undefined): DownstreamContext {
  const view = (authInfo?.extra?.view ?? {}) as ClientView;
  return { clientId: authInfo?.clientId ?? ANONYMOUS_CLIENT.id, view, subscriptions: new Set() };
}
