// Clients that need more than a file edit: Claude Code through its own CLI (a stand-in here), Continue's config.json era, a flow-style YAML container, and JetBrains' copy-ready JSON.
import { mkdir, mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { applySetup, previewSetup, undoSetup } from '../../main/core/clients/ai-client-setup.ts';
import { entryFor, findTarget, targetPath, type PathEnvironment } from '../../main/core/clients/ai-client-targets.ts';
import type { ClientCommands, CommandResult } from '../../main/core/clients/client-commands.ts';

const target = (id: string) => findTarget(id)!;
const endpoint = { mcpUrl: 'http://127.0.0.1:4100/mcp', credential: 'sbc_special-test', bridgeCommand: { command: '/usr/bin/node', args: ['stdio'] } };

async function home(): Promise<PathEnvironment> {
  return { platform: 'linux', home: await mkdtemp(join(tmpdir(), 'switchboard-home-')), variables: {} };
}

/**
 * A stand-in for the real `claude` CLI (the test never runs it): it records each call and edits ~/.claude.json the
 * way Claude Code does, rewriting the whole file from what it holds in memory.
 */
function standInClaudeCli(path: string, options: { failAdd?: boolean } = {}): ClientCommands & { calls: string[][] } {
  const calls: string[][] = [];
  return {
    calls,
    find: (program) => (program === 'claude' ? '/opt/stand-in/claude' : undefined),
    async run(file, args): Promise<CommandResult> {
      calls.push([file, ...args]);
      const state = JSON.parse(await readFile(path, 'utf8').catch(() => '{}')) as { mcpServers?: Record<string, unknown>; numStartups?: number };
      state.numStartups = (state.numStartups ?? 0) + 1;
      if (args[1] === 'add-json') {
        if (options.failAdd) return { exitCode: 1, stdout: '', stderr: `Invalid configuration: ${args[5]!}` };
        state.mcpServers = { ...state.mcpServers, [args[4]!]: JSON.parse(args[5]!) as unknown };
      } else if (args[1] === 'remove') {
        if (!state.mcpServers?.[args[4]!]) return { exitCode: 1, stdout: '', stderr: `No MCP server found with name: ${args[4]!}` };
        delete state.mcpServers[args[4]!];
      }
      await writeFile(path, JSON.stringify(state, null, 2));
      return { exitCode: 0, stdout: '', stderr: '' };
    },
  };
}

describe('AI clients that need more than a file edit', () => {
  it('sets Claude Code up through `claude mcp add-json --scope user` when claude is on PATH, backs the file up, and reads it back', async () => {
    const env = await home();
    const path = targetPath(target('claude-code'), env);
    const account =
      '{\n  "oauthAccount": { "emailAddress": "ada@example.com" },\n  "mcpServers": { "other": { "type": "http", "url": "https://x.example/mcp", "headers": { "Authorization": "Bearer other-secret" } } }\n}\n';
    await writeFile(path, account);
    const claude = standInClaudeCli(path);
    const entry = entryFor(target('claude-code'), endpoint);

    const preview = await previewSetup(target('claude-code'), env, entryFor(target('claude-code'), { ...endpoint, credential: '«placeholder»' }), {
      commands: claude,
    });
    expect(preview.method).toBe('command');
    expect(preview.command).toContain("claude mcp add-json --scope user switchboard '{");
    expect(JSON.stringify(preview)).not.toMatch(/ada@example\.com|other-secret/);
    expect(preview.summary).toBe('1 other server (other), 1 other top-level setting');

    const result = await applySetup(target('claude-code'), env, entry, new Date(), { commands: claude });
    expect(result.via).toBe('command');
    expect(await readFile(result.backupPath!, 'utf8')).toBe(account);
    expect(claude.calls).toEqual([
      ['/opt/stand-in/claude', 'mcp', 'remove', '--scope', 'user', 'switchboard'],
      ['/opt/stand-in/claude', 'mcp', 'add-json', '--scope', 'user', 'switchboard', JSON.stringify(entry)],
    ]);
    const written = JSON.parse(await readFile(path, 'utf8')) as { mcpServers: Record<string, unknown>; oauthAccount: unknown };
    expect(written.mcpServers.switchboard).toEqual(entry);
    expect(written.oauthAccount).toEqual({ emailAddress: 'ada@example.com' });

    expect(await undoSetup(target('claude-code'), env, { commands: claude })).toMatchObject({ removed: true });
    expect(claude.calls.at(-1)).toEqual(['/opt/stand-in/claude', 'mcp', 'remove', '--scope', 'user', 'switchboard']);
    expect(Object.keys((JSON.parse(await readFile(path, 'utf8')) as { mcpServers: object }).mcpServers)).toEqual(['other']);
  });

  it('reports a failing claude command without echoing the credential', async () => {
    const env = await home();
    const path = targetPath(target('claude-code'), env);
    await writeFile(path, '{}\n');
    const claude = standInClaudeCli(path, { failAdd: true });
    const failure: unknown = await applySetup(target('claude-code'), env, entryFor(target('claude-code'), endpoint), new Date(), { commands: claude }).catch(
      (error: unknown) => error,
    );
    expect(failure).toMatchObject({ code: 'CLIENT_SETUP_FAILED' });
    expect((failure as Error).message).not.toContain(endpoint.credential);
  });

  it('edits ~/.claude.json directly when claude is not on PATH', async () => {
    const env = await home();
    const path = targetPath(target('claude-code'), env);
    await writeFile(path, '{\n  "numStartups": 3\n}\n');
    const noClaude: ClientCommands = { find: () => undefined, run: () => Promise.reject(new Error('must not run')) };
    expect(await applySetup(target('claude-code'), env, entryFor(target('claude-code'), endpoint), new Date(), { commands: noClaude })).toMatchObject({
      via: 'file',
    });
  });

  it('creates a Continue config.yaml with the fields Continue requires, but leaves a config.json setup alone', async () => {
    const env = await home();
    const continueTarget = target('continue');
    const path = targetPath(continueTarget, env);
    await applySetup(continueTarget, env, entryFor(continueTarget, endpoint));
    expect(parseYaml(await readFile(path, 'utf8'))).toMatchObject({
      name: 'Local Config',
      version: '1.0.0',
      schema: 'v1',
      mcpServers: [{ name: 'switchboard', type: 'streamable-http', url: endpoint.mcpUrl }],
    });

    const older = await home();
    const olderPath = targetPath(continueTarget, older);
    await mkdir(dirname(olderPath), { recursive: true });
    await writeFile(join(dirname(olderPath), 'config.json'), '{ "models": [] }');
    await expect(applySetup(continueTarget, older, entryFor(continueTarget, endpoint))).rejects.toMatchObject({
      code: 'CLIENT_SETUP_FAILED',
      message: expect.stringContaining('config.json'),
    });
    expect(await readdir(dirname(olderPath))).toEqual(['config.json']);
  });

  it('adds to a flow-style or empty YAML container and still keeps the comments', async () => {
    const env = await home();
    const goose = target('goose');
    const path = targetPath(goose, env);
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, '# goose settings\nGOOSE_PROVIDER: openai # mine\nextensions: {}\n');
    await applySetup(goose, env, entryFor(goose, endpoint));
    const written = await readFile(path, 'utf8');
    expect(written).toContain('# goose settings');
    expect(written).toContain('# mine');
    expect(parseYaml(written)).toMatchObject({ GOOSE_PROVIDER: 'openai', extensions: { switchboard: { type: 'streamable_http', uri: endpoint.mcpUrl } } });
  });

  it('gives JetBrains copy-ready JSON and writes no file', async () => {
    const env = await home();
    const jetbrains = target('jetbrains');
    const preview = await previewSetup(jetbrains, env, entryFor(jetbrains, { ...endpoint, credential: '«placeholder»' }));
    expect(preview).toMatchObject({ method: 'copy', path: null });
    expect(JSON.parse(preview.entryAfter)).toEqual({
      mcpServers: { switchboard: { type: 'http', url: endpoint.mcpUrl, headers: { Authorization: 'Bearer «placeholder»' } } },
    });
    await expect(applySetup(jetbrains, env, entryFor(jetbrains, endpoint))).rejects.toMatchObject({ code: 'CLIENT_SETUP_FAILED' });
    expect(await readdir(env.home)).toEqual([]);
  });
});
