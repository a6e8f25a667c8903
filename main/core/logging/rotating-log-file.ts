// Log lines appended to a file that rotates by size (switchboard.log, switchboard.1.log, …), owner-only, so an app started from Finder or the Start menu loses nothing.
import { closeSync, fstatSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { createOrNarrowOwnerOnlyFileSync, makeOwnerOnlyFolderSync, OWNER_ONLY_FILE_MODE } from '../platform/owner-only.ts';

export interface RotatingLogFileOptions {
  dir: string;
  /** The current file's name; older ones get .1, .2, … before the extension. */
  fileName?: string;
  /** Rotate once the current file reaches this size. */
  maxBytes?: number;
  /** How many older files to keep besides the current one. */
  keep?: number;
}

export interface RotatingLogFile {
  readonly path: string;
  write(line: string): void;
  close(): void;
}

/**
 * Writes synchronously: a line logged just before a crash or a quit is on disk, and lines from one process never
 * interleave. The folder is created 0700 and every file 0600 (logs name servers, clients and folders).
 */
export function openRotatingLogFile(options: RotatingLogFileOptions): RotatingLogFile {
  const fileName = options.fileName ?? 'switchboard.log';
  const maxBytes = options.maxBytes ?? 5 * 1024 * 1024;
  const keep = options.keep ?? 5;
  const path = join(options.dir, fileName);
  const olderPath = (index: number) =>
    join(
      options.dir,
      fileName.replace(/(\.[^.]*)?$/, (extension) => `.${index}${extension}`),
    );
  makeOwnerOnlyFolderSync(options.dir);

  let descriptor = open();
  let size = fstatSync(descriptor).size;

  function open(): number {
    createOrNarrowOwnerOnlyFileSync(path);
    return openSync(path, 'a', OWNER_ONLY_FILE_MODE);
  }

  function rotate(): void {
    closeSync(descriptor);
    rmSync(olderPath(keep), { force: true });
    for (let index = keep - 1; index >= 1; index--) {
      try {
        renameSync(olderPath(index), olderPath(index + 1));
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      }
    }
    if (keep > 0) renameSync(path, olderPath(1));
    else rmSync(path, { force: true });
    descriptor = open();
    size = 0;
  }

  return {
    path,
    write(line) {
      const bytes = Buffer.from(line, 'utf8');
      if (size > 0 && size + bytes.length > maxBytes) rotate();
      writeSync(descriptor, bytes);
      size += bytes.length;
    },
    close() {
      closeSync(descriptor);
    },
  };
}
