// Reading and replacing an AI client's config file safely: through a symlink to its target (the link stays), never over a read-only file, atomically, retrying the renames Windows refuses while a file is held open.
import { randomBytes } from 'node:crypto';
import { lstat, readFile, readlink, realpath, rename, stat, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { SwitchboardError } from '../errors.ts';
import { copyOwnerOnly, makeOwnerOnlyFolder, writeOwnerOnlyFile } from '../platform/owner-only.ts';

export interface ClientFile {
  /** The path the client is configured with. */
  path: string;
  /** Where the bytes live: the path itself, or the final target of a symlink (dotfile managers link these files). */
  realPath: string;
  /** The content, or null when there is no file yet. */
  text: string | null;
}

const errnoOf = (error: unknown) => (error as NodeJS.ErrnoException).code;

/** Reads a client's file, following a symlink; a link whose target is missing is an error, not "no file yet". */
export async function readClientFile(path: string): Promise<ClientFile> {
  let isLink: boolean;
  try {
    isLink = (await lstat(path)).isSymbolicLink();
  } catch (error) {
    if (errnoOf(error) === 'ENOENT') return { path, realPath: path, text: null };
    throw unreadable(path, error);
  }
  let realPath = path;
  if (isLink) {
    try {
      realPath = await realpath(path);
    } catch (error) {
      if (errnoOf(error) !== 'ENOENT') throw unreadable(path, error);
      const pointsAt = await readlink(path).catch(() => 'a missing file');
      // Creating the target would write into whatever the link was meant to reach (a dotfiles checkout not mounted yet).
      throw new SwitchboardError(
        'CLIENT_FILE_BROKEN_LINK',
        `${path} is a symbolic link to ${pointsAt}, which does not exist; restore its target or remove the link, then try again`,
      );
    }
  }
  try {
    return { path, realPath, text: await readFile(realPath, 'utf8') };
  } catch (error) {
    throw unreadable(path, error);
  }
}

function unreadable(path: string, error: unknown): SwitchboardError {
  return new SwitchboardError('CLIENT_SETUP_FAILED', `cannot read ${path}: ${(error as Error).message}`, { cause: error });
}

/**
 * Refuses a file its owner cannot write. Checked on the mode bits rather than with access(): root may write anything,
 * yet a person (or a tool like a Nix home-manager link into the store) made this file read-only on purpose.
 */
export async function assertWritable(file: ClientFile): Promise<void> {
  if (file.text === null) return;
  const { mode } = await stat(file.realPath);
  if ((mode & 0o200) === 0) {
    throw new SwitchboardError(
      'CLIENT_FILE_READ_ONLY',
      `${file.path}${file.realPath !== file.path ? ` (a link to ${file.realPath})` : ''} is read-only; Switchboard will not override that — make it writable, or add the entry by hand`,
    );
  }
}

/** Copies the current file aside before a change; the copy is no more readable than the original and at most 0600. */
export async function backUpClientFile(file: ClientFile, now: Date): Promise<string | null> {
  if (file.text === null) return null;
  const backupPath = `${file.path}.switchboard-backup-${now.toISOString().replace(/[:.]/g, '-')}`;
  await copyOwnerOnly(file.realPath, backupPath);
  return backupPath;
}

export interface ReplaceOptions {
  /** The rename to use; a test stands in a locked file with one that fails. */
  rename?: (from: string, to: string) => Promise<void>;
  /** How long to wait before each retry of a refused rename, in ms; its length is the number of retries. */
  retryDelaysMs?: readonly number[];
}

/** Backoff for renames Windows refuses while the client (or an antivirus scan) holds the file: about 1.5 s in all. */
const RETRY_DELAYS_MS = [50, 100, 200, 400, 800];
const TRANSIENT_RENAME_ERRORS = new Set(['EPERM', 'EBUSY', 'EACCES']);

/**
 * Replaces the file's content atomically: a temporary file beside the real target, then a rename over it. Writing to
 * the real target keeps a symlink a symlink. The new file is 0600 — it now holds a credential.
 */
export async function replaceClientFile(file: ClientFile, text: string, options: ReplaceOptions = {}): Promise<void> {
  // A client folder Switchboard has to make holds the credential it is about to write: 0700; an existing one is the client's.
  await makeOwnerOnlyFolder(dirname(file.realPath));
  const temporary = join(dirname(file.realPath), `.${basename(file.realPath)}.${process.pid}.${randomBytes(4).toString('hex')}.switchboard-tmp`);
  await writeOwnerOnlyFile(temporary, text);
  const doRename = options.rename ?? rename;
  const delays = options.retryDelaysMs ?? RETRY_DELAYS_MS;
  for (let attempt = 0; ; attempt += 1) {
    try {
      await doRename(temporary, file.realPath);
      return;
    } catch (error) {
      const code = errnoOf(error);
      if (code !== undefined && TRANSIENT_RENAME_ERRORS.has(code) && attempt < delays.length) {
        await sleep(delays[attempt]);
        continue;
      }
      await unlink(temporary).catch(() => undefined);
      if (code !== undefined && TRANSIENT_RENAME_ERRORS.has(code)) {
        throw new SwitchboardError(
          'CLIENT_FILE_LOCKED',
          `${file.path} is in use by another program (most likely the client itself: ${code}); close the client and try again — the file is unchanged`,
          { cause: error },
        );
      }
      throw new SwitchboardError('CLIENT_SETUP_FAILED', `cannot write ${file.path}: ${(error as Error).message}; the file is unchanged`, { cause: error });
    }
  }
}
