// A client's file under stress: a symlinked config stays a link, a link to nothing, a read-only file and a file held open by its client give clear errors and leave everything as it was.
import { chmod, lstat, mkdir, mkdtemp, readdir, readFile, readlink, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { applySetup, undoSetup } from '../../main/core/clients/ai-client-setup.ts';
import { AI_CLIENT_TARGETS, entryFor, targetPath, type PathEnvironment } from '../../main/core/clients/ai-client-targets.ts';

const posixOnly = process.platform === 'win32' ? describe.skip : describe;
const cursor = AI_CLIENT_TARGETS.find((target) => target.id === 'cursor')!;
const codex = AI_CLIENT_TARGETS.find((target) => target.id === 'codex')!;
const endpoint = { mcpUrl: 'http://127.0.0.1:4100/mcp', credential: 'sbc_safety-test', bridgeCommand: { command: '/usr/bin/node', args: ['stdio'] } };
const original = '{\n  "mcpServers": {\n    "other": { "url": "https://example.com/mcp" }\n  }\n}\n';

async function home(): Promise<PathEnvironment> {
  return { platform: 'linux', home: await mkdtemp(join(tmpdir(), 'switchboard-home-')), variables: {} };
}

/** ~/.cursor/mcp.json as a dotfile manager leaves it: a link into the person's dotfiles checkout. */
async function linkedConfig(env: PathEnvironment): Promise<{ link: string; real: string }> {
  const link = targetPath(cursor, env);
  const real = join(env.home, 'dotfiles', 'cursor', 'mcp.json');
  await mkdir(dirname(real), { recursive: true });
  await mkdir(dirname(link), { recursive: true });
  await writeFile(real, original);
  await symlink(real, link);
  return { link, real };
}

posixOnly('AI client files that need care', () => {
  it('writes through a symlink to its target and keeps the link, for setup and undo', async () => {
    const env = await home();
    const { link, real } = await linkedConfig(env);
    await applySetup(cursor, env, entryFor(cursor, endpoint));
    expect((await lstat(link)).isSymbolicLink()).toBe(true);
    expect(await readlink(link)).toBe(real);
    expect((JSON.parse(await readFile(real, 'utf8')) as { mcpServers: Record<string, unknown> }).mcpServers.switchboard).toMatchObject({
      url: endpoint.mcpUrl,
    });
    await undoSetup(cursor, env);
    expect((await lstat(link)).isSymbolicLink()).toBe(true);
    expect(await readFile(real, 'utf8')).toBe(original);
    // No temporary file is left beside the real file.
    expect(await readdir(dirname(real))).toEqual(['mcp.json']);
  });

  it('refuses a symlink to a missing file, naming where it points, and creates nothing', async () => {
    const env = await home();
    const link = targetPath(cursor, env);
    const missing = join(env.home, 'dotfiles-not-mounted', 'mcp.json');
    await mkdir(dirname(link), { recursive: true });
    await symlink(missing, link);
    await expect(applySetup(cursor, env, entryFor(cursor, endpoint))).rejects.toMatchObject({
      code: 'CLIENT_FILE_BROKEN_LINK',
      message: expect.stringContaining(missing),
    });
    expect(await readdir(dirname(link))).toEqual(['mcp.json']);
    expect(await readdir(env.home)).not.toContain('dotfiles-not-mounted');
  });

  it('refuses a read-only file behind a symlink too', async () => {
    const env = await home();
    const { real } = await linkedConfig(env);
    await chmod(real, 0o444);
    await expect(applySetup(cursor, env, entryFor(cursor, endpoint))).rejects.toMatchObject({ code: 'CLIENT_FILE_READ_ONLY' });
    expect(await readFile(real, 'utf8')).toBe(original);
  });

  it('retries a rename the OS refuses while the client holds the file, and succeeds once it lets go', async () => {
    const env = await home();
    const path = targetPath(cursor, env);
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, original);
    const { rename } = await import('node:fs/promises');
    let refusals = 0;
    // A stand-in for Windows with the file open in the client: EBUSY twice, then the rename goes through.
    const busyTwice = async (from: string, to: string) => {
      if (refusals < 2) {
        refusals += 1;
        throw Object.assign(new Error('EBUSY: resource busy or locked, rename'), { code: 'EBUSY' });
      }
      await rename(from, to);
    };
    await applySetup(cursor, env, entryFor(cursor, endpoint), new Date(), { rename: busyTwice, retryDelaysMs: [1, 1, 1] });
    expect(refusals).toBe(2);
    expect(await readFile(path, 'utf8')).toContain('"switchboard"');
  });

  it('gives up on a file that stays locked with CLIENT_FILE_LOCKED, the file unchanged and no temporary file left', async () => {
    const env = await home();
    const path = targetPath(cursor, env);
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, original);
    const alwaysLocked = async () => {
      throw Object.assign(new Error('EPERM: operation not permitted, rename'), { code: 'EPERM' });
    };
    await expect(applySetup(cursor, env, entryFor(cursor, endpoint), new Date(), { rename: alwaysLocked, retryDelaysMs: [1, 1] })).rejects.toMatchObject({
      code: 'CLIENT_FILE_LOCKED',
    });
    expect(await readFile(path, 'utf8')).toBe(original);
    // Only the file and the backup taken before the attempt.
    expect((await readdir(dirname(path))).filter((name) => !name.includes('switchboard-backup'))).toEqual(['mcp.json']);
  });

  it("replaces a stale Codex table in place of the old one and leaves the person's tables and comments", async () => {
    const env = await home();
    const path = targetPath(codex, env);
    await mkdir(dirname(path), { recursive: true });
    const person =
      '# my Codex\nmodel = "o3"\n\n[mcp_servers.switchboard]\nurl = "http://127.0.0.1:3999/mcp"\n\n[mcp_servers.switchboard.http_headers]\nAuthorization = "Bearer sbc_old"\n\n[mcp_servers.docs]\nurl = "https://docs.example.com/mcp" # their own\n';
    await writeFile(path, person);
    await applySetup(codex, env, entryFor(codex, endpoint));
    const written = await readFile(path, 'utf8');
    expect(written).toContain('# my Codex');
    expect(written).toContain('url = "https://docs.example.com/mcp" # their own');
    expect(written).not.toContain('sbc_old');
    expect(written).not.toContain('[mcp_servers.switchboard.http_headers]');
    expect(written.match(/\[mcp_servers\.switchboard\]/g)).toHaveLength(1);
    await undoSetup(codex, env);
    expect(await readFile(path, 'utf8')).toBe('# my Codex\nmodel = "o3"\n\n[mcp_servers.docs]\nurl = "https://docs.example.com/mcp" # their own\n');
  });
});
