// The UI over loopback HTTP for `serve --ui`: the built pages, and the contract at /api behind a random token — the same contract the app's IPC serves.
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, sep } from 'node:path';
import { checkHost, checkOrigin } from '../gateway/request-guards.ts';
import type { Logger } from '../ports.ts';
import { UI_CONTENT_SECURITY_POLICY as CSP } from './content-security-policy.ts';
import type { UiService } from './ui-service.ts';

export interface UiEndpoint {
  /** Open this in a browser: the token travels in the fragment, which browsers never send to a server. */
  url: string;
  port: number;
  close(): Promise<void>;
}

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript',
  '.css': 'text/css',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
  '.json': 'application/json',
};
const MAX_REQUEST_BYTES = 64 * 1024;

export async function startUiEndpoint(options: { service: UiService; staticDir: string; logger: Logger; port?: number; token?: string }): Promise<UiEndpoint> {
  const token = options.token ?? randomBytes(24).toString('base64url');
  const expected = Buffer.from(`Bearer ${token}`);
  let port = 0;

  const authorized = (request: IncomingMessage) => {
    const presented = Buffer.from(request.headers.authorization ?? '');
    return presented.length === expected.length && timingSafeEqual(presented, expected);
  };

  const server = createServer((request, response) => {
    void handle(request, response).catch((error: unknown) => {
      options.logger.log('error', 'ui.http_failed', { message: (error as Error).message });
      if (!response.headersSent) response.writeHead(500).end();
      else response.destroy();
    });
  });

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    // The same DNS-rebinding and web-page guards as the MCP endpoint: only this page's own origin.
    const verdict = [checkHost(request, port), checkOrigin(request, port)].find((result) => !result.ok);
    if (verdict && !verdict.ok) return void response.writeHead(403, { 'content-type': 'text/plain' }).end(`${verdict.reason}\n`);
    const path = (request.url ?? '/').split('?')[0]!;
    if (path.startsWith('/api/')) {
      if (!authorized(request))
        return sendJson(response, 401, {
          ok: false,
          error: { code: 'UI_UNAUTHORIZED', message: 'open the address `switchboard serve --ui` printed; it carries the access token' },
        });
      if (request.method === 'POST' && path.startsWith('/api/invoke/')) {
        const body = await readBody(request);
        if (body === undefined) return sendJson(response, 413, { ok: false, error: { code: 'CONFIG_INVALID', message: 'request too large' } });
        let parsed: unknown;
        try {
          parsed = body.length ? JSON.parse(body) : undefined;
        } catch {
          return sendJson(response, 400, { ok: false, error: { code: 'CONFIG_INVALID', message: 'the request body is not JSON' } });
        }
        return sendJson(response, 200, await options.service.invoke(decodeURIComponent(path.slice('/api/invoke/'.length)), parsed));
      }
      if (request.method === 'GET' && path === '/api/events') return streamEvents(response);
      return sendJson(response, 404, { ok: false, error: { code: 'INTERNAL', message: 'no such API' } });
    }
    if (request.method !== 'GET') return void response.writeHead(405).end();
    await serveStatic(path, response);
  }

  function streamEvents(response: ServerResponse): void {
    response.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store' });
    response.write(': events\n\n');
    const unsubscribe = options.service.subscribe((channel, payload) => response.write(`event: ${channel}\ndata: ${JSON.stringify(payload)}\n\n`));
    const keepAlive = setInterval(() => response.write(': keep-alive\n\n'), 15_000);
    response.on('close', () => {
      clearInterval(keepAlive);
      unsubscribe();
    });
  }

  async function serveStatic(path: string, response: ServerResponse): Promise<void> {
    const relative = normalize(decodeURIComponent(path === '/' ? '/index.html' : path)).replace(/^([/\\])+/, '');
    const file = join(options.staticDir, relative);
    if (!file.startsWith(options.staticDir + sep)) return void response.writeHead(404).end();
    const content = await readFile(file).catch(() => undefined);
    if (!content) return void response.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n');
    response
      .writeHead(200, {
        'content-type': CONTENT_TYPES[extname(file)] ?? 'application/octet-stream',
        'content-security-policy': CSP,
        'x-content-type-options': 'nosniff',
        'referrer-policy': 'no-referrer',
        'cache-control': 'no-store',
      })
      .end(content);
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/#token=${token}`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function sendJson(response: ServerResponse, status: number, value: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' }).end(JSON.stringify(value));
}

async function readBody(request: IncomingMessage): Promise<string | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > MAX_REQUEST_BYTES) return undefined;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}
