// HTTP for authorization: https only (http on loopback), bounded size and time, no redirects followed, for oauth4webapi.
import * as oauth from 'oauth4webapi';
import { SwitchboardError } from '../errors.ts';
import type { ErrorCode } from '../../../shared/error-codes.ts';
import { isLoopbackHost } from '../platform/loopback.ts';

/** Metadata and token responses are small; anything bigger is hostile or broken. */
export const MAX_AUTH_RESPONSE_BYTES = 256 * 1024;
export const AUTH_REQUEST_TIMEOUT_MS = 15_000;

export function isAllowedAuthUrl(url: URL): boolean {
  return url.protocol === 'https:' || (url.protocol === 'http:' && isLoopbackHost(url.hostname));
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
 * fetch as oauth4webapi and the discovery code use it: redirects are never followed (a metadata document that
 * redirects is refused, so no redirect can lead from a public host into a private one), bodies are capped, and every
 * request has a deadline so a dead server ends in an error, not a hang.
 */
export const boundedFetch: typeof fetch = async (input, init) => {
  const url = new URL(input instanceof Request ? input.url : String(input));
  if (!isAllowedAuthUrl(url)) throw new SwitchboardError('AUTH_DISCOVERY_FAILED', `refused to contact ${url.protocol}//${url.host}: authorization endpoints must be https`);
  const response = await fetch(input, { ...init, redirect: 'manual', signal: init?.signal ?? AbortSignal.timeout(AUTH_REQUEST_TIMEOUT_MS) });
  const body = await readCapped(response, url);
  return new Response(body, { status: response.status, statusText: response.statusText, headers: response.headers });
};

async function readCapped(response: Response, url: URL): Promise<ArrayBuffer | null> {
  if (!response.body || response.status === 204 || response.status === 304) return null;
  const declared = Number(response.headers.get('content-length') ?? '0');
  if (declared > MAX_AUTH_RESPONSE_BYTES) {
    await response.body.cancel();
    throw new SwitchboardError('AUTH_DISCOVERY_FAILED', `${url.origin}${url.pathname} sent ${declared} bytes; authorization documents are limited to ${MAX_AUTH_RESPONSE_BYTES}`);
  }
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
    size += chunk.byteLength;
    if (size > MAX_AUTH_RESPONSE_BYTES) {
      throw new SwitchboardError('AUTH_DISCOVERY_FAILED', `${url.origin}${url.pathname} sent more than ${MAX_AUTH_RESPONSE_BYTES} bytes; authorization documents are limited to that`);
    }
    chunks.push(chunk);
  }
  const joined = Buffer.concat(chunks);
  return joined.buffer.slice(joined.byteOffset, joined.byteOffset + joined.byteLength) as ArrayBuffer;
}

/** The options every oauth4webapi call gets: our fetch, and plain http allowed only for a loopback authorization server. */
export function oauthRequestOptions(target: URL | string): { [oauth.customFetch]: typeof fetch; [oauth.allowInsecureRequests]?: boolean } {
  const url = new URL(String(target));
  return { [oauth.customFetch]: boundedFetch, ...(url.protocol === 'http:' && isLoopbackHost(url.hostname) ? { [oauth.allowInsecureRequests]: true } : {}) };
}

/** Reads a JSON object from a response already bounded by boundedFetch; a clear error for anything else. */
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
    return new SwitchboardError('AUTH_GRANT_FAILED', `${what} was refused: ${error.error}${error.error_description ? ` (${error.error_description})` : ''}`, { cause: error });
  }
  if (error instanceof oauth.WWWAuthenticateChallengeError) {
    return new SwitchboardError('AUTH_GRANT_FAILED', `${what} was refused with HTTP ${error.status}`, { cause: error });
  }
  return new SwitchboardError('AUTH_GRANT_FAILED', `${what} failed: ${(error as Error).message}`, { cause: error });
}
