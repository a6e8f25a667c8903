// Audit benchmarks: write throughput against bare SQLite inserts, verifying and querying a million records.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { AuditEntry } from '../../main/core/audit/audit-record.ts';
import { AuditRecorder } from '../../main/core/audit/audit-recorder.ts';
import { AuditStore } from '../../main/core/audit/audit-store.ts';
import { silentLogger } from '../../main/core/logging/json-logger.ts';
import { elapsedMs, now, result, type BenchResult } from './bench-kit.ts';

const CLIENTS = ['claude', 'cursor', 'vscode', 'windsurf'];
const SERVERS = ['crm', 'wiki', 'finance', 'tickets', 'hr'];

function entry(index: number): AuditEntry {
  return {
    kind: 'request',
    client: CLIENTS[index % CLIENTS.length]!,
    user: `user${index % 50}`,
    server: SERVERS[index % SERVERS.length]!,
    method: 'tools/call',
    target: `${SERVERS[index % SERVERS.length]}_tool_${index % 40}`,
    jsonrpcId: String(index),
    protocolVersion: index % 2 ? '2026-07-28' : '2025-11-25',
    outcome: index % 50 === 0 ? 'error' : index % 17 === 0 ? 'tool_error' : 'ok',
    latencyMs: (index % 997) / 10,
    requestBytes: 180 + (index % 300),
    responseBytes: 400 + (index % 900),
    traceparent: `00-${index.toString(16).padStart(32, '0')}-${index.toString(16).padStart(16, '0')}-01`,
  };
}

export async function auditBenchmarks(options: { records: number }): Promise<BenchResult[]> {
  const dir = await mkdtemp(join(tmpdir(), 'switchboard-bench-audit-'));
  const results: BenchResult[] = [];
  try {
    // 1. One record per call, each its own transaction, as the gateway writes them; the baseline is a bare
    //    better-sqlite3 insert of the same columns (same WAL settings, no chain, no canonical JSON).
    const perCall = 50_000;
    const bare = new Database(join(dir, 'bare.db'));
    bare.pragma('journal_mode = WAL');
    bare.pragma('synchronous = NORMAL');
    bare.exec('CREATE TABLE r (seq INTEGER PRIMARY KEY, client TEXT, server TEXT, method TEXT, target TEXT, outcome TEXT, latency REAL)');
    const insert = bare.prepare('INSERT INTO r (client, server, method, target, outcome, latency) VALUES (?, ?, ?, ?, ?, ?)');
    let started = now();
    for (let index = 0; index < perCall; index++) {
      const e = entry(index);
      insert.run(e.client, e.server, e.method, e.target, e.outcome, e.latencyMs);
    }
    const bareRate = perCall / (elapsedMs(started) / 1000);
    bare.close();

    const writes = AuditStore.open(join(dir, 'writes.db'));
    started = now();
    for (let index = 0; index < perCall; index++) writes.append(entry(index));
    const rate = perCall / (elapsedMs(started) / 1000);
    writes.close();
    results.push(
      result({
        scenario: 'audit',
        metric: 'write, one record per transaction (sequential calls)',
        value: Math.round(rate),
        unit: 'records/s',
        baseline: { label: 'bare SQLite insert, autocommit', value: Math.round(bareRate) },
        note: 'one commit per record is what a single sequential caller costs; under load the recorder groups commits',
      }),
    );

    // The gateway's real path: AuditRecorder with many calls in flight, each waiting until its record is committed.
    for (const inFlight of [64, 256]) {
      const grouped = AuditStore.open(join(dir, `grouped-${inFlight}.db`));
      const recorder = new AuditRecorder(grouped, { logger: silentLogger });
      const total = 200_000;
      let next = 0;
      started = now();
      await Promise.all(
        Array.from({ length: inFlight }, async () => {
          while (next < total) await recorder.record(entry(next++));
        }),
      );
      const groupedRate = total / (elapsedMs(started) / 1000);
      recorder.close();
      grouped.close();
      results.push(
        result({
          scenario: 'audit',
          metric: `write through the recorder, ${inFlight} calls in flight (group commit)`,
          value: Math.round(groupedRate),
          unit: 'records/s',
          target: { op: '>=', value: 50_000 },
        }),
      );
    }

    // 2. A million records (written in batches), then a full verification of the chain.
    const big = AuditStore.open(join(dir, 'big.db'));
    started = now();
    const batch = 10_000;
    for (let offset = 0; offset < options.records; offset += batch)
      big.appendMany(Array.from({ length: Math.min(batch, options.records - offset) }, (_, index) => entry(offset + index)));
    const batchRate = options.records / (elapsedMs(started) / 1000);
    results.push(
      result({ scenario: 'audit', metric: `write, batches of ${batch}`, value: Math.round(batchRate), unit: 'records/s', target: { op: '>=', value: 50_000 } }),
    );

    started = now();
    const report = big.verify();
    const verifyMs = elapsedMs(started);
    if (!report.ok || report.checked !== options.records) throw new Error(`verification failed: ${JSON.stringify(report)}`);
    results.push(
      result({
        scenario: 'audit',
        metric: `verify ${options.records.toLocaleString('en')} records`,
        value: Math.round(verifyMs),
        unit: 'ms',
        target: { op: '<=', value: 5000 },
      }),
    );

    // 3. Filtered queries over all of them (first page, newest first), each averaged over a few runs.
    const queries: [string, Parameters<AuditStore['query']>[0]][] = [
      ['by client', { client: 'cursor', limit: 100 }],
      ['by server and outcome', { server: 'crm', outcome: 'error', limit: 100 }],
      ['by tool', { target: 'wiki_tool_7', limit: 100 }],
      ['by time range', { from: new Date(Date.now() - 3_600_000).toISOString(), limit: 100 }],
      ['text search', { text: 'finance_tool_3', limit: 100 }],
    ];
    for (const [label, query] of queries) {
      big.query(query);
      started = now();
      const runs = 5;
      for (let run = 0; run < runs; run++) big.query(query);
      results.push(
        result({
          scenario: 'audit',
          metric: `query ${label}`,
          value: Math.round((elapsedMs(started) / runs) * 100) / 100,
          unit: 'ms',
          target: { op: '<=', value: 50 },
        }),
      );
    }
    started = now();
    big.summary({ server: 'crm' });
    results.push(
      result({
        scenario: 'audit',
        metric: 'summary for one server (counts, percentiles, timeline)',
        value: Math.round(elapsedMs(started)),
        unit: 'ms',
        note: 'aggregates scan the matching records',
      }),
    );
    big.close();
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  return results;
}
