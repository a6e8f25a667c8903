// Owner-only files and folders on real POSIX files, under a umask that would let everyone in: modes set at creation, the data folder tightened with one log line, the Windows ACL command checked by a stand-in runner.
import { chmod, mkdir, mkdtemp, readFile, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  copyOwnerOnly,
  ensureOwnerOnlyDir,
  makeOwnerOnlyFolder,
  makeOwnerOnlyFolderSync,
  writeOwnerOnlyFile,
  writeOwnerOnlyFileSync,
} from '../../main/core/platform/owner-only.ts';
import { ownerOnlyAclArguments } from '../../main/core/platform/windows-acl.ts';
import type { Logger } from '../../main/core/ports.ts';

const posixOnly = process.platform === 'win32' ? describe.skip : describe;

const modeOf = async (path: string) => (await stat(path)).mode & 0o777;

function recordingLogger(): Logger & { lines: { level: string; event: string; fields?: Record<string, unknown> }[] } {
  const lines: { level: string; event: string; fields?: Record<string, unknown> }[] = [];
  return { lines, log: (level, event, fields) => void lines.push({ level, event, ...(fields ? { fields } : {}) }) };
}

posixOnly('owner-only storage on POSIX', () => {
  let folder: string;
  let savedUmask: number;

  beforeEach(async () => {
    folder = await mkdtemp(join(tmpdir(), 'switchboard-owner-only-'));
    // The loosest umask: whatever ends up private here was made private by the code, not by the environment.
    savedUmask = process.umask(0);
  });

  afterEach(() => {
    process.umask(savedUmask);
  });

  it('creates missing folders 0700, parents included, and leaves an existing folder alone', async () => {
    await mkdir(join(folder, 'existing'), { mode: 0o755 });
    makeOwnerOnlyFolderSync(join(folder, 'existing', 'a', 'b'));
    await makeOwnerOnlyFolder(join(folder, 'existing', 'c', 'd'));
    for (const created of ['a', 'a/b', 'c', 'c/d']) expect(await modeOf(join(folder, 'existing', created)), created).toBe(0o700);
    expect(await modeOf(join(folder, 'existing'))).toBe(0o755);
  });

  it("creates folders usable by their owner even under a umask that would take the owner's own rights away", async () => {
    process.umask(0o277);
    await makeOwnerOnlyFolder(join(folder, 'strict'));
    makeOwnerOnlyFolderSync(join(folder, 'strict-sync'));
    expect(await modeOf(join(folder, 'strict'))).toBe(0o700);
    expect(await modeOf(join(folder, 'strict-sync'))).toBe(0o700);
  });

  it('writes new files 0600 and narrows an existing 0644 file before writing into it', async () => {
    writeOwnerOnlyFileSync(join(folder, 'new-sync'), 'a');
    await writeOwnerOnlyFile(join(folder, 'new-async'), 'b');
    await writeFile(join(folder, 'stale.tmp'), 'old', { mode: 0o644 });
    await chmod(join(folder, 'stale.tmp'), 0o644);
    await writeOwnerOnlyFile(join(folder, 'stale.tmp'), 'new');
    expect(await modeOf(join(folder, 'new-sync'))).toBe(0o600);
    expect(await modeOf(join(folder, 'new-async'))).toBe(0o600);
    expect(await modeOf(join(folder, 'stale.tmp'))).toBe(0o600);
    expect(await readFile(join(folder, 'stale.tmp'), 'utf8')).toBe('new');
  });

  it('makes a copy no more readable than its source and never more than 0600', async () => {
    const open = join(folder, 'open.json');
    const readOnly = join(folder, 'read-only.json');
    await writeFile(open, '{"a":1}');
    await chmod(open, 0o644);
    await writeFile(readOnly, '{"b":2}');
    await chmod(readOnly, 0o400);
    await copyOwnerOnly(open, `${open}.backup`);
    await copyOwnerOnly(readOnly, `${readOnly}.backup`);
    expect(await modeOf(`${open}.backup`)).toBe(0o600);
    expect(await modeOf(`${readOnly}.backup`)).toBe(0o400);
    expect(await readFile(`${readOnly}.backup`, 'utf8')).toBe('{"b":2}');
  });

  it('tightens an existing 0755 data folder to 0700, narrows the 0644 files in it, and says so in one log line', async () => {
    const dataDir = join(folder, 'data');
    await mkdir(dataDir);
    await chmod(dataDir, 0o755);
    await writeFile(join(dataDir, 'audit.db'), '');
    await chmod(join(dataDir, 'audit.db'), 0o644);
    await writeFile(join(dataDir, 'names.json'), '{}', { mode: 0o600 });
    const logger = recordingLogger();

    await ensureOwnerOnlyDir(dataDir, logger);
    expect(await modeOf(dataDir)).toBe(0o700);
    expect(await modeOf(join(dataDir, 'audit.db'))).toBe(0o600);
    expect(await modeOf(join(dataDir, 'names.json'))).toBe(0o600);
    expect(logger.lines).toEqual([
      {
        level: 'warn',
        event: 'storage.folder_tightened',
        fields: expect.objectContaining({ path: dataDir, from: '0755', to: '0700', filesNarrowed: ['audit.db'] }),
      },
    ]);

    // Nothing left to change: the next start says nothing.
    await ensureOwnerOnlyDir(dataDir, logger);
    expect(logger.lines).toHaveLength(1);
  });

  it('creates a missing data folder 0700 without a log line: nothing was ever open', async () => {
    const logger = recordingLogger();
    await ensureOwnerOnlyDir(join(folder, 'fresh', 'data'), logger);
    expect(await modeOf(join(folder, 'fresh', 'data'))).toBe(0o700);
    expect(logger.lines).toEqual([]);
  });
});

describe('owner-only data folder on Windows (stand-in: the icacls runner is injected and its arguments checked; the real ACL is not set on this machine)', () => {
  it('stand-in: asks icacls from System32 for one inheritable full-control entry for the current user, dropping inherited ones', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'switchboard-acl-'));
    const calls: { file: string; args: readonly string[] }[] = [];
    const logger = recordingLogger();
    const env = { USERNAME: 'ada', USERDOMAIN: 'OFFICE', SystemRoot: 'C:\\Windows' };
    await ensureOwnerOnlyDir(folder, logger, { platform: 'win32', env, runCommand: async (file, args) => void calls.push({ file, args }) });
    expect(calls).toEqual([{ file: 'C:\\Windows\\System32\\icacls.exe', args: [folder, '/inheritance:r', '/grant:r', 'OFFICE\\ada:(OI)(CI)F'] }]);
    expect(logger.lines.map((line) => line.level)).toEqual(['debug']);
  });

  it('stand-in: a refused icacls is one warning, not a failed start', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'switchboard-acl-'));
    const logger = recordingLogger();
    await ensureOwnerOnlyDir(folder, logger, { platform: 'win32', runCommand: async () => Promise.reject(new Error('Access is denied.')) });
    expect(logger.lines).toEqual([
      { level: 'warn', event: 'storage.folder_not_restricted', fields: expect.objectContaining({ path: folder, reason: 'Access is denied.' }) },
    ]);
  });

  it('stand-in: the account is named exactly as given, with no shell to expand or split it', () => {
    expect(ownerOnlyAclArguments('C:\\Users\\Ada Lovelace\\AppData\\Roaming\\Switchboard', 'Ada Lovelace')).toEqual([
      'C:\\Users\\Ada Lovelace\\AppData\\Roaming\\Switchboard',
      '/inheritance:r',
      '/grant:r',
      'Ada Lovelace:(OI)(CI)F',
    ]);
  });
});
