// Moves Switchboard's state once from a data folder an older version used into the one folder per OS (default-paths.ts), never over existing state.
import { cp, mkdir, readdir, rename, rm, rmdir } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import type { Logger } from '../ports.ts';

/**
 * Where earlier versions kept state that is not the folder defaultPaths() names now. Only Linux has one: the app used
 * Electron's userData (`$XDG_CONFIG_HOME/Switchboard`, ~/.config/Switchboard) while the CLI used the XDG data folder.
 * On macOS and Windows both already used the same folder.
 */
export function legacyDataDirs(platform: NodeJS.Platform = process.platform, env: NodeJS.ProcessEnv = process.env, home: string = homedir()): string[] {
  if (platform === 'darwin' || platform === 'win32') return [];
  return [join(env.XDG_CONFIG_HOME || join(home, '.config'), 'Switchboard')];
}

export type DataFolderAdoption = { moved: false; reason: 'nothing-to-move' | 'target-not-empty' } | { moved: true; from: string };

/**
 * When `dataDir` is missing or empty and a legacy folder holds something, its contents move into `dataDir` (a rename
 * of the folder when both are on one file system, else a copy then removal) with one log line. When both hold state,
 * nothing moves — Switchboard never overwrites state — and a log line names the folder left behind.
 */
export async function adoptLegacyDataDir(dataDir: string, logger: Logger, legacyDirs: string[] = legacyDataDirs()): Promise<DataFolderAdoption> {
  const target = resolve(dataDir);
  for (const legacy of legacyDirs.map((dir) => resolve(dir)).filter((dir) => dir !== target)) {
    const legacyEntries = await entriesOf(legacy);
    if (legacyEntries.length === 0) continue;
    if ((await entriesOf(target)).length > 0) {
      logger.log('warn', 'storage.legacy_folder_left', {
        from: legacy,
        to: target,
        message: `an older Switchboard's data folder ${legacy} was not moved: ${target} already holds state, which is never overwritten; move what you need by hand`,
      });
      return { moved: false, reason: 'target-not-empty' };
    }
    await moveFolder(legacy, target);
    logger.log('info', 'storage.data_folder_moved', {
      from: legacy,
      to: target,
      entries: legacyEntries.length,
      message: `Switchboard's data moved from ${legacy} to ${target}, the one data folder the app and the CLI share`,
    });
    return { moved: true, from: legacy };
  }
  return { moved: false, reason: 'nothing-to-move' };
}

async function entriesOf(folder: string): Promise<string[]> {
  try {
    return await readdir(folder);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
}

async function moveFolder(from: string, to: string): Promise<void> {
  // An empty target folder is in the way of a rename; it holds nothing to lose.
  await rmdir(to).catch((error: NodeJS.ErrnoException) => {
    if (error.code !== 'ENOENT') throw error;
  });
  // The parent is created 0700 like the data folder itself would be (ensureOwnerOnlyDir tightens the folder next).
  await mkdir(dirname(to), { recursive: true, mode: 0o700 });
  try {
    await rename(from, to);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EXDEV') throw error;
    // Another file system: copy everything (modes kept), and only then remove the original.
    await cp(from, to, { recursive: true, preserveTimestamps: true, errorOnExist: true, force: false });
    await rm(from, { recursive: true });
  }
}
