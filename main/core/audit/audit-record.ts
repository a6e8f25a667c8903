// What one audit record holds (OpenTelemetry MCP attribute names where they exist) and how its hash is computed.
import { createHash } from 'node:crypto';

export type AuditKind = 'request' | 'security';
/** ok; tool_error (the tool ran and said isError); error (a JSON-RPC error); transport_error (the server could not be reached). */
export type AuditOutcome = 'ok' | 'tool_error' | 'error' | 'transport_error' | 'failure';

/** A record as the gateway and the security paths hand it over, before it gets its place in the chain. */
export interface AuditEntry {
  kind: AuditKind;
  /** The local AI client (its registered id). */
  client?: string;
  /** The person, as the IdP knows them (`sub`), when signed in. */
  user?: string;
  server?: string;
  /** `mcp.method.name`, or the security event's name (e.g. `auth.token_obtained`). */
  method: string;
  /** `gen_ai.tool.name`, `gen_ai.prompt.name` or `mcp.resource.uri`. */
  target?: string;
  /** `jsonrpc.request.id`. */
  jsonrpcId?: string;
  /** `mcp.protocol.version`. */
  protocolVersion?: string;
  outcome: AuditOutcome;
  /** `rpc.response.status_code`: the JSON-RPC error code. */
  errorCode?: number;
  /** `error.type`: `tool_error`, a Switchboard error code, or the JSON-RPC error's kind. */
  errorType?: string;
  latencyMs?: number;
  requestBytes?: number;
  responseBytes?: number;
  traceparent?: string;
  /** Anything else, already redacted: arguments and results when captured, event details. */
  details?: Record<string, unknown>;
}

export interface AuditRecord extends Omit<AuditEntry, 'details'> {
  seq: number;
  id: string;
  time: string;
  /** Canonical JSON (RFC 8785) of the details, or null. */
  details: string | null;
  prevHash: string;
  hash: string;
}

/** The hashed fields in lexicographic order; null stands for absent, so every record hashes the same shape. */
export function canonicalRecordText(record: Omit<AuditRecord, 'hash' | 'prevHash'>): string {
  // A flat object of strings, numbers and nulls with its keys in sorted order: JSON.stringify then produces exactly
  // RFC 8785 canonical JSON (same escaping, same number form), without a general canonicalizer's cost per record.
  return JSON.stringify({
    client: record.client ?? null,
    details: record.details ?? null,
    errorCode: record.errorCode ?? null,
    errorType: record.errorType ?? null,
    id: record.id,
    jsonrpcId: record.jsonrpcId ?? null,
    kind: record.kind,
    latencyMs: record.latencyMs ?? null,
    method: record.method,
    outcome: record.outcome,
    protocolVersion: record.protocolVersion ?? null,
    requestBytes: record.requestBytes ?? null,
    responseBytes: record.responseBytes ?? null,
    seq: record.seq,
    server: record.server ?? null,
    target: record.target ?? null,
    time: record.time,
    traceparent: record.traceparent ?? null,
    user: record.user ?? null,
  });
}

/** Each record's hash covers its predecessor's, so changing, inserting or removing one breaks every link after it. */
export function chainHash(prevHash: string, canonicalText: string): string {
  return createHash('sha256').update(prevHash).update('\n').update(canonicalText).digest('hex');
}

export const GENESIS_HASH = '0'.repeat(64);
