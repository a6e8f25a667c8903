// DNS-rebinding and web-page guards for the loopback endpoint: the Host must name loopback, a browser Origin must be one we allow.
import type { IncomingMessage } from 'node:http';

const LOOPBACK_NAMES = new Set(['127.0.0.1', 'localhost', '[::1]']);

export type GuardVerdict = { ok: true } | { ok: false; status: 403; reason: string };

/** A rebinding attack arrives with the attacker's host name in Host; only loopback names on our port are accepted. */
export function checkHost(request: IncomingMessage, port: number): GuardVerdict {
  const host = request.headers.host;
  if (!host) return { ok: false, status: 403, reason: 'missing Host header' };
  const match = /^(\[[^\]]+\]|[^:]+)(?::(\d+))?$/.exec(host.toLowerCase());
  if (!match || !LOOPBACK_NAMES.has(match[1] ?? '') || (match[2] !== undefined && Number(match[2]) !== port)) {
    return { ok: false, status: 403, reason: `Host "${host}" is not this machine's loopback endpoint` };
  }
  return { ok: true };
}

/**
 * Non-browser clients send no Origin. A browser page may use the endpoint only from the endpoint's own origin or
 * an origin the person allowed (gateway.allowedOrigins, e.g. the MCP Inspector's page). Any other page — including
 * one served from another port on this machine, or an opaque "null" origin — is refused: a loopback origin says
 * nothing about who wrote the page.
 */
export function checkOrigin(request: IncomingMessage, port: number, allowedOrigins: readonly string[] = []): GuardVerdict {
  const origin = request.headers.origin;
  if (origin === undefined) return { ok: true };
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    return { ok: false, status: 403, reason: `Origin "${origin}" is not a URL` };
  }
  const ownOrigin = url.protocol === 'http:' && LOOPBACK_NAMES.has(url.hostname) && Number(url.port) === port;
  if (ownOrigin || allowedOrigins.includes(url.origin)) return { ok: true };
  return { ok: false, status: 403, reason: `Origin "${origin}" may not use this endpoint; allow it in gateway.allowedOrigins if it is yours` };
}
