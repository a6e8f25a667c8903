// During and after a full run (a client registered, serve started, a tool call audited, a discovery cached, serve stopped) everything in a data folder that started 0755 is readable by its owner only.
import { chmod, lstat, mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMcpServer, type SandboxMcpServer } from '../sandbox/mcp-servers.ts';
import { runCli, startServe, type ServeProcess } from '../support/serve-process.ts';

const posixOnly = process.platform === 'win32' ? describe.skip : describe;

interface Entry {
  path: string;
  kind: 'folder' | 'file' | 'other';
  mode: number;
}

/** The folder itself and everything under it, without following symbolic links. */
async function walk(folder: string): Promise<Entry[]> {
  const entries: Entry[] = [{ path: folder, kind: 'folder', mode: (await lstat(folder)).mode & 0o777 }];
  for (const name of await readdir(folder)) {
    const path = join(folder, name);
    const info = await lstat(path);
    if (info.isDirectory()) entries.push(...(await walk(path)));
    else entries.push({ path, kind: info.isFile() ? 'file' : 'other', mode: info.mode & 0o777 });
  }
  return entries;
}

posixOnly('owner-only data folder after a full run', () => {
  let upstream: SandboxMcpServer;
  let workDir: string;
  let dataDir: string;
  let serve: ServeProcess | undefined;
  /** While serve runs: the audit trail's -wal and -shm files and the control socket exist only then. */
  let whileRunning: Entry[];
  let afterStop: Entry[];

  beforeAll(async () => {
    upstream = await startMcpServer({ name: 'wiki', era: 'modern' });
    workDir = await mkdtemp(join(tmpdir(), 'switchboard-permissions-'));
    // As a person (or an older Switchboard) may have left it: readable by everyone on the machine.
    dataDir = join(workDir, 'data');
    await mkdir(dataDir);
    await chmod(dataDir, 0o755);
    const configPath = join(workDir, 'config.json');
    await writeFile(
      configPath,
      JSON.stringify({
        servers: [{ id: 'wiki', url: upstream.url }],
        // A file export of the audit trail inside the data folder: a log Switchboard creates, in a subfolder it creates.
        audit: { sinks: [{ type: 'jsonl', path: join(dataDir, 'exports', 'audit.jsonl') }] },
      }),
    );
    const location = ['--config', configPath, '--data-dir', dataDir];

    const added = await runCli(['clients', 'add', 'tester', '--data-dir', dataDir, '--profile', `test-${process.pid}`, '--json']);
    expect(added.code, added.stderr).toBe(0);
    const credential = (JSON.parse(added.stdout) as { credential: string }).credential;

    serve = await startServe(location);
    const client = new Client({ name: 'permissions-test', version: '1.0.0' });
    await client.connect(
      new StreamableHTTPClientTransport(new URL(serve.ready.mcpUrl), { requestInit: { headers: { authorization: `Bearer ${credential}` } } }),
    );
    await client.listTools();
    expect((await client.callTool({ name: 'wiki_echo', arguments: { text: 'hello' } })).isError).toBeFalsy();
    await client.close();

    const discovered = await runCli(['discover', upstream.url, ...location, '--json']);
    expect(discovered.code, discovered.stderr).toBe(0);
    whileRunning = await walk(dataDir);

    expect(await serve.stop('SIGTERM'), serve.stderr()).toBe(0);
    afterStop = await walk(dataDir);
  }, 60_000);

  afterAll(async () => {
    await serve?.stop();
    await upstream?.close();
    if (workDir) await rm(workDir, { recursive: true, force: true });
  });

  const described = (entries: Entry[]) => entries.map((entry) => `${relative(dataDir, entry.path) || '.'} ${entry.mode.toString(8)}`);

  it('looked at what a full run writes: the client registry, the audit trail with its WAL and shared memory, the catalog cache, the remembered endpoint, the audit export', () => {
    const names = (entries: Entry[]) => entries.map((entry) => relative(dataDir, entry.path));
    expect(names(whileRunning)).toEqual(
      expect.arrayContaining(['clients.json', 'audit.db', 'audit.db-wal', 'audit.db-shm', 'catalog.db', 'endpoint.json', join('exports', 'audit.jsonl')]),
    );
    expect(names(afterStop)).toEqual(expect.arrayContaining(['clients.json', 'audit.db', 'catalog.db', 'endpoint.json', join('exports', 'audit.jsonl')]));
  });

  it('every file is 0600, while serve runs and after it stops: nothing is open to the group or to others', () => {
    for (const entries of [whileRunning, afterStop]) {
      // The control socket is not a file to read, but who may connect to it is its mode too.
      expect(described(entries.filter((entry) => entry.kind !== 'folder' && (entry.mode & 0o077) !== 0))).toEqual([]);
      const files = entries.filter((entry) => entry.kind === 'file');
      expect(described(files)).toEqual(described(files.map((file) => ({ ...file, mode: 0o600 }))));
    }
  });

  it('every folder is 0700, the data folder that started 0755 included, and serve said it tightened it', () => {
    for (const entries of [whileRunning, afterStop]) {
      const folders = entries.filter((entry) => entry.kind === 'folder');
      expect(described(folders)).toEqual(described(folders.map((folder) => ({ ...folder, mode: 0o700 }))));
    }
    expect(serve!.stderr().match(/"event":"storage\.folder_tightened"/g)).toHaveLength(1);
  });
});
