// A proxy in front of a real MCP server that misbehaves on tool calls when told to: garbage, a hang, an endless stream, a 500, a stray id, a huge answer.
import { Agent, createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { forwardRequest } from './forward-request.ts';

export type FaultMode = 'pass' | 'garbage' | 'hang' | 'stream-forever' | 'status-500' | 'wrong-id' | 'large-json' | 'large-sse';

/** For the `large-*` modes: how many bytes of text the tool result carries (default 50 MB). */
export interface FaultOptions {
  bytes?: number;
}

export interface FaultProxy {
  url: string;
  /** From now on, tool calls get this behaviour; everything else (handshake, lists) still reaches the real server. */
  setMode(mode: FaultMode, options?: FaultOptions): void;
  /** How many tool calls met a fault so far. */
  faulted(): number;
  close(): Promise<void>;
}

export async function startFaultProxy(upstreamUrl: string): Promise<FaultProxy> {
  const upstream = new URL(upstreamUrl);
  const agent = new Agent({ keepAlive: true });
  let mode: FaultMode = 'pass';
  let largeBytes = 50_000_000;
  let faulted = 0;
  const open = new Set<ServerResponse>();

  const server = createServer((incoming, outgoing) => {
    const chunks: Buffer[] = [];
    incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
    incoming.on('end', () => {
      const body = Buffer.concat(chunks);
      const isToolCall = incoming.method === 'POST' && /"method"\s*:\s*"tools\/call"/.test(body.toString());
      if (!isToolCall || mode === 'pass') return forwardRequest(upstream, agent, incoming, outgoing, body);
      faulted++;
      open.add(outgoing);
      outgoing.on('close', () => open.delete(outgoing));
      switch (mode) {
        case 'garbage':
          outgoing.writeHead(200, { 'content-type': 'application/json' }).end('<html>502 Bad Gateway</html>{"jsonrpc":');
          return;
        case 'hang':
          return; // Never answers; the socket stays open until the client gives up.
        case 'stream-forever': {
          outgoing.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
          const tick = setInterval(() => outgoing.write(`: still working ${Date.now()}\n\n`), 50);
          outgoing.on('close', () => clearInterval(tick));
          return;
        }
        case 'status-500':
          // A server whose auth layer crashed: it meant "401 Unauthorized" but answers 500 with that text.
          outgoing.writeHead(500, { 'content-type': 'text/plain' }).end('Unauthorized: token validation failed');
          return;
        case 'wrong-id': {
          // A well-formed answer to a request nobody sent (a server mixing up its connections).
          const stray = { jsonrpc: '2.0', id: `stray-${requestId(body) ?? 'none'}`, result: { content: [{ type: 'text', text: 'not yours' }] } };
          outgoing.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(stray));
          return;
        }
        case 'large-json':
        case 'large-sse':
          void sendLarge(outgoing, requestId(body), largeBytes, mode === 'large-sse');
          return;
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}${upstream.pathname}`,
    setMode: (next, options = {}) => {
      mode = next;
      largeBytes = options.bytes ?? 50_000_000;
      // Ending a fault lets go of the requests still held by it, as a recovering server would drop them.
      if (next === 'pass') for (const response of open) response.destroy();
    },
    faulted: () => faulted,
    close: async () => {
      for (const response of open) response.destroy();
      agent.destroy();
      await new Promise((resolve) => {
        server.close(resolve);
        server.closeAllConnections();
      });
    },
  };
}

function requestId(body: Buffer): string | number | undefined {
  try {
    return (JSON.parse(body.toString()) as { id?: string | number }).id;
  } catch {
    return undefined;
  }
}

/** A tool result whose text is `bytes` long, streamed in 64 KiB pieces (no Content-Length) as JSON or as one SSE message. */
async function sendLarge(outgoing: ServerResponse, id: string | number | undefined, bytes: number, sse: boolean): Promise<void> {
  const [head, tail] = JSON.stringify({ jsonrpc: '2.0', id: id ?? null, result: { resultType: 'complete', content: [{ type: 'text', text: '@' }] } }).split(
    '@',
  ) as [string, string];
  outgoing.writeHead(200, { 'content-type': sse ? 'text/event-stream' : 'application/json', 'cache-control': 'no-cache' });
  const piece = Buffer.alloc(64 * 1024, 'x');
  const write = async (chunk: string | Buffer) => {
    if (outgoing.write(chunk)) return;
    await new Promise<void>((resolve) => {
      const done = () => {
        outgoing.off('drain', done).off('close', done);
        resolve();
      };
      outgoing.on('drain', done).on('close', done);
    });
  };
  await write(sse ? `event: message\ndata: ${head}` : head);
  for (let sent = 0; sent < bytes && !outgoing.destroyed; sent += piece.length)
    await write(bytes - sent >= piece.length ? piece : piece.subarray(0, bytes - sent));
  if (!outgoing.destroyed) outgoing.end(sse ? `${tail}\n\n` : tail);
}
