// The audit store on a real SQLite file: the hash chain catches modified, inserted and deleted records; retention keeps it verifiable.
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { canonicalRecordText, chainHash, type AuditEntry } from '../../main/core/audit/audit-record.ts';
import { AuditStore } from '../../main/core/audit/audit-store.ts';

async function freshStore(): Promise<{ store: AuditStore; path: string }> {
  const path = join(await mkdtemp(join(tmpdir(), 'switchboard-audit-')), 'audit.db');
  return { store: AuditStore.open(path), path };
}

const call = (index: number, extra: Partial<AuditEntry> = {}): AuditEntry => ({
  kind: 'request',
  client: index % 2 ? 'cursor' : 'claude',
  server: index % 3 ? 'crm' : 'wiki',
  method: 'tools/call',
  target: `crm_tool_${index % 5}`,
  jsonrpcId: String(index),
  protocolVersion: '2026-07-28',
  outcome: index % 7 ? 'ok' : 'tool_error',
  latencyMs: index,
  requestBytes: 100,
  responseBytes: 200,
  details: { arguments: { n: index } },
  ...extra,
});

/** Tampering straight in the database file, as an attacker with file access would. */
function tamper(path: string, sql: string): void {
  const db = new Database(path);
  db.exec(sql);
  db.close();
}

describe('audit store', () => {
  it('appends a linked chain that verifies', async () => {
    const { store } = await freshStore();
    const records = store.appendMany(Array.from({ length: 50 }, (_, index) => call(index)));
    expect(records[1]!.prevHash).toBe(records[0]!.hash);
    expect(store.verify()).toEqual({ ok: true, checked: 50 });
    store.close();
  });

  it.each([
    ['modified', "UPDATE records SET target = 'other' WHERE seq = 20", 20],
    ['deleted', 'DELETE FROM records WHERE seq = 20', 20],
    ['deleted', 'DELETE FROM records WHERE seq > 45', 46],
    ['inserted', "UPDATE records SET prev_hash = '" + 'f'.repeat(64) + "' WHERE seq = 30", 30],
  ] as const)('reports the first %s record (%s)', async (kind, sql, seq) => {
    const { store, path } = await freshStore();
    store.appendMany(Array.from({ length: 50 }, (_, index) => call(index)));
    tamper(path, sql);
    expect(store.verify()).toMatchObject({ ok: false, problem: { kind, seq } });
    store.close();
  });

  it('notices a well-formed record appended behind the chain’s back', async () => {
    const { store, path } = await freshStore();
    const [last] = store.appendMany([call(1)]);
    // The forger computes a correct hash; only the chain's recorded head gives it away.
    const forged = { seq: 2, id: 'forged', time: last!.time, kind: 'request' as const, method: 'tools/call', outcome: 'ok' as const, details: null };
    const hash = chainHash(last!.hash, canonicalRecordText(forged));
    tamper(
      path,
      `INSERT INTO records (seq, id, time, kind, method, outcome, prev_hash, hash) VALUES (2, 'forged', '${last!.time}', 'request', 'tools/call', 'ok', '${last!.hash}', '${hash}')`,
    );
    expect(store.verify()).toMatchObject({ ok: false, problem: { kind: 'inserted' } });
    store.close();
  });

  it('prunes by count and age, keeps the rest verifiable, and never prunes what a sink has not delivered', async () => {
    const { store } = await freshStore();
    store.appendMany(
      Array.from({ length: 100 }, (_, index) => call(index)),
      new Date('2026-01-01T00:00:00Z'),
    );
    store.appendMany(Array.from({ length: 20 }, (_, index) => call(index)));
    store.setCursor('syslog', 50);
    expect(store.prune({ maxRecords: 10 })).toBe(50);
    expect(store.verify()).toEqual({ ok: true, checked: 70 });
    store.setCursor('syslog', 120);
    expect(store.prune({ maxAgeDays: 30 })).toBe(50);
    expect(store.verify()).toEqual({ ok: true, checked: 20 });
    store.append(call(1));
    expect(store.verify()).toEqual({ ok: true, checked: 21 });
    store.close();
  });

  it('filters, pages and summarises', async () => {
    const { store } = await freshStore();
    store.appendMany(Array.from({ length: 60 }, (_, index) => call(index)));
    store.append({ kind: 'security', method: 'auth.token_obtained', server: 'crm', outcome: 'ok' });
    const first = store.query({ client: 'cursor', limit: 10 });
    expect(first.records).toHaveLength(10);
    expect(first.records.every((record) => record.client === 'cursor')).toBe(true);
    const second = store.query({ client: 'cursor', limit: 10, beforeSeq: first.nextBeforeSeq! });
    expect(second.records[0]!.seq).toBeLessThan(first.records.at(-1)!.seq);
    expect(store.query({ outcome: 'tool_error' }).records.every((record) => record.outcome === 'tool_error')).toBe(true);
    expect(store.query({ text: '"n":7}' }).records.map((record) => record.jsonrpcId)).toEqual(['7']);
    expect(store.query({ kind: 'security' }).records).toHaveLength(1);
    const summary = store.summary();
    expect(summary.total).toBe(60);
    expect(summary.byOutcome).toEqual({ ok: 51, tool_error: 9 });
    expect(summary.latencyMs.p50).toBe(30);
    expect(summary.byServer.find((server) => server.server === 'crm')).toMatchObject({ calls: 40 });
    expect(() => store.query({ from: 'yesterday' })).toThrow(expect.objectContaining({ code: 'AUDIT_QUERY_INVALID' }));
    store.close();
  });

  it('gives calls over time per server and per client, every bucket from the first to the last, with latency percentiles per bucket', async () => {
    const { store } = await freshStore();
    const start = Date.parse('2026-05-01T10:00:10Z');
    // Ten calls in the first minute, none in the second, five in the third.
    store.appendMany(
      Array.from({ length: 10 }, (_, index) => call(index)),
      new Date(start),
    );
    store.appendMany(
      Array.from({ length: 5 }, (_, index) => call(index + 10)),
      new Date(start + 120_000),
    );
    store.append({ kind: 'security', method: 'auth.token_obtained', server: 'crm', outcome: 'ok' }, new Date(start + 60_000));
    const byServer = store.timeseries({}, { by: 'server' });
    expect(byServer.bucket).toBe('minute');
    expect(byServer.names).toEqual(['crm', 'wiki']);
    expect(byServer.points.map((point) => [point.time, point.calls])).toEqual([
      ['2026-05-01T10:00:00.000Z', 10],
      ['2026-05-01T10:01:00.000Z', 0],
      ['2026-05-01T10:02:00.000Z', 5],
    ]);
    expect(byServer.points[0]).toMatchObject({
      errors: 2,
      latencyMs: { p50: 5, p95: 9, p99: 9 },
      split: { crm: { calls: 6, errors: 1 }, wiki: { calls: 4, errors: 1 } },
    });
    expect(byServer.points[1]).toMatchObject({ calls: 0, latencyMs: { p50: null }, split: {} });
    const byClient = store.timeseries({ server: 'wiki' }, { by: 'client', bucket: 'hour' });
    expect(byClient).toMatchObject({ bucket: 'hour', by: 'client', points: [{ time: '2026-05-01T10:00:00.000Z', calls: 5 }] });
    expect(store.timeseries({ client: 'nobody' }, { by: 'server' }).points).toEqual([]);
    store.close();
  });

  it('refuses a database from a newer Switchboard', async () => {
    const { store, path } = await freshStore();
    store.close();
    tamper(path, 'PRAGMA user_version = 99');
    expect(() => AuditStore.open(path)).toThrow(expect.objectContaining({ code: 'AUDIT_DATABASE_TOO_NEW' }));
  });
});
