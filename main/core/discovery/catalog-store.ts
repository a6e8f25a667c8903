// The catalog cache in SQLite: fetched documents (for ETag revalidation and offline starts) and the servers discovered, with their age.
import { join } from 'node:path';
import type Database from 'better-sqlite3';
import { openMigrated, type SchemaMigration } from '../platform/sqlite-migrations.ts';

export interface CachedDocument {
  url: string;
  body: string;
  etag?: string;
  fetchedAt: number;
  maxAgeSeconds?: number;
}

export interface CatalogEntryRecord {
  /** The card's name when it has one, otherwise the MCP URL. */
  key: string;
  source: 'ai-catalog' | 'server-card' | 'well-known' | 'registry' | 'company' | 'live';
  name?: string;
  title?: string;
  description?: string;
  version?: string;
  mcpUrl?: string;
  /** The validated card or registry entry, as JSON. */
  document?: string;
  /** Whether Switchboard can run it (a remote); registry entries with packages only cannot be. */
  runnable: boolean;
  discoveredAt: number;
}

const MIGRATIONS: readonly SchemaMigration[] = [
  {
    version: 1,
    description: 'fetched documents with their validators, discovered servers',
    // Byte for byte as first shipped (the text of each CREATE is kept in the file's schema).
    sql: `CREATE TABLE documents (url TEXT PRIMARY KEY, body TEXT NOT NULL, etag TEXT, fetched_at INTEGER NOT NULL, max_age INTEGER);
   CREATE TABLE entries (key TEXT PRIMARY KEY, source TEXT NOT NULL, name TEXT, title TEXT, description TEXT, version TEXT, mcp_url TEXT,
     document TEXT, runnable INTEGER NOT NULL, discovered_at INTEGER NOT NULL);`,
  },
];

export function catalogDatabasePath(dataDir: string): string {
  return join(dataDir, 'catalog.db');
}

export class CatalogStore {
  readonly #db: Database.Database;

  constructor(path: string) {
    this.#db = openMigrated(path, {
      describedAs: 'the catalog cache',
      migrations: MIGRATIONS,
      pragmas: ['journal_mode = WAL'],
      unavailableCode: 'DISCOVERY_FETCH_FAILED',
      tooNewCode: 'DISCOVERY_CACHE_TOO_NEW',
      // Safe advice: the cache holds only what can be fetched again, and a missing file is simply created anew.
      tooNewAdvice: 'update Switchboard, or move the file away and this version starts a new cache (it holds only fetched catalog data)',
    });
  }

  document(url: string): CachedDocument | undefined {
    const row = this.#db.prepare('SELECT url, body, etag, fetched_at, max_age FROM documents WHERE url = ?').get(url) as
      { url: string; body: string; etag: string | null; fetched_at: number; max_age: number | null } | undefined;
    if (!row) return undefined;
    return {
      url: row.url,
      body: row.body,
      fetchedAt: row.fetched_at,
      ...(row.etag ? { etag: row.etag } : {}),
      ...(row.max_age !== null ? { maxAgeSeconds: row.max_age } : {}),
    };
  }

  saveDocument(document: CachedDocument): void {
    this.#db
      .prepare(
        'INSERT INTO documents (url, body, etag, fetched_at, max_age) VALUES (?, ?, ?, ?, ?) ON CONFLICT (url) DO UPDATE SET body = excluded.body, etag = excluded.etag, fetched_at = excluded.fetched_at, max_age = excluded.max_age',
      )
      .run(document.url, document.body, document.etag ?? null, document.fetchedAt, document.maxAgeSeconds ?? null);
  }

  saveEntry(entry: CatalogEntryRecord): void {
    this.#db
      .prepare(
        `INSERT INTO entries (key, source, name, title, description, version, mcp_url, document, runnable, discovered_at) VALUES (@key, @source, @name, @title, @description, @version, @mcpUrl, @document, @runnable, @discoveredAt)
         ON CONFLICT (key) DO UPDATE SET source = excluded.source, name = excluded.name, title = excluded.title, description = excluded.description, version = excluded.version,
         mcp_url = excluded.mcp_url, document = excluded.document, runnable = excluded.runnable, discovered_at = excluded.discovered_at`,
      )
      .run({ name: null, title: null, description: null, version: null, mcpUrl: null, document: null, ...entry, runnable: entry.runnable ? 1 : 0 });
  }

  entries(): (CatalogEntryRecord & { ageSeconds: number })[] {
    const rows = this.#db.prepare('SELECT * FROM entries ORDER BY coalesce(title, name, key)').all() as Record<string, unknown>[];
    return rows.map((row) => {
      const entry: CatalogEntryRecord & { ageSeconds: number } = {
        key: String(row.key),
        source: row.source as CatalogEntryRecord['source'],
        runnable: row.runnable === 1,
        discoveredAt: Number(row.discovered_at),
        ageSeconds: Math.round((Date.now() - Number(row.discovered_at)) / 1000),
      };
      for (const [column, field] of [
        ['name', 'name'],
        ['title', 'title'],
        ['description', 'description'],
        ['version', 'version'],
        ['mcp_url', 'mcpUrl'],
        ['document', 'document'],
      ] as const) {
        if (row[column] !== null && row[column] !== undefined) (entry as unknown as Record<string, unknown>)[field] = row[column];
      }
      return entry;
    });
  }

  close(): void {
    this.#db.close();
  }
}
