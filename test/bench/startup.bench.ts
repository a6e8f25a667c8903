// Start-up and idle: `switchboard serve` with a demo-like configuration (4 servers, both eras), spawn to ready line over several runs, and its memory at rest.
import { mkdtemp, writeFile } from 'node:fs/promises';
import { readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type SwitchboardStatus } from '../../main/core/index.ts';
import { readControlStatus } from '../../main/core/control/control-client.ts';
import { startMcpServer, type SandboxMcpServer } from '../sandbox/mcp-servers.ts';
import { spawnAnnounced, treeRssMiB } from '../support/announced-process.ts';
import { CLI_ENTRY, runCli } from '../support/serve-process.ts';
import { elapsedMs, now, percentile, result, type BenchResult } from './bench-kit.ts';

const READY_TARGET_MS = 250;
const IDLE_RSS_TARGET_MIB = 80;

export async function startupBenchmarks(options: { runs: number; idleSeconds: number }): Promise<BenchResult[]> {
  const results: BenchResult[] = [];
  // The demo's shape: four servers, two of each era, all answering (no sign-in: that needs a person).
  const servers: SandboxMcpServer[] = [];
  for (const [name, era] of [
    ['wiki', 'modern'],
    ['crm', 'legacy'],
    ['tickets', 'modern'],
    ['files', 'legacy'],
  ] as const)
    servers.push(await startMcpServer({ name, era, card: false }));
  try {
    const bare: number[] = [];
    const ready: number[] = [];
    // Interleaved, so the machine's noise falls on both alike.
    for (let run = 0; run < options.runs; run++) {
      const started = now();
      const node = await spawnAnnounced<unknown>(['-e', 'console.log("{}"); setInterval(() => {}, 1000); process.once("SIGTERM", () => process.exit(0))']);
      bare.push(elapsedMs(started));
      await node.stop();
      const serve = await startServe(servers);
      ready.push(serve.readyMs);
      await serve.stop();
    }
    const bareMs = Math.round(percentile(bare, 0.5));
    const bundle = bundleFresh() ? 'the CLI bundle' : 'type-stripped sources (the bundle is missing or older than a source: npm run build)';
    const spread = `${Math.round(Math.min(...ready))}–${Math.round(Math.max(...ready))} ms over ${options.runs} runs; ran ${bundle}`;
    results.push(
      result({
        scenario: 'startup',
        metric: 'spawn to ready line, 4 servers, p50',
        value: Math.round(percentile(ready, 0.5)),
        unit: 'ms',
        baseline: { label: 'bare node -e', value: bareMs },
        target: { op: '<=', value: READY_TARGET_MS },
        note: spread,
      }),
    );

    const serve = await startServe(servers);
    try {
      await allConnected(serve.dataDir);
      results.push(
        result({
          scenario: 'startup',
          metric: 'RSS after start, 4 servers connected',
          value: Math.round(await treeRssMiB(serve.pid)),
          unit: 'MiB',
          target: { op: '<=', value: IDLE_RSS_TARGET_MIB },
        }),
      );
      await new Promise((resolve) => setTimeout(resolve, options.idleSeconds * 1000));
      results.push(
        result({
          scenario: 'startup',
          metric: `RSS after ${options.idleSeconds} s idle`,
          value: Math.round(await treeRssMiB(serve.pid)),
          unit: 'MiB',
          target: { op: '<=', value: IDLE_RSS_TARGET_MIB },
        }),
      );
    } finally {
      await serve.stop();
    }
    const node = await spawnAnnounced<unknown>(['-e', 'console.log("{}"); setInterval(() => {}, 1000); process.once("SIGTERM", () => process.exit(0))']);
    results.push(
      result({ scenario: 'startup', metric: 'RSS of a bare node process, for scale', value: Math.round(await treeRssMiB(node.child.pid!)), unit: 'MiB' }),
    );
    await node.stop();
  } finally {
    await Promise.allSettled(servers.map((server) => server.close()));
  }
  return results;
}

async function startServe(servers: SandboxMcpServer[]) {
  const dir = await mkdtemp(join(tmpdir(), 'switchboard-bench-startup-'));
  const dataDir = join(dir, 'data');
  await writeFile(
    join(dir, 'config.json'),
    JSON.stringify({ servers: servers.map((server) => ({ id: server.name, url: server.url })), auth: { profile: 'bench' } }),
  );
  // A registered client, as in everyday use (the registry is read at start).
  const added = await runCli(['clients', 'add', 'bench', '--data-dir', dataDir, '--profile', 'bench', '--json']);
  if (added.code !== 0) throw new Error(`clients add failed: ${added.stderr}`);
  const started = now();
  const serve = await spawnAnnounced<{ mcpUrl: string }>([
    CLI_ENTRY,
    'serve',
    '--config',
    join(dir, 'config.json'),
    '--data-dir',
    dataDir,
    '--log-level',
    'warn',
  ]);
  return { readyMs: elapsedMs(started), pid: serve.child.pid!, dataDir, stop: () => serve.stop() };
}

async function allConnected(dataDir: string): Promise<void> {
  const started = now();
  for (;;) {
    const status = await readControlStatus<SwitchboardStatus>(dataDir);
    if (status.servers.every((server) => server.state === 'ready')) return;
    if (elapsedMs(started) > 30_000)
      throw new Error(`not all servers connected within 30 s: ${JSON.stringify(status.servers.map(({ id, state }) => ({ id, state })))}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** The same test main/cli/bin.js makes: the bundle runs only while it is newer than every source. */
function bundleFresh(): boolean {
  const root = join(import.meta.dirname, '..', '..');
  let built: number;
  try {
    built = statSync(join(root, 'out', 'cli', 'main.mjs')).mtimeMs;
  } catch {
    return false;
  }
  for (const folder of ['main/cli', 'main/core', 'shared']) {
    for (const entry of readdirSync(join(root, folder), { recursive: true, withFileTypes: true })) {
      if (entry.isFile() && (entry.name.endsWith('.ts') || entry.name.endsWith('.json')) && statSync(join(entry.parentPath, entry.name)).mtimeMs > built)
        return false;
    }
  }
  return true;
}
