// Files and folders only their owner can read: created 0600/0700 with the mode in place before any content, and the data folder tightened when it is more open.
import { chmodSync, closeSync, fchmodSync, lstatSync, mkdirSync, openSync, writeFileSync } from 'node:fs';
import { chmod, lstat, mkdir, open, readdir, readFile, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { Logger } from '../ports.ts';
import { restrictFolderToCurrentUser, type CommandRunner } from './windows-acl.ts';

export const OWNER_ONLY_FILE_MODE = 0o600;
export const OWNER_ONLY_FOLDER_MODE = 0o700;
/** Bits that let the group or anyone else in: none may be set on Switchboard's files and folders. */
const OPEN_TO_OTHERS = 0o077;

/**
 * Creates `path` and any missing parents 0700. mkdir's mode passes through the umask, which can only remove bits,
 * so nothing is ever more open than 0700 — but a umask that strips the owner's bits too (0277) would leave a folder
 * its owner cannot write into, hence the chmod to exactly 0700 of the folders this call created. An existing folder
 * is left as it is: it may not be ours.
 */
export function makeOwnerOnlyFolderSync(path: string): void {
  const firstCreated = mkdirSync(path, { recursive: true, mode: OWNER_ONLY_FOLDER_MODE });
  if (firstCreated === undefined || process.platform === 'win32') return;
  for (const folder of createdChain(path, firstCreated)) chmodSync(folder, OWNER_ONLY_FOLDER_MODE);
}

export async function makeOwnerOnlyFolder(path: string): Promise<void> {
  const firstCreated = await mkdir(path, { recursive: true, mode: OWNER_ONLY_FOLDER_MODE });
  if (firstCreated === undefined || process.platform === 'win32') return;
  for (const folder of createdChain(path, firstCreated)) await chmod(folder, OWNER_ONLY_FOLDER_MODE);
}

/** `path` and its parents up to `firstCreated`: what a recursive mkdir made. */
function createdChain(path: string, firstCreated: string): string[] {
  const chain = [path];
  for (let folder = path; folder !== firstCreated && dirname(folder) !== folder;) chain.push((folder = dirname(folder)));
  return chain;
}

/**
 * Writes `data` to `path`, creating or truncating it. The mode is set on the open descriptor before the first byte:
 * a file created here starts at `mode` (never more than 0600 whatever the umask), and a file that already existed with
 * a looser mode (an older Switchboard, a stale temporary file) is narrowed before it receives the new content.
 */
export function writeOwnerOnlyFileSync(path: string, data: string | Uint8Array, mode: number = OWNER_ONLY_FILE_MODE): void {
  const descriptor = openSync(path, 'w', mode);
  try {
    fchmodSync(descriptor, mode);
    writeFileSync(descriptor, data);
  } finally {
    closeSync(descriptor);
  }
}

export async function writeOwnerOnlyFile(path: string, data: string | Uint8Array, mode: number = OWNER_ONLY_FILE_MODE): Promise<void> {
  const handle = await open(path, 'w', mode);
  try {
    await handle.chmod(mode);
    await handle.writeFile(data);
  } finally {
    await handle.close();
  }
}

/** Creates an empty owner-only file unless one exists, and narrows an existing one to 0600; its content is untouched. */
export function createOrNarrowOwnerOnlyFileSync(path: string): void {
  // 'a' creates without truncating: another process may be using the file (serve and a CLI command share databases).
  const descriptor = openSync(path, 'a', OWNER_ONLY_FILE_MODE);
  try {
    fchmodSync(descriptor, OWNER_ONLY_FILE_MODE);
  } catch (error) {
    if (!isModelessFileSystem(error)) throw error;
  } finally {
    closeSync(descriptor);
  }
}

/** Narrows an existing file to 0600; a missing file is fine (nothing to protect), a symbolic link is not followed. */
export function narrowToOwnerOnlySync(path: string): void {
  let mode: number;
  try {
    const entry = lstatSync(path);
    if (!entry.isFile()) return;
    mode = entry.mode;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw error;
  }
  if ((mode & OPEN_TO_OTHERS) === 0) return;
  try {
    chmodSync(path, mode & OWNER_ONLY_FILE_MODE);
  } catch (error) {
    if (!isModelessFileSystem(error)) throw error;
  }
}

/**
 * A file system without POSIX modes (a FAT drive, some network shares) or a file owned by another account refuses
 * chmod. Narrowing an existing file is then given up rather than refusing to open it: the file was usable before, and
 * its openness is the file system's, which Switchboard cannot change.
 */
function isModelessFileSystem(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException).code;
  return code === 'EPERM' || code === 'ENOTSUP' || code === 'EROFS';
}

/**
 * A copy no more readable than its source and never more than 0600 (backups of other programs' files: a 0400 original
 * gets a 0400 copy, a 0644 one a 0600 copy). The copy is written through an owner-only descriptor, so it is never
 * briefly as open as the umask allows, as copyFile's copy would be.
 */
export async function copyOwnerOnly(source: string, destination: string): Promise<void> {
  const sourceMode = (await stat(source)).mode;
  await writeOwnerOnlyFile(destination, await readFile(source), sourceMode & OWNER_ONLY_FILE_MODE);
}

export interface OwnerOnlyFolderOptions {
  platform?: NodeJS.Platform;
  /** How icacls is started on Windows; tests pass a recorder. */
  runCommand?: CommandRunner;
  /** Where the Windows account and System32 are read from (USERNAME, USERDOMAIN, SystemRoot). */
  env?: NodeJS.ProcessEnv;
}

/**
 * Switchboard's own folder (the data folder): created 0700, or — when it already exists open to others, as a folder
 * made by an older Switchboard or by hand may be — tightened to 0700 with the files directly in it narrowed to 0600,
 * and one log line naming what changed. On Windows the folder gets an ACL for the current user alone. A folder that
 * cannot be made throws, as mkdir would; one that exists but cannot be tightened (a file system without modes, icacls
 * refused) is logged and used as it is: refusing to start would protect nothing the person could then fix from here.
 */
export async function ensureOwnerOnlyDir(path: string, logger: Logger, options: OwnerOnlyFolderOptions = {}): Promise<void> {
  const platform = options.platform ?? process.platform;
  if (platform === 'win32') {
    await mkdir(path, { recursive: true });
    await restrictFolderToCurrentUser(path, { ...(options.runCommand ? { run: options.runCommand } : {}), ...(options.env ? { env: options.env } : {}) }).then(
      () => logger.log('debug', 'storage.folder_restricted', { path, access: 'the current user only (ACL)' }),
      (error: unknown) =>
        logger.log('warn', 'storage.folder_not_restricted', {
          path,
          reason: (error as Error).message,
          message: 'could not limit the data folder to the current user; other accounts on this computer may be able to read it',
        }),
    );
    return;
  }
  await makeOwnerOnlyFolder(path);
  const folderMode = (await stat(path)).mode & 0o777;
  const narrowedFiles: string[] = [];
  try {
    if ((folderMode & OPEN_TO_OTHERS) !== 0) await chmod(path, OWNER_ONLY_FOLDER_MODE);
    for (const name of await readdir(path)) {
      const entry = await lstat(join(path, name));
      if (!entry.isFile() || (entry.mode & OPEN_TO_OTHERS) === 0) continue;
      await chmod(join(path, name), entry.mode & OWNER_ONLY_FILE_MODE);
      narrowedFiles.push(name);
    }
  } catch (error) {
    logger.log('warn', 'storage.folder_not_tightened', {
      path,
      mode: octal(folderMode),
      reason: (error as Error).message,
      message: 'the data folder could not be made private; other users of this computer may be able to read it',
    });
    return;
  }
  const folderWasOpen = (folderMode & OPEN_TO_OTHERS) !== 0;
  if (!folderWasOpen && narrowedFiles.length === 0) return;
  logger.log('warn', 'storage.folder_tightened', {
    path,
    ...(folderWasOpen ? { from: octal(folderMode), to: octal(OWNER_ONLY_FOLDER_MODE) } : {}),
    ...(narrowedFiles.length ? { filesNarrowed: narrowedFiles } : {}),
    message: `${folderWasOpen ? 'the data folder' : 'files in the data folder'} could be read by other users of this computer; now only you can`,
  });
}

function octal(mode: number): string {
  return `0${mode.toString(8).padStart(3, '0')}`;
}
