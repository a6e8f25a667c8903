// Opens one of Switchboard's SQLite files and brings its schema up to date with numbered migrations (PRAGMA user_version).
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import type { ErrorCode } from '../../../shared/error-codes.ts';
import { SwitchboardError } from '../errors.ts';
import { createOrNarrowOwnerOnlyFileSync, makeOwnerOnlyFolderSync, narrowToOwnerOnlySync } from './owner-only.ts';

/** The files SQLite keeps beside a database while it runs (WAL mode, or a rollback journal during a transaction). */
const SQLITE_SIDE_FILES = ['-wal', '-shm', '-journal'];

/** One step of a schema, applied once, in version order; a shipped migration never changes (files already ran it). */
export interface SchemaMigration {
  version: number;
  description: string;
  sql: string;
}

export interface MigratedDatabaseSpec {
  /** The file as a person knows it, for messages: "the audit database". */
  describedAs: string;
  /** Versions 1, 2, 3… in order. */
  migrations: readonly SchemaMigration[];
  /** Set on the connection before anything else, e.g. `journal_mode = WAL`. */
  pragmas: readonly string[];
  /** Reported when the file cannot be opened at all (its folder cannot be made, it is not a database, it is unreadable). */
  unavailableCode: ErrorCode;
  /** Reported when a newer Switchboard wrote the file: this build does not know its schema and must not write to it. */
  tooNewCode: ErrorCode;
  /** What a person can do about a file that is too new, ending the message that names the file and both versions. */
  tooNewAdvice: string;
  /** Sees the connection once it is set up, before migrating: tests use it to inject faults. */
  configure?: (connection: Database.Database) => void;
}

/** The open, migrated connection; the caller owns it and closes it. */
export function openMigrated(path: string, spec: MigratedDatabaseSpec): Database.Database {
  const latest = spec.migrations.at(-1)?.version ?? 0;
  let db: Database.Database | undefined;
  let version: number;
  try {
    makeOwnerOnlyFolderSync(dirname(path));
    prepareOwnerOnlyDatabaseFile(path);
    db = new Database(path);
    for (const pragma of spec.pragmas) db.pragma(pragma);
    spec.configure?.(db);
    version = schemaVersion(db);
  } catch (error) {
    db?.close();
    throw new SwitchboardError(spec.unavailableCode, `cannot open ${spec.describedAs} ${path}: ${(error as Error).message}`, { cause: error });
  }
  // Refused rather than migrated down or written to: the newer schema may mean things this build would damage.
  if (version > latest) {
    db.close();
    throw new SwitchboardError(
      spec.tooNewCode,
      `${spec.describedAs} ${path} has schema version ${version}, newer than this Switchboard understands (${latest}); ${spec.tooNewAdvice}`,
    );
  }
  try {
    for (const migration of spec.migrations) {
      if (migration.version <= version) continue;
      const connection = db;
      connection
        .transaction(() => {
          // Under the write lock now: another process (serve and a CLI command) may have applied it since the version was read.
          if (schemaVersion(connection) >= migration.version) return;
          connection.exec(migration.sql);
          connection.pragma(`user_version = ${migration.version}`);
        })
        .immediate();
    }
  } catch (error) {
    db.close();
    throw error;
  }
  return db;
}

/**
 * SQLite creates a database with 0644 (less the umask), but its -wal, -shm and -journal files with the mode of the
 * database file itself. So the database file is made (empty, which SQLite takes for a new database) or narrowed to
 * 0600 before SQLite opens it, and the side files it will create follow. Side files left 0644 by an older Switchboard
 * are narrowed too: SQLite reuses them as they are.
 */
function prepareOwnerOnlyDatabaseFile(path: string): void {
  createOrNarrowOwnerOnlyFileSync(path);
  for (const suffix of SQLITE_SIDE_FILES) narrowToOwnerOnlySync(`${path}${suffix}`);
}

function schemaVersion(db: Database.Database): number {
  return Number(db.pragma('user_version', { simple: true }));
}
