// `npm run demo` in headless mode: starts the sandbox and Switchboard, prints the endpoint, serves it, stops on Ctrl-C leaving nothing behind.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
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

/** `npm run demo` as a person runs it: through with-keyring.sh, with a keyring session of its own (not the test run's). */
function startDemoThroughWrapper(viaNpm = false): ChildProcess {
  const env = { ...process.env };
  for (const name of ['SWITCHBOARD_TEST_KEYRING', 'DBUS_SESSION_BUS_ADDRESS', 'XDG_DATA_HOME', 'XDG_RUNTIME_DIR', 'WITH_KEYRING_PID_FILE']) delete env[name];
  // npm passes a signal sent to it on to its script's process only: the script must exec the wrapper, or the rest is orphaned.
  if (viaNpm) return spawn('npm', ['run', '--silent', 'demo', '--', '--headless'], { cwd: repoRoot, env: { ...env, PATH: `${dirname(process.execPath)}:${env.PATH ?? ''}` }, stdio: ['ignore', 'pipe', 'pipe'] });
  return spawn(join(repoRoot, 'scripts/with-keyring.sh'), [process.execPath, join(repoRoot, 'test/sandbox/demo.ts'), '--headless'], { cwd: repoRoot, env, stdio: ['ignore', 'pipe', 'pipe'] });
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
    expect(await waitUntilGone(tree.map((entry) => entry.pid), 2_000)).toEqual([]);
    expect(existsSync(workDir)).toBe(false);
  });

  it.runIf(process.platform === 'linux').each([
    ['with-keyring.sh', false],
    ['npm run demo', true],
  ])('through %s: SIGINT stops the demo, Switchboard, the bus and the keyring daemon, and removes every temporary folder', async (_how, viaNpm) => {
    const wrapper = startDemoThroughWrapper(viaNpm);
    const exited = once(wrapper, 'exit');
    const output: string[] = [];
    let stderr = '';
    wrapper.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    let tree: ReturnType<typeof processTree> = [];
    try {
      const { workDir } = await demoReady(wrapper, output);
      tree = processTree(wrapper.pid!);
      const running = (fragment: string) => tree.filter((entry) => entry.command.includes(fragment));
      // What has to go: the wrapper, the D-Bus session and its daemon, the keyring daemon, the demo, and serve.
      for (const fragment of ['dbus-run-session', 'dbus-daemon', 'gnome-keyring-daemon', 'test/sandbox/demo.ts', 'main/cli/bin.js serve']) expect(running(fragment), fragment).not.toEqual([]);
      const demo = running('test/sandbox/demo.ts').find((entry) => !entry.command.includes('with-keyring') && !entry.command.includes('dbus-run-session'))!;
      const keyringScratch = dirname(environmentOf(demo.pid).XDG_DATA_HOME!);
      expect(existsSync(workDir)).toBe(true);
      expect(existsSync(keyringScratch)).toBe(true);

      const sentAt = Date.now();
      wrapper.kill('SIGINT');
      const [code] = (await exited) as [number | null];
      const stoppedIn = Date.now() - sentAt;
      expect(code, stderr).toBe(0);
      expect(stoppedIn).toBeLessThan(5_000);
      expect(stderr).toContain('Stopping… press Ctrl-C again to force.');
      expect(await waitUntilGone(tree.map((entry) => entry.pid), 2_000)).toEqual([]);
      expect(existsSync(workDir)).toBe(false);
      expect(existsSync(keyringScratch)).toBe(false);
    } finally {
      // A failed run must not leave its demo behind for the next test to trip over.
      for (const entry of stillRunning([...tree.map(({ pid }) => pid), wrapper.pid!])) process.kill(entry.pid, 'SIGKILL');
    }
  }, 60_000);

  it.runIf(process.platform === 'linux')('a second Ctrl-C forces: a Switchboard that cannot stop is killed, and the temporary folder still goes', async () => {
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
      expect(await waitUntilGone(tree.map((entry) => entry.pid), 2_000)).toEqual([]);
      expect(existsSync(workDir)).toBe(false);
    } finally {
      for (const entry of stillRunning(tree.map(({ pid }) => pid))) process.kill(entry.pid, 'SIGKILL');
    }
  }, 60_000);
});
