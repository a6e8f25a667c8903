// Fetches discovery documents safely: https only, every resolved address checked before connecting, bounded size, time and redirects.
import type { IncomingMessage } from 'node:http';
import { SwitchboardError } from '../errors.ts';
import { schemeAllowed, type AddressPolicy } from '../net/address-policy.ts';
import {
  AddressRefusedError,
  GuardedTimeoutError,
  GuardedTooLargeError,
  openGuarded,
  readCapped,
  systemResolver,
  type Resolver,
} from '../net/guarded-connection.ts';
import { isLoopbackHost } from '../platform/loopback.ts';

export { systemResolver, type Resolver } from '../net/guarded-connection.ts';

export interface GuardedFetchOptions {
  accept: string;
  /** Revalidation: sends If-None-Match, and a 304 comes back as `notModified`. */
  etag?: string;
  maxBytes?: number;
  timeoutMs?: number;
  maxRedirects?: number;
}

export interface FetchedDocument {
  url: string;
  status: number;
  notModified: boolean;
  body: string;
  etag?: string;
  contentType?: string;
  /** Seconds from Cache-Control max-age, when the server said. */
  maxAgeSeconds?: number;
}

export const DEFAULT_MAX_BYTES = 256 * 1024;
export const DEFAULT_TIMEOUT_MS = 10_000;
const DEFAULT_MAX_REDIRECTS = 3;

/**
 * A GET through the guarded connector (net/guarded-connection.ts): every address the name resolves to, or the IP
 * literal, is checked against the policy *before* the socket is opened. Redirects are followed by hand, each hop
 * checked again, so a public host cannot bounce the fetch into 127.0.0.1, 10.0.0.0/8 or 169.254.0.0/16.
 */
export async function guardedFetch(
  url: string,
  options: GuardedFetchOptions,
  policy: AddressPolicy,
  resolver: Resolver = systemResolver,
): Promise<FetchedDocument> {
  let current = checkUrl(url);
  for (let hop = 0; hop <= (options.maxRedirects ?? DEFAULT_MAX_REDIRECTS); hop++) {
    const response = await getOnce(current, options, policy, resolver);
    if ([301, 302, 303, 307, 308].includes(response.statusCode ?? 0)) {
      const location = response.headers.location;
      response.resume();
      if (!location) throw new SwitchboardError('DISCOVERY_FETCH_FAILED', `${current.href} redirected without a Location`);
      current = checkUrl(new URL(location, current).href, current);
      continue;
    }
    return readDocument(current, response, options);
  }
  throw new SwitchboardError('DISCOVERY_FETCH_FAILED', `${url} redirected more than ${options.maxRedirects ?? DEFAULT_MAX_REDIRECTS} times`);
}

/** https everywhere; http only for this machine (development), and never as the target of a redirect from elsewhere. */
export function checkUrl(candidate: string, from?: URL): URL {
  let url: URL;
  try {
    url = new URL(candidate);
  } catch {
    throw new SwitchboardError('DISCOVERY_URL_REFUSED', `"${candidate}" is not a URL`);
  }
  const loopback = isLoopbackHost(url.hostname);
  if (!schemeAllowed(url)) {
    throw new SwitchboardError('DISCOVERY_URL_REFUSED', `${url.protocol}//${url.host} is refused: discovery uses https (plain http only on this machine)`);
  }
  if (from && loopback && !isLoopbackHost(from.hostname))
    throw new SwitchboardError('DISCOVERY_ADDRESS_REFUSED', `${from.host} redirected to ${url.host} on this machine; refused`);
  if (url.username || url.password) throw new SwitchboardError('DISCOVERY_URL_REFUSED', `${url.host}: URLs with credentials are refused`);
  return url;
}

/** The connector's errors as discovery's stable codes. */
function discoveryError(url: URL, error: unknown): SwitchboardError {
  if (error instanceof SwitchboardError) return error;
  if (error instanceof AddressRefusedError) return new SwitchboardError('DISCOVERY_ADDRESS_REFUSED', error.message, { cause: error });
  if (error instanceof GuardedTimeoutError) return new SwitchboardError('DISCOVERY_TIMEOUT', error.message, { cause: error });
  if (error instanceof GuardedTooLargeError) return new SwitchboardError('DISCOVERY_TOO_LARGE', error.message, { cause: error });
  return new SwitchboardError('DISCOVERY_FETCH_FAILED', `${url.href}: ${(error as Error).message}`, { cause: error });
}

async function getOnce(url: URL, options: GuardedFetchOptions, policy: AddressPolicy, resolver: Resolver): Promise<IncomingMessage> {
  const headers = { accept: options.accept, ...(options.etag ? { 'if-none-match': options.etag } : {}) };
  return openGuarded(url, { method: 'GET', headers, timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS }, { policy, resolver }).catch((error: unknown) => {
    throw discoveryError(url, error);
  });
}

async function readDocument(url: URL, response: IncomingMessage, options: GuardedFetchOptions): Promise<FetchedDocument> {
  const limits = { maxBytes: options.maxBytes ?? DEFAULT_MAX_BYTES, timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS, what: 'discovery documents' };
  const body = await readCapped(url, response, limits).catch((error: unknown) => {
    throw discoveryError(url, error);
  });
  const cacheControl = String(response.headers['cache-control'] ?? '');
  const maxAge = /(?:^|,)\s*max-age=(\d+)/.exec(cacheControl)?.[1];
  return {
    url: url.href,
    status: response.statusCode ?? 0,
    notModified: response.statusCode === 304,
    body: body.toString('utf8'),
    ...(typeof response.headers.etag === 'string' ? { etag: response.headers.etag } : {}),
    ...(typeof response.headers['content-type'] === 'string' ? { contentType: response.headers['content-type'] } : {}),
    ...(maxAge !== undefined && !/no-store|no-cache/.test(cacheControl) ? { maxAgeSeconds: Number(maxAge) } : {}),
  };
}
