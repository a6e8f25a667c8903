// The OpenTelemetry MCP semantic-convention attributes of an audited call (open-telemetry/semantic-conventions, docs/gen-ai/mcp.md).
import type { AuditRecord } from '../audit-record.ts';
import { double, int, type Attributes } from './otlp-json.ts';

/** Where a server lives, for `server.address` and `server.port` on Switchboard's hop to it. */
export interface UpstreamAddress {
  address: string;
  port: number;
}

/**
 * Switchboard serves MCP only as HTTP on a loopback TCP socket (gateway/local-endpoint.ts) and reaches servers only by
 * HTTP(S) URLs, so both hops are HTTP over TCP; the convention asks for `tcp` when the transport is HTTP.
 */
const HTTP_OVER_TCP = { 'network.transport': 'tcp', 'network.protocol.name': 'http' } as const;

/**
 * The client side of the SERVER span. The endpoint listens on 127.0.0.1 alone and Node's server speaks HTTP/1.1, so
 * every client reaches it from IPv4 loopback over HTTP/1.1; the client's port is ephemeral and is not kept.
 */
const LOOPBACK_CLIENT = { 'client.address': '127.0.0.1', 'network.protocol.version': '1.1' } as const;

/** The requests whose target is a resource URI (the convention's note on `mcp.resource.uri`). */
const RESOURCE_METHODS = new Set(['resources/read', 'resources/subscribe', 'resources/unsubscribe', 'notifications/resources/updated']);

/** A call Switchboard served, as opposed to a security event: only these become spans and duration measurements. */
export function isCall(record: AuditRecord): record is AuditRecord & { latencyMs: number } {
  return record.kind === 'request' && typeof record.latencyMs === 'number';
}

/**
 * `{mcp.method.name} {target}`, the target being the tool or prompt name; a resource URI is left out of the name by
 * default (the convention: high cardinality), so a read is named `resources/read`.
 */
export function spanName(record: AuditRecord): string {
  const named = record.target && (record.method === 'tools/call' || record.method === 'prompts/get');
  return named ? `${record.method} ${record.target}` : record.method;
}

/**
 * Switchboard's own error code when the record has one (`UPSTREAM_TIMEOUT`, `INTERNAL`, …). The record's error type
 * also holds `tool_error` and, for a JSON-RPC error from the server, its code (`-32602` on the byte relay,
 * `jsonrpc_-32602` on the SDK path): those are not Switchboard codes.
 */
export function switchboardErrorCode(record: AuditRecord): string | undefined {
  const type = record.errorType;
  if (!type || type === 'tool_error' || /^(jsonrpc_)?-?\d+$/.test(type)) return undefined;
  return type;
}

/**
 * `error.type` as the client saw the call end, set if and only if it failed: the JSON-RPC error code as a string when
 * the answer was a JSON-RPC error, `tool_error` for a tool result with isError, otherwise Switchboard's code for what
 * went wrong, or `_OTHER` when the record names nothing.
 */
function serverErrorType(record: AuditRecord): string | undefined {
  if (record.outcome === 'ok') return undefined;
  if (record.errorCode !== undefined) return String(record.errorCode);
  return record.errorType ?? '_OTHER';
}

/**
 * The same on the hop to the server. When Switchboard put a code on the failure (unreachable, timed out, an answer
 * it could not use), the server gave no JSON-RPC answer of its own: the JSON-RPC error the client got was made by
 * Switchboard, so the hop's `error.type` is Switchboard's code and it has no `rpc.response.status_code`.
 */
function upstreamError(record: AuditRecord): { type?: string; statusCode?: string } {
  if (record.outcome === 'ok') return {};
  const ownCode = switchboardErrorCode(record);
  if (ownCode) return { type: ownCode };
  return { type: serverErrorType(record)!, ...(record.errorCode !== undefined ? { statusCode: String(record.errorCode) } : {}) };
}

/** `gen_ai.tool.name`, `gen_ai.prompt.name` or `mcp.resource.uri`, whichever the method's target is. */
function targetAttributes(record: AuditRecord): Attributes {
  if (!record.target) return {};
  if (record.method === 'tools/call') return { 'gen_ai.tool.name': record.target };
  if (record.method === 'prompts/get') return { 'gen_ai.prompt.name': record.target };
  if (RESOURCE_METHODS.has(record.method)) return { 'mcp.resource.uri': record.target };
  return { 'switchboard.target': record.target };
}

/** The convention: `execute_tool` for a tool call, and not set for anything else. */
function operationName(record: AuditRecord): Attributes {
  return record.method === 'tools/call' ? { 'gen_ai.operation.name': 'execute_tool' } : {};
}

/**
 * What the audit trail adds beyond the convention, under `switchboard.*` (and `user.id`), so a span or log record
 * leads back to its audit record: which client and server, the outcome, sizes, and the record's id and place.
 */
function auditAttributes(record: AuditRecord): Attributes {
  return {
    'switchboard.client': record.client,
    'switchboard.server': record.server,
    'user.id': record.user,
    'switchboard.outcome': record.outcome,
    'switchboard.error.code': switchboardErrorCode(record),
    'switchboard.request.bytes': record.requestBytes === undefined ? undefined : int(record.requestBytes),
    'switchboard.response.bytes': record.responseBytes === undefined ? undefined : int(record.responseBytes),
    'switchboard.audit.id': record.id,
    'switchboard.audit.seq': int(record.seq),
  };
}

/**
 * The SERVER span's attributes: the request the client sent to Switchboard. `jsonrpc.request.id`,
 * `mcp.protocol.version` and `mcp.session.id` (a 2025-era session; a 2026-07-28 client has none) are the client's.
 */
export function serverCallAttributes(record: AuditRecord): Attributes {
  return {
    'mcp.method.name': record.method,
    ...targetAttributes(record),
    ...operationName(record),
    'jsonrpc.request.id': record.jsonrpcId,
    'mcp.protocol.version': record.protocolVersion,
    'mcp.session.id': record.sessionId,
    'error.type': serverErrorType(record),
    'rpc.response.status_code': record.errorCode === undefined ? undefined : String(record.errorCode),
    ...HTTP_OVER_TCP,
    ...LOOPBACK_CLIENT,
    ...auditAttributes(record),
  };
}

/**
 * The CLIENT span's attributes: Switchboard's request to the server. Its JSON-RPC id and the protocol version spoken
 * with the server can differ from the client's, and the record keeps only the client's, so neither is set; the
 * target is the name clients see (the server's own name may differ by the server's prefix).
 */
export function upstreamCallAttributes(record: AuditRecord, upstream: UpstreamAddress | undefined): Attributes {
  const error = upstreamError(record);
  return {
    'mcp.method.name': record.method,
    ...targetAttributes(record),
    ...operationName(record),
    'error.type': error.type,
    'rpc.response.status_code': error.statusCode,
    ...HTTP_OVER_TCP,
    'server.address': upstream?.address,
    'server.port': upstream ? int(upstream.port) : undefined,
    'switchboard.server': record.server,
    'switchboard.audit.id': record.id,
  };
}

/**
 * `mcp.server.operation.duration`'s attributes: the convention's list for the metric, which leaves out per-request
 * values (ids, the session) and, unless opted in, the resource URI, to keep the number of series bounded.
 */
export function serverDurationAttributes(record: AuditRecord): Attributes {
  return {
    'mcp.method.name': record.method,
    ...(record.method === 'tools/call' || record.method === 'prompts/get' ? targetAttributes(record) : {}),
    ...operationName(record),
    'mcp.protocol.version': record.protocolVersion,
    'error.type': serverErrorType(record),
    'rpc.response.status_code': record.errorCode === undefined ? undefined : String(record.errorCode),
    ...HTTP_OVER_TCP,
  };
}

/** `mcp.client.operation.duration`'s attributes, for the hop to the server. */
export function upstreamDurationAttributes(record: AuditRecord, upstream: UpstreamAddress | undefined): Attributes {
  const error = upstreamError(record);
  return {
    'mcp.method.name': record.method,
    ...(record.method === 'tools/call' || record.method === 'prompts/get' ? targetAttributes(record) : {}),
    ...operationName(record),
    'error.type': error.type,
    'rpc.response.status_code': error.statusCode,
    ...HTTP_OVER_TCP,
    'server.address': upstream?.address,
    'server.port': upstream ? int(upstream.port) : undefined,
  };
}

/** A log record's attributes: the call's convention attributes (or a security event's name) and the whole audit record's identity. */
export function auditLogAttributes(record: AuditRecord): Attributes {
  const base =
    record.kind === 'request'
      ? serverCallAttributes(record)
      : { 'switchboard.event': record.method, 'error.type': record.outcome === 'ok' ? undefined : (record.errorType ?? '_OTHER'), ...auditAttributes(record) };
  return {
    ...base,
    'switchboard.audit.kind': record.kind,
    'switchboard.latency_ms': record.latencyMs === undefined ? undefined : double(record.latencyMs),
    'switchboard.audit.hash': record.hash,
    'switchboard.audit.prev_hash': record.prevHash,
    'switchboard.details': record.details ?? undefined,
  };
}
