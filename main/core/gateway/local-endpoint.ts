// The HTTP transport of the local MCP endpoint: binds 127.0.0.1, applies the guards and limits, hands /mcp to the protocol.
import { createServer, type IncomingMessage, type Server as HttpServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { toNodeHandler } from '@modelcontextprotocol/node';
import type { AuthInfo } from '@modelcontextprotocol/server';
import { SwitchboardError } from '../errors.ts';
import type { Logger } from '../ports.ts';
import type { AuthenticatedClient } from '../router/gateway-router.ts';
import type { CallRelay } from './call-relay.ts';
import { relayableCall } from './call-relay.ts';
import { continuationRefusal, malformedContinuation } from './continuation-params.ts';
import { checkHost, checkOrigin } from './request-guards.ts';
import { SIGN_IN_PATH } from './sign-in-links.ts';

export const MCP_PATH = '/mcp';

export interface LocalEndpointOptions {
  port: number;
  maxBodyBytes: number;
  /** Browser origins besides the endpoint's own that may call it. */
  allowedOrigins?: readonly string[];
  handler: { fetch: (request: Request, options?: { authInfo?: AuthInfo }) => Promise<Response> };
  /** Carries per-call requests as bytes; the rest (and whatever it declines) goes to `handler`. */
  callRelay?: CallRelay;
  /** Serves GET /sign-in/<value>: the one-time links clients are given when a server needs the person to sign in. */
  signInLinks?: { handle(request: IncomingMessage, response: ServerResponse): Promise<void> };
  /** Resolves a bearer credential to a registered client, or undefined. */
  authenticate: (credential: string | undefined) => AuthenticatedClient | undefined;
  logger: Logger;
}

const UNAUTHORIZED_MESSAGE =
  'This Switchboard endpoint needs a client credential. Create one with `switchboard clients add <name>` ' +
  '(or let the Switchboard app configure your client), then send it as "Authorization: Bearer <credential>".';

export interface LocalEndpoint {
  readonly port: number;
  readonly mcpUrl: string;
  close(): Promise<void>;
}

export async function startLocalEndpoint(options: LocalEndpointOptions): Promise<LocalEndpoint> {
  const nodeHandler = toNodeHandler(options.handler, {
    maxRequestBodySize: options.maxBodyBytes,
    onerror: (error) => options.logger.log('error', 'gateway.handler_failed', { message: error.message }),
  });
  let boundPort = 0;

  const server: HttpServer = createServer((request, response) => {
    void serve(request, response).catch((error: unknown) => {
      options.logger.log('error', 'gateway.request_failed', { message: (error as Error).message });
      if (!response.headersSent) sendPlain(response, 500, 'internal error');
      else response.destroy();
    });
  });

  async function serve(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const path = (request.url ?? '/').split('?')[0];
    const verdict = [checkHost(request, boundPort), checkOrigin(request, boundPort, options.allowedOrigins)].find((result) => !result.ok);
    if (verdict && !verdict.ok) {
      options.logger.log('warn', 'gateway.request_refused', { status: verdict.status, reason: verdict.reason });
      sendPlain(response, verdict.status, verdict.reason);
      return;
    }
    // A person's browser carries no client credential: the link's one-time value is what lets it in.
    if (path?.startsWith(SIGN_IN_PATH) && options.signInLinks) {
      request.resume();
      await options.signInLinks.handle(request, response);
      return;
    }
    if (path !== MCP_PATH) {
      sendPlain(response, 404, `not found; the MCP endpoint is ${MCP_PATH}`);
      return;
    }
    const client = options.authenticate(bearerCredential(request));
    if (!client) {
      options.logger.log('warn', 'gateway.request_unauthenticated', {});
      response
        .writeHead(401, { 'content-type': 'text/plain; charset=utf-8', 'www-authenticate': 'Bearer realm="switchboard"' })
        .end(`${UNAUTHORIZED_MESSAGE}\n`);
      request.resume();
      return;
    }
    // The client's own credential stops here: what travels on is who the client is, never the secret.
    (request as IncomingMessage & { auth?: AuthInfo }).auth = { token: '', clientId: client.id, scopes: [], extra: { view: client.view } };
    const declaredLength = Number(request.headers['content-length'] ?? 0);
    if (declaredLength > options.maxBodyBytes) {
      sendPlain(response, 413, `request body exceeds ${options.maxBodyBytes} bytes`);
      request.resume();
      return;
    }
    if (request.method === 'POST' && isJson(request)) {
      // Read once here: the envelope decides the path, and the SDK is handed the parsed body rather than the stream.
      const body = await readBody(request, options.maxBodyBytes);
      if (body === undefined) {
        sendPlain(response, 413, `request body exceeds ${options.maxBodyBytes} bytes`);
        return;
      }
      let message: unknown;
      try {
        message = JSON.parse(body.toString('utf8'));
      } catch {
        response
          .writeHead(400, { 'content-type': 'application/json' })
          .end(JSON.stringify({ jsonrpc: '2.0', id: null, error: { code: PARSE_ERROR, message: 'Parse error: the request body is not valid JSON' } }));
        return;
      }
      const malformed = malformedContinuation(message);
      if (malformed) {
        response.writeHead(200, { 'content-type': 'application/json' }).end(continuationRefusal(message, malformed));
        return;
      }
      const relay = options.callRelay;
      const call = relay ? relayableCall(message, request.headers) : undefined;
      if (relay && call && (await relay.serve(call, response, { clientId: client.id, view: client.view }))) return;
      await nodeHandler(request, response, message);
      return;
    }
    await nodeHandler(request, response);
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(
        new SwitchboardError(
          'GATEWAY_BIND_FAILED',
          `cannot listen on 127.0.0.1:${options.port} (${error.code ?? error.message}); choose another port with --port`,
          { cause: error },
        ),
      ),
    );
    // Loopback only: the endpoint is for AI clients on this machine, never the network.
    server.listen(options.port, '127.0.0.1', () => resolve());
  });
  boundPort = (server.address() as AddressInfo).port;

  return {
    port: boundPort,
    mcpUrl: `http://127.0.0.1:${boundPort}${MCP_PATH}`,
    async close() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}

const PARSE_ERROR = -32700;

function isJson(request: IncomingMessage): boolean {
  return (request.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase() === 'application/json';
}

/** The whole body, or undefined past `maxBytes` (the rest is drained, never held). */
async function readBody(request: IncomingMessage, maxBytes: number): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.byteLength;
    if (size > maxBytes) {
      request.resume();
      return undefined;
    }
    chunks.push(chunk);
  }
  return chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks);
}

function bearerCredential(request: IncomingMessage): string | undefined {
  const header = request.headers.authorization;
  return header?.toLowerCase().startsWith('bearer ') ? header.slice(7).trim() : undefined;
}

function sendPlain(response: ServerResponse, status: number, message: string): void {
  response.writeHead(status, { 'content-type': 'text/plain; charset=utf-8' }).end(`${message}\n`);
}
