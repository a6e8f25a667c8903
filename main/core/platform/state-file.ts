// Small JSON state files in the data folder (names, last-seen tools): read leniently, written atomically and owner-only.
import { readFileSync, renameSync } from 'node:fs';
import { dirname } from 'node:path';
import type { z } from 'zod';
import type { Logger } from '../ports.ts';
import { makeOwnerOnlyFolderSync, writeOwnerOnlyFileSync } from './owner-only.ts';

/**
 * The file's content when it matches the schema. A missing file is a first start; a damaged or unreadable one is
 * reported once under `event` and treated as missing: such state is rebuilt as Switchboard runs, so it never stops it.
 */
export function readStateFile<T>(path: string, schema: z.ZodType<T>, logger: Logger, event: string): T | undefined {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') logger.log('warn', event, { path, reason: (error as Error).message });
    return undefined;
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    value = undefined;
  }
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  logger.log('warn', event, { path, reason: 'not in the expected shape; starting afresh' });
  return undefined;
}

/** Replaces the file in one step (a crash never leaves half a file), readable by its owner only. */
export function writeStateFile(path: string, value: unknown, logger: Logger, event: string): void {
  try {
    makeOwnerOnlyFolderSync(dirname(path));
    const temporary = `${path}.${process.pid}.tmp`;
    // writeFileSync's mode applies only to a new file: a temporary file left by a crash would keep whatever mode it had.
    writeOwnerOnlyFileSync(temporary, `${JSON.stringify(value, null, 2)}\n`);
    renameSync(temporary, path);
  } catch (error) {
    logger.log('warn', event, { path, message: (error as Error).message });
  }
}
