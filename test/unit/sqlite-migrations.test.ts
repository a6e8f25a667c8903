// openMigrated on real SQLite files: migrations run once and in order, a file from a newer build is refused with an actionable message.
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { openMigrated, type MigratedDatabaseSpec, type SchemaMigration } from '../../main/core/platform/sqlite-migrations.ts';

const V1: SchemaMigration = { version: 1, description: 'notes', sql: 'CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT NOT NULL);' };
const V2: SchemaMigration = { version: 2, description: 'note tags', sql: 'ALTER TABLE notes ADD COLUMN tag TEXT;' };

const spec = (migrations: SchemaMigration[], extra: Partial<MigratedDatabaseSpec> = {}): MigratedDatabaseSpec => ({
  describedAs: 'the test database',
  migrations,
  pragmas: ['journal_mode = WAL'],
  unavailableCode: 'AUDIT_UNAVAILABLE',
  tooNewCode: 'AUDIT_DATABASE_TOO_NEW',
  tooNewAdvice: 'update Switchboard',
  ...extra,
});

async function scratchPath(): Promise<string> {
  // A folder that does not exist yet: openMigrated makes it.
  return join(await mkdtemp(join(tmpdir(), 'switchboard-sqlite-')), 'nested', 'test.db');
}

const columnsOf = (db: Database.Database, table: string): string[] => (db.pragma(`table_info(${table})`) as { name: string }[]).map((column) => column.name);

describe('openMigrated', () => {
  it('creates the file, sets the pragmas and applies every migration in order', async () => {
    const path = await scratchPath();
    const db = openMigrated(path, spec([V1, V2]));
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('user_version', { simple: true })).toBe(2);
    expect(columnsOf(db, 'notes')).toEqual(['id', 'body', 'tag']);
    db.close();
  });

  it('applies only the migrations a file has not had, keeping its data', async () => {
    const path = await scratchPath();
    const before = openMigrated(path, spec([V1]));
    before.prepare('INSERT INTO notes (body) VALUES (?)').run('kept');
    before.close();
    // Running V1 again would fail (the table exists), so reaching version 2 shows it was skipped.
    const after = openMigrated(path, spec([V1, V2]));
    expect(after.pragma('user_version', { simple: true })).toBe(2);
    expect(after.prepare('SELECT body, tag FROM notes').all()).toEqual([{ body: 'kept', tag: null }]);
    after.close();
  });

  it('refuses a file from a newer build with its code, naming the file, both versions and what to do, and leaves it untouched', async () => {
    const path = await scratchPath();
    openMigrated(path, spec([V1, V2])).close();
    const error = (() => {
      try {
        openMigrated(path, spec([V1], { tooNewAdvice: 'update Switchboard, or move the file away' }));
      } catch (caught) {
        return caught;
      }
      return undefined;
    })();
    expect(error).toMatchObject({
      code: 'AUDIT_DATABASE_TOO_NEW',
      message: `the test database ${path} has schema version 2, newer than this Switchboard understands (1); update Switchboard, or move the file away`,
    });
    // Closed and unchanged: the newer build can still open it.
    const newer = openMigrated(path, spec([V1, V2]));
    expect(newer.pragma('user_version', { simple: true })).toBe(2);
    newer.close();
  });

  it('reports a file it cannot open with the unavailable code and the reason', async () => {
    const path = await scratchPath();
    openMigrated(path, spec([V1])).close();
    const notADatabase = join(path, '..', 'garbage.db');
    await writeFile(notADatabase, 'this is not a database, just enough bytes to not look like an empty file at all '.repeat(20));
    expect(() => openMigrated(notADatabase, spec([V1]))).toThrow(
      expect.objectContaining({ code: 'AUDIT_UNAVAILABLE', message: expect.stringContaining(`cannot open the test database ${notADatabase}: `) }),
    );
    // A path under a file, where no folder can be made.
    expect(() => openMigrated(join(notADatabase, 'inside.db'), spec([V1]))).toThrow(expect.objectContaining({ code: 'AUDIT_UNAVAILABLE' }));
  });

  it('rolls back a migration that fails, so the next start tries it again from a clean state', async () => {
    const path = await scratchPath();
    const broken: SchemaMigration = { version: 2, description: 'half done', sql: 'CREATE TABLE tags (name TEXT); THIS IS NOT SQL;' };
    expect(() => openMigrated(path, spec([V1, broken]))).toThrow();
    const db = new Database(path);
    expect(db.pragma('user_version', { simple: true })).toBe(1);
    expect(columnsOf(db, 'tags')).toEqual([]);
    db.close();
    openMigrated(path, spec([V1, { ...broken, sql: 'CREATE TABLE tags (name TEXT);' }])).close();
  });

  it('hands the set-up connection to configure before migrating', async () => {
    const seen: number[] = [];
    const db = openMigrated(
      await scratchPath(),
      spec([V1], { configure: (connection) => seen.push(Number(connection.pragma('user_version', { simple: true }))) }),
    );
    expect(seen).toEqual([0]);
    db.close();
  });
});
