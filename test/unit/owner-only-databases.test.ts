// Switchboard's SQLite files are owner-only: the audit trail and catalog cache, and the -wal, -shm and -journal files SQLite makes beside them, even under a umask of 0.
import { chmod, mkdir, mkdtemp, readdir, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AuditStore } from '../../main/core/audit/audit-store.ts';
import { CatalogStore } from '../../main/core/discovery/catalog-store.ts';
import { openMigrated } from '../../main/core/platform/sqlite-migrations.ts';

const posixOnly = process.platform === 'win32' ? describe.skip : describe;

/** Every file in the folder with its permission bits, e.g. { 'audit.db': 0o600, 'audit.db-wal': 0o600 }. */
async function modesIn(folder: string): Promise<Record<string, number>> {
  const modes: Record<string, number> = {};
  for (const name of (await readdir(folder)).sort()) modes[name] = (await stat(join(folder, name))).mode & 0o777;
  return modes;
}

posixOnly('owner-only SQLite files', () => {
  let folder: string;
  let savedUmask: number;

  beforeEach(async () => {
    folder = await mkdtemp(join(tmpdir(), 'switchboard-owner-only-db-'));
    // Without the code's care, SQLite would make every file here 0666.
    savedUmask = process.umask(0);
  });

  afterEach(() => {
    process.umask(savedUmask);
  });

  it('the audit database and its WAL and shared-memory files are 0600 while serve writes to them', async () => {
    const store = AuditStore.open(join(folder, 'audit.db'));
    try {
      store.append({ kind: 'security', method: 'auth.token_obtained', server: 'crm', outcome: 'ok' });
      expect(await modesIn(folder)).toEqual({ 'audit.db': 0o600, 'audit.db-shm': 0o600, 'audit.db-wal': 0o600 });
    } finally {
      store.close();
    }
  });

  it('the catalog cache and its side files are 0600, in a data folder it creates 0700', async () => {
    const dataDir = join(folder, 'data');
    const catalog = new CatalogStore(join(dataDir, 'catalog.db'));
    try {
      catalog.saveEntry({
        key: 'wiki',
        source: 'registry',
        name: 'io.example/wiki',
        version: '1.0.0',
        document: '{}',
        runnable: true,
        discoveredAt: Date.now(),
      });
      expect((await stat(dataDir)).mode & 0o777).toBe(0o700);
      expect(await modesIn(dataDir)).toEqual({ 'catalog.db': 0o600, 'catalog.db-shm': 0o600, 'catalog.db-wal': 0o600 });
    } finally {
      catalog.close();
    }
  });

  it('a rollback journal is 0600 too (a database not in WAL mode)', async () => {
    const path = join(folder, 'journaled.db');
    const db = openMigrated(path, {
      describedAs: 'the test database',
      migrations: [{ version: 1, description: 'notes', sql: 'CREATE TABLE notes (body TEXT);' }],
      pragmas: ['journal_mode = DELETE'],
      unavailableCode: 'AUDIT_UNAVAILABLE',
      tooNewCode: 'AUDIT_DATABASE_TOO_NEW',
      tooNewAdvice: 'update Switchboard',
    });
    try {
      // The journal exists only inside a write transaction: look from inside one, once SQLite has made it.
      db.exec('BEGIN IMMEDIATE');
      db.prepare('INSERT INTO notes (body) VALUES (?)').run('hello');
      const duringTransaction = await modesIn(folder);
      db.exec('COMMIT');
      expect(duringTransaction).toEqual({ 'journaled.db': 0o600, 'journaled.db-journal': 0o600 });
    } finally {
      db.close();
    }
  });

  it('narrows a database and WAL file an older Switchboard left 0644 before opening them again', async () => {
    const dataDir = join(folder, 'upgraded');
    await mkdir(dataDir, { mode: 0o700 });
    AuditStore.open(join(dataDir, 'audit.db')).close();
    await chmod(join(dataDir, 'audit.db'), 0o644);
    // A -wal left behind by a process that was killed, as an older build made it.
    await writeFile(join(dataDir, 'audit.db-wal'), '');
    await chmod(join(dataDir, 'audit.db-wal'), 0o644);
    const store = AuditStore.open(join(dataDir, 'audit.db'));
    try {
      store.append({ kind: 'security', method: 'auth.token_obtained', server: 'crm', outcome: 'ok' });
      const modes = await modesIn(dataDir);
      expect(
        Object.values(modes).every((mode) => mode === 0o600),
        JSON.stringify(modes),
      ).toBe(true);
    } finally {
      store.close();
    }
  });
});
