// `npm run demo` in headless mode: starts the sandbox and Switchboard (no keychain needed), prints the endpoint, serves it, stops on Ctrl-C leaving nothing behind.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { describe, expect, it } from 'vitest';
import { environmentOf, processTree, stillRunning } from '../support/process-tree.ts';

const repoRoot = join(import.meta.dirname, '../..');

interface DemoReady {
  mcpUrl: string;
  credential: string;
  workDir: string;
  secrets: string;
}

function demoReady(demo: ChildProcess, output: string[], timeoutMs = 30_000): Promise<DemoReady> {
  return new Promise<DemoReady>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`demo not ready; output so far:\n${output.join('\n')}`)), timeoutMs);
    createInterface({ input: demo.stdout! }).on('line', (line) => {
      output.push(line);
      if (line.startsWith('{"event":"demo-ready"')) {
        clearTimeout(timer);
        resolve(JSON.parse(line) as DemoReady);
      }
    });
  });
}

/** `npm run demo` as a person runs it, on a machine with no D-Bus session and so no keychain at all. */
function startDemoThroughNpmWithoutKeychain(runtimeDir: string): ChildProcess {
  const env: NodeJS.ProcessEnv = { ...process.env, XDG_RUNTIME_DIR: runtimeDir, PATH: `${dirname(process.execPath)}:${process.env.PATH ?? ''}` };
  for (const name of ['SWITCHBOARD_TEST_KEYRING', 'DBUS_SESSION_BUS_ADDRESS', 'WITH_KEYRING_PID_FILE', 'DISPLAY', 'WAYLAND_DISPLAY']) delete env[name];
  // npm passes a signal sent to it on to its script's process only: the script must be the demo itself.
  return spawn('npm', ['run', '--silent', 'demo', '--', '--headless'], { cwd: repoRoot, env, stdio: ['ignore', 'pipe', 'pipe'] });
}

async function waitUntilGone(pids: number[], timeoutMs: number): Promise<ReturnType<typeof stillRunning>> {
  const until = Date.now() + timeoutMs;
  while (stillRunning(pids).length && Date.now() < until) await new Promise((resolve) => setTimeout(resolve, 50));
  return stillRunning(pids);
}

describe('npm run demo (headless)', () => {
  it('prints the endpoint and how to use it, serves the sandbox tools, and on SIGINT exits 0 leaving no process and no temporary folder', async () => {
    const demo = spawn(process.execPath, [join(import.meta.dirname, '../sandbox/demo.ts'), '--headless'], { stdio: ['ignore', 'pipe', 'pipe'] });
    const exited = once(demo, 'exit');
    const output: string[] = [];
    const { mcpUrl, credential, workDir } = await demoReady(demo, output, 20_000);
    expect(output.join('\n')).toContain(`Local MCP endpoint:  ${mcpUrl}`);
    expect(output.join('\n')).toContain('inspector --cli');

    const client = new Client({ name: 'demo-test', version: '1.0.0' }, { versionNegotiation: { mode: 'auto' } });
    await client.connect(new StreamableHTTPClientTransport(new URL(mcpUrl), { requestInit: { headers: { authorization: `Bearer ${credential}` } } }));
    const names = (await client.listTools()).tools.map((tool) => tool.name);
    expect(names).toEqual(expect.arrayContaining(['wiki_echo', 'tickets_echo']));
    await client.close();

    const tree = processTree(demo.pid!);
    expect(tree.some((entry) => entry.command.includes('main/cli/bin.js serve'))).toBe(true);
    demo.kill('SIGINT');
    const [code] = (await exited) as [number | null];
    expect(code).toBe(0);
    expect(
      await waitUntilGone(
        tree.map((entry) => entry.pid),
        2_000,
      ),
    ).toEqual([]);
    expect(existsSync(workDir)).toBe(false);
  });

  it('npm run demo needs no keychain: without a D-Bus session it runs with its secrets in memory, says so, and SIGINT stops it all', async () => {
    const runtimeDir = await mkdtemp(join(tmpdir(), 'switchboard-demo-nobus-'));
    const npm = startDemoThroughNpmWithoutKeychain(runtimeDir);
    const exited = once(npm, 'exit');
    const output: string[] = [];
    let stderr = '';
    npm.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    let tree: ReturnType<typeof processTree> = [];
    try {
      const ready = await demoReady(npm, output);
      expect(ready.secrets).toBe('in-memory');
      expect(output.join('\n')).toContain('Secrets:             in memory only: never in your keychain');
      tree = processTree(npm.pid!);
      const running = (fragment: string) => tree.filter((entry) => entry.command.includes(fragment));
      expect(running('main/cli/bin.js serve')).not.toEqual([]);
      for (const fragment of ['dbus-daemon', 'gnome-keyring-daemon']) expect(running(fragment), fragment).toEqual([]);
      const serve = running('main/cli/bin.js serve')[0]!;
      expect(environmentOf(serve.pid)).toMatchObject({ SWITCHBOARD_KEYCHAIN: 'memory' });
      expect(environmentOf(serve.pid).DBUS_SESSION_BUS_ADDRESS).toBeUndefined();

      const client = new Client({ name: 'demo-test', version: '1.0.0' }, { versionNegotiation: { mode: 'auto' } });
      await client.connect(
        new StreamableHTTPClientTransport(new URL(ready.mcpUrl), { requestInit: { headers: { authorization: `Bearer ${ready.credential}` } } }),
      );
      expect((await client.listTools()).tools.map((tool) => tool.name)).toEqual(expect.arrayContaining(['wiki_echo']));
      await client.close();

      npm.kill('SIGINT');
      const [code] = (await exited) as [number | null];
      expect(code, stderr).toBe(0);
      expect(
        await waitUntilGone(
          tree.map((entry) => entry.pid),
          2_000,
        ),
      ).toEqual([]);
      expect(existsSync(ready.workDir)).toBe(false);
    } finally {
      for (const entry of stillRunning([...tree.map(({ pid }) => pid), npm.pid!])) process.kill(entry.pid, 'SIGKILL');
      await rm(runtimeDir, { recursive: true, force: true });
    }
  }, 60_000);

  it.runIf(process.platform === 'linux')(
    'a second Ctrl-C forces: a Switchboard that cannot stop is killed, and the temporary folder still goes',
    async () => {
      const demo = spawn(process.execPath, [join(repoRoot, 'test/sandbox/demo.ts'), '--headless'], { stdio: ['ignore', 'pipe', 'pipe'] });
      const exited = once(demo, 'exit');
      let stderr = '';
      demo.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      const { workDir } = await demoReady(demo, []);
      const tree = processTree(demo.pid!);
      const serve = tree.find((entry) => entry.command.includes('main/cli/bin.js serve'))!;
      expect(serve).toBeDefined();
      // A Switchboard frozen mid-stop: only SIGKILL ends it, so only the forced path can finish.
      process.kill(serve.pid, 'SIGSTOP');
      try {
        demo.kill('SIGINT');
        await new Promise((resolve) => setTimeout(resolve, 400));
        expect(demo.exitCode).toBeNull();
        const sentAt = Date.now();
        demo.kill('SIGINT');
        const [code] = (await exited) as [number | null];
        expect(Date.now() - sentAt).toBeLessThan(1_000);
        expect(code).toBe(130);
        expect(stderr).toContain('Forced to stop.');
        expect(
          await waitUntilGone(
            tree.map((entry) => entry.pid),
            2_000,
          ),
        ).toEqual([]);
        expect(existsSync(workDir)).toBe(false);
      } finally {
        for (const entry of stillRunning(tree.map(({ pid }) => pid))) process.kill(entry.pid, 'SIGKILL');
      }
    },
    60_000,
  );
});
