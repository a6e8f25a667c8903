// Fetches discovery documents safely: https only, every resolved address checked before connecting, bounded size, time and redirects.
import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { request as httpRequest, type IncomingMessage, type RequestOptions } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { isIP, type LookupFunction } from 'node:net';
import { SwitchboardError } from '../errors.ts';
import { isLoopbackHost } from '../platform/loopback.ts';
import { refusalFor, type AddressPolicy } from './address-policy.ts';

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

/** How host names become addresses; injected by tests so a broken guard can never send traffic off loopback. */
export type Resolver = (host: string) => Promise<LookupAddress[]>;

export const systemResolver: Resolver = (host) =>
  new Promise((resolve, reject) => dnsLookup(host, { all: true, verbatim: true }, (error, addresses) => (error ? reject(error) : resolve(addresses))));

export const DEFAULT_MAX_BYTES = 256 * 1024;
export const DEFAULT_TIMEOUT_MS = 10_000;
const DEFAULT_MAX_REDIRECTS = 3;

/**
 * A GET through node:http(s) with a `lookup` that resolves through the resolver and refuses any address the policy
 * does not allow *before* the socket is opened (an IP literal is checked the same way). Redirects are followed by hand,
 * each hop checked again, so a public host cannot bounce the fetch into 127.0.0.1, 10.0.0.0/8 or 169.254.0.0/16.
 */
export async function guardedFetch(url: string, options: GuardedFetchOptions, policy: AddressPolicy, resolver: Resolver = systemResolver): Promise<FetchedDocument> {
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
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && loopback)) {
    throw new SwitchboardError('DISCOVERY_URL_REFUSED', `${url.protocol}//${url.host} is refused: discovery uses https (plain http only on this machine)`);
  }
  if (from && loopback && !isLoopbackHost(from.hostname)) throw new SwitchboardError('DISCOVERY_ADDRESS_REFUSED', `${from.host} redirected to ${url.host} on this machine; refused`);
  if (url.username || url.password) throw new SwitchboardError('DISCOVERY_URL_REFUSED', `${url.host}: URLs with credentials are refused`);
  return url;
}

/**
 * Responses whose request hit its idle timeout. Destroying the request then surfaces on the response as a plain
 * "aborted" error (or our error, depending on timing), so the reader asks here to report a timeout either way.
 */
const timedOut = new WeakSet<IncomingMessage>();

function getOnce(url: URL, options: GuardedFetchOptions, policy: AddressPolicy, resolver: Resolver): Promise<IncomingMessage> {
  const host = url.hostname.replace(/^\[|\]$/g, '');
  return new Promise<IncomingMessage>((resolve, reject) => {
    const fail = (error: unknown) => reject(error instanceof SwitchboardError ? error : new SwitchboardError('DISCOVERY_FETCH_FAILED', `${url.href}: ${(error as Error).message}`, { cause: error }));
    if (isIP(host)) {
      const refusal = refusalFor(host, host, policy);
      if (refusal) return fail(new SwitchboardError('DISCOVERY_ADDRESS_REFUSED', refusal));
    }
    const lookup: LookupFunction = (hostname, lookupOptions, callback) => {
      resolver(hostname).then(
        (addresses) => {
          const refusal = addresses.map((entry) => refusalFor(entry.address, hostname, policy)).find(Boolean);
          if (refusal || addresses.length === 0) return callback(new SwitchboardError('DISCOVERY_ADDRESS_REFUSED', refusal ?? `${hostname} has no address`), '', 4);
          if (lookupOptions.all) return (callback as unknown as (error: null, addresses: LookupAddress[]) => void)(null, addresses);
          callback(null, addresses[0]!.address, addresses[0]!.family);
        },
        (error: Error) => callback(new SwitchboardError('DISCOVERY_FETCH_FAILED', `cannot resolve ${hostname}: ${error.message}`), '', 4),
      );
    };
    const requestOptions: RequestOptions = {
      method: 'GET',
      headers: { accept: options.accept, 'user-agent': 'Switchboard', ...(options.etag ? { 'if-none-match': options.etag } : {}) },
      lookup,
      timeout: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    };
    let response: IncomingMessage | undefined;
    const request = (url.protocol === 'https:' ? httpsRequest : httpRequest)(url, requestOptions, (received) => {
      response = received;
      resolve(received);
    });
    request.on('timeout', () => {
      if (response) timedOut.add(response);
      request.destroy(new SwitchboardError('DISCOVERY_TIMEOUT', `${url.href} did not answer within ${options.timeoutMs ?? DEFAULT_TIMEOUT_MS} ms`));
    });
    request.on('error', fail);
    request.end();
  });
}

/** Reads the body under a size cap and an overall deadline: a server that trickles forever is cut off, not waited for. */
function readDocument(url: URL, response: IncomingMessage, options: GuardedFetchOptions): Promise<FetchedDocument> {
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  return new Promise((resolve, reject) => {
    const declared = Number(response.headers['content-length'] ?? 0);
    if (declared > maxBytes) {
      response.destroy();
      return reject(new SwitchboardError('DISCOVERY_TOO_LARGE', `${url.href} is ${declared} bytes; discovery documents are limited to ${maxBytes}`));
    }
    const chunks: Buffer[] = [];
    let size = 0;
    const deadline = setTimeout(() => {
      response.destroy();
      reject(new SwitchboardError('DISCOVERY_TIMEOUT', `${url.href} did not finish its response within ${timeoutMs} ms`));
    }, timeoutMs);
    response.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) {
        clearTimeout(deadline);
        response.destroy();
        reject(new SwitchboardError('DISCOVERY_TOO_LARGE', `${url.href} sent more than ${maxBytes} bytes; discovery documents are limited to that`));
        return;
      }
      chunks.push(chunk);
    });
    response.on('error', (error) => {
      clearTimeout(deadline);
      // The request's own idle timeout destroys the response: report that as the timeout it is, whatever error it surfaced as.
      if (timedOut.has(response)) return reject(new SwitchboardError('DISCOVERY_TIMEOUT', `${url.href} stopped sending its response for ${timeoutMs} ms`));
      reject(error instanceof SwitchboardError ? error : new SwitchboardError('DISCOVERY_FETCH_FAILED', `${url.href}: ${error.message}`, { cause: error }));
    });
    response.on('end', () => {
      clearTimeout(deadline);
      const cacheControl = String(response.headers['cache-control'] ?? '');
      const maxAge = /(?:^|,)\s*max-age=(\d+)/.exec(cacheControl)?.[1];
      resolve({
        url: url.href,
        status: response.statusCode ?? 0,
        notModified: response.statusCode === 304,
        body: Buffer.concat(chunks).toString('utf8'),
        ...(typeof response.headers.etag === 'string' ? { etag: response.headers.etag } : {}),
        ...(typeof response.headers['content-type'] === 'string' ? { contentType: response.headers['content-type'] } : {}),
        ...(maxAge !== undefined && !/no-store|no-cache/.test(cacheControl) ? { maxAgeSeconds: Number(maxAge) } : {}),
      });
    });
  });
}
