// The approved tool definitions of each server, the ones held for review and the digests already flagged, in SQLite (tool-pins.db in the data folder).
import { join } from 'node:path';
import type { Tool } from '@modelcontextprotocol/server';
import type Database from 'better-sqlite3';
import { openMigrated, type SchemaMigration } from '../platform/sqlite-migrations.ts';

const MIGRATIONS: readonly SchemaMigration[] = [
  {
    version: 1,
    description: 'servers approved at a URL, their approved and held tool definitions, digests flagged for hidden content',
    sql: `CREATE TABLE servers (server TEXT PRIMARY KEY, url TEXT NOT NULL, approved_at TEXT NOT NULL);
   CREATE TABLE approved (server TEXT NOT NULL, tool TEXT NOT NULL, digest TEXT NOT NULL, definition TEXT NOT NULL, approved_at TEXT NOT NULL, approved_by TEXT NOT NULL, PRIMARY KEY (server, tool));
   CREATE TABLE held (server TEXT NOT NULL, tool TEXT NOT NULL, digest TEXT NOT NULL, definition TEXT NOT NULL, seen_at TEXT NOT NULL, PRIMARY KEY (server, tool));
   CREATE TABLE flagged (digest TEXT PRIMARY KEY, server TEXT NOT NULL, tool TEXT NOT NULL, findings TEXT NOT NULL, flagged_at TEXT NOT NULL);`,
  },
];

/** Who approved a definition: the person (in the app or the CLI), the first use of a server, or a company policy that lets changes through. */
export type ApprovedBy = 'app' | 'cli' | 'first-use' | 'policy';

export interface PinnedDefinition {
  digest: string;
  definition: Tool;
}

export interface ApprovedDefinition extends PinnedDefinition {
  approvedAt: string;
  approvedBy: string;
}

/** A definition waiting for the person, with the one they approved before (none for a tool that is new). */
export interface HeldDefinition extends PinnedDefinition {
  server: string;
  tool: string;
  seenAt: string;
  previous?: ApprovedDefinition;
}

/** An approved definition that had hidden content, which clients get without it. */
export interface FlaggedDefinition {
  server: string;
  tool: string;
  digest: string;
  findings: unknown;
  flaggedAt: string;
}

/** How often the store asks SQLite whether another connection (a CLI command) wrote: often enough for a person, cheap on every listing. */
const EXTERNAL_CHECK_MS = 250;

export function toolPinDatabasePath(dataDir: string): string {
  return join(dataDir, 'tool-pins.db');
}

/** One store per file in a process: serve's router and the app's use cases then see each other's writes at once. */
const openStores = new Map<string, ToolPinStore>();

export function openToolPinStore(dataDir: string): ToolPinStore {
  const path = toolPinDatabasePath(dataDir);
  let store = openStores.get(path);
  if (!store) {
    store = new ToolPinStore(path);
    openStores.set(path, store);
  }
  return store;
}

/** Closes every store this process opened (tests, which remove their data folders). */
export function closeToolPinStores(): void {
  for (const store of openStores.values()) store.close();
  openStores.clear();
}

export class ToolPinStore {
  readonly #db: Database.Database;
  #localWrites = 0;
  #dataVersion = 0;
  #checkedAt = 0;

  constructor(path: string) {
    this.#db = openMigrated(path, {
      describedAs: 'the tool pin database',
      migrations: MIGRATIONS,
      // WAL: serve reads while a CLI command approves.
      pragmas: ['journal_mode = WAL'],
      unavailableCode: 'TOOL_PINS_UNAVAILABLE',
      tooNewCode: 'TOOL_PINS_TOO_NEW',
      // Not "move it away": that would approve whatever every server offers at the next start.
      tooNewAdvice: 'update Switchboard to the version that wrote it',
    });
  }

  /**
   * Changes whenever the stored state may have: at once for writes through this store, within EXTERNAL_CHECK_MS for
   * another process's (SQLite's data_version moves only for other connections' commits).
   */
  generation(): string {
    const now = Date.now();
    if (now - this.#checkedAt >= EXTERNAL_CHECK_MS) {
      this.#checkedAt = now;
      this.#dataVersion = Number(this.#db.pragma('data_version', { simple: true }));
    }
    return `${this.#dataVersion}:${this.#localWrites}`;
  }

  /** Runs `work` as one write transaction (taken at once, so a concurrent approval waits rather than interleaves). */
  transaction<T>(work: () => T): T {
    return this.#db.transaction(work).immediate();
  }

  serverApproval(server: string): { url: string; approvedAt: string } | undefined {
    const row = this.#db.prepare('SELECT url, approved_at FROM servers WHERE server = ?').get(server) as { url: string; approved_at: string } | undefined;
    return row && { url: row.url, approvedAt: row.approved_at };
  }

  approved(server: string): Map<string, ApprovedDefinition> {
    const rows = this.#db.prepare('SELECT tool, digest, definition, approved_at, approved_by FROM approved WHERE server = ?').all(server) as ApprovedRow[];
    return new Map(rows.map((row) => [row.tool, approvedFrom(row)]));
  }

  /** Held definitions, of one server or all, each with the definition approved before it. */
  held(server?: string): HeldDefinition[] {
    const rows = this.#db
      .prepare(
        `SELECT h.server, h.tool, h.digest, h.definition, h.seen_at, a.digest AS previous_digest, a.definition AS previous_definition, a.approved_at, a.approved_by
         FROM held h LEFT JOIN approved a ON a.server = h.server AND a.tool = h.tool
         WHERE ? IS NULL OR h.server = ? ORDER BY h.server, h.tool`,
      )
      .all(server ?? null, server ?? null) as HeldRow[];
    return rows.map((row) => ({
      server: row.server,
      tool: row.tool,
      digest: row.digest,
      definition: JSON.parse(row.definition) as Tool,
      seenAt: row.seen_at,
      ...(row.previous_digest !== null
        ? {
            previous: approvedFrom({
              tool: row.tool,
              digest: row.previous_digest,
              definition: row.previous_definition!,
              approved_at: row.approved_at!,
              approved_by: row.approved_by!,
            }),
          }
        : {}),
    }));
  }

  /** Approved definitions (as approved now, not earlier ones) that had hidden content removed, of one server or all. */
  flaggedApproved(server?: string): FlaggedDefinition[] {
    const rows = this.#db
      .prepare(
        `SELECT f.server, f.tool, f.digest, f.findings, f.flagged_at FROM flagged f
         JOIN approved a ON a.server = f.server AND a.tool = f.tool AND a.digest = f.digest
         WHERE ? IS NULL OR f.server = ? ORDER BY f.server, f.tool`,
      )
      .all(server ?? null, server ?? null) as { server: string; tool: string; digest: string; findings: string; flagged_at: string }[];
    return rows.map((row) => ({
      server: row.server,
      tool: row.tool,
      digest: row.digest,
      findings: JSON.parse(row.findings) as unknown,
      flaggedAt: row.flagged_at,
    }));
  }

  /** The server's first approval (or a new one at another URL): its earlier pins go, these become its approved tools. */
  pinServer(server: string, url: string, tools: readonly PinnedDefinition[], by: ApprovedBy): void {
    const now = new Date().toISOString();
    this.transaction(() => {
      this.#db.prepare('DELETE FROM approved WHERE server = ?').run(server);
      this.#db.prepare('DELETE FROM held WHERE server = ?').run(server);
      this.#db
        .prepare(
          'INSERT INTO servers (server, url, approved_at) VALUES (?, ?, ?) ON CONFLICT (server) DO UPDATE SET url = excluded.url, approved_at = excluded.approved_at',
        )
        .run(server, url, now);
      for (const { digest, definition } of tools) this.#upsertApproved(server, definition.name, digest, definition, now, by);
    });
    this.#localWrites++;
  }

  /** Approves one definition (replacing the earlier one) and ends any hold on that tool. */
  approve(server: string, tool: string, pinned: PinnedDefinition, by: ApprovedBy): void {
    this.transaction(() => {
      this.#upsertApproved(server, tool, pinned.digest, pinned.definition, new Date().toISOString(), by);
      this.#db.prepare('DELETE FROM held WHERE server = ? AND tool = ?').run(server, tool);
    });
    this.#localWrites++;
  }

  /** Holds a definition for review, replacing an earlier held one of the same tool. */
  hold(server: string, tool: string, pinned: PinnedDefinition): void {
    this.#db
      .prepare(
        'INSERT INTO held (server, tool, digest, definition, seen_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT (server, tool) DO UPDATE SET digest = excluded.digest, definition = excluded.definition, seen_at = excluded.seen_at',
      )
      .run(server, tool, pinned.digest, JSON.stringify(pinned.definition), new Date().toISOString());
    this.#localWrites++;
  }

  /** Forgets holds on tools the server no longer offers (or that changed back to the approved definition). */
  release(server: string, tools: readonly string[]): void {
    if (!tools.length) return;
    const statement = this.#db.prepare('DELETE FROM held WHERE server = ? AND tool = ?');
    for (const tool of tools) statement.run(server, tool);
    this.#localWrites++;
  }

  /** Records that a digest had hidden content removed; true only the first time, so it is reported once. */
  flagOnce(digest: string, server: string, tool: string, findings: unknown): boolean {
    const { changes } = this.#db
      .prepare('INSERT OR IGNORE INTO flagged (digest, server, tool, findings, flagged_at) VALUES (?, ?, ?, ?, ?)')
      .run(digest, server, tool, JSON.stringify(findings), new Date().toISOString());
    if (changes) this.#localWrites++;
    return changes > 0;
  }

  close(): void {
    if (this.#db.open) this.#db.close();
  }

  #upsertApproved(server: string, tool: string, digest: string, definition: Tool, at: string, by: ApprovedBy): void {
    this.#db
      .prepare(
        `INSERT INTO approved (server, tool, digest, definition, approved_at, approved_by) VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT (server, tool) DO UPDATE SET digest = excluded.digest, definition = excluded.definition, approved_at = excluded.approved_at, approved_by = excluded.approved_by`,
      )
      .run(server, tool, digest, JSON.stringify(definition), at, by);
  }
}

interface ApprovedRow {
  tool: string;
  digest: string;
  definition: string;
  approved_at: string;
  approved_by: string;
}

interface HeldRow {
  server: string;
  tool: string;
  digest: string;
  definition: string;
  seen_at: string;
  previous_digest: string | null;
  previous_definition: string | null;
  approved_at: string | null;
  approved_by: string | null;
}

function approvedFrom(row: ApprovedRow): ApprovedDefinition {
  return { digest: row.digest, definition: JSON.parse(row.definition) as Tool, approvedAt: row.approved_at, approvedBy: row.approved_by };
}
