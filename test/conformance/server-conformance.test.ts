// The official MCP conformance server suite (all, and the 2026-07-28 requirement set), run against server-everything directly and through Switchboard: no check does worse through it.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../support/free-port.ts';
import { startServe, type ServeProcess } from '../support/serve-process.ts';
import { startListChangeHooksServer, type HooksServer } from '../sandbox/list-change-hooks-server.ts';

const require = createRequire(import.meta.url);
const conformanceCli = join(dirname(require.resolve('@modelcontextprotocol/conformance/package.json')), 'dist/index.js');
const everythingCli = join(dirname(require.resolve('@modelcontextprotocol/server-everything/package.json')), 'dist/index.js');

type Status = 'SUCCESS' | 'WARNING' | 'SKIPPED' | 'FAILURE';
const RANK: Record<Status, number> = { FAILURE: 0, WARNING: 1, SKIPPED: 2, SUCCESS: 3 };
/** Stands for a scenario as a whole: FAILURE when it ended without recording any check (it threw). */
const COMPLETED = '(scenario completed)';

/** The suites compared: every scenario the suite has, and exactly those the 2026-07-28 revision requires (run at its wire). */
const RUNS: Record<string, string[]> = {
  all: ['--suite', 'all'],
  '2026-07-28 requirements': ['--requirements', '2026-07-28'],
};

/**
 * Checks that legitimately come out lower through a gateway, each with why. Any other check doing worse, or one of
 * these no longer doing worse, fails the test, so the list stays true.
 *
 * Checks that come out better are not listed one by one: nearly all are 2026-07-28 scenarios (server-stateless,
 * caching, input-required-result-*, tasks-*, SEP-2164, SEP-2243 headers, and at that wire every tools/prompts/resources
 * scenario), which server-everything, speaking only the 2025 revisions, fails outright and Switchboard answers in
 * front of it; the rest are DNS-rebinding protection and 404 for a terminated session, which Switchboard's own
 * endpoint does. Each run prints its counts.
 */
const GATEWAY_DIFFERENCES: Record<string, string> = {
  // Directly the check is skipped because server-everything has no server/discover (it speaks 2025 only), so it
  // declares nothing. Through Switchboard it runs: Switchboard declares tools.listChanged and prompts.listChanged,
  // truly (servers come and go, sign-ins finish, upstream lists change), and the suite then calls its hook
  // test_trigger_tool_change / test_trigger_prompt_change to change the list; server-everything has neither, so no
  // change happens and the suite warns. In front of a server that has the hooks both checks pass: the last test here.
  'server-stateless :: sep-2575-server-sends-tools-list-changed-on-subscription': 'the upstream has no hook to change its tool list',
  'server-stateless :: sep-2575-server-sends-prompts-list-changed-on-subscription': 'the upstream has no hook to change its prompt list',
};

/** Runs the suite and returns every check's status, keyed "scenario :: check id" (the worst when a check repeats). */
async function runSuite(url: string, args: string[]): Promise<Map<string, Status>> {
  const outputDir = await mkdtemp(join(tmpdir(), 'switchboard-conformance-results-'));
  const child = spawn(process.execPath, [conformanceCli, 'server', '--url', url, ...args, '-o', outputDir], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  await once(child, 'exit');
  const checks = new Map<string, Status>();
  for (const run of await readdir(outputDir)) {
    const scenario = run.replace(/^server-/, '').replace(/-\d{4}-\d\d-\d\dT.*$/, '');
    const file = join(outputDir, run, 'checks.json');
    const results = JSON.parse(await readFile(file, 'utf8').catch(() => '[]')) as { id: string; status: string }[];
    checks.set(`${scenario} :: ${COMPLETED}`, results.length > 0 ? 'SUCCESS' : 'FAILURE');
    for (const { id, status } of results) {
      if (!(status in RANK)) continue; // INFO lines are a log, not a verdict
      const key = `${scenario} :: ${id}`;
      const before = checks.get(key);
      if (before === undefined || RANK[status as Status] < RANK[before]) checks.set(key, status as Status);
    }
  }
  if (checks.size === 0) throw new Error(`the conformance suite recorded no checks:\n${output.slice(-2000)}`);
  return checks;
}

/** Every check worse through Switchboard than directly, as "check: X directly, Y through Switchboard". */
function worseChecks(direct: Map<string, Status>, through: Map<string, Status>): Map<string, string> {
  const worse = new Map<string, string>();
  for (const [check, status] of direct) {
    const got = through.get(check);
    // A check that only failed directly may be replaced through Switchboard by the scenario's other checks.
    if (got === undefined && status === 'FAILURE') continue;
    if (got === undefined || RANK[got] < RANK[status]) worse.set(check, `${check}: ${status} directly, ${got ?? 'not run'} through Switchboard`);
  }
  return worse;
}

function tally(checks: Map<string, Status>): string {
  const counts: Record<string, number> = {};
  for (const [check, status] of checks) if (!check.endsWith(COMPLETED)) counts[status] = (counts[status] ?? 0) + 1;
  return (Object.keys(RANK) as Status[]).map((status) => `${counts[status] ?? 0} ${status.toLowerCase()}`).join(', ');
}

async function startEverything(): Promise<{ process: ReturnType<typeof spawn>; url: string }> {
  // server-everything only listens on a fixed PORT; ask the OS for a free one first.
  const port = await freePort();
  const child = spawn(process.execPath, [everythingCli, 'streamableHttp'], {
    env: { ...process.env, PORT: String(port) },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  await new Promise<void>((resolve, reject) => {
    let log = '';
    const timer = setTimeout(() => reject(new Error(`server-everything did not start:\n${log}`)), 15_000);
    child.stderr!.on('data', (chunk: Buffer) => {
      log += chunk.toString();
      if (log.includes('listening on port')) {
        clearTimeout(timer);
        resolve();
      }
    });
  });
  return { process: child, url: `http://127.0.0.1:${port}/mcp` };
}

/** `switchboard serve --allow-anonymous` in front of one server, unprefixed so the suite's names reach it unchanged. */
async function serveInFront(url: string): Promise<ServeProcess> {
  const dir = await mkdtemp(join(tmpdir(), 'switchboard-conformance-'));
  await writeFile(join(dir, 'config.json'), JSON.stringify({ servers: [{ id: 'upstream', url, prefix: '' }] }));
  // Anonymous mode exists for exactly this: the suite cannot present a client credential.
  return startServe(['--config', join(dir, 'config.json'), '--data-dir', join(dir, 'data'), '--allow-anonymous']);
}

describe('conformance: server suite through Switchboard', () => {
  let everything: { process: ReturnType<typeof spawn>; url: string };
  let serve: ServeProcess;

  beforeAll(async () => {
    everything = await startEverything();
    serve = await serveInFront(everything.url);
  }, 60_000);

  afterAll(async () => {
    await serve?.stop();
    everything?.process.kill();
  });

  it.each(Object.keys(RUNS))(
    'does no worse than server-everything directly on any check (%s), and passes DNS-rebinding protection',
    async (run) => {
      const direct = await runSuite(everything.url, RUNS[run]!);
      const through = await runSuite(serve.ready.mcpUrl, RUNS[run]!);
      console.log(`conformance (${run}): directly ${tally(direct)}; through Switchboard ${tally(through)}`);
      const worse = worseChecks(direct, through);
      expect([...worse].filter(([check]) => !(check in GATEWAY_DIFFERENCES)).map(([, line]) => line)).toEqual([]);
      for (const check of Object.keys(GATEWAY_DIFFERENCES)) expect(worse.has(check), `${check} is no longer worse: take it off GATEWAY_DIFFERENCES`).toBe(true);
      for (const [check, status] of through) if (check.startsWith('dns-rebinding-protection')) expect(status, check).toBe('SUCCESS');
      // The suite exercises real behaviour: most checks must pass through Switchboard, or this comparison says little.
      expect([...through.values()].filter((status) => status === 'SUCCESS').length).toBeGreaterThanOrEqual(100);
    },
    150_000,
  );
});

describe('conformance: list changes on a 2026-07-28 subscription, through Switchboard', () => {
  let hooks: HooksServer;
  let serve: ServeProcess;

  beforeAll(async () => {
    hooks = await startListChangeHooksServer();
    serve = await serveInFront(hooks.url);
  }, 60_000);

  afterAll(async () => {
    await serve?.stop();
    await hooks?.close();
  });

  it('in front of a 2025 server with the suite’s list-change hooks, a listen stream gets exactly the list changes it asked for', async () => {
    const through = await runSuite(serve.ready.mcpUrl, ['--scenario', 'server-stateless']);
    for (const check of [
      'sep-2575-server-sends-subscription-ack',
      'sep-2575-server-tags-subscription-id',
      'sep-2575-server-honors-notification-filter',
      'sep-2575-server-sends-tools-list-changed-on-subscription',
      'sep-2575-server-sends-prompts-list-changed-on-subscription',
    ])
      expect(through.get(`server-stateless :: ${check}`), check).toBe('SUCCESS');
  }, 60_000);
});
