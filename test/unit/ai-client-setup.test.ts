// Client setup writers on real files in a temporary home: per-OS paths, create, merge, refuse what cannot be read, verify, undo.
import { mkdir, mkdtemp, readFile, readdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'jsonc-parser';
import { describe, expect, it } from 'vitest';
import { applySetup, inspectClient, previewSetup, undoSetup, type EntryExpectation } from '../../main/core/clients/ai-client-setup.ts';
import { AI_CLIENT_TARGETS, entryFor, targetPath, type AiClientId, type PathEnvironment } from '../../main/core/clients/ai-client-targets.ts';
import { SwitchboardError } from '../../main/core/errors.ts';

const target = (id: AiClientId) => AI_CLIENT_TARGETS.find((candidate) => candidate.id === id)!;
const endpoint = {
  mcpUrl: 'http://127.0.0.1:4100/mcp',
  credential: 'sbc_test-credential',
  bridgeCommand: { command: '/usr/bin/node', args: ['/opt/switchboard/main/cli/bin.js', 'stdio'] },
};
/** Today's endpoint, and a registry that knows only the test credential. */
const expected: EntryExpectation = { mcpUrl: endpoint.mcpUrl, accepts: (credential) => credential === endpoint.credential };

async function home(): Promise<PathEnvironment> {
  return { platform: 'linux', home: await mkdtemp(join(tmpdir(), 'switchboard-home-')) };
}

describe('AI client setup', () => {
  it('knows each client’s file on macOS, Windows and Linux', () => {
    const mac: PathEnvironment = { platform: 'darwin', home: '/Users/ada' };
    const windows: PathEnvironment = { platform: 'win32', home: 'C:/Users/ada', appData: 'C:/Users/ada/AppData/Roaming' };
    const linux: PathEnvironment = { platform: 'linux', home: '/home/ada' };
    expect(targetPath(target('claude-desktop'), mac)).toBe('/Users/ada/Library/Application Support/Claude/claude_desktop_config.json');
    expect(targetPath(target('claude-desktop'), windows)).toBe('C:/Users/ada/AppData/Roaming/Claude/claude_desktop_config.json');
    expect(targetPath(target('claude-desktop'), linux)).toBe('/home/ada/.config/Claude/claude_desktop_config.json');
    expect(targetPath(target('vscode'), { ...linux, xdgConfigHome: '/xdg' })).toBe('/xdg/Code/User/mcp.json');
    expect(targetPath(target('cursor'), windows)).toBe('C:/Users/ada/.cursor/mcp.json');
    expect(targetPath(target('claude-code'), mac)).toBe('/Users/ada/.claude.json');
    expect(targetPath(target('windsurf'), linux)).toBe('/home/ada/.codeium/windsurf/mcp_config.json');
  });

  it('writes what each client reads: the stdio bridge for Claude Desktop, HTTP with the header elsewhere', () => {
    expect(entryFor(target('claude-desktop'), endpoint)).toEqual({
      command: '/usr/bin/node',
      args: ['/opt/switchboard/main/cli/bin.js', 'stdio'],
      env: { SWITCHBOARD_CLIENT_CREDENTIAL: 'sbc_test-credential' },
    });
    expect(entryFor(target('vscode'), endpoint)).toEqual({ type: 'http', url: endpoint.mcpUrl, headers: { Authorization: 'Bearer sbc_test-credential' } });
    expect(entryFor(target('windsurf'), endpoint)).toEqual({ serverUrl: endpoint.mcpUrl, headers: { Authorization: 'Bearer sbc_test-credential' } });
  });

  it('creates a missing file and its folders, and reads it back', async () => {
    const env = await home();
    const vscode = target('vscode');
    expect(await inspectClient(vscode, env, expected)).toMatchObject({ detected: false, configured: false });
    const { path, backupPath } = await applySetup(vscode, env, entryFor(vscode, endpoint));
    expect(backupPath).toBeNull();
    expect((parse(await readFile(path, 'utf8')) as { servers: Record<string, unknown> }).servers.switchboard).toMatchObject({
      type: 'http',
      url: endpoint.mcpUrl,
    });
    expect(await inspectClient(vscode, env, expected)).toMatchObject({ detected: true, configured: true });
  });

  it("calls an entry configured only when it points at today's address with an accepted credential", async () => {
    const env = await home();
    const cursor = target('cursor');
    await applySetup(cursor, env, entryFor(cursor, { ...endpoint, mcpUrl: 'http://127.0.0.1:4099/mcp' }));
    expect(await inspectClient(cursor, env, expected)).toMatchObject({
      configured: false,
      stale: 'address',
      staleReason: expect.stringContaining('http://127.0.0.1:4099/mcp'),
    });
    await applySetup(cursor, env, entryFor(cursor, { ...endpoint, credential: 'sbc_revoked' }));
    expect(await inspectClient(cursor, env, expected)).toMatchObject({ configured: false, stale: 'credential' });
    await applySetup(cursor, env, entryFor(cursor, endpoint));
    const working = await inspectClient(cursor, env, expected);
    expect(working).toMatchObject({ configured: true });
    expect(working.stale).toBeUndefined();
    // The stdio bridge asks the running Switchboard for its address: only its credential can go stale.
    const desktop = target('claude-desktop');
    await applySetup(desktop, env, entryFor(desktop, endpoint));
    expect(await inspectClient(desktop, env, { ...expected, mcpUrl: 'http://127.0.0.1:5000/mcp' })).toMatchObject({ configured: true });
    expect(await inspectClient(desktop, env, { ...expected, accepts: () => false })).toMatchObject({ configured: false, stale: 'credential' });
  });

  it('merges into an existing file without touching other entries or comments, keeps a backup, and undo removes only its entry', async () => {
    const env = await home();
    // VS Code reads mcp.json with comments; Claude Desktop's strict JSON could not hold this one.
    const vscode = target('vscode');
    const path = targetPath(vscode, env);
    await mkdir(join(path, '..'), { recursive: true });
    const original = '{\n  // keep me\n  "servers": { "files": { "command": "files-mcp" } },\n  "theme": "dark"\n}\n';
    await writeFile(path, original);
    const preview = await previewSetup(vscode, env, entryFor(vscode, endpoint));
    expect(preview).toMatchObject({ fileExists: true, entryBefore: null, otherEntries: ['files'], otherSettings: 1 });
    expect(JSON.stringify(preview)).not.toContain('files-mcp');
    const { backupPath } = await applySetup(vscode, env, entryFor(vscode, endpoint), new Date('2026-11-25T10:00:00Z'));
    expect(await readFile(backupPath!, 'utf8')).toBe(original);
    const written = await readFile(path, 'utf8');
    expect(written).toContain('// keep me');
    expect(parse(written)).toMatchObject({ theme: 'dark', servers: { files: { command: 'files-mcp' }, switchboard: { type: 'http', url: endpoint.mcpUrl } } });
    // The person adds something after setup; undo keeps it.
    await writeFile(path, written.replace('"theme": "dark"', '"theme": "light"'));
    expect(await undoSetup(vscode, env)).toMatchObject({ removed: true });
    const undone = parse(await readFile(path, 'utf8')) as { theme: string; servers: Record<string, unknown> };
    expect(undone.theme).toBe('light');
    expect(Object.keys(undone.servers)).toEqual(['files']);
    expect(await undoSetup(vscode, env)).toMatchObject({ removed: false });
  });

  it("reads Claude Desktop's file as strict JSON, as the app does: a comment there is an error, not a success", async () => {
    const env = await home();
    const desktop = target('claude-desktop');
    const path = targetPath(desktop, env);
    await mkdir(join(path, '..'), { recursive: true });
    await writeFile(path, '{\n  // the app refuses this\n  "mcpServers": {}\n}\n');
    await expect(applySetup(desktop, env, entryFor(desktop, endpoint))).rejects.toMatchObject({ code: 'CLIENT_FILE_MALFORMED' });
  });

  it('refuses a file it cannot read as a JSON object, and changes nothing', async () => {
    const env = await home();
    const cursor = target('cursor');
    const path = targetPath(cursor, env);
    await mkdir(join(path, '..'), { recursive: true });
    await writeFile(path, '{ "mcpServers": { broken');
    const error = await applySetup(cursor, env, entryFor(cursor, endpoint)).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(SwitchboardError);
    expect((error as SwitchboardError).code).toBe('CLIENT_FILE_MALFORMED');
    expect(await readFile(path, 'utf8')).toBe('{ "mcpServers": { broken');
    expect((await readdir(join(path, '..'))).length).toBe(1);
  });
});
