// The copy Switchboard keeps of an AI client's config file before editing it is no more readable than the original, and never more than 0600.
import { chmod, mkdir, mkdtemp, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { applySetup } from '../../main/core/clients/ai-client-setup.ts';
import { AI_CLIENT_TARGETS, entryFor, targetPath, type PathEnvironment } from '../../main/core/clients/ai-client-targets.ts';

const posixOnly = process.platform === 'win32' ? describe.skip : describe;
const cursor = AI_CLIENT_TARGETS.find((candidate) => candidate.id === 'cursor')!;
const entry = entryFor(cursor, {
  mcpUrl: 'http://127.0.0.1:4100/mcp',
  credential: 'sbc_test-credential',
  bridgeCommand: { command: '/usr/bin/node', args: ['stdio'] },
});
const modeOf = async (path: string) => (await stat(path)).mode & 0o777;

posixOnly('AI client config backups', () => {
  let env: PathEnvironment;
  let savedUmask: number;

  beforeEach(async () => {
    env = { platform: 'linux', home: await mkdtemp(join(tmpdir(), 'switchboard-home-')) };
    savedUmask = process.umask(0);
  });

  afterEach(() => {
    process.umask(savedUmask);
  });

  async function clientFileWithMode(mode: number): Promise<string> {
    const path = targetPath(cursor, env);
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, '{ "mcpServers": { "other": { "url": "https://example.com/mcp", "headers": { "Authorization": "Bearer secret" } } } }\n');
    await chmod(path, mode);
    return path;
  }

  it("backs up a 0644 client file as 0600: the copy may hold the client's other credentials", async () => {
    await clientFileWithMode(0o644);
    const { path, backupPath } = await applySetup(cursor, env, entry);
    expect(await modeOf(backupPath!)).toBe(0o600);
    expect(await modeOf(path)).toBe(0o600);
  });

  it('backs up a 0640 client file as 0600: never more readable than the original, and never more than 0600', async () => {
    await clientFileWithMode(0o640);
    const { backupPath } = await applySetup(cursor, env, entry);
    expect(await modeOf(backupPath!)).toBe(0o600);
  });

  it('leaves a read-only client file alone, with no backup: someone made it read-only on purpose', async () => {
    const path = await clientFileWithMode(0o400);
    const before = await readFile(path, 'utf8');
    await expect(applySetup(cursor, env, entry)).rejects.toMatchObject({ code: 'CLIENT_FILE_READ_ONLY' });
    expect(await readFile(path, 'utf8')).toBe(before);
    expect(await readdir(dirname(path))).toEqual(['mcp.json']);
  });

  it("creates a missing client folder 0700: it is about to hold Switchboard's credential", async () => {
    const { path } = await applySetup(cursor, env, entry);
    expect(await modeOf(dirname(path))).toBe(0o700);
    expect(await modeOf(path)).toBe(0o600);
  });
});
