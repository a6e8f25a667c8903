// The MCP side clients talk to: one SDK server surface (both protocol eras) whose handlers delegate to the router.
import { createMcpHandler, ProtocolError, Server } from '@modelcontextprotocol/server';
import type { McpHttpHandler } from '@modelcontextprotocol/server';
import { isSwitchboardError } from '../errors.ts';
import type { Logger } from '../ports.ts';
import type { ToolRouter } from '../router/tool-router.ts';
import { SWITCHBOARD_IMPLEMENTATION } from '../version.ts';

/** JSON-RPC codes for local failures: the spec's invalid-params for unknown tools, internal error otherwise. */
const INVALID_PARAMS = -32602;
const INTERNAL_ERROR = -32603;

const INSTRUCTIONS =
  'Switchboard aggregates the MCP servers enabled on this machine. Tool names carry a short prefix naming the server that provides them.';

export function createDownstreamHandler(router: ToolRouter, logger: Logger): McpHttpHandler {
  const buildServer = (): Server => {
    const server = new Server(SWITCHBOARD_IMPLEMENTATION, {
      capabilities: { tools: { listChanged: true } },
      instructions: INSTRUCTIONS,
    });
    server.setRequestHandler('tools/list', async () => ({ tools: await withWireErrors(() => router.listTools()) }));
    server.setRequestHandler('tools/call', async (request, context) => {
      const progressToken = request.params._meta?.progressToken;
      return withWireErrors(() =>
        router.callTool(request.params.name, request.params.arguments, {
          signal: context.mcpReq.signal,
          ...(progressToken === undefined
            ? {}
            : {
                // Relay upstream progress under the token the downstream client chose, not the upstream one.
                onprogress: (progress) => {
                  void context.mcpReq
                    .notify({ method: 'notifications/progress', params: { progressToken, ...progress } })
                    .catch(() => undefined);
                },
              }),
        }),
      );
    });
    return server;
  };
  return createMcpHandler(buildServer, {
    legacy: 'stateless',
    onerror: (error) => logger.log('debug', 'gateway.protocol_error', { message: error.message }),
  });
}

/** Local errors become JSON-RPC errors that carry the stable code; upstream JSON-RPC errors pass through unchanged. */
async function withWireErrors<T>(operation: () => Promise<T>): Promise<T> {
  try {
    return await operation();
  } catch (error) {
    if (error instanceof ProtocolError) throw error;
    if (isSwitchboardError(error)) {
      const code = error.code === 'ROUTER_UNKNOWN_TOOL' ? INVALID_PARAMS : INTERNAL_ERROR;
      throw new ProtocolError(code, error.message, { switchboardCode: error.code });
    }
    throw new ProtocolError(INTERNAL_ERROR, 'Switchboard failed to handle the request; see its log for details', { switchboardCode: 'INTERNAL' });
  }
}
