// A stand-in for Switchboard's MCP endpoint on 127.0.0.1: it records every request and answers as the test's script says.
import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedRequest {
  method: string;
  headers: IncomingHttpHeaders;
  /** The parsed JSON body of a POST. */
  body?: { id?: string | number; method?: string; params?: Record<string, unknown> } & Record<string, unknown>;
  /** performance.now() when the request arrived. */
  at: number;
  /** Resolves when the client (or the server) closed this request's connection. */
  closed: Promise<void>;
}

export type EndpointScript = (request: RecordedRequest, response: ServerResponse) => void | Promise<void>;

export interface ScriptedEndpoint {
  url: string;
  port: number;
  requests: RecordedRequest[];
  close(): Promise<void>;
}

export async function startScriptedEndpoint(script: EndpointScript, port = 0): Promise<ScriptedEndpoint> {
  const requests: RecordedRequest[] = [];
  const server = createServer((incoming, response) => {
    const at = performance.now();
    const chunks: Buffer[] = [];
    incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
    incoming.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      const closed = new Promise<void>((resolve) => response.once('close', () => resolve()));
      const request: RecordedRequest = {
        method: incoming.method ?? '',
        headers: incoming.headers,
        at,
        closed,
        ...(text ? { body: JSON.parse(text) as RecordedRequest['body'] } : {}),
      };
      requests.push(request);
      void Promise.resolve(script(request, response)).catch((error: unknown) => {
        if (!response.headersSent) response.writeHead(500).end(String(error));
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  const bound = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${bound}/mcp`,
    port: bound,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

export function answerJson(response: ServerResponse, body: unknown, headers: Record<string, string> = {}, status = 200): void {
  response.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(body));
}

/** Opens an SSE response; `send` writes one event (with an id when given), `end` finishes the stream. */
export function openEventStream(response: ServerResponse, headers: Record<string, string> = {}): { send(message: unknown, id?: string): void; end(): void } {
  response.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', ...headers });
  response.flushHeaders();
  return {
    send(message, id) {
      response.write(`${id ? `id: ${id}\n` : ''}data: ${JSON.stringify(message)}\n\n`);
    },
    end() {
      response.end();
    },
  };
}
