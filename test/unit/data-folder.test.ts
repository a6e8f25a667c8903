// One data folder and one log folder per OS, and the one-time move of an older app's data folder into it, never over existing state.
import { mkdir, mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Logger } from '../../main/core/ports.ts';
import { adoptLegacyDataDir, legacyDataDirs } from '../../main/core/platform/data-folder-migration.ts';
import { defaultLogDir, defaultPaths } from '../../main/core/platform/default-paths.ts';

function recordingLogger(): Logger & { events: string[] } {
  const events: string[] = [];
  return { events, log: (_level, event) => void events.push(event) };
}

describe('where Switchboard keeps things', () => {
  it('one data folder per OS, the same for the app and the CLI', () => {
    expect(defaultPaths('linux', {}, '/home/ada').dataDir).toBe('/home/ada/.local/share/switchboard');
    expect(defaultPaths('linux', { XDG_DATA_HOME: '/data' }, '/home/ada').dataDir).toBe('/data/switchboard');
    expect(defaultPaths('darwin', {}, '/Users/ada').dataDir).toBe('/Users/ada/Library/Application Support/Switchboard');
    expect(defaultPaths('win32', { APPDATA: 'C:\\Users\\ada\\AppData\\Roaming' }, 'C:\\Users\\ada').dataDir).toBe(
      join('C:\\Users\\ada\\AppData\\Roaming', 'Switchboard'),
    );
  });

  it("logs in each OS's place for logs", () => {
    expect(defaultLogDir('linux', {}, '/home/ada')).toBe('/home/ada/.local/state/switchboard/logs');
    expect(defaultLogDir('linux', { XDG_STATE_HOME: '/state' }, '/home/ada')).toBe('/state/switchboard/logs');
    expect(defaultLogDir('darwin', {}, '/Users/ada')).toBe('/Users/ada/Library/Logs/Switchboard');
    expect(defaultLogDir('win32', { LOCALAPPDATA: 'C:\\Users\\ada\\AppData\\Local' }, 'C:\\Users\\ada')).toBe(
      join('C:\\Users\\ada\\AppData\\Local', 'Switchboard', 'logs'),
    );
  });

  it("the older app's folder exists to move only on Linux (Electron's userData under XDG_CONFIG_HOME)", () => {
    expect(legacyDataDirs('linux', {}, '/home/ada')).toEqual(['/home/ada/.config/Switchboard']);
    expect(legacyDataDirs('linux', { XDG_CONFIG_HOME: '/cfg' }, '/home/ada')).toEqual(['/cfg/Switchboard']);
    expect(legacyDataDirs('darwin', {}, '/Users/ada')).toEqual([]);
    expect(legacyDataDirs('win32', {}, 'C:\\Users\\ada')).toEqual([]);
  });
});

describe('moving an older data folder', () => {
  async function homes() {
    const root = await mkdtemp(join(tmpdir(), 'switchboard-move-'));
    const legacy = join(root, '.config', 'Switchboard');
    const dataDir = join(root, '.local', 'share', 'switchboard');
    await mkdir(join(legacy, 'Local Storage'), { recursive: true });
    await writeFile(join(legacy, 'config.json'), '{"servers":[{"id":"crm","url":"https://crm.example.com/mcp"}]}');
    await writeFile(join(legacy, 'Local Storage', 'leveldb'), 'chromium');
    return { legacy, dataDir };
  }

  it('moves everything once into a missing or empty data folder, with one log line', async () => {
    const { legacy, dataDir } = await homes();
    const logger = recordingLogger();
    expect(await adoptLegacyDataDir(dataDir, logger, [legacy])).toEqual({ moved: true, from: legacy });
    expect(await readFile(join(dataDir, 'config.json'), 'utf8')).toContain('crm');
    expect(await readFile(join(dataDir, 'Local Storage', 'leveldb'), 'utf8')).toBe('chromium');
    expect(await readdir(join(legacy, '..'))).toEqual([]);
    expect(logger.events).toEqual(['storage.data_folder_moved']);
    // Done once: the next start finds nothing to move.
    expect(await adoptLegacyDataDir(dataDir, logger, [legacy])).toEqual({ moved: false, reason: 'nothing-to-move' });

    const second = await homes();
    await mkdir(second.dataDir, { recursive: true });
    expect(await adoptLegacyDataDir(second.dataDir, recordingLogger(), [second.legacy])).toMatchObject({ moved: true });
  });

  it('never overwrites: a data folder with state keeps it, the older folder stays, and a warning says so', async () => {
    const { legacy, dataDir } = await homes();
    await mkdir(dataDir, { recursive: true });
    await writeFile(join(dataDir, 'config.json'), '{"servers":[]}');
    const logger = recordingLogger();
    expect(await adoptLegacyDataDir(dataDir, logger, [legacy])).toEqual({ moved: false, reason: 'target-not-empty' });
    expect(await readFile(join(dataDir, 'config.json'), 'utf8')).toBe('{"servers":[]}');
    expect(await readFile(join(legacy, 'config.json'), 'utf8')).toContain('crm');
    expect(logger.events).toEqual(['storage.legacy_folder_left']);
  });
});
