// The audit field table against everything derived from it: a record with every field survives save, load, export and verify, and tampering with any field is caught.
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import canonicalize from 'canonicalize';
import { describe, expect, expectTypeOf, it } from 'vitest';
import {
  AUDIT_FIELD_NAMES,
  AUDIT_FIELDS,
  canonicalRecordText,
  chainHash,
  GENESIS_HASH,
  type AuditEntry,
  type AuditRecord,
} from '../../main/core/audit/audit-record.ts';
import { AuditStore } from '../../main/core/audit/audit-store.ts';
import { createJsonlSink, exported } from '../../main/core/audit/sinks/jsonl-sink.ts';
import { formatRfc5424 } from '../../main/core/audit/sinks/syslog-sink.ts';
import { auditRecordSchema, type AuditRecordView } from '../../shared/contract/schemas.ts';

/** Every field a caller can set, set; the store sets the rest. */
const everyCallerField: AuditEntry = {
  kind: 'request',
  client: 'cursor',
  user: 'ana@example.com',
  server: 'crm',
  method: 'tools/call',
  target: 'crm_search',
  jsonrpcId: '42',
  protocolVersion: '2026-07-28',
  outcome: 'tool_error',
  errorCode: -32603,
  errorType: 'tool_error',
  latencyMs: 12.5,
  requestBytes: 321,
  responseBytes: 4567,
  traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01',
  sessionId: '3379a745-c93c-4a35-81b3-de8fdccf911b',
  details: { arguments: { query: 'naïve "quoted"', limit: 5 } },
};

async function storeWith(entries: AuditEntry[]): Promise<{ store: AuditStore; path: string; records: AuditRecord[] }> {
  const path = join(await mkdtemp(join(tmpdir(), 'switchboard-audit-fields-')), 'audit.db');
  const store = AuditStore.open(path);
  return { store, path, records: store.appendMany(entries) };
}

/** Runs SQL on the file behind the store's back, as someone with access to the file could. */
function onFile(path: string, use: (db: Database.Database) => void): void {
  const db = new Database(path);
  try {
    use(db);
  } finally {
    db.close();
  }
}

/** A different value of the column's type, so the change is one a forger could plausibly make. */
function altered(value: unknown): string | number {
  // Integers move far enough that a changed seq lands on no other record's (the column is unique).
  if (typeof value === 'number') return Number.isInteger(value) ? value + 1000 : value + 0.25;
  return `${String(value)}x`;
}

describe('audit record fields', () => {
  it('match the records table: every field has its column, with its type and NOT NULL when required', async () => {
    const { store, path } = await storeWith([]);
    store.close();
    onFile(path, (db) => {
      const columns = db.pragma('table_info(records)') as { name: string; type: string; notnull: number; pk: number }[];
      expect(columns.map((column) => column.name).sort()).toEqual(AUDIT_FIELD_NAMES.map((name) => AUDIT_FIELDS[name].column).sort());
      for (const name of AUDIT_FIELD_NAMES) {
        const column = columns.find((candidate) => candidate.name === AUDIT_FIELDS[name].column)!;
        expect({ name, type: column.type, required: column.notnull === 1 || column.pk === 1 }).toEqual({
          name,
          type: AUDIT_FIELDS[name].type.sql,
          required: AUDIT_FIELDS[name].presence === 'required',
        });
      }
      // The empty chain starts at the genesis hash the first record links to.
      expect(db.prepare('SELECT head_hash, anchor_hash FROM chain_state').get()).toEqual({ head_hash: GENESIS_HASH, anchor_hash: GENESIS_HASH });
    });
  });

  it('fit the shared contract the UI reads records through', async () => {
    expectTypeOf<AuditRecord>().toExtend<AuditRecordView>();
    for (const [name, schema] of Object.entries(auditRecordSchema.shape)) {
      expect(AUDIT_FIELD_NAMES).toContain(name);
      // What the contract requires, every record has.
      if (!schema.safeParse(undefined).success) expect(AUDIT_FIELDS[name as keyof typeof AUDIT_FIELDS].presence).not.toBe('optional');
    }
    const { store, records } = await storeWith([everyCallerField, { kind: 'security', method: 'auth.token_obtained', outcome: 'ok' }]);
    for (const record of store.query().records) expect(auditRecordSchema.safeParse(record).success).toBe(true);
    expect(records).toHaveLength(2);
    store.close();
  });

  it('survive save, load, export and verify with every field set', async () => {
    const { store, records } = await storeWith([everyCallerField]);
    const [written] = records;
    // The test's record must really set every field: a field added to the table without being set here fails.
    for (const name of AUDIT_FIELD_NAMES) expect({ name, value: written![name] ?? null }).not.toEqual({ name, value: null });
    expect(written!.prevHash).toBe(GENESIS_HASH);

    expect(store.query().records).toEqual([written]);
    expect(store.after(0)).toEqual([written]);
    expect(store.verify()).toEqual({ ok: true, checked: 1 });

    // JSONL, as the sink and `switchboard audit export` write it: same fields, in the order exports always had.
    const jsonlPath = join(await mkdtemp(join(tmpdir(), 'switchboard-audit-fields-jsonl-')), 'audit.jsonl');
    await createJsonlSink({ path: jsonlPath, maxBytes: 1_000_000, maxFiles: 1 }).send(store.after(0), AbortSignal.timeout(5_000));
    const line = JSON.parse(await readFile(jsonlPath, 'utf8')) as Record<string, unknown>;
    expect(line).toEqual({ ...written, details: everyCallerField.details });
    expect(Object.keys(line)).toEqual([
      'seq',
      'id',
      'time',
      'kind',
      'method',
      'outcome',
      'details',
      'prevHash',
      'hash',
      'client',
      'user',
      'server',
      'target',
      'jsonrpcId',
      'protocolVersion',
      'errorCode',
      'errorType',
      'latencyMs',
      'requestBytes',
      'responseBytes',
      'traceparent',
      'sessionId',
    ]);
    // An exported line still carries everything its hash covers, so it verifies downstream.
    expect(chainHash(line.prevHash as string, canonicalRecordText({ ...(line as AuditRecord), details: canonicalize(line.details) ?? null }))).toBe(line.hash);

    // Syslog carries the same exported record as its message.
    const syslog = formatRfc5424(written!, { facility: 16, host: 'host', app: 'switchboard' });
    expect(JSON.parse(syslog.slice(syslog.indexOf('] {') + 2))).toEqual(exported(written!));
    store.close();
  });

  it("added after records were chained (hashed when present) leave the earlier records' canonical text and hashes as they were", () => {
    const late = AUDIT_FIELD_NAMES.filter((name) => AUDIT_FIELDS[name].hashed === 'when-present');
    expect(late).toContain('sessionId');
    const earlier = { seq: 1, id: 'a', time: '2026-01-01T00:00:00.000Z', kind: 'request', method: 'tools/call', outcome: 'ok', details: null } as const;
    const text = canonicalRecordText(earlier);
    for (const name of late) expect(JSON.parse(text)).not.toHaveProperty(name);
    // The same record with one set is covered by the hash.
    expect(canonicalRecordText({ ...earlier, sessionId: 's-1' })).not.toBe(text);
  });

  it('leave absent optional fields absent after a round trip', async () => {
    const { store, records } = await storeWith([{ kind: 'security', method: 'auth.token_obtained', outcome: 'ok' }]);
    const [loaded] = store.query().records;
    expect(loaded).toEqual(records[0]);
    for (const name of AUDIT_FIELD_NAMES.filter((field) => AUDIT_FIELDS[field].presence === 'optional')) expect(loaded).not.toHaveProperty(name);
    expect(loaded!.details).toBeNull();
    store.close();
  });

  describe('each tampered with in the file, verify notices', () => {
    // One record before and one after the tampered one, so a broken link shows either way.
    const setUp = () => storeWith([everyCallerField, everyCallerField, everyCallerField]);

    it.each(AUDIT_FIELD_NAMES)('%s changed', async (name) => {
      const { store, path, records } = await setUp();
      const { column } = AUDIT_FIELDS[name];
      onFile(path, (db) => db.prepare(`UPDATE records SET ${column} = ? WHERE seq = 2`).run(altered(records[1]![name])));
      const report = store.verify();
      expect(report.ok).toBe(false);
      // A changed hashed value is a modified record; a changed link or position shows up as a broken chain around it.
      if (AUDIT_FIELDS[name].hashed && name !== 'seq') expect(report.problem).toMatchObject({ seq: 2, kind: 'modified' });
      store.close();
    });

    it.each(AUDIT_FIELD_NAMES.filter((name) => AUDIT_FIELDS[name].presence !== 'required'))('%s cleared', async (name) => {
      const { store, path } = await setUp();
      onFile(path, (db) => db.prepare(`UPDATE records SET ${AUDIT_FIELDS[name].column} = NULL WHERE seq = 2`).run());
      expect(store.verify()).toMatchObject({ ok: false, problem: { seq: 2, kind: 'modified' } });
      store.close();
    });

    it.each(AUDIT_FIELD_NAMES.filter((name) => AUDIT_FIELDS[name].presence !== 'required'))('%s filled in where it was absent', async (name) => {
      const { store, path } = await storeWith([everyCallerField, { kind: 'security', method: 'auth.token_obtained', outcome: 'ok' }, everyCallerField]);
      const value = AUDIT_FIELDS[name].type.sql === 'TEXT' ? 'added' : 7;
      onFile(path, (db) => db.prepare(`UPDATE records SET ${AUDIT_FIELDS[name].column} = ? WHERE seq = 2`).run(value));
      expect(store.verify()).toMatchObject({ ok: false, problem: { seq: 2, kind: 'modified' } });
      store.close();
    });
  });
});
