// A stable address: `serve` without a chosen port keeps the first one across restarts; when it is taken, it moves, says so, and updates the clients it set up.
import { mkdir, mkdtemp, readFile, stat, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { parse } from 'jsonc-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applySetup } from '../../main/core/clients/ai-client-setup.ts';
import { AI_CLIENT_TARGETS, entryFor, targetPath, type AiClientId, type PathEnvironment } from '../../main/core/clients/ai-client-targets.ts';
import { startMcpServer } from '../sandbox/mcp-servers.ts';
import { runCli, startServe, type ServeProcess } from '../support/serve-process.ts';

const target = (id: AiClientId) => AI_CLIENT_TARGETS.find((candidate) => candidate.id === id)!;
const bridgeCommand = { command: process.execPath, args: ['unused'] };

/** What an AI client would do: read Switchboard's entry from its own file and connect with that URL and credential. */
async function listToolsAsClient(path: string): Promise<string[]> {
  const entry = (parse(await readFile(path, 'utf8')) as { mcpServers: Record<string, { url: string; headers: Record<string, string> }> }).mcpServers
    .switchboard!;
  const client = new Client({ name: 'stable-address-test', version: '1.0.0' });
  await client.connect(new StreamableHTTPClientTransport(new URL(entry.url), { requestInit: { headers: { authorization: entry.headers.Authorization! } } }));
  try {
    return (await client.listTools()).tools.map((tool) => tool.name);
  } finally {
    await client.close();
  }
}

async function entryUrlIn(path: string, field = 'url'): Promise<string> {
  return (parse(await readFile(path, 'utf8')) as { mcpServers: Record<string, Record<string, string>> }).mcpServers.switchboard![field]!;
}

/** Another program on the remembered port: a plain listener on 127.0.0.1. */
async function occupy(port: number): Promise<Server> {
  const blocker = createServer();
  await new Promise<void>((resolve, reject) => {
    blocker.once('error', reject);
    blocker.listen(port, '127.0.0.1', () => resolve());
  });
  return blocker;
}

describe('a stable address for the local endpoint', () => {
  let upstream: Awaited<ReturnType<typeof startMcpServer>>;
  let workDir: string;
  let dataDir: string;
  let configPath: string;
  let env: PathEnvironment;
  let serveEnv: NodeJS.ProcessEnv;
  let credential: string;
  let firstUrl: string;
  let blocker: Server | undefined;
  let running: ServeProcess | undefined;

  const serve = async (extra: string[] = []) => {
    running = await startServe(['--config', configPath, '--data-dir', dataDir, ...extra], { env: serveEnv });
    return running;
  };

  beforeAll(async () => {
    upstream = await startMcpServer({ name: 'modern', era: 'modern' });
    workDir = await mkdtemp(join(tmpdir(), 'switchboard-stable-'));
    dataDir = join(workDir, 'data');
    configPath = join(workDir, 'config.json');
    // No gateway.port: the case where Switchboard chooses, and must keep, the address.
    await writeFile(configPath, JSON.stringify({ servers: [{ id: 'modern', url: upstream.url }] }));
    // The AI clients' files live in a home of their own, so nothing of the person's is ever read or written.
    const home = join(workDir, 'home');
    await mkdir(home);
    env = { platform: 'linux', home, xdgConfigHome: join(home, '.config') };
    serveEnv = { ...process.env, HOME: home, XDG_CONFIG_HOME: join(home, '.config') };
    const added = await runCli(['clients', 'add', 'cursor', '--data-dir', dataDir, '--profile', `test-${process.pid}`, '--json']);
    expect(added.code, added.stderr).toBe(0);
    credential = (JSON.parse(added.stdout) as { credential: string }).credential;
  });

  afterAll(async () => {
    await running?.stop();
    await new Promise((resolve) => (blocker ? blocker.close(resolve) : resolve(undefined)));
    await upstream?.close();
  });

  it('prints the same mcpUrl on three starts, and a client file written on the first still works on the third', async () => {
    const first = await serve();
    firstUrl = first.ready.mcpUrl;
    expect(firstUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/mcp$/);
    const cursor = target('cursor');
    await applySetup(cursor, env, entryFor(cursor, { mcpUrl: firstUrl, credential, bridgeCommand }));
    expect(await first.stop()).toBe(0);
    if (process.platform !== 'win32') expect((await stat(join(dataDir, 'endpoint.json'))).mode & 0o777).toBe(0o600);

    const second = await serve();
    expect(second.ready.mcpUrl).toBe(firstUrl);
    expect(await second.stop()).toBe(0);

    const third = await serve();
    expect(third.ready.mcpUrl).toBe(firstUrl);
    expect(await entryUrlIn(targetPath(cursor, env))).toBe(firstUrl);
    expect(await listToolsAsClient(targetPath(cursor, env))).toContain('modern_echo');
    expect(await third.stop()).toBe(0);
  });

  it('when the remembered port is taken, starts on another, says so in status, and rewrites the clients it set up', async () => {
    expect(firstUrl, 'the first test sets the address').toBeTruthy();
    const cursorPath = targetPath(target('cursor'), env);
    // A file holding a credential this Switchboard never issued belongs to someone else's set-up: it must stay as it is.
    const windsurf = target('windsurf');
    await applySetup(windsurf, env, entryFor(windsurf, { mcpUrl: firstUrl, credential: 'sbc_not-issued-by-this-switchboard', bridgeCommand }));
    const previousPort = Number(new URL(firstUrl).port);
    blocker = await occupy(previousPort);

    const moved = await serve();
    const newPort = Number(new URL(moved.ready.mcpUrl).port);
    expect(newPort).not.toBe(previousPort);
    expect(moved.stderr()).toMatch(new RegExp(`"event":"gateway.port_changed".*"old":${previousPort},"new":${newPort}`));

    const human = await runCli(['status', '--data-dir', dataDir]);
    expect(human.code, human.stderr).toBe(0);
    expect(human.stdout).toContain(`port ${previousPort} was taken by another program, so Switchboard now listens on port ${newPort}`);
    const json = await runCli(['status', '--data-dir', dataDir, '--json']);
    expect((JSON.parse(json.stdout) as { addressChanged?: unknown }).addressChanged).toEqual({ previousPort, port: newPort });

    // Rewritten before the ready line, with the credential it already had.
    expect(await entryUrlIn(cursorPath)).toBe(moved.ready.mcpUrl);
    expect(await listToolsAsClient(cursorPath)).toContain('modern_echo');
    expect(await entryUrlIn(targetPath(windsurf, env), 'serverUrl')).toBe(firstUrl);
    expect(await moved.stop()).toBe(0);

    // The new port is the one remembered now: the next start keeps it even after the old one is free again.
    await new Promise((resolve) => blocker!.close(resolve));
    blocker = undefined;
    const again = await serve();
    expect(again.ready.mcpUrl).toBe(moved.ready.mcpUrl);
    const quiet = await runCli(['status', '--data-dir', dataDir, '--json']);
    expect((JSON.parse(quiet.stdout) as { addressChanged?: unknown }).addressChanged).toBeUndefined();
    expect(await again.stop()).toBe(0);
  });

  it('fails with GATEWAY_BIND_FAILED, naming the port, when a port the person chose is taken', async () => {
    blocker = await occupy(0);
    const port = (blocker.address() as { port: number }).port;
    const result = await runCli(['serve', '--config', configPath, '--data-dir', join(workDir, 'data-chosen-port'), '--port', String(port)]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`GATEWAY_BIND_FAILED: port ${port} on 127.0.0.1 is already in use by another program`);
    expect(result.stderr).toMatch(/choose another port with --port or gateway\.port/);
  });
});
