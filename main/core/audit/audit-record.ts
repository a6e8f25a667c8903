// What one audit record holds, as one table of fields (OpenTelemetry MCP attribute names where they exist), and how its hash is computed.
import { createHash } from 'node:crypto';

export type AuditKind = 'request' | 'security';
/** ok; tool_error (the tool ran and said isError); error (a JSON-RPC error); transport_error (the server could not be reached). */
export type AuditOutcome = 'ok' | 'tool_error' | 'error' | 'transport_error' | 'failure';

/** A field's SQLite column type; `T` only carries the TypeScript type of its value (nothing is stored in `value`). */
interface ColumnType<T> {
  readonly sql: 'TEXT' | 'INTEGER' | 'REAL';
  readonly value?: T;
}
const text = <T extends string = string>(): ColumnType<T> => ({ sql: 'TEXT' });
const integer = (): ColumnType<number> => ({ sql: 'INTEGER' });
const real = (): ColumnType<number> => ({ sql: 'REAL' });

export interface AuditFieldSpec {
  /** Its column in the records table. */
  readonly column: string;
  readonly type: ColumnType<unknown>;
  /**
   * required: always set (NOT NULL). optional: may be absent — missing from the record, NULL in its column, null in
   * the canonical text. nullable: always in the record, null when empty.
   */
  readonly presence: 'required' | 'optional' | 'nullable';
  /** caller: part of the AuditEntry handed to the trail. store: given by the store as it appends the record to the chain. */
  readonly setBy: 'caller' | 'store';
  /**
   * Whether the hash covers it. The canonical text lists the hashed fields sorted by name (RFC 8785), so order here is
   * free. `when-present`: a field added after records were already chained; it is in the canonical text only when
   * set, so the records written before it keep their hashes and every later one that has it is covered.
   */
  readonly hashed: boolean | 'when-present';
}

/**
 * Every field of a record, in column order. The record types, the canonical text, the SQL column lists and the row
 * conversions are all derived from this table, so a field added here is stored, read back, exported and verified.
 * A new column also needs a migration (migrations.ts); the audit-record-fields test compares this table with the schema.
 */
export const AUDIT_FIELDS = {
  seq: { column: 'seq', type: integer(), presence: 'required', setBy: 'store', hashed: true },
  /** Random (v4), so exports can be deduplicated downstream. */
  id: { column: 'id', type: text(), presence: 'required', setBy: 'store', hashed: true },
  /** ISO 8601, UTC. */
  time: { column: 'time', type: text(), presence: 'required', setBy: 'store', hashed: true },
  kind: { column: 'kind', type: text<AuditKind>(), presence: 'required', setBy: 'caller', hashed: true },
  /** The local AI client (its registered id). */
  client: { column: 'client', type: text(), presence: 'optional', setBy: 'caller', hashed: true },
  /** The person, as the IdP knows them (`sub`), when signed in. */
  user: { column: 'user', type: text(), presence: 'optional', setBy: 'caller', hashed: true },
  server: { column: 'server', type: text(), presence: 'optional', setBy: 'caller', hashed: true },
  /** `mcp.method.name`, or the security event's name (e.g. `auth.token_obtained`). */
  method: { column: 'method', type: text(), presence: 'required', setBy: 'caller', hashed: true },
  /** `gen_ai.tool.name`, `gen_ai.prompt.name` or `mcp.resource.uri`. */
  target: { column: 'target', type: text(), presence: 'optional', setBy: 'caller', hashed: true },
  /** `jsonrpc.request.id`. */
  jsonrpcId: { column: 'jsonrpc_id', type: text(), presence: 'optional', setBy: 'caller', hashed: true },
  /** `mcp.protocol.version`. */
  protocolVersion: { column: 'protocol_version', type: text(), presence: 'optional', setBy: 'caller', hashed: true },
  outcome: { column: 'outcome', type: text<AuditOutcome>(), presence: 'required', setBy: 'caller', hashed: true },
  /** `rpc.response.status_code`: the JSON-RPC error code. */
  errorCode: { column: 'error_code', type: integer(), presence: 'optional', setBy: 'caller', hashed: true },
  /** `error.type`: `tool_error`, a Switchboard error code, or the JSON-RPC error's kind. */
  errorType: { column: 'error_type', type: text(), presence: 'optional', setBy: 'caller', hashed: true },
  latencyMs: { column: 'latency_ms', type: real(), presence: 'optional', setBy: 'caller', hashed: true },
  requestBytes: { column: 'request_bytes', type: integer(), presence: 'optional', setBy: 'caller', hashed: true },
  responseBytes: { column: 'response_bytes', type: integer(), presence: 'optional', setBy: 'caller', hashed: true },
  traceparent: { column: 'traceparent', type: text(), presence: 'optional', setBy: 'caller', hashed: true },
  /** `mcp.session.id`: the 2025-era session the client's request came on (a 2026-07-28 client has none). */
  sessionId: { column: 'session_id', type: text(), presence: 'optional', setBy: 'caller', hashed: 'when-present' },
  /**
   * Anything else, already redacted: arguments and results when captured, event details. The caller hands over an
   * object; the record holds its canonical JSON (RFC 8785), or null.
   */
  details: { column: 'details', type: text(), presence: 'nullable', setBy: 'caller', hashed: true },
  /** The hash of the record before, mixed into this one's hash by chainHash rather than hashed as a field. */
  prevHash: { column: 'prev_hash', type: text(), presence: 'required', setBy: 'store', hashed: false },
  hash: { column: 'hash', type: text(), presence: 'required', setBy: 'store', hashed: false },
} as const satisfies Record<string, AuditFieldSpec>;

type Fields = typeof AUDIT_FIELDS;
export type AuditFieldName = keyof Fields;
type ValueOf<F> = F extends { type: ColumnType<infer T> } ? T : never;
/** Flattens an intersection into one object type, so editors and errors show the record's fields, not the algebra. */
type Flat<T> = { [K in keyof T]: T[K] } & {};

/** A record as stored, read back and exported. */
export type AuditRecord = Flat<
  { [N in keyof Fields as Fields[N]['presence'] extends 'required' ? N : never]: ValueOf<Fields[N]> } & {
    [N in keyof Fields as Fields[N]['presence'] extends 'nullable' ? N : never]: ValueOf<Fields[N]> | null;
  } & { [N in keyof Fields as Fields[N]['presence'] extends 'optional' ? N : never]?: ValueOf<Fields[N]> }
>;

type SetByCaller = { [N in AuditFieldName]: Fields[N]['setBy'] extends 'caller' ? N : never }[AuditFieldName];

/** A record as the gateway and the security paths hand it over, before it gets its place in the chain. */
export type AuditEntry = Flat<Omit<Pick<AuditRecord, SetByCaller>, 'details'> & { details?: Record<string, unknown> }>;

export const AUDIT_FIELD_NAMES = Object.keys(AUDIT_FIELDS) as AuditFieldName[];

/**
 * The hashed fields in RFC 8785 key order: sort() compares UTF-16 code units, as RFC 8785 does. (None of the names is
 * an array index, which JavaScript would move to the front of an object whatever order it was built in.)
 */
export const CANONICAL_FIELDS: readonly AuditFieldName[] = AUDIT_FIELD_NAMES.filter((name) => AUDIT_FIELDS[name].hashed !== false).sort();
/** The hashed fields left out of the canonical text when absent (see AuditFieldSpec.hashed). */
const LATE_FIELDS: readonly AuditFieldName[] = CANONICAL_FIELDS.filter((name) => AUDIT_FIELDS[name].hashed === 'when-present');

// A flat object of strings, numbers and nulls with its keys in sorted order: JSON.stringify then produces exactly
// RFC 8785 canonical JSON (same escaping, same number form), without a general canonicalizer's cost per record.
// Copying a template that already has every key in that order gives each record's object the same shape up front.
const CANONICAL_TEMPLATE: Readonly<Record<string, null>> = Object.fromEntries(CANONICAL_FIELDS.map((name) => [name, null]));

/** The hashed fields in lexicographic order; null stands for absent, so every record hashes the same shape. */
export function canonicalRecordText(record: Omit<AuditRecord, 'hash' | 'prevHash'>): string {
  const fields = record as Record<string, unknown>;
  const hashed: Record<string, unknown> = { ...CANONICAL_TEMPLATE };
  for (const name of CANONICAL_FIELDS) hashed[name] = fields[name] ?? null;
  for (const name of LATE_FIELDS) if (hashed[name] === null) delete hashed[name];
  return JSON.stringify(hashed);
}

/** The same text from a raw row whose first cells are the hashed columns in CANONICAL_FIELDS order (NULL is absent). */
export function canonicalTextOfCells(cells: readonly unknown[]): string {
  const hashed: Record<string, unknown> = { ...CANONICAL_TEMPLATE };
  for (let index = 0; index < CANONICAL_FIELDS.length; index++) hashed[CANONICAL_FIELDS[index]!] = cells[index] ?? null;
  for (const name of LATE_FIELDS) if (hashed[name] === null) delete hashed[name];
  return JSON.stringify(hashed);
}

/** Each record's hash covers its predecessor's, so changing, inserting or removing one breaks every link after it. */
export function chainHash(prevHash: string, canonicalText: string): string {
  return createHash('sha256').update(prevHash).update('\n').update(canonicalText).digest('hex');
}

/** What the first record links to, and the anchor of an empty chain. */
export const GENESIS_HASH = '0'.repeat(64);
