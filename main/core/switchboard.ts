// Assembles the core services from a validated configuration and runs them until stopped.
import type { SwitchboardConfig } from './config/config-schema.ts';
import { createDownstreamHandler } from './gateway/downstream-protocol.ts';
import { startLocalEndpoint, type LocalEndpoint } from './gateway/local-endpoint.ts';
import type { Logger, Paths } from './ports.ts';
import { ToolRouter } from './router/tool-router.ts';
import { UpstreamConnection, type UpstreamStatus } from './upstream/upstream-connection.ts';

export interface SwitchboardDeps {
  config: SwitchboardConfig;
  logger: Logger;
  paths: Paths;
}

export interface SwitchboardStatus {
  mcpUrl: string | undefined;
  servers: UpstreamStatus[];
}

export interface Switchboard {
  /** Binds the local endpoint and starts connecting upstreams in the background; resolves once clients can connect. */
  start(): Promise<{ mcpUrl: string }>;
  status(): SwitchboardStatus;
  stop(): Promise<void>;
}

export function createSwitchboard(deps: SwitchboardDeps): Switchboard {
  const { config, logger } = deps;
  const enabled = config.servers.filter((server) => server.enabled);
  const upstreams = enabled.map((server) => ({
    connection: new UpstreamConnection(server, { logger, requestTimeoutMs: config.gateway.upstreamTimeoutMs }),
    prefix: server.prefix ?? server.id,
  }));
  const router = new ToolRouter(upstreams, logger);
  const handler = createDownstreamHandler(router, logger);
  let endpoint: LocalEndpoint | undefined;

  return {
    async start() {
      if (endpoint) return { mcpUrl: endpoint.mcpUrl };
      endpoint = await startLocalEndpoint({ port: config.gateway.port, maxBodyBytes: config.gateway.maxBodyBytes, handler, logger });
      // Connecting is not on the ready path: a slow or dead server must not delay every other one.
      for (const { connection } of upstreams) void connection.connect().catch(() => undefined);
      logger.log('info', 'switchboard.ready', { mcpUrl: endpoint.mcpUrl, servers: enabled.length });
      return { mcpUrl: endpoint.mcpUrl };
    },
    status() {
      return { mcpUrl: endpoint?.mcpUrl, servers: upstreams.map(({ connection }) => connection.status()) };
    },
    async stop() {
      const running = endpoint;
      endpoint = undefined;
      await Promise.allSettled([running?.close(), handler.close(), ...upstreams.map(({ connection }) => connection.close())]);
    },
  };
}

