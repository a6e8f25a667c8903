// Assembles the core services from a validated configuration and runs them until stopped.
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { AuthInfo } from '@modelcontextprotocol/server';
import type { AuditStore } from './audit/audit-store.ts';
import { SsoSession, type SsoStatus } from './auth/enterprise-sso.ts';
import type { ServerAuthStatus } from './auth/server-authorizer.ts';
import { SignInDesk, type PendingSignIn } from './auth/sign-in-desk.ts';
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
import { SwitchboardError } from './errors.ts';
import { CatalogRouter, type ClientView, type NameCollision } from './router/catalog-router.ts';
import { NameLedger } from './router/name-ledger.ts';
import { SurfaceMemory } from './router/surface-memory.ts';
import { AuditLifecycle } from './switchboard/audit-lifecycle.ts';
import { SignedInUser } from './switchboard/signed-in-user.ts';
import { connectInBackground, createUpstreams, findUpstream, refreshAndReconnect } from './switchboard/upstreams.ts';
import type { UpstreamStatus } from './upstream/upstream-connection.ts';
import { KeytarSecretStore } from './vault/keytar-secret-store.ts';
import { Vault } from './vault/vault.ts';

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

/** A sign-in a person asked for: done already (silently), or waiting for them at authorizationUrl until expiresAt. */
export interface SignInStart {
  /** A server id, or `sso` for the company identity provider. */
  target: string;
  state: 'signed-in' | 'not-required' | 'waiting';
  authorizationUrl?: string;
  expiresAt?: string;
}

/** Sign-in for the CLI and the UI: the SSO session and each server's token. */
export interface SwitchboardAuth {
  status(): Promise<{ sso: SsoStatus; servers: { id: string; auth: ServerAuthStatus }[]; signingIn: { target: string; expiresAt: string }[] }>;
  /**
   * Starts the sign-in a person asked for (no server: the company SSO), or joins the one in progress. Resolves as soon
   * as it is done silently or waits for the person in a browser — never later; whoever asked opens the URL.
   */
  beginSignIn(serverId?: string): Promise<SignInStart>;
  /** Waits (until the signal aborts) for the sign-in in progress for the target to end; rejects with why it failed. */
  awaitSignIn(serverId?: string, signal?: AbortSignal): Promise<void>;
  /** Ends the sign-in in progress for the target; false when there was none. */
  cancelSignIn(serverId?: string): boolean;
  /** Signs in to the company IdP (SSO) in the system browser and waits for it (the in-process CLI). */
  signIn(): Promise<SsoStatus>;
  /** Signs in to one server now, silently (ID-JAG, client credentials) or in the system browser, and waits for it. */
  signInToServer(serverId: string): Promise<ServerAuthStatus>;
  importIdToken(idToken: string): Promise<SsoStatus>;
  /** Forgets the SSO session and every server token (or one server's), revoking them where the issuer allows. */
  signOut(serverId?: string): Promise<void>;
  vault: Vault;
}

/** The target name the company sign-in goes by in the sign-in desk, links and control routes. */
const SSO_TARGET = 'sso';

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
  // Late-bound: upstreams report list changes to the handler, which is built after them.
  let notifyListChanged: (kind: 'tools' | 'prompts' | 'resources' | 'resourceTemplates') => void = () => undefined;
  let notifyResourceUpdated: (uri: string) => void = () => undefined;
  // First, so the auth code can report security events from the start: they go nowhere until start() opens the trail.
  const audit = new AuditLifecycle({ config, dataDir: deps.paths.dataDir, logger });
  const securityEvent = audit.recordSecurityEvent.bind(audit);
  const vault = new Vault(deps.secretStore ?? new KeytarSecretStore(config.auth.profile));
  const browser = deps.browser ?? createBrowserOpener(config.auth.browserCommand);
  const clock = deps.clock ?? systemClock;
  const sso = config.auth.idp ? new SsoSession({ idp: config.auth.idp, auth: config.auth, vault, logger, clock, onSecurityEvent: securityEvent }) : undefined;
  const desk = new SignInDesk({ timeoutMs: config.auth.signInTimeoutMs, now: () => clock.now() });
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
  const authorizerOf = (serverId: string) => {
    const found = findUpstream(upstreams, serverId);
    if (!found) throw new SwitchboardError('CONFIG_INVALID', `no enabled server has the id "${serverId}"`);
    return found.authorizer;
  };
  const noSso = (): SsoSession => {
    throw new SwitchboardError('CONFIG_INVALID', 'no identity provider is configured (auth.idp in the configuration file)');
  };
  const router = new CatalogRouter(upstreams, logger, new NameLedger(join(deps.paths.dataDir, 'names.json'), logger), {
    memory: new SurfaceMemory(join(deps.paths.dataDir, 'surfaces.json'), logger),
  });
  const describeTarget = (target: string) => (target === SSO_TARGET ? `your company account (${config.auth.idp?.issuer ?? 'single sign-on'})` : `"${target}"`);
  const signInLinks = new SignInLinks({ begin: (target) => beginSignIn(target === SSO_TARGET ? undefined : target), describe: describeTarget, logger });
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

  /**
   * The sign-in a person started for a target. A server whose token comes from the company SSO (ID-JAG) and finds
   * nobody signed in there turns into the SSO sign-in first, then gets its token silently.
   */
  function startSignIn(serverId: string | undefined): PendingSignIn {
    if (!serverId) {
      const session = sso ?? noSso();
      return desk.begin(SSO_TARGET, async (person) => {
        await session.signIn(person);
        user.refresh();
        // Every server waiting for the company sign-in can now get its token without anyone.
        for (const { connection, authorizer } of upstreams) {
          if (authorizer.status().code === 'AUTH_SSO_REQUIRED' || connection.status().lastError?.code === 'AUTH_SSO_REQUIRED') {
            refreshAndReconnect(connection);
          }
        }
      });
    }
    const authorizer = authorizerOf(serverId);
    return desk.begin(serverId, async (person) => {
      try {
        await authorizer.signInPerson(person);
      } catch (error) {
        if (!(sso && error instanceof SwitchboardError && error.code === 'AUTH_SSO_REQUIRED')) throw error;
        await sso.signIn(person);
        user.refresh();
        await authorizer.signInPerson(person);
      }
    });
  }

  async function beginSignIn(serverId: string | undefined): Promise<SignInStart> {
    const target = serverId ?? SSO_TARGET;
    const pending = startSignIn(serverId);
    const outcome = await Promise.race([pending.authorizationUrl.then((url) => ({ url })), pending.done.then(() => ({ url: undefined }))]);
    if (outcome.url) return { target, state: 'waiting', authorizationUrl: outcome.url, expiresAt: new Date(pending.expiresAt).toISOString() };
    const notRequired = serverId !== undefined && authorizerOf(serverId).status().state === 'not-required';
    return { target, state: notRequired ? 'not-required' : 'signed-in' };
  }

  /** Sign-ins run from this process (the CLI without a running Switchboard): the system browser, and wait. */
  async function signInHere(serverId: string | undefined): Promise<void> {
    const started = await beginSignIn(serverId);
    if (started.state !== 'waiting') return;
    await browser.open(started.authorizationUrl!);
    await desk.get(started.target)?.done;
  }

  const auth: SwitchboardAuth = {
    vault,
    async status() {
      return {
        sso: sso ? await sso.status() : { configured: false, signedIn: false },
        servers: await Promise.all(upstreams.map(async ({ connection, authorizer }) => ({ id: connection.id, auth: await authorizer.currentStatus() }))),
        signingIn: desk.list().map(({ target, expiresAt }) => ({ target, expiresAt: new Date(expiresAt).toISOString() })),
      };
    },
    beginSignIn: (serverId) => beginSignIn(serverId),
    async awaitSignIn(serverId, signal) {
      const pending = desk.get(serverId ?? SSO_TARGET);
      if (!pending) return;
      signal?.throwIfAborted();
      await new Promise<void>((resolve, reject) => {
        const onAbort = () => reject(signal!.reason);
        signal?.addEventListener('abort', onAbort, { once: true });
        pending.done.then(resolve, reject).finally(() => signal?.removeEventListener('abort', onAbort));
      });
    },
    cancelSignIn: (serverId) => desk.cancel(serverId ?? SSO_TARGET),
    async signIn() {
      await signInHere(undefined);
      return (sso ?? noSso()).status();
    },
    async importIdToken(idToken) {
      const status = await (sso ?? noSso()).importIdToken(idToken);
      user.refresh();
      return status;
    },
    async signInToServer(serverId) {
      await signInHere(serverId);
      return authorizerOf(serverId).status();
    },
    async signOut(serverId) {
      if (serverId) {
        desk.cancel(serverId);
        await authorizerOf(serverId).signOut();
      } else {
        desk.cancelAll();
        await Promise.all([sso?.signOut(), ...upstreams.map(({ authorizer }) => authorizer.signOut())]);
      }
      // The servers' surfaces may shrink (and their next requests must sign in): clients hear it now.
      for (const { connection } of upstreams) if (!serverId || connection.id === serverId) connection.refreshSurface();
    },
  };

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
      // A sign-in waiting in a browser ends with Switchboard: its deadline must not keep the process alive.
      desk.cancelAll();
      await Promise.allSettled([control?.close(), running?.close(), handler.close(), ...upstreams.map(({ connection }) => connection.close())]);
      await audit.stop();
    },
    audit: () => audit.store(),
    recordSecurityEvent: ({ method, client, server, details }) => audit.recordSecurityEvent({ method, outcome: 'ok', client, server, details }),
    async describeServer(serverId) {
      const upstream = findUpstream(upstreams, serverId);
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
