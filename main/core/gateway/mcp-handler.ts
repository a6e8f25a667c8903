// One fetch-shaped MCP handler for both protocol eras: 2026-07-28 per request, 2025-era through sessions; list changes fan out to both.
import { createMcpHandler, isLegacyRequest } from '@modelcontextprotocol/server';
import type { AuthInfo, McpHandlerRequestOptions } from '@modelcontextprotocol/server';
import type { Logger } from '../ports.ts';
import type { ListKind } from '../router/gateway-router.ts';
import type { DownstreamContext, DownstreamServerFactory } from './downstream-protocol.ts';
import { LegacySessions, type LegacySessionLimits } from './legacy-sessions.ts';

export interface GatewayMcpHandler {
  fetch(request: Request, options?: McpHandlerRequestOptions): Promise<Response>;
  /** Tells every connected client, in either era, that a list changed. */
  notifyListChanged(kind: ListKind): void;
  /** Tells the clients subscribed to a resource, in either era, that it changed. */
  notifyResourceUpdated(uri: string): void;
  sessionCount(): number;
  close(): Promise<void>;
}

export function createGatewayMcpHandler(options: {
  buildServer: DownstreamServerFactory;
  contextOf: (authInfo: AuthInfo | undefined) => DownstreamContext;
  maxBodyBytes: number;
  /** Bounds on 2025-era sessions (idle time, per-client cap); the defaults when absent. */
  sessions?: LegacySessionLimits;
  logger: Logger;
}): GatewayMcpHandler {
  const modern = createMcpHandler(({ authInfo }) => options.buildServer(options.contextOf(authInfo)), {
    legacy: 'reject',
    maxRequestBodySize: options.maxBodyBytes,
    onerror: (error) => options.logger.log('debug', 'gateway.protocol_error', { message: error.message }),
  });
  const legacy = new LegacySessions(options.buildServer, options.contextOf, options.sessions, options.logger);

  return {
    async fetch(request, requestOptions) {
      const legacyEra = await isLegacyRequest(request, requestOptions?.parsedBody, { maxRequestBodySize: options.maxBodyBytes });
      return legacyEra ? legacy.fetch(request, requestOptions) : modern.fetch(request, requestOptions);
    },
    notifyListChanged(kind) {
      if (kind === 'resourceTemplates') return;
      legacy.broadcast(kind);
      if (kind === 'tools') modern.notify.toolsChanged();
      else if (kind === 'prompts') modern.notify.promptsChanged();
      else modern.notify.resourcesChanged();
    },
    notifyResourceUpdated(uri) {
      legacy.resourceUpdated(uri);
      modern.notify.resourceUpdated(uri);
    },
    sessionCount: () => legacy.size,
    async close() {
      await Promise.allSettled([legacy.close(), modern.close()]);
    },
  };
}
