// HTTP for authorization: every request through the guarded connector, https only (http on loopback), bounded size and time, no redirects followed, for oauth4webapi.
import type { IncomingMessage } from 'node:http';
import * as oauth from 'oauth4webapi';
import { SwitchboardError } from '../errors.ts';
import type { ErrorCode } from '../../../shared/error-codes.ts';
import { schemeAllowed } from '../net/address-policy.ts';
import { AddressRefusedError, GuardedTooLargeError, openGuarded, readCapped, type ConnectionGuard } from '../net/guarded-connection.ts';
import { isLoopbackHost } from '../platform/loopback.ts';

/** Metadata and token responses are small; anything bigger is hostile or broken. */
export const MAX_AUTH_RESPONSE_BYTES = 256 * 1024;
export const AUTH_REQUEST_TIMEOUT_MS = 15_000;

/** The fetch every authorization request goes through; built per server (or IdP) by guardedAuthFetch. */
export type AuthFetch = typeof fetch;

export function isAllowedAuthUrl(url: URL): boolean {
  return schemeAllowed(url);
}

/** Parses and checks a URL taken from metadata or configuration; the error names where it came from. */
export function authUrl(value: unknown, what: string, code: ErrorCode = 'AUTH_DISCOVERY_FAILED'): URL {
  let url: URL;
  try {
    url = new URL(String(value));
  } catch {
    throw new SwitchboardError(code, `${what} is not a URL`);
  }
  if (!isAllowedAuthUrl(url)) throw new SwitchboardError(code, `${what} must be https (plain http only on this machine), not ${url.protocol}//${url.host}`);
  return url;
}

/**
 * fetch as oauth4webapi and the discovery code use it, on the guarded connector: the host's every address is checked
 * against the guard's policy before a socket opens (AUTH_ADDRESS_REFUSED otherwise), redirects are never followed (a
 * metadata document that redirects is refused, so no redirect can lead from a public host into a private one),
 * bodies are capped, and every request has a deadline so a dead server ends in an error, not a hang. A transport
 * failure comes out as a plain error, as fetch's would, so callers keep telling "the server is down" from "the
 * server said no".
 */
export function guardedAuthFetch(guard: ConnectionGuard): AuthFetch {
  return async (input, init) => {
    // Request does the BodyInit conversions (URLSearchParams and its content type, strings, bytes) exactly as fetch would.
    const request = new Request(input, init);
    const url = new URL(request.url);
    if (!isAllowedAuthUrl(url))
      throw new SwitchboardError('AUTH_DISCOVERY_FAILED', `refused to contact ${url.protocol}//${url.host}: authorization endpoints must be https`);
    const where = `${url.origin}${url.pathname}`;
    const body = request.body ? new Uint8Array(await request.arrayBuffer()) : undefined;
    let response: IncomingMessage;
    try {
      response = await openGuarded(
        url,
        {
          method: request.method,
          headers: Object.fromEntries(request.headers),
          ...(body ? { body } : {}),
          timeoutMs: AUTH_REQUEST_TIMEOUT_MS,
          signal: init?.signal ?? AbortSignal.timeout(AUTH_REQUEST_TIMEOUT_MS),
        },
        guard,
      );
      const bytes = await readCapped(url, response, { maxBytes: MAX_AUTH_RESPONSE_BYTES, timeoutMs: AUTH_REQUEST_TIMEOUT_MS, what: 'authorization documents' });
      return toResponse(response, bytes);
    } catch (error) {
      if (error instanceof SwitchboardError) throw error;
      if (error instanceof AddressRefusedError)
        throw new SwitchboardError('AUTH_ADDRESS_REFUSED', `refused to contact ${where}: ${error.message}`, { cause: error });
      if (error instanceof GuardedTooLargeError) throw new SwitchboardError('AUTH_DISCOVERY_FAILED', error.message, { cause: error });
      throw new Error(`${where}: ${(error as Error).message}`, { cause: error });
    }
  };
}

function toResponse(response: IncomingMessage, bytes: Buffer): Response {
  const status = response.statusCode ?? 0;
  const headers = new Headers();
  for (let index = 0; index + 1 < response.rawHeaders.length; index += 2) headers.append(response.rawHeaders[index]!, response.rawHeaders[index + 1]!);
  const noBody = status === 204 || status === 205 || status === 304 || bytes.byteLength === 0;
  // Response refuses statuses outside 200-599; that surfaces as a transport failure, which such a server is.
  return new Response(noBody ? null : new Uint8Array(bytes), { status, statusText: response.statusMessage ?? '', headers });
}

/** The options every oauth4webapi call gets: the guarded fetch, and plain http allowed only for a loopback authorization server. */
export function oauthRequestOptions(target: URL | string, authFetch: AuthFetch): { [oauth.customFetch]: AuthFetch; [oauth.allowInsecureRequests]?: boolean } {
  const url = new URL(String(target));
  return { [oauth.customFetch]: authFetch, ...(url.protocol === 'http:' && isLoopbackHost(url.hostname) ? { [oauth.allowInsecureRequests]: true } : {}) };
}

/** Reads a JSON object from a response already bounded by guardedAuthFetch; a clear error for anything else. */
export async function readJsonObject(response: Response, what: string): Promise<Record<string, unknown>> {
  let value: unknown;
  try {
    value = await response.json();
  } catch {
    throw new SwitchboardError('AUTH_DISCOVERY_FAILED', `${what} is not valid JSON`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new SwitchboardError('AUTH_DISCOVERY_FAILED', `${what} is not a JSON object`);
  return value as Record<string, unknown>;
}

/** Turns oauth4webapi's errors into ours: the AS's error code and description stay, tokens never appear in them. */
export function grantError(error: unknown, what: string): SwitchboardError {
  if (error instanceof SwitchboardError) return error;
  if (error instanceof oauth.ResponseBodyError) {
    return new SwitchboardError('AUTH_GRANT_FAILED', `${what} was refused: ${error.error}${error.error_description ? ` (${error.error_description})` : ''}`, {
      cause: error,
    });
  }
  if (error instanceof oauth.WWWAuthenticateChallengeError) {
    return new SwitchboardError('AUTH_GRANT_FAILED', `${what} was refused with HTTP ${error.status}`, { cause: error });
  }
  return new SwitchboardError('AUTH_GRANT_FAILED', `${what} failed: ${(error as Error).message}`, { cause: error });
}
