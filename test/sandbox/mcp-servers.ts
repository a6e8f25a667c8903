// Real MCP servers for tests, benchmarks and the demo: SDK v2 servers of either protocol era, optionally behind OAuth.
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { NodeStreamableHTTPServerTransport, toNodeHandler } from '@modelcontextprotocol/node';
import { createMcpHandler, isInitializeRequest, type AuthInfo } from '@modelcontextprotocol/server';
import { SandboxTaskStore, TASKS_EXTENSION } from './sandbox-tasks.ts';
import { createSandboxServer, SCOPE_PROTECTED_TOOL, SCOPE_PROTECTED_TOOL_SCOPE, TASK_TOOL } from './sandbox-tools.ts';
import { AI_CATALOG_MEDIA_TYPE, buildAiCatalog, buildServerCard, SERVER_CARD_MEDIA_TYPE, serveDiscoveryDocument, type CardSubject } from './server-card.ts';

export type SandboxEra = 'modern' | 'legacy';

/** What a protected sandbox server learns from a valid bearer token. */
export interface VerifiedToken {
  sub: string;
  clientId?: string;
  scopes: string[];
  expiresAt?: number;
}

export interface SandboxServerAuth {
  /** Resolves for a token this server accepts, rejects otherwise (the reason goes into the 401's error_description). */
  verifyAccessToken: (token: string) => Promise<VerifiedToken>;
  authorizationServers: string[];
  scopesSupported?: string[];
  /** The scopes a 401 challenge asks for (default: all of scopesSupported); fewer makes clients step up later. */
  challengeScopes?: string[];
}

export interface StartMcpServerOptions {
  name: string;
  era: SandboxEra;
  title?: string;
  description?: string;
  auth?: SandboxServerAuth;
  /** Serve a Server Card and an ai-catalog entry (default true). */
  card?: boolean;
  extraTools?: number;
  /** Fixed port (e.g. to restart a server at the same URL); default 0. */
  port?: number;
}

export interface SandboxMcpServer {
  name: string;
  era: SandboxEra;
  url: string;
  origin: string;
  port: number;
  /** The JSON-RPC methods POSTed to the MCP endpoint so far, in order (tests check what a client sent). */
  methodsReceived: string[];
  /** Every Authorization header value that reached the MCP endpoint (tests check no token went to the wrong server). */
  authorizationsReceived: string[];
  /** Legacy era: forgets every session, so the next request with an old Mcp-Session-Id gets 404. */
  dropSessions(): Promise<void>;
  close(): Promise<void>;
}

const LEGACY_VERSIONS = ['2025-11-25', '2025-06-18', '2025-03-26'];
const MODERN_VERSIONS = ['2026-07-28'];
const MCP_PATH = '/mcp';
const PRM_PATHS = [`/.well-known/oauth-protected-resource${MCP_PATH}`, '/.well-known/oauth-protected-resource'];

export async function startMcpServer(options: StartMcpServerOptions): Promise<SandboxMcpServer> {
  const http = createServer();
  await new Promise<void>((resolve, reject) => {
    http.once('error', reject);
    http.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const port = (http.address() as AddressInfo).port;
  const origin = `http://127.0.0.1:${port}`;
  const url = `${origin}${MCP_PATH}`;
  const resourceMetadataUrl = `${origin}${PRM_PATHS[0]}`;
  const subject: CardSubject = {
    name: options.name,
    title: options.title ?? `Sandbox ${options.name}`,
    description: options.description ?? `The ${options.name} sandbox MCP server (${options.era} era).`,
    mcpUrl: url,
    supportedProtocolVersions: options.era === 'modern' ? MODERN_VERSIONS : LEGACY_VERSIONS,
  };
  const serveMcp = options.era === 'modern' ? createModernEndpoint(options) : createLegacyEndpoint(options);
  const methodsReceived: string[] = [];
  const authorizationsReceived: string[] = [];

  http.on('request', (request: IncomingMessage, response: ServerResponse) => {
    void route(request, response).catch((error: unknown) => {
      if (!response.headersSent) response.writeHead(500, { 'content-type': 'text/plain' }).end(String((error as Error).message));
      else response.destroy();
    });
  });

  async function route(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const path = (request.url ?? '/').split('?')[0] ?? '/';
    if (options.card !== false && path === `${MCP_PATH}/server-card`)
      return serveDiscoveryDocument(request, response, buildServerCard(subject), SERVER_CARD_MEDIA_TYPE);
    if (options.card !== false && path === '/.well-known/ai-catalog.json')
      return serveDiscoveryDocument(request, response, buildAiCatalog(subject), AI_CATALOG_MEDIA_TYPE);
    if (options.auth && PRM_PATHS.includes(path)) return sendJson(response, 200, protectedResourceMetadata(url, options.auth));
    if (path !== MCP_PATH) return void response.writeHead(404, { 'content-type': 'text/plain' }).end('not found');

    const body = request.method === 'POST' ? await readJson(request) : undefined;
    const method = (body as { method?: unknown } | undefined)?.method;
    if (typeof method === 'string') methodsReceived.push(method);
    if (request.headers.authorization) authorizationsReceived.push(request.headers.authorization);
    if (options.auth) {
      const authInfo = await authenticate(request, response, options.auth, resourceMetadataUrl, url);
      if (!authInfo) return;
      if (needsMissingScope(body, authInfo)) {
        response
          .writeHead(403, {
            'www-authenticate': `Bearer error="insufficient_scope", scope="${[...new Set([...authInfo.scopes, SCOPE_PROTECTED_TOOL_SCOPE])].join(' ')}", resource_metadata="${resourceMetadataUrl}"`,
            'content-type': 'text/plain',
          })
          .end(`${SCOPE_PROTECTED_TOOL} needs the "${SCOPE_PROTECTED_TOOL_SCOPE}" scope`);
        return;
      }
      (request as IncomingMessage & { auth?: AuthInfo }).auth = authInfo;
    }
    if (options.era === 'modern' && callsTaskToolWithoutTasks(body)) {
      const requiredCapabilities = { extensions: { [TASKS_EXTENSION]: {} } };
      const id = (body as { id?: unknown }).id ?? null;
      return sendJson(response, 400, {
        jsonrpc: '2.0',
        id,
        error: { code: -32021, message: 'Missing required client capability', data: { requiredCapabilities } },
      });
    }
    await serveMcp.handle(request, response, body);
  }

  return {
    name: options.name,
    era: options.era,
    url,
    origin,
    port,
    methodsReceived,
    authorizationsReceived,
    dropSessions: () => serveMcp.dropSessions(),
    async close() {
      await serveMcp.close();
      await new Promise<void>((resolve) => {
        http.close(() => resolve());
        http.closeAllConnections();
      });
    },
  };
}

interface McpEndpoint {
  handle(request: IncomingMessage, response: ServerResponse, body: unknown): Promise<void>;
  dropSessions(): Promise<void>;
  close(): Promise<void>;
}

/** 2026-07-28 only: stateless, one server instance per request, with the Tasks extension; 2025-era requests are refused with the version error. */
function createModernEndpoint(options: StartMcpServerOptions): McpEndpoint {
  // Tasks outlive the request that created them, so their store is the server's, not the per-request instance's.
  const tasks = new SandboxTaskStore();
  const handler = createMcpHandler(() => createSandboxServer(options, { supportedProtocolVersions: MODERN_VERSIONS }, tasks), { legacy: 'reject' });
  const nodeHandler = toNodeHandler(handler);
  return {
    handle: (request, response, body) => nodeHandler(request, response, body),
    dropSessions: async () => undefined,
    close: () => handler.close(),
  };
}

/** A 2025-11-25 server with sessions: initialize, Mcp-Session-Id, GET stream and DELETE, as 2025 deployments run. */
function createLegacyEndpoint(options: StartMcpServerOptions): McpEndpoint {
  const sessions = new Map<string, NodeStreamableHTTPServerTransport>();

  async function closeAll(): Promise<void> {
    const open = [...sessions.values()];
    sessions.clear();
    await Promise.allSettled(open.map((transport) => transport.close()));
  }

  return {
    async handle(request, response, body) {
      const sessionId = request.headers['mcp-session-id'];
      if (typeof sessionId === 'string') {
        const transport = sessions.get(sessionId);
        if (!transport) return sendJson(response, 404, { jsonrpc: '2.0', id: null, error: { code: -32001, message: 'Session not found' } });
        return transport.handleRequest(request, response, body);
      }
      if (request.method === 'POST' && isInitializeRequest(body)) {
        const transport = new NodeStreamableHTTPServerTransport({
          sessionIdGenerator: () => randomUUID(),
          onsessioninitialized: (id) => void sessions.set(id, transport),
          onsessionclosed: (id) => void sessions.delete(id),
        });
        const server = createSandboxServer(options, { supportedProtocolVersions: LEGACY_VERSIONS });
        await server.connect(transport);
        return transport.handleRequest(request, response, body);
      }
      // What a 2025 server says to anything else without a session, including a 2026 `server/discover` probe.
      sendJson(response, 400, { jsonrpc: '2.0', id: null, error: { code: -32000, message: 'Bad Request: No valid session ID provided' } });
    },
    dropSessions: closeAll,
    close: closeAll,
  };
}

async function authenticate(
  request: IncomingMessage,
  response: ServerResponse,
  auth: SandboxServerAuth,
  resourceMetadataUrl: string,
  resource: string,
): Promise<AuthInfo | undefined> {
  const header = request.headers.authorization;
  const token = header?.startsWith('Bearer ') ? header.slice('Bearer '.length).trim() : undefined;
  const scopes = auth.challengeScopes ?? auth.scopesSupported;
  const challenge = (extra: string) => `Bearer resource_metadata="${resourceMetadataUrl}"${scopes?.length ? `, scope="${scopes.join(' ')}"` : ''}${extra}`;
  if (!token) {
    response.writeHead(401, { 'www-authenticate': challenge(''), 'content-type': 'text/plain' }).end('authentication required');
    return undefined;
  }
  try {
    const verified = await auth.verifyAccessToken(token);
    return {
      token,
      clientId: verified.clientId ?? 'unknown',
      scopes: verified.scopes,
      ...(verified.expiresAt === undefined ? {} : { expiresAt: verified.expiresAt }),
      resource: new URL(resource),
      extra: { sub: verified.sub },
    };
  } catch (error) {
    const reason = String((error as Error).message).replace(/["\\]/g, "'");
    response
      .writeHead(401, { 'www-authenticate': challenge(`, error="invalid_token", error_description="${reason}"`), 'content-type': 'text/plain' })
      .end('invalid token');
    return undefined;
  }
}

function needsMissingScope(body: unknown, authInfo: AuthInfo): boolean {
  const message = body as { method?: unknown; params?: { name?: unknown } } | undefined;
  return message?.method === 'tools/call' && message.params?.name === SCOPE_PROTECTED_TOOL && !authInfo.scopes.includes(SCOPE_PROTECTED_TOOL_SCOPE);
}

/** The task-only tool called by a client that did not declare the Tasks extension on the request. */
function callsTaskToolWithoutTasks(body: unknown): boolean {
  const message = body as
    { method?: unknown; params?: { name?: unknown; _meta?: Record<string, { extensions?: Record<string, unknown> } | undefined> } } | undefined;
  if (message?.method !== 'tools/call' || message.params?.name !== TASK_TOOL) return false;
  return !message.params._meta?.['io.modelcontextprotocol/clientCapabilities']?.extensions?.[TASKS_EXTENSION];
}

function protectedResourceMetadata(resource: string, auth: SandboxServerAuth): Record<string, unknown> {
  return {
    resource,
    authorization_servers: auth.authorizationServers,
    ...(auth.scopesSupported ? { scopes_supported: auth.scopesSupported } : {}),
    bearer_methods_supported: ['header'],
  };
}

async function readJson(request: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  if (text === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text; // the SDK answers malformed JSON with its own parse error
  }
}

function sendJson(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}
