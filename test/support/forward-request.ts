// Forwards one HTTP request to an upstream as it is (keep-alive agent, headers kept, Host rewritten) and pipes the answer back.
import { request, type Agent, type IncomingMessage, type ServerResponse } from 'node:http';

/** `body` is the incoming stream itself (piped as it arrives) or a body already read. */
export function forwardRequest(
  upstream: URL,
  agent: Agent,
  incoming: IncomingMessage,
  outgoing: ServerResponse,
  body: IncomingMessage | Buffer = incoming,
): void {
  const proxied = request(
    {
      host: upstream.hostname,
      port: upstream.port,
      path: upstream.pathname,
      method: incoming.method,
      headers: { ...incoming.headers, host: upstream.host },
      agent,
    },
    (response) => {
      outgoing.writeHead(response.statusCode ?? 502, response.headers);
      response.pipe(outgoing);
    },
  );
  proxied.on('error', () => outgoing.destroy());
  if (Buffer.isBuffer(body)) proxied.end(body);
  else body.pipe(proxied);
}
