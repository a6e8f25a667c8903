// The audit trail in SQLite (better-sqlite3, WAL): append with a hash chain, query, summarise, verify, prune, and export cursors.
import { randomUUID } from 'node:crypto';
import type Database from 'better-sqlite3';
import { SwitchboardError } from '../errors.ts';
import { openMigrated } from '../platform/sqlite-migrations.ts';
import { canonicalRecordText, chainHash, type AuditEntry, type AuditOutcome, type AuditRecord } from './audit-record.ts';
import { CHAIN_COLUMNS, chainLinkOf, fromRow, INSERT_RECORD_SQL, RECORD_COLUMNS, toRow } from './audit-row.ts';
import { MIGRATIONS } from './migrations.ts';
import canonicalize from 'canonicalize';

export interface AuditQuery {
  from?: string;
  to?: string;
  client?: string;
  server?: string;
  /** A tool, prompt or resource (the record's target). */
  target?: string;
  method?: string;
  outcome?: AuditOutcome;
  kind?: 'request' | 'security';
  /** Substring of the target, method, error type or details. */
  text?: string;
  /** Newest first; the next page starts below this sequence number. */
  beforeSeq?: number;
  limit?: number;
}

export interface AuditSummary {
  total: number;
  byOutcome: Record<string, number>;
  byServer: { server: string; calls: number; errors: number }[];
  latencyMs: { p50: number | null; p95: number | null; p99: number | null };
  /** Calls and errors per time bucket, oldest first, for charts. */
  timeline: { bucket: string; calls: number; errors: number }[];
}

export type TimeseriesBucket = 'minute' | 'hour' | 'day';

/** Calls over time split by server or client, with latency percentiles per bucket: what the Activity chart draws. */
export interface AuditTimeseries {
  bucket: TimeseriesBucket;
  by: 'server' | 'client';
  /** The names with the most calls, most first; the rest are counted under "other". */
  names: string[];
  /** Every bucket from the first to the last (empty ones included, so the time axis is even), oldest first; `time` is the bucket's start (ISO). */
  points: {
    time: string;
    calls: number;
    errors: number;
    latencyMs: { p50: number | null; p95: number | null; p99: number | null };
    /** Calls and errors per name (only names with calls in this bucket). */
    split: Record<string, { calls: number; errors: number }>;
  }[];
}

/** At most this many buckets (the newest), and this many names before "other". */
const TIMESERIES_MAX_BUCKETS = 120;
const TIMESERIES_MAX_NAMES = 6;
const BUCKET_MS: Record<TimeseriesBucket, number> = { minute: 60_000, hour: 3_600_000, day: 86_400_000 };
const BUCKET_WIDTH: Record<TimeseriesBucket, number> = { minute: 16, hour: 13, day: 10 };

export type VerifyProblem = 'modified' | 'deleted' | 'inserted';

export interface VerifyReport {
  ok: boolean;
  checked: number;
  /** Where the chain first breaks, and how. */
  problem?: { seq: number; kind: VerifyProblem; detail: string };
}

interface ChainState {
  head_seq: number;
  head_hash: string;
  anchor_seq: number;
  anchor_hash: string;
}

const MAX_PAGE = 1000;

const AUDIT_PRAGMAS = [
  'journal_mode = WAL',
  // NORMAL in WAL mode: a committed record survives the process being killed (only an OS crash can lose the last ones).
  'synchronous = NORMAL',
  'busy_timeout = 5000',
  // Commits were dominated by WAL checkpoints and evicted index pages: checkpoint less often, cache more.
  'wal_autocheckpoint = 10000',
  // 8 MiB, not 32: appends touch only the right edge of the table and its indexes, and the cache is malloc'd
  // memory that fills as the trail grows — at 32 MiB a busy `serve` gained ~30 MiB RSS over its first minutes
  // (soak), for no measurable write speed (14–15k records/s either way, 100 servers × 50 tools).
  'cache_size = -8192',
];

export class AuditStore {
  readonly path: string;
  readonly #db: Database.Database;
  readonly #insert: Database.Statement;
  readonly #state: Database.Statement;
  readonly #advanceHead: Database.Statement;
  readonly #appendTransaction: Database.Transaction<(entries: readonly AuditEntry[], now: Date) => AuditRecord[]>;

  private constructor(path: string, db: Database.Database) {
    this.path = path;
    this.#db = db;
    this.#insert = db.prepare(INSERT_RECORD_SQL);
    this.#state = db.prepare('SELECT head_seq, head_hash, anchor_seq, anchor_hash FROM chain_state WHERE singleton = 1');
    this.#advanceHead = db.prepare('UPDATE chain_state SET head_seq = ?, head_hash = ? WHERE singleton = 1');
    // IMMEDIATE: the head is read and advanced under the write lock, so two processes (serve and a CLI) never fork the chain.
    this.#appendTransaction = db.transaction((entries: readonly AuditEntry[], now: Date) => {
      const state = this.#state.get() as ChainState;
      let seq = state.head_seq;
      let prevHash = state.head_hash;
      const written: AuditRecord[] = [];
      for (const entry of entries) {
        seq++;
        const { details, ...fields } = entry;
        const base = { ...fields, seq, id: randomUUID(), time: now.toISOString(), details: details ? (canonicalize(details) ?? null) : null };
        const hash = chainHash(prevHash, canonicalRecordText(base));
        const record: AuditRecord = { ...base, prevHash, hash };
        this.#insert.run(toRow(record));
        written.push(record);
        prevHash = hash;
      }
      this.#advanceHead.run(seq, prevHash);
      return written;
    });
  }

  /**
   * Opens (creating if needed) and migrates; refuses a database written by a newer Switchboard rather than damage it.
   * `configure` sees the connection after it is set up: the fault tests use it to cap its size (a real SQLITE_FULL)
   * or make it read-only (a real SQLITE_READONLY) without needing a full disk.
   */
  static open(path: string, options: { configure?: (connection: Database.Database) => void } = {}): AuditStore {
    const db = openMigrated(path, {
      describedAs: 'the audit database',
      migrations: MIGRATIONS,
      pragmas: AUDIT_PRAGMAS,
      unavailableCode: 'AUDIT_UNAVAILABLE',
      tooNewCode: 'AUDIT_DATABASE_TOO_NEW',
      tooNewAdvice: 'update Switchboard instead of opening it with an older one',
      configure: options.configure,
    });
    return new AuditStore(path, db);
  }

  append(entry: AuditEntry, now = new Date()): AuditRecord {
    return this.#appendTransaction.immediate([entry], now)[0]!;
  }

  appendMany(entries: readonly AuditEntry[], now = new Date()): AuditRecord[] {
    return entries.length ? this.#appendTransaction.immediate(entries, now) : [];
  }

  query(filter: AuditQuery = {}): { records: AuditRecord[]; nextBeforeSeq?: number } {
    const { where, params } = whereClause(filter);
    const limit = Math.min(Math.max(1, filter.limit ?? 100), MAX_PAGE);
    const rows = this.#db.prepare(`SELECT ${RECORD_COLUMNS} FROM records ${where} ORDER BY seq DESC LIMIT ${limit + 1}`).all(params) as Record<
      string,
      unknown
    >[];
    const page = rows.slice(0, limit).map(fromRow);
    return { records: page, ...(rows.length > limit ? { nextBeforeSeq: page.at(-1)!.seq } : {}) };
  }

  /** Records after a sequence number, oldest first: what a sink has not delivered yet, and what `tail` follows. */
  after(seq: number, limit = 500): AuditRecord[] {
    return (this.#db.prepare(`SELECT ${RECORD_COLUMNS} FROM records WHERE seq > ? ORDER BY seq LIMIT ?`).all(seq, limit) as Record<string, unknown>[]).map(
      fromRow,
    );
  }

  headSeq(): number {
    return (this.#state.get() as ChainState).head_seq;
  }

  summary(filter: AuditQuery = {}, bucket: 'minute' | 'hour' | 'day' = 'hour'): AuditSummary {
    const { where, params } = whereClause({ ...filter, kind: filter.kind ?? 'request' });
    const and = where ? `${where} AND` : 'WHERE';
    const total = (this.#db.prepare(`SELECT COUNT(*) AS n FROM records ${where}`).get(params) as { n: number }).n;
    const byOutcome = Object.fromEntries(
      (this.#db.prepare(`SELECT outcome, COUNT(*) AS n FROM records ${where} GROUP BY outcome`).all(params) as { outcome: string; n: number }[]).map((row) => [
        row.outcome,
        row.n,
      ]),
    );
    const byServer = (
      this.#db
        .prepare(`SELECT server, COUNT(*) AS calls, SUM(outcome != 'ok') AS errors FROM records ${and} server IS NOT NULL GROUP BY server ORDER BY calls DESC`)
        .all(params) as {
        server: string;
        calls: number;
        errors: number;
      }[]
    ).map((row) => ({ server: row.server, calls: row.calls, errors: row.errors }));
    const withLatency = (this.#db.prepare(`SELECT COUNT(*) AS n FROM records ${and} latency_ms IS NOT NULL`).get(params) as { n: number }).n;
    const percentile = (p: number): number | null => {
      if (withLatency === 0) return null;
      const offset = Math.min(withLatency - 1, Math.floor(p * withLatency));
      return (
        this.#db.prepare(`SELECT latency_ms AS v FROM records ${and} latency_ms IS NOT NULL ORDER BY latency_ms LIMIT 1 OFFSET ${offset}`).get(params) as {
          v: number;
        }
      ).v;
    };
    const width = { minute: 16, hour: 13, day: 10 }[bucket];
    const timeline = (
      this.#db
        .prepare(
          `SELECT substr(time, 1, ${width}) AS bucket, COUNT(*) AS calls, SUM(outcome != 'ok') AS errors FROM records ${where} GROUP BY bucket ORDER BY bucket`,
        )
        .all(params) as {
        bucket: string;
        calls: number;
        errors: number;
      }[]
    ).map((row) => ({ bucket: row.bucket, calls: row.calls, errors: row.errors }));
    return { total, byOutcome, byServer, latencyMs: { p50: percentile(0.5), p95: percentile(0.95), p99: percentile(0.99) }, timeline };
  }

  /**
   * Requests per time bucket, split by server or client, with latency percentiles per bucket. With no bucket given it is
   * chosen from the span of the matching records (up to three hours by minute, up to five days by hour, beyond by day).
   */
  timeseries(filter: AuditQuery = {}, options: { by: 'server' | 'client'; bucket?: TimeseriesBucket }): AuditTimeseries {
    const { limit: _limit, beforeSeq: _beforeSeq, ...rest } = filter;
    const base = whereClause({ ...rest, kind: rest.kind ?? 'request' });
    const span = this.#db.prepare(`SELECT MIN(time) AS first, MAX(time) AS last FROM records ${base.where}`).get(base.params) as {
      first: string | null;
      last: string | null;
    };
    const by = options.by;
    if (!span.first || !span.last) return { bucket: options.bucket ?? 'minute', by, names: [], points: [] };
    const length = Date.parse(span.last) - Date.parse(span.first);
    const bucket = options.bucket ?? (length <= 3 * BUCKET_MS.hour ? 'minute' : length <= 5 * BUCKET_MS.day ? 'hour' : 'day');
    const startOf = (time: string) => Date.parse(bucketIso(time.slice(0, BUCKET_WIDTH[bucket]), bucket));
    const lastStart = startOf(span.last);
    const firstStart = Math.max(startOf(span.first), lastStart - (TIMESERIES_MAX_BUCKETS - 1) * BUCKET_MS[bucket]);
    // Only the newest buckets are read: a long trail is not walked for a chart that shows its end.
    const { where, params } = whereClause({ ...rest, kind: rest.kind ?? 'request', from: new Date(firstStart).toISOString() });
    const width = BUCKET_WIDTH[bucket];
    const column = by === 'server' ? 'server' : 'client';
    const rows = this.#db
      .prepare(
        `SELECT substr(time, 1, ${width}) AS b, ${column} AS name, COUNT(*) AS calls, SUM(outcome != 'ok') AS errors FROM records ${where} GROUP BY b, name`,
      )
      .all(params) as { b: string; name: string | null; calls: number; errors: number }[];
    const totals = new Map<string, number>();
    for (const row of rows) totals.set(row.name ?? '(none)', (totals.get(row.name ?? '(none)') ?? 0) + row.calls);
    const ranked = [...totals.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([name]) => name);
    const names = ranked.length > TIMESERIES_MAX_NAMES ? [...ranked.slice(0, TIMESERIES_MAX_NAMES - 1), 'other'] : ranked;
    const kept = new Set(names);
    const and = where ? `${where} AND` : 'WHERE';
    const latencies = new Map<string, number[]>();
    for (const row of this.#db
      .prepare(`SELECT substr(time, 1, ${width}) AS b, latency_ms AS v FROM records ${and} latency_ms IS NOT NULL ORDER BY b, latency_ms`)
      .all(params) as { b: string; v: number }[]) {
      const list = latencies.get(row.b) ?? [];
      list.push(row.v);
      latencies.set(row.b, list);
    }
    const byBucket = new Map<string, { calls: number; errors: number; split: Record<string, { calls: number; errors: number }> }>();
    for (const row of rows) {
      const entry = byBucket.get(row.b) ?? { calls: 0, errors: 0, split: {} };
      const name = kept.has(row.name ?? '(none)') ? (row.name ?? '(none)') : 'other';
      const split = (entry.split[name] ??= { calls: 0, errors: 0 });
      split.calls += row.calls;
      split.errors += row.errors;
      entry.calls += row.calls;
      entry.errors += row.errors;
      byBucket.set(row.b, entry);
    }
    const points: AuditTimeseries['points'] = [];
    for (let start = firstStart; start <= lastStart; start += BUCKET_MS[bucket]) {
      const key = new Date(start).toISOString().slice(0, width);
      const entry = byBucket.get(key);
      const sorted = latencies.get(key) ?? [];
      const percentile = (p: number) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]! : null);
      points.push({
        time: new Date(start).toISOString(),
        calls: entry?.calls ?? 0,
        errors: entry?.errors ?? 0,
        latencyMs: { p50: percentile(0.5), p95: percentile(0.95), p99: percentile(0.99) },
        split: entry?.split ?? {},
      });
    }
    return { bucket, by, names, points };
  }

  /** Walks the chain from the retention anchor to the head and reports the first record that was modified, inserted or deleted. */
  verify(): VerifyReport {
    const state = this.#state.get() as ChainState;
    let prevSeq = state.anchor_seq;
    let prevHash = state.anchor_hash;
    let checked = 0;
    const rows = this.#db.prepare(`SELECT ${CHAIN_COLUMNS} FROM records ORDER BY seq`).raw(true).iterate() as IterableIterator<unknown[]>;
    for (const row of rows) {
      const { seq, prevHash: storedPrev, hash: storedHash, canonicalText } = chainLinkOf(row);
      if (seq <= state.anchor_seq)
        return { ok: false, checked, problem: { seq, kind: 'inserted', detail: 'a record older than the retention anchor reappeared' } };
      if (seq !== prevSeq + 1)
        return { ok: false, checked, problem: { seq: prevSeq + 1, kind: 'deleted', detail: `records ${prevSeq + 1}–${seq - 1} are missing` } };
      if (storedPrev !== prevHash) return { ok: false, checked, problem: { seq, kind: 'inserted', detail: 'the record does not link to its predecessor' } };
      if (chainHash(storedPrev, canonicalText) !== storedHash)
        return { ok: false, checked, problem: { seq, kind: 'modified', detail: 'the record’s content does not match its hash' } };
      prevSeq = seq;
      prevHash = storedHash;
      checked++;
    }
    if (prevSeq < state.head_seq)
      return {
        ok: false,
        checked,
        problem: { seq: prevSeq + 1, kind: 'deleted', detail: `records ${prevSeq + 1}–${state.head_seq} were removed from the end` },
      };
    if (prevSeq > state.head_seq || prevHash !== state.head_hash)
      return { ok: false, checked, problem: { seq: state.head_seq + 1, kind: 'inserted', detail: 'records were added without going through the chain' } };
    return { ok: true, checked };
  }

  /**
   * Retention: removes the oldest records beyond the age or count limit, never past what every sink has delivered,
   * and moves the anchor to the last removed record so the rest of the chain still verifies.
   */
  prune(limits: { maxAgeDays?: number; maxRecords?: number }, now = new Date()): number {
    return this.#db
      .transaction(() => {
        const state = this.#state.get() as ChainState;
        const exported = (this.#db.prepare('SELECT MIN(last_seq) AS s FROM sink_cursors').get() as { s: number | null }).s ?? state.head_seq;
        let upTo = state.anchor_seq;
        if (limits.maxAgeDays !== undefined) {
          const cutoff = new Date(now.getTime() - limits.maxAgeDays * 86_400_000).toISOString();
          const row = this.#db.prepare('SELECT MAX(seq) AS s FROM records WHERE time < ?').get(cutoff) as { s: number | null };
          upTo = Math.max(upTo, row.s ?? 0);
        }
        if (limits.maxRecords !== undefined) upTo = Math.max(upTo, state.head_seq - limits.maxRecords);
        upTo = Math.min(upTo, exported);
        if (upTo <= state.anchor_seq) return 0;
        const last = this.#db.prepare('SELECT seq, hash FROM records WHERE seq <= ? ORDER BY seq DESC LIMIT 1').get(upTo) as
          { seq: number; hash: string } | undefined;
        if (!last) return 0;
        const removed = this.#db.prepare('DELETE FROM records WHERE seq <= ?').run(last.seq).changes;
        this.#db.prepare('UPDATE chain_state SET anchor_seq = ?, anchor_hash = ? WHERE singleton = 1').run(last.seq, last.hash);
        return removed;
      })
      .immediate();
  }

  cursor(sink: string): number {
    return (
      (this.#db.prepare('SELECT last_seq FROM sink_cursors WHERE sink = ?').get(sink) as { last_seq: number } | undefined)?.last_seq ?? this.#registerSink(sink)
    );
  }

  setCursor(sink: string, seq: number): void {
    this.#db.prepare('INSERT INTO sink_cursors (sink, last_seq) VALUES (?, ?) ON CONFLICT (sink) DO UPDATE SET last_seq = excluded.last_seq').run(sink, seq);
  }

  close(): void {
    this.#db.close();
  }

  /** A new sink starts at the anchor: it receives everything still kept. */
  #registerSink(sink: string): number {
    const start = (this.#state.get() as ChainState).anchor_seq;
    this.setCursor(sink, start);
    return start;
  }
}

function isoTime(value: string, field: string): string {
  const time = new Date(value);
  if (Number.isNaN(time.getTime()))
    throw new SwitchboardError('AUDIT_QUERY_INVALID', `"${field}" must be a date and time (e.g. 2026-11-25T10:00:00Z), not "${value}"`);
  return time.toISOString();
}

/** A bucket key (a prefix of an ISO time) as the full ISO time of the bucket's start. */
function bucketIso(key: string, bucket: TimeseriesBucket): string {
  return bucket === 'minute' ? `${key}:00.000Z` : bucket === 'hour' ? `${key}:00:00.000Z` : `${key}T00:00:00.000Z`;
}

function whereClause(filter: AuditQuery): { where: string; params: Record<string, unknown> } {
  const clauses: string[] = [];
  const params: Record<string, unknown> = {};
  const equal = (column: string, key: keyof AuditQuery) => {
    if (filter[key] !== undefined) {
      clauses.push(`${column} = @${key}`);
      params[key] = filter[key];
    }
  };
  equal('client', 'client');
  equal('server', 'server');
  equal('target', 'target');
  equal('method', 'method');
  equal('outcome', 'outcome');
  equal('kind', 'kind');
  if (filter.from) {
    clauses.push('time >= @from');
    params.from = isoTime(filter.from, 'from');
  }
  if (filter.to) {
    clauses.push('time < @to');
    params.to = isoTime(filter.to, 'to');
  }
  if (filter.beforeSeq !== undefined) {
    clauses.push('seq < @beforeSeq');
    params.beforeSeq = filter.beforeSeq;
  }
  if (filter.text) {
    clauses.push('(instr(target, @text) > 0 OR instr(method, @text) > 0 OR instr(error_type, @text) > 0 OR instr(details, @text) > 0)');
    params.text = filter.text;
  }
  return { where: clauses.length ? `WHERE ${clauses.join(' AND ')}` : '', params };
}
