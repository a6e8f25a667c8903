// Assembles the core services from a validated configuration and runs them until stopped.
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { AuthInfo } from '@modelcontextprotocol/server';
import { ANONYMOUS_CLIENT, ClientRegistry, clientRegistryPath, type AuthenticatedClient } from './clients/client-registry.ts';
import type { SwitchboardConfig } from './config/config-schema.ts';
import { startControlSocket } from './control/control-socket.ts';
import { createDownstreamServerFactory, type DownstreamContext } from './gateway/downstream-protocol.ts';
import { startLocalEndpoint, type LocalEndpoint } from './gateway/local-endpoint.ts';
import { createGatewayMcpHandler } from './gateway/mcp-handler.ts';
import type { Logger, Paths } from './ports.ts';
import { CatalogRouter, type ClientView, type NameCollision } from './router/catalog-router.ts';
import { NameLedger } from './router/name-ledger.ts';
import { UpstreamConnection, type UpstreamStatus } from './upstream/upstream-connection.ts';

export interface SwitchboardDeps {
  config: SwitchboardConfig;
  logger: Logger;
  paths: Paths;
  /** Development and conformance runs only: accept requests without a client credential. */
  allowAnonymous?: boolean;
}

export interface SwitchboardStatus {
  mcpUrl: string | undefined;
  anonymousAllowed: boolean;
  clients: { id: string; createdAt: string; servers?: string[]; tools?: string[] }[];
  legacySessions: number;
  servers: UpstreamStatus[];
  collisions: readonly NameCollision[];
}

export interface Switchboard {
  /** Binds the local endpoint and starts connecting upstreams in the background; resolves once clients can connect. */
  start(): Promise<{ mcpUrl: string }>;
  status(): SwitchboardStatus;
  stop(): Promise<void>;
}

export function createSwitchboard(deps: SwitchboardDeps): Switchboard {
  const { config, logger } = deps;
  const registry = new ClientRegistry(clientRegistryPath(deps.paths.dataDir));
  const enabled = config.servers.filter((server) => server.enabled);
  // Late-bound: upstreams report list changes to the handler, which is built after them.
  let notifyListChanged: (kind: 'tools' | 'prompts' | 'resources' | 'resourceTemplates') => void = () => undefined;
  let notifyResourceUpdated: (uri: string) => void = () => undefined;
  const upstreams = enabled.map((server) => ({
    connection: new UpstreamConnection(server, {
      logger,
      requestTimeoutMs: config.gateway.upstreamTimeoutMs,
      onListChanged: (kind) => notifyListChanged(kind),
      onResourceUpdated: (uri) => notifyResourceUpdated(uri),
    }),
    prefix: server.prefix ?? server.id,
  }));
  const router = new CatalogRouter(upstreams, logger, new NameLedger(join(deps.paths.dataDir, 'names.json'), logger));
  const handler = createGatewayMcpHandler({
    buildServer: createDownstreamServerFactory(router),
    contextOf: downstreamContext,
    maxBodyBytes: config.gateway.maxBodyBytes,
    logger,
  });
  notifyListChanged = (kind) => handler.notifyListChanged(kind);
  notifyResourceUpdated = (uri) => handler.notifyResourceUpdated(uri);
  let endpoint: LocalEndpoint | undefined;
  let control: { close(): Promise<void> } | undefined;

  const authenticate = (credential: string | undefined): AuthenticatedClient | undefined =>
    registry.authenticate(credential) ?? (deps.allowAnonymous && credential === undefined ? ANONYMOUS_CLIENT : undefined);

  return {
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
      endpoint = await startLocalEndpoint({ port: config.gateway.port, maxBodyBytes: config.gateway.maxBodyBytes, handler, authenticate, logger }).catch(async (error: unknown) => {
        await control?.close();
        throw error;
      });
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
      };
    },
    async stop() {
      const running = endpoint;
      endpoint = undefined;
      await Promise.allSettled([control?.close(), running?.close(), handler.close(), ...upstreams.map(({ connection }) => connection.close())]);
    },
  };
}

function downstreamContext(authInfo: AuthInfo | undefined): DownstreamContext {
  const view = (authInfo?.extra?.view ?? {}) as ClientView;
  return { clientId: authInfo?.clientId ?? ANONYMOUS_CLIENT.id, view, subscriptions: new Set() };
}
