// Audit faults: the database full (SQLITE_FULL) or read-only (SQLITE_READONLY), and a sink down for an hour of records — nothing lost, nothing blocked.
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type Database from 'better-sqlite3';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { AuditEntry } from '../../main/core/audit/audit-record.ts';
import { AuditRecorder } from '../../main/core/audit/audit-recorder.ts';
import { AuditStore } from '../../main/core/audit/audit-store.ts';
import { createAuditSink } from '../../main/core/audit/sinks/create-sink.ts';
import { SinkExporter } from '../../main/core/audit/sinks/sink-exporter.ts';
import { createJsonLogger } from '../../main/core/index.ts';
import { freePort, startOtlpReceiver } from '../support/otlp-receiver.ts';

const call = (index: number): AuditEntry => ({
  kind: 'request',
  client: 'claude',
  server: 'wiki',
  method: 'tools/call',
  target: `tool_${index}`,
  outcome: 'ok',
  latencyMs: 1,
  // Enough bytes per record that a capped database fills within a few hundred records.
  details: { note: 'x'.repeat(400) },
});

async function openStore(): Promise<{ store: AuditStore; connection: Database.Database }> {
  let connection: Database.Database | undefined;
  const store = AuditStore.open(join(await mkdtemp(join(tmpdir(), 'switchboard-audit-faults-')), 'audit.sqlite'), { configure: (db) => (connection = db) });
  return { store, connection: connection! };
}

describe('audit faults', () => {
  const cleanups: (() => Promise<void> | void)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  it.each([
    {
      fault: 'the database is full (SQLITE_FULL)',
      breakIt: (db: Database.Database) => db.pragma(`max_page_count = ${Number(db.pragma('page_count', { simple: true }))}`),
      mendIt: (db: Database.Database) => db.pragma('max_page_count = 1073741823'),
      message: /full/i,
    },
    {
      fault: 'the database is read-only (SQLITE_READONLY)',
      breakIt: (db: Database.Database) => db.pragma('query_only = 1'),
      mendIt: (db: Database.Database) => db.pragma('query_only = 0'),
      message: /readonly|read-only/i,
    },
  ])('$fault: callers are not held, records wait in order, and all are written once it can write again', async ({ breakIt, mendIt, message }) => {
    const { store, connection } = await openStore();
    const logged: string[] = [];
    const recorder = new AuditRecorder(store, { logger: createJsonLogger({ write: (line) => void logged.push(line), minLevel: 'debug' }) });
    cleanups.push(
      () => recorder.close(),
      () => store.close(),
    );

    for (let index = 0; index < 100; index++) await recorder.record(call(index));
    breakIt(connection);
    const started = performance.now();
    // While the database cannot write, each caller is released at once: recording never holds a call hostage.
    for (let index = 100; index < 3000; index++) await recorder.record(call(index));
    expect(performance.now() - started).toBeLessThan(2000);
    expect(recorder.pending).toBeGreaterThan(0);
    const failure = logged.find((line) => line.includes('"event":"audit.write_failed"'));
    expect(failure).toMatch(message);

    mendIt(connection);
    await vi.waitFor(() => expect(recorder.pending).toBe(0), { timeout: 5000, interval: 50 });
    expect(logged.some((line) => line.includes('"event":"audit.write_recovered"'))).toBe(true);
    expect(store.headSeq()).toBe(3000);
    // In the order the calls happened, and still a valid chain.
    expect(store.after(0, 3000).map((record) => record.target)).toEqual(Array.from({ length: 3000 }, (_, index) => `tool_${index}`));
    expect(store.verify()).toMatchObject({ ok: true });
  });

  it('a sink down for an hour of records gets all of them, in order, once it is back; the database loses none meanwhile', async () => {
    const { store } = await openStore();
    const port = await freePort();
    const logger = createJsonLogger({ write: () => {}, minLevel: 'error' });
    const exporter = new SinkExporter(createAuditSink({ type: 'otlp', url: `http://127.0.0.1:${port}/v1/logs` }), store, logger);
    cleanups.push(
      () => exporter.close(),
      () => store.close(),
    );

    // One record every 100 ms for an hour, written as the recorder would (time taken from the clock passed in).
    const hourStart = Date.parse('2026-11-25T09:00:00Z');
    const perSecond = 10;
    for (let second = 0; second < 3600; second++) {
      store.appendMany(
        Array.from({ length: perSecond }, (_, index) => ({ ...call(second * perSecond + index), details: undefined })),
        new Date(hourStart + second * 1000),
      );
    }
    exporter.poke();
    await expect(exporter.drain()).rejects.toThrow();
    expect(exporter.backlog()).toBe(36_000);

    const receiver = await startOtlpReceiver(port);
    cleanups.push(() => receiver.close());
    await exporter.drain();
    expect(exporter.backlog()).toBe(0);
    const seqs = receiver.received.map((record) => Number((record.attributes as Record<string, string>)['switchboard.audit.seq']));
    const unique = [...new Set(seqs)];
    // At least once: a retried batch may repeat, but the ids make repeats detectable and nothing is missing or out of order.
    expect(unique).toEqual(Array.from({ length: 36_000 }, (_, index) => index + 1));
    expect(store.verify()).toMatchObject({ ok: true });
  }, 120_000);
});
