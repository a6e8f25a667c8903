// The official MCP conformance server suite ("all"), run against server-everything directly and through Switchboard: no check does worse through it.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../support/free-port.ts';
import { startServe, type ServeProcess } from '../support/serve-process.ts';

const require = createRequire(import.meta.url);
const conformanceCli = join(dirname(require.resolve('@modelcontextprotocol/conformance/package.json')), 'dist/index.js');
const everythingCli = join(dirname(require.resolve('@modelcontextprotocol/server-everything/package.json')), 'dist/index.js');

type Status = 'SUCCESS' | 'SKIPPED' | 'WARNING' | 'FAILURE';
const RANK: Record<Status, number> = { FAILURE: 0, WARNING: 1, SKIPPED: 2, SUCCESS: 3 };

/**
 * Checks that legitimately come out lower through a gateway, each with why. Any other check doing worse, or one of
 * these no longer doing worse, fails the test, so the list stays true.
 */
const GATEWAY_DIFFERENCES: Record<string, string> = {
  // server-everything declares no tools.listChanged, so the check is skipped directly. Switchboard declares it (its
  // own list changes as servers come and go, and it notifies listen streams: test/integration/subscriptions.test.ts),
  // so the check runs, and it needs the diagnostic tool test_trigger_tool_change, which no server here has: a warning.
  'server-stateless :: sep-2575-server-sends-tools-list-changed-on-subscription': 'declares listChanged; the suite has no way to change the list',
  'server-stateless :: sep-2575-server-sends-prompts-list-changed-on-subscription': 'the same, for prompts',
};

/** Runs the suite and returns every check's status, keyed "scenario :: check id" (the worst when a check repeats). */
async function runSuite(url: string): Promise<Map<string, Status>> {
  const outputDir = await mkdtemp(join(tmpdir(), 'switchboard-conformance-results-'));
  const child = spawn(process.execPath, [conformanceCli, 'server', '--url', url, '--suite', 'all', '-o', outputDir], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  await once(child, 'exit');
  const checks = new Map<string, Status>();
  for (const run of await readdir(outputDir)) {
    const scenario = run.replace(/^server-/, '').replace(/-\d{4}-\d\d-\d\dT.*$/, '');
    const file = join(outputDir, run, 'checks.json');
    const results = JSON.parse(await readFile(file, 'utf8').catch(() => '[]')) as { id: string; status: string }[];
    for (const { id, status } of results) {
      if (!(status in RANK)) continue;
      const key = `${scenario} :: ${id}`;
      const before = checks.get(key);
      if (before === undefined || RANK[status as Status] < RANK[before]) checks.set(key, status as Status);
    }
  }
  if (checks.size === 0) throw new Error(`the conformance suite recorded no checks:\n${output.slice(-2000)}`);
  return checks;
}

describe('conformance: server suite through Switchboard', () => {
  let everything: ReturnType<typeof spawn>;
  let everythingUrl: string;
  let serve: ServeProcess;

  beforeAll(async () => {
    // server-everything only listens on a fixed PORT; ask the OS for a free one first.
    const port = await freePort();
    everything = spawn(process.execPath, [everythingCli, 'streamableHttp'], {
      env: { ...process.env, PORT: String(port) },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    await new Promise<void>((resolve, reject) => {
      let log = '';
      const timer = setTimeout(() => reject(new Error(`server-everything did not start:\n${log}`)), 15_000);
      everything.stderr!.on('data', (chunk: Buffer) => {
        log += chunk.toString();
        if (log.includes('listening on port')) {
          clearTimeout(timer);
          resolve();
        }
      });
    });
    everythingUrl = `http://127.0.0.1:${port}/mcp`;
    const dir = await mkdtemp(join(tmpdir(), 'switchboard-conformance-'));
    await writeFile(join(dir, 'config.json'), JSON.stringify({ servers: [{ id: 'everything', url: everythingUrl, prefix: '' }] }));
    // Anonymous mode exists for exactly this: the suite cannot present a client credential.
    serve = await startServe(['--config', join(dir, 'config.json'), '--data-dir', join(dir, 'data'), '--allow-anonymous']);
  }, 60_000);

  afterAll(async () => {
    await serve?.stop();
    everything?.kill();
  });

  it('does no worse than server-everything directly on any check of the whole suite, and passes DNS-rebinding protection', async () => {
    const direct = await runSuite(everythingUrl);
    const through = await runSuite(serve.ready.mcpUrl);
    const worse = new Map<string, string>();
    for (const [check, status] of direct) {
      const got = through.get(check);
      // A check that only failed directly may be replaced through Switchboard by the scenario's other checks.
      if (got === undefined && status === 'FAILURE') continue;
      if (got === undefined || RANK[got] < RANK[status]) worse.set(check, `${check}: ${status} directly, ${got ?? 'not run'} through Switchboard`);
    }
    expect([...worse].filter(([check]) => !(check in GATEWAY_DIFFERENCES)).map(([, line]) => line)).toEqual([]);
    for (const check of Object.keys(GATEWAY_DIFFERENCES)) expect(worse.has(check), `${check} is no longer worse: take it off GATEWAY_DIFFERENCES`).toBe(true);
    for (const [check, status] of through) if (check.startsWith('dns-rebinding-protection')) expect(status, check).toBe('SUCCESS');
    // The suite exercises real behaviour: most checks must pass through Switchboard, or this comparison says little.
    expect([...through.values()].filter((status) => status === 'SUCCESS').length).toBeGreaterThanOrEqual(120);
  }, 300_000);
});
