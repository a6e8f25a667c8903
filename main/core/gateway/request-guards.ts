// DNS-rebinding guards for the loopback endpoint: the Host must name loopback, a browser Origin must be loopback too.
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

/** Non-browser clients send no Origin; a browser page may talk to us only from a loopback origin. */
export function checkOrigin(request: IncomingMessage): GuardVerdict {
  const origin = request.headers.origin;
  if (origin === undefined) return { ok: true };
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    return { ok: false, status: 403, reason: `Origin "${origin}" is not a URL` };
  }
  if ((url.protocol === 'http:' || url.protocol === 'https:') && LOOPBACK_NAMES.has(url.host.replace(/:\d+$/, ''))) return { ok: true };
  return { ok: false, status: 403, reason: `Origin "${origin}" may not use this endpoint` };
}
