// The audit database's schema, as numbered migrations applied in order; PRAGMA user_version records the last one applied.
import type { SchemaMigration } from '../platform/sqlite-migrations.ts';
import { GENESIS_HASH } from './audit-record.ts';

export const MIGRATIONS: readonly SchemaMigration[] = [
  {
    version: 1,
    description: 'records with their hash chain, chain state, per-sink export cursors',
    sql: `
      CREATE TABLE records (
        seq INTEGER PRIMARY KEY,
        -- Random (v4) ids let exports be deduplicated downstream; no index: nothing looks records up by id here.
        id TEXT NOT NULL,
        time TEXT NOT NULL,
        kind TEXT NOT NULL,
        client TEXT,
        user TEXT,
        server TEXT,
        method TEXT NOT NULL,
        target TEXT,
        jsonrpc_id TEXT,
        protocol_version TEXT,
        outcome TEXT NOT NULL,
        error_code INTEGER,
        error_type TEXT,
        latency_ms REAL,
        request_bytes INTEGER,
        response_bytes INTEGER,
        traceparent TEXT,
        details TEXT,
        prev_hash TEXT NOT NULL,
        hash TEXT NOT NULL
      );
      -- Each index costs every write; these serve the filters people use. Outcome and text filters scan newest-first,
      -- which stays fast because they are combined with these or stop at the first page.
      CREATE INDEX records_time ON records (time);
      CREATE INDEX records_client ON records (client, seq);
      CREATE INDEX records_server ON records (server, seq);
      CREATE INDEX records_target ON records (target, seq);
      -- The head of the chain (to notice records removed from the end) and the anchor retention prunes down to.
      CREATE TABLE chain_state (
        singleton INTEGER PRIMARY KEY CHECK (singleton = 1),
        head_seq INTEGER NOT NULL,
        head_hash TEXT NOT NULL,
        anchor_seq INTEGER NOT NULL,
        anchor_hash TEXT NOT NULL
      );
      -- An empty chain: the first record links to the genesis hash, as does verification from an anchor at 0.
      INSERT INTO chain_state VALUES (1, 0, '${GENESIS_HASH}', 0, '${GENESIS_HASH}');
      -- Each export sink's outbox is the records table itself: the sink has delivered everything up to last_seq.
      CREATE TABLE sink_cursors (sink TEXT PRIMARY KEY, last_seq INTEGER NOT NULL);
    `,
  },
  {
    version: 2,
    description: "the client's 2025-era session (mcp.session.id)",
    sql: `ALTER TABLE records ADD COLUMN session_id TEXT;`,
  },
];
