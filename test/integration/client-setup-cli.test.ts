// `switchboard clients targets|setup|unsetup` against a running serve, in a home of its own: every client listed, Codex set up with TOML a TOML parser reads, its credential working on the endpoint, then undone.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { parse as parseToml } from 'smol-toml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AI_CLIENT_TARGETS } from '../../main/core/clients/ai-client-targets.ts';
import { startMcpServer } from '../sandbox/mcp-servers.ts';
import { CLI_ENTRY, startServe, type ServeProcess } from '../support/serve-process.ts';

describe('switchboard clients targets, setup and unsetup', () => {
  let upstream: Awaited<ReturnType<typeof startMcpServer>>;
  let serve: ServeProcess;
  let home: string;
  let dataDir: string;
  let childEnv: NodeJS.ProcessEnv;
  const profile = `test-client-setup-${process.pid}`;

  /** The CLI as a person runs it, with this test's home: nothing of the real one is read or written. */
  async function cli(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
    const child = spawn(process.execPath, [CLI_ENTRY, 'clients', ...args, '--data-dir', dataDir], { stdio: ['ignore', 'pipe', 'pipe'], env: childEnv });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const [code] = (await once(child, 'exit')) as [number | null];
    return { code, stdout, stderr };
  }

  beforeAll(async () => {
    upstream = await startMcpServer({ name: 'modern', era: 'modern' });
    const workDir = await mkdtemp(join(tmpdir(), 'switchboard-client-cli-'));
    home = join(workDir, 'home');
    dataDir = join(workDir, 'data');
    await mkdir(home);
    const configPath = join(workDir, 'config.json');
    await writeFile(configPath, JSON.stringify({ servers: [{ id: 'modern', url: upstream.url }] }));
    // The clients' own folder variables are left out: the machine running the test may set them.
    const { CODEX_HOME: _codex, CLAUDE_CONFIG_DIR: _claude, COPILOT_HOME: _copilot, CONTINUE_GLOBAL_DIR: _continue, ...rest } = process.env;
    // No `claude` on PATH can be reached either: PATH keeps only the folder of the Node running the test.
    childEnv = { ...rest, HOME: home, USERPROFILE: home, XDG_CONFIG_HOME: join(home, '.config'), PATH: join(process.execPath, '..') };
    serve = await startServe(['--config', configPath, '--data-dir', dataDir], { env: childEnv });
  });

  afterAll(async () => {
    await serve?.stop();
    await upstream?.close();
  });

  it('lists every client with its file for this OS, found, configured, and the running endpoint', async () => {
    const listed = await cli(['targets', '--json']);
    expect(listed.code, listed.stderr).toBe(0);
    const { mcpUrl, running, clients } = JSON.parse(listed.stdout) as {
      mcpUrl: string;
      running: boolean;
      clients: { id: string; file: string | null; found: boolean; configured: boolean; pointsAtTodaysUrl: boolean }[];
    };
    expect(mcpUrl).toBe(serve.ready.mcpUrl);
    expect(running).toBe(true);
    expect(clients.map((client) => client.id)).toEqual(AI_CLIENT_TARGETS.map((target) => target.id));
    expect(clients.find((client) => client.id === 'codex')).toEqual(
      expect.objectContaining({ file: join(home, '.codex', 'config.toml'), found: false, configured: false, pointsAtTodaysUrl: false }),
    );
    expect(clients.find((client) => client.id === 'jetbrains')?.file).toBeNull();
    const human = await cli(['targets']);
    expect(human.stdout).toContain(`Endpoint  ${serve.ready.mcpUrl}`);
    expect(human.stdout).toMatch(/codex\s+OpenAI Codex/);
  });

  it('previews Codex with --dry-run without writing or showing a credential', async () => {
    const dry = await cli(['setup', 'codex', '--dry-run', '--profile', profile]);
    expect(dry.code, dry.stderr).toBe(0);
    expect(dry.stdout).toContain('[mcp_servers.switchboard]');
    expect(dry.stdout).toContain(serve.ready.mcpUrl);
    expect(dry.stdout).not.toMatch(/sbc_/);
    await expect(readFile(join(home, '.codex', 'config.toml'), 'utf8')).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('sets Codex up: TOML a TOML parser reads, pointing at the running endpoint, with a credential the endpoint accepts; then undoes it', async () => {
    const path = join(home, '.codex', 'config.toml');
    await mkdir(join(home, '.codex'));
    await writeFile(path, '# my Codex settings\nmodel = "o3"\n');
    const setup = await cli(['setup', 'codex', '--profile', profile]);
    expect(setup.code, setup.stderr).toBe(0);
    expect(setup.stdout).toContain(`Set up OpenAI Codex (CLI and IDE): ${path}`);

    const written = await readFile(path, 'utf8');
    expect(written.startsWith('# my Codex settings\nmodel = "o3"\n')).toBe(true);
    const config = parseToml(written) as { model: string; mcp_servers: { switchboard: { url: string; http_headers: { Authorization: string } } } };
    expect(config.model).toBe('o3');
    const entry = config.mcp_servers.switchboard;
    expect(entry.url).toBe(serve.ready.mcpUrl);
    // What Codex does with that table: connect to url with the header.
    const codexLike = new Client({ name: 'codex-like', version: '1.0.0' });
    await codexLike.connect(
      new StreamableHTTPClientTransport(new URL(entry.url), { requestInit: { headers: { authorization: entry.http_headers.Authorization } } }),
    );
    expect((await codexLike.listTools()).tools.map((tool) => tool.name)).toContain('modern_echo');
    await codexLike.close();

    const listed = JSON.parse((await cli(['targets', '--json'])).stdout) as {
      clients: { id: string; found: boolean; configured: boolean; pointsAtTodaysUrl: boolean }[];
    };
    expect(listed.clients.find((client) => client.id === 'codex')).toMatchObject({ found: true, configured: true, pointsAtTodaysUrl: true });

    const undone = await cli(['unsetup', 'codex', '--profile', profile]);
    expect(undone.code, undone.stderr).toBe(0);
    expect(await readFile(path, 'utf8')).toBe('# my Codex settings\nmodel = "o3"\n');
  });

  it('refuses an unknown client and a malformed file with their codes, changing nothing', async () => {
    const unknown = await cli(['setup', 'no-such-client', '--profile', profile]);
    expect(unknown.code).toBe(3);
    expect(unknown.stderr).toContain('CLIENT_TARGET_UNKNOWN');
    const path = join(home, '.gemini', 'settings.json');
    await mkdir(join(home, '.gemini'));
    await writeFile(path, '{ "mcpServers": ');
    const malformed = await cli(['setup', 'gemini-cli', '--profile', profile]);
    expect(malformed.stderr).toContain('CLIENT_FILE_MALFORMED');
    expect(await readFile(path, 'utf8')).toBe('{ "mcpServers": ');
  });
});
