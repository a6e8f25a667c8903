// A proxy in front of a real MCP server that misbehaves on tool calls when told to: garbage, a hang, an endless stream, a 500.
import { Agent, createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { forwardRequest } from './forward-request.ts';

export type FaultMode = 'pass' | 'garbage' | 'hang' | 'stream-forever' | 'status-500';

export interface FaultProxy {
  url: string;
  /** From now on, tool calls get this behaviour; everything else (handshake, lists) still reaches the real server. */
  setMode(mode: FaultMode): void;
  /** How many tool calls met a fault so far. */
  faulted(): number;
  close(): Promise<void>;
}

export async function startFaultProxy(upstreamUrl: string): Promise<FaultProxy> {
  const upstream = new URL(upstreamUrl);
  const agent = new Agent({ keepAlive: true });
  let mode: FaultMode = 'pass';
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
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}${upstream.pathname}`,
    setMode: (next) => {
      mode = next;
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
