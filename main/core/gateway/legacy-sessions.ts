// 2025-era downstream clients: one SDK session per `initialize`, bound to the client that opened it, with GET streams and DELETE.
import { randomUUID } from 'node:crypto';
import { isInitializeRequest, WebStandardStreamableHTTPServerTransport } from '@modelcontextprotocol/server';
import type { AuthInfo, McpHandlerRequestOptions, Server } from '@modelcontextprotocol/server';
import type { DownstreamContext } from './downstream-protocol.ts';

interface LegacySession {
  transport: WebStandardStreamableHTTPServerTransport;
  server: Server;
  context: DownstreamContext;
}

export class LegacySessions {
  readonly #sessions = new Map<string, LegacySession>();
  readonly #buildServer: (context: DownstreamContext) => Server;
  readonly #contextOf: (authInfo: AuthInfo | undefined) => DownstreamContext;

  constructor(buildServer: (context: DownstreamContext) => Server, contextOf: (authInfo: AuthInfo | undefined) => DownstreamContext) {
    this.#buildServer = buildServer;
    this.#contextOf = contextOf;
  }

  get size(): number {
    return this.#sessions.size;
  }

  async fetch(request: Request, options: McpHandlerRequestOptions = {}): Promise<Response> {
    const context = this.#contextOf(options.authInfo);
    const sessionId = request.headers.get('mcp-session-id');
    if (sessionId) {
      const session = this.#sessions.get(sessionId);
      // Another client's session id is treated exactly like an unknown one: it reveals nothing and reaches nothing.
      if (!session || session.context.clientId !== context.clientId) return jsonRpcError(404, -32001, 'Session not found; initialize a new session');
      return session.transport.handleRequest(request, options);
    }
    const body = options.parsedBody ?? (request.method === 'POST' ? await request.clone().json().catch(() => undefined) : undefined);
    if (request.method === 'POST' && isInitializeRequest(body)) return this.#open(request, { ...options, parsedBody: body }, context);
    return jsonRpcError(400, -32000, 'Bad Request: no valid Mcp-Session-Id; send initialize first');
  }

  /** Sends a list-changed notification to every open session (their GET streams carry it). */
  broadcast(kind: 'tools' | 'prompts' | 'resources'): void {
    for (const { server } of this.#sessions.values()) {
      const send = kind === 'tools' ? server.sendToolListChanged() : kind === 'prompts' ? server.sendPromptListChanged() : server.sendResourceListChanged();
      void send.catch(() => undefined);
    }
  }

  /** Tells the sessions that subscribed to `uri` that it changed. */
  resourceUpdated(uri: string): void {
    for (const { server, context } of this.#sessions.values()) {
      if (context.subscriptions.has(uri)) void server.sendResourceUpdated({ uri }).catch(() => undefined);
    }
  }

  async close(): Promise<void> {
    const open = [...this.#sessions.values()];
    this.#sessions.clear();
    await Promise.allSettled(open.map(({ transport }) => transport.close()));
  }

  async #open(request: Request, options: McpHandlerRequestOptions, context: DownstreamContext): Promise<Response> {
    const server = this.#buildServer(context);
    const transport: WebStandardStreamableHTTPServerTransport = new WebStandardStreamableHTTPServerTransport({
      sessionIdGenerator: () => randomUUID(),
      onsessioninitialized: (id) => void this.#sessions.set(id, { transport, server, context }),
      onsessionclosed: (id) => void this.#sessions.delete(id),
    });
    await server.connect(transport);
    return transport.handleRequest(request, options);
  }
}

function jsonRpcError(status: number, code: number, message: string): Response {
  return new Response(JSON.stringify({ jsonrpc: '2.0', id: null, error: { code, message } }), { status, headers: { 'content-type': 'application/json' } });
}
