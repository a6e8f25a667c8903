// Gateway, router and upstreams wired as main/core/switchboard.ts wires them, talking through fetch handlers in this process: no socket, no child.
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { createMcpHandler, isInitializeRequest, type McpServer, WebStandardStreamableHTTPServerTransport } from '@modelcontextprotocol/server';
import type { AuthInfo } from '@modelcontextprotocol/server';
import { z } from 'zod';
import { ServerAuthorizer } from '../../main/core/auth/server-authorizer.ts';
import { configSchema } from '../../main/core/config/config-schema.ts';
import { createDownstreamServerFactory, type DownstreamContext } from '../../main/core/gateway/downstream-protocol.ts';
import { createGatewayMcpHandler, type GatewayMcpHandler } from '../../main/core/gateway/mcp-handler.ts';
import { SignInLinks } from '../../main/core/gateway/sign-in-links.ts';
import { systemClock, type Logger } from '../../main/core/ports.ts';
import { MemorySecretStore } from './memory-secret-store.ts';
import { CatalogRouter, type ClientView } from '../../main/core/router/catalog-router.ts';
import { NameLedger } from '../../main/core/router/name-ledger.ts';
import { SurfaceMemory } from '../../main/core/router/surface-memory.ts';
import { UpstreamConnection } from '../../main/core/upstream/upstream-connection.ts';
import { Vault } from '../../main/core/vault/vault.ts';
import { createSandboxServer } from '../sandbox/sandbox-tools.ts';

type FetchHandler = (request: Request) => Promise<Response>;

/**
 * Origins answered by fetch handlers in this process. While installed it stands in for the global fetch, which is what
 * the upstream transport and the authorization discovery call; origins it does not know go to the real fetch.
 */
export class InProcessNetwork {
  readonly #routes = new Map<string, FetchHandler | 'refused'>();
  #original: typeof fetch | undefined;
  #nextPort = 41_000;

  /** A fresh loopback origin nothing listens on (config and the auth code accept plain http only on loopback). */
  origin(): string {
    return `http://127.0.0.1:${this.#nextPort++}`;
  }

  serve(origin: string, handler: FetchHandler): void {
    this.#routes.set(origin, handler);
  }

  /** The origin refuses connections, as a server that is down does. */
  refuse(origin: string): void {
    this.#routes.set(origin, 'refused');
  }

  install(): void {
    if (this.#original) return;
    const original = globalThis.fetch;
    this.#original = original;
    globalThis.fetch = async (input, init) => {
      const request = new Request(input, init);
      const { origin, host } = new URL(request.url);
      const route = this.#routes.get(origin);
      if (route === undefined) return original(input, init);
      if (route === 'refused')
        throw new TypeError('fetch failed', { cause: Object.assign(new Error(`connect ECONNREFUSED ${host}`), { code: 'ECONNREFUSED' }) });
      return route(request);
    };
  }

  uninstall(): void {
    if (this.#original) globalThis.fetch = this.#original;
    this.#original = undefined;
  }
}

export interface InProcessUpstream {
  id: string;
  era: 'modern' | 'legacy';
  url: string;
  /** The JSON-RPC methods the server received, in order. */
  methodsReceived: string[];
  /** Calls of the `hold` tool that started running, by tag. */
  holding: string[];
  /** Calls of the `hold` tool whose signal fired (the server saw the cancellation). */
  cancelled: string[];
  /** Adds a tool to every instance and tells connected clients that the tool list changed. */
  addTool(name: string): Promise<void>;
  close(): Promise<void>;
}

const MODERN_VERSIONS = ['2026-07-28'];
const LEGACY_VERSIONS = ['2025-11-25', '2025-06-18', '2025-03-26'];

/**
 * A real SDK server of one era (the sandbox surface: echo, add, slow with progress, …) plus `hold`, which waits until
 * cancelled and records that it was. Modern: createMcpHandler, one instance per request. Legacy: sessions, as 2025
 * deployments run, with a GET stream for notifications.
 */
export function serveUpstream(network: InProcessNetwork, id: string, era: 'modern' | 'legacy'): InProcessUpstream {
  const origin = network.origin();
  const added: string[] = [];
  const methodsReceived: string[] = [];
  const holding: string[] = [];
  const cancelled: string[] = [];
  const build = (): McpServer => {
    const server = createSandboxServer({ name: id }, { supportedProtocolVersions: era === 'modern' ? MODERN_VERSIONS : LEGACY_VERSIONS });
    server.registerTool(
      'hold',
      { description: 'Waits until cancelled.', inputSchema: z.object({ tag: z.string() }) },
      ({ tag }, context) =>
        new Promise((_resolve, reject) => {
          holding.push(tag);
          context.mcpReq.signal.addEventListener(
            'abort',
            () => {
              cancelled.push(tag);
              reject(new Error('cancelled'));
            },
            { once: true },
          );
        }),
    );
    for (const name of added) registerAdded(server, name);
    return server;
  };
  const record = async (request: Request) => {
    if (request.method !== 'POST') return;
    const body = (await request
      .clone()
      .json()
      .catch(() => undefined)) as { method?: unknown } | undefined;
    if (typeof body?.method === 'string') methodsReceived.push(body.method);
  };

  if (era === 'modern') {
    const handler = createMcpHandler(() => build(), { legacy: 'reject', keepAliveMs: 0 });
    network.serve(origin, async (request) => {
      await record(request);
      return handler.fetch(request);
    });
    return {
      id,
      era,
      url: `${origin}/mcp`,
      methodsReceived,
      holding,
      cancelled,
      async addTool(name) {
        added.push(name);
        await handler.notify.toolsChanged();
      },
      close: () => handler.close(),
    };
  }

  const sessions = new Map<string, { transport: WebStandardStreamableHTTPServerTransport; server: McpServer }>();
  network.serve(origin, async (request) => {
    await record(request);
    const sessionId = request.headers.get('mcp-session-id');
    if (sessionId) {
      const session = sessions.get(sessionId);
      if (!session) return Response.json({ jsonrpc: '2.0', id: null, error: { code: -32001, message: 'Session not found' } }, { status: 404 });
      return session.transport.handleRequest(request);
    }
    const body: unknown =
      request.method === 'POST'
        ? await request
            .clone()
            .json()
            .catch(() => undefined)
        : undefined;
    if (!isInitializeRequest(body))
      return Response.json({ jsonrpc: '2.0', id: null, error: { code: -32000, message: 'Bad Request: No valid session ID provided' } }, { status: 400 });
    const server = build();
    const transport: WebStandardStreamableHTTPServerTransport = new WebStandardStreamableHTTPServerTransport({
      sessionIdGenerator: () => randomUUID(),
      onsessioninitialized: (value) => void sessions.set(value, { transport, server }),
      onsessionclosed: (value) => void sessions.delete(value),
    });
    await server.connect(transport);
    return transport.handleRequest(request, { parsedBody: body });
  });
  return {
    id,
    era,
    url: `${origin}/mcp`,
    methodsReceived,
    holding,
    cancelled,
    async addTool(name) {
      added.push(name);
      for (const { server } of sessions.values()) {
        registerAdded(server, name);
        await server.server.sendToolListChanged();
      }
    },
    async close() {
      const open = [...sessions.values()];
      sessions.clear();
      await Promise.allSettled(open.map(({ transport }) => transport.close()));
    },
  };
}

function registerAdded(server: McpServer, name: string): void {
  server.registerTool(name, { description: `Added at run time: ${name}.` }, () => ({ content: [{ type: 'text', text: `${name} ran` }] }));
}

/**
 * A server behind OAuth that nobody signed in to: its MCP endpoint answers 401 with a resource_metadata challenge,
 * and its metadata names an authorization server that offers only the authorization-code flow (a person must sign in).
 */
export function serveSignInRequired(network: InProcessNetwork): { url: string; methodsReceived: string[]; authorizationsReceived: string[] } {
  const origin = network.origin();
  const url = `${origin}/mcp`;
  const prm = `${origin}/.well-known/oauth-protected-resource/mcp`;
  const methodsReceived: string[] = [];
  const authorizationsReceived: string[] = [];
  network.serve(origin, async (request) => {
    const path = new URL(request.url).pathname;
    if (path === '/mcp') {
      const authorization = request.headers.get('authorization');
      if (authorization) authorizationsReceived.push(authorization);
      const body = (await request
        .clone()
        .json()
        .catch(() => undefined)) as { method?: unknown } | undefined;
      if (typeof body?.method === 'string') methodsReceived.push(body.method);
      return new Response('sign in first', { status: 401, headers: { 'www-authenticate': `Bearer resource_metadata="${prm}", scope="read"` } });
    }
    if (path === new URL(prm).pathname) return Response.json({ resource: url, authorization_servers: [origin], scopes_supported: ['read'] });
    if (path === '/.well-known/oauth-authorization-server') {
      return Response.json({
        issuer: origin,
        authorization_endpoint: `${origin}/authorize`,
        token_endpoint: `${origin}/token`,
        response_types_supported: ['code'],
        grant_types_supported: ['authorization_code', 'refresh_token'],
        code_challenge_methods_supported: ['S256'],
        client_id_metadata_document_supported: true,
      });
    }
    return new Response('not found', { status: 404 });
  });
  return { url, methodsReceived, authorizationsReceived };
}

export interface InProcessGateway {
  handler: GatewayMcpHandler;
  /** The URL the downstream clients believe they talk to; nothing listens there. */
  mcpUrl: string;
  logs: { level: string; event: string; fields?: Record<string, unknown> }[];
  /** An SDK client of one era whose transport calls the handler's fetch directly, as one authenticated local client. */
  connect(
    era: 'modern' | 'legacy',
    options?: { clientId?: string; view?: ClientView; clientOptions?: ConstructorParameters<typeof Client>[1] },
  ): Promise<Client>;
  close(): Promise<void>;
}

/** Wires the core the way createSwitchboard does (minus the listener, the control socket and the audit database). */
export async function startInProcessGateway(servers: { id: string; url: string; prefix?: string }[]): Promise<InProcessGateway> {
  const dataDir = await mkdtemp(join(tmpdir(), 'switchboard-inproc-'));
  const config = configSchema.parse({ servers, gateway: { upstreamTimeoutMs: 5_000 } });
  const logs: InProcessGateway['logs'] = [];
  const logger: Logger = { log: (level, event, fields) => void logs.push({ level, event, ...(fields ? { fields } : {}) }) };
  const vault = new Vault(new MemorySecretStore());
  let notifyListChanged: (kind: 'tools' | 'prompts' | 'resources' | 'resourceTemplates') => void = () => undefined;
  const upstreams = config.servers.map((server) => {
    // The servers are functions here: sign-in fetches go through the in-process network, not sockets.
    const authorizer = new ServerAuthorizer(server, {
      auth: config.auth,
      vault,
      sso: undefined,
      logger,
      clock: systemClock,
      network: { inProcessFetch: (input, init) => fetch(input, init) },
    });
    const connection = new UpstreamConnection(server, {
      logger,
      requestTimeoutMs: config.gateway.upstreamTimeoutMs,
      onListChanged: (kind) => notifyListChanged(kind),
      authorizer,
    });
    return { connection, prefix: server.prefix ?? server.id };
  });
  const router = new CatalogRouter(upstreams, logger, new NameLedger(join(dataDir, 'names.json'), logger), {
    memory: new SurfaceMemory(join(dataDir, 'surfaces.json'), logger),
  });
  const mcpUrl = 'http://127.0.0.1:9/mcp';
  const describe = (target: string) => `"${target}"`;
  const signInLinks = new SignInLinks({ begin: () => Promise.resolve({ state: 'waiting' }), describe, logger });
  signInLinks.setOrigin(new URL(mcpUrl).origin);
  const handler = createGatewayMcpHandler({
    buildServer: createDownstreamServerFactory(router, { signInLinks: { issue: (target) => signInLinks.issue(target), describe } }),
    contextOf: (authInfo: AuthInfo | undefined): DownstreamContext => ({
      clientId: authInfo?.clientId ?? 'anonymous',
      view: (authInfo?.extra?.view ?? {}) as ClientView,
      subscriptions: new Set(),
    }),
    maxBodyBytes: config.gateway.maxBodyBytes,
    logger,
  });
  notifyListChanged = (kind) => handler.notifyListChanged(kind);
  const clients: Client[] = [];
  // As switchboard.start() does: connecting runs in the background, never on the ready path.
  for (const { connection } of upstreams) void connection.connect().catch(() => undefined);

  return {
    handler,
    mcpUrl,
    logs,
    async connect(era, options = {}) {
      const authInfo: AuthInfo = { token: '', clientId: options.clientId ?? 'tester', scopes: [], extra: { view: options.view ?? {} } };
      const client = new Client(
        { name: 'in-process-test', version: '1.0.0' },
        { versionNegotiation: { mode: era === 'legacy' ? 'legacy' : 'auto' }, ...options.clientOptions },
      );
      await client.connect(new StreamableHTTPClientTransport(new URL(mcpUrl), { fetch: (url, init) => handler.fetch(new Request(url, init), { authInfo }) }));
      clients.push(client);
      return client;
    },
    async close() {
      await Promise.allSettled(clients.map((client) => client.close()));
      await handler.close();
      await Promise.allSettled(upstreams.map(({ connection }) => connection.close()));
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
