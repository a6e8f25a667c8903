// Where the audit database lives: one file in the data folder, shared by serve and the CLI (SQLite WAL allows both).
import { join } from 'node:path';

export function auditDatabasePath(dataDir: string): string {
  return join(dataDir, 'audit.db');
}
