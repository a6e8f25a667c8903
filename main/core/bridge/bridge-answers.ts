// The errors the bridge itself answers a client's request with: a stable code in data, and a message a person can act on.
import { SdkHttpError, type JSONRPCErrorResponse, type RequestId } from '@modelcontextprotocol/client';
import type { ErrorCode } from '../../../shared/error-codes.ts';

/** JSON-RPC's "internal error": the request never got an answer from Switchboard, so no more specific code applies. */
const INTERNAL_ERROR = -32603;

export function bridgeError(id: RequestId, code: ErrorCode, message: string, details: Record<string, unknown> = {}): JSONRPCErrorResponse {
  return { jsonrpc: '2.0', id, error: { code: INTERNAL_ERROR, message, data: { code, ...details } } };
}

export function notRunningAnswer(id: RequestId, url: string): JSONRPCErrorResponse {
  return bridgeError(
    id,
    'GATEWAY_NOT_RUNNING',
    `Switchboard is not running at ${url}; start it (the Switchboard app, or \`switchboard serve\`) and try again`,
    { url },
  );
}

/** The answer was on its way (or the request was) when the connection ended: most likely Switchboard stopped or restarted. */
export function connectionLostAnswer(id: RequestId, url: string): JSONRPCErrorResponse {
  return bridgeError(
    id,
    'INTERNAL',
    `the connection to Switchboard at ${url} ended before it answered (was it stopped or restarted?); the request may or may not have run, try again`,
    { url },
  );
}

/** The answer for a request whose delivery failed with `error`. */
export function failureAnswer(id: RequestId, error: unknown, url: string): JSONRPCErrorResponse {
  if (isConnectionRefused(error)) return notRunningAnswer(id, url);
  if (SdkHttpError.isInstance(error)) {
    if (error.status === 401) {
      return bridgeError(
        id,
        'CLIENT_UNAUTHORIZED',
        `Switchboard at ${url} did not accept this client's credential: set SWITCHBOARD_CLIENT_CREDENTIAL to the credential \`switchboard clients add <name>\` printed`,
        { url, status: 401 },
      );
    }
    // Switchboard's own JSON-RPC error (a 404 for a session, a 400 for a malformed request) says more than any summary.
    const body = typeof error.data.text === 'string' ? error.data.text : undefined;
    const own = jsonRpcErrorIn(body);
    if (own) return { jsonrpc: '2.0', id, error: own };
    const detail = firstLine(body) ?? error.statusText ?? '';
    return bridgeError(id, 'INTERNAL', `Switchboard at ${url} answered HTTP ${error.status}${detail ? `: ${detail}` : ''}`, { url, status: error.status });
  }
  if (isNetworkFailure(error)) return connectionLostAnswer(id, url);
  return bridgeError(id, 'INTERNAL', `the request could not be relayed to Switchboard at ${url}: ${(error as Error)?.message ?? String(error)}`, { url });
}

/** Nobody listens on the port: Switchboard is stopped (or between a stop and a start). Nothing was sent, so a retry is safe. */
export function isConnectionRefused(error: unknown): boolean {
  return causes(error).some((cause) => (cause as NodeJS.ErrnoException).code === 'ECONNREFUSED');
}

/** fetch reports every failure to reach or keep the connection as a TypeError whose cause says what happened. */
function isNetworkFailure(error: unknown): boolean {
  return error instanceof TypeError && (error as Error & { cause?: unknown }).cause !== undefined;
}

/** The error and its causes, including each attempt of an AggregateError (one per address tried). */
function causes(error: unknown, depth = 0): unknown[] {
  if (!error || typeof error !== 'object' || depth > 5) return [];
  const nested = error instanceof AggregateError ? error.errors.flatMap((inner) => causes(inner, depth + 1)) : [];
  return [error, ...nested, ...causes((error as { cause?: unknown }).cause, depth + 1)];
}

function jsonRpcErrorIn(text: string | undefined): JSONRPCErrorResponse['error'] | undefined {
  if (!text) return undefined;
  try {
    const body = JSON.parse(text) as { error?: { code?: unknown; message?: unknown } };
    const own = body?.error;
    return own && typeof own.code === 'number' && typeof own.message === 'string' ? (own as JSONRPCErrorResponse['error']) : undefined;
  } catch {
    return undefined;
  }
}

function firstLine(text: string | undefined): string | undefined {
  return text?.trim().split('\n')[0]?.slice(0, 300) || undefined;
}
