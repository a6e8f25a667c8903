// Opens one HTTP(S) exchange whose every address the address policy approved before its socket opened; discovery and authorization both connect through it.
import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { request as httpRequest, type IncomingMessage, type RequestOptions } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { isIP, type LookupFunction } from 'node:net';
import { policyHost, refusalFor, type AddressPolicy } from './address-policy.ts';

/** How host names become addresses; injected by tests so a broken guard can never send traffic off loopback. */
export type Resolver = (host: string) => Promise<LookupAddress[]>;

export const systemResolver: Resolver = (host) =>
  new Promise((resolve, reject) => dnsLookup(host, { all: true, verbatim: true }, (error, addresses) => (error ? reject(error) : resolve(addresses))));

export interface ConnectionGuard {
  policy: AddressPolicy;
  resolver?: Resolver;
  /**
   * Called for every connection the policy approved, with the address about to be dialled, just before the socket
   * opens; throwing stops it. Production leaves it out. Tests spy with it, and refuse anything off loopback, so a
   * decision to allow a private address is proved without a packet leaving the machine.
   */
  beforeConnect?: (host: string, address: string) => void;
}

export interface GuardedRequest {
  method: string;
  headers: Record<string, string>;
  body?: Uint8Array;
  /** Idle time allowed on the socket before the exchange is given up. */
  timeoutMs: number;
  signal?: AbortSignal;
}

/** The policy said no: nothing was connected. `host` is the name (or literal) refused. */
export class AddressRefusedError extends Error {
  readonly host: string;
  constructor(host: string, message: string) {
    super(message);
    this.name = 'AddressRefusedError';
    this.host = host;
  }
}

/** The server went quiet for longer than allowed, before or during its response. */
export class GuardedTimeoutError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'GuardedTimeoutError';
  }
}

/** The response was bigger than the caller accepts. */
export class GuardedTooLargeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'GuardedTooLargeError';
  }
}

/**
 * One request through node:http(s) with a `lookup` that resolves through the guard's resolver and refuses the whole
 * connection if any answer is an address the policy does not allow, before the socket is opened. An IP literal is
 * checked the same way (Node does not call `lookup` for one). Never follows a redirect: each caller decides whether a
 * Location is worth a new, separately checked, request. A fresh connection every time (no pooled sockets), so no
 * request rides on a socket another policy approved. Rejects with AddressRefusedError, GuardedTimeoutError, or the
 * transport's own error.
 */
export function openGuarded(url: URL, request: GuardedRequest, guard: ConnectionGuard): Promise<IncomingMessage> {
  const host = policyHost(url);
  const resolver = guard.resolver ?? systemResolver;
  return new Promise<IncomingMessage>((resolve, reject) => {
    if (isIP(host)) {
      const refusal = refusalFor(host, host, guard.policy);
      if (refusal) return reject(new AddressRefusedError(host, refusal));
      try {
        guard.beforeConnect?.(host, host);
      } catch (error) {
        return reject(error);
      }
    }
    const lookup: LookupFunction = (hostname, lookupOptions, callback) => {
      resolver(hostname).then(
        (addresses) => {
          const refusal = addresses.map((entry) => refusalFor(entry.address, hostname, guard.policy)).find(Boolean);
          if (refusal || addresses.length === 0) return callback(new AddressRefusedError(hostname, refusal ?? `${hostname} has no address`), '', 4);
          try {
            for (const entry of lookupOptions.all ? addresses : addresses.slice(0, 1)) guard.beforeConnect?.(hostname, entry.address);
          } catch (error) {
            return callback(error as Error, '', 4);
          }
          if (lookupOptions.all) return (callback as unknown as (error: null, addresses: LookupAddress[]) => void)(null, addresses);
          callback(null, addresses[0]!.address, addresses[0]!.family);
        },
        (error: Error) => callback(new Error(`cannot resolve ${hostname}: ${error.message}`, { cause: error }), '', 4),
      );
    };
    const options: RequestOptions = {
      method: request.method,
      headers: { 'user-agent': 'Switchboard', ...request.headers, ...(request.body ? { 'content-length': String(request.body.byteLength) } : {}) },
      lookup,
      agent: false,
      timeout: request.timeoutMs,
      ...(request.signal ? { signal: request.signal } : {}),
    };
    let response: IncomingMessage | undefined;
    const outgoing = (url.protocol === 'https:' ? httpsRequest : httpRequest)(url, options, (received) => {
      response = received;
      resolve(received);
    });
    outgoing.on('timeout', () => {
      if (response) timedOut.add(response);
      outgoing.destroy(new GuardedTimeoutError(`${url.href} did not answer within ${request.timeoutMs} ms`));
    });
    outgoing.on('error', reject);
    outgoing.end(request.body);
  });
}

/**
 * Responses whose request hit its idle timeout. Destroying the request then surfaces on the response as a plain
 * "aborted" error (or ours, depending on timing), so the reader asks here to report a timeout either way.
 */
const timedOut = new WeakSet<IncomingMessage>();

/**
 * Reads a body under a size cap and an overall deadline: a server that trickles forever is cut off, not waited for,
 * and one that sends too much is cut off at the cap, not buffered. `what` names the documents in the messages.
 */
export function readCapped(url: URL, response: IncomingMessage, limits: { maxBytes: number; timeoutMs: number; what: string }): Promise<Buffer> {
  const { maxBytes, timeoutMs, what } = limits;
  const where = `${url.origin}${url.pathname}`;
  return new Promise((resolve, reject) => {
    const declared = Number(response.headers['content-length'] ?? 0);
    if (declared > maxBytes) {
      response.destroy();
      return reject(new GuardedTooLargeError(`${where} is ${declared} bytes; ${what} are limited to ${maxBytes}`));
    }
    const chunks: Buffer[] = [];
    let size = 0;
    const deadline = setTimeout(() => {
      response.destroy();
      reject(new GuardedTimeoutError(`${where} did not finish its response within ${timeoutMs} ms`));
    }, timeoutMs);
    response.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) {
        clearTimeout(deadline);
        response.destroy();
        reject(new GuardedTooLargeError(`${where} sent more than ${maxBytes} bytes; ${what} are limited to that`));
        return;
      }
      chunks.push(chunk);
    });
    response.on('error', (error) => {
      clearTimeout(deadline);
      // The request's own idle timeout destroys the response: report that as the timeout it is, whatever it surfaced as.
      if (timedOut.has(response)) return reject(new GuardedTimeoutError(`${where} stopped sending its response for ${timeoutMs} ms`));
      reject(error);
    });
    response.on('end', () => {
      clearTimeout(deadline);
      resolve(Buffer.concat(chunks));
    });
  });
}
