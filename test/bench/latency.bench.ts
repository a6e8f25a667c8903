// Tool-call latency and throughput: direct, through a bare forwarder, through Switchboard (audit on and off, HTTP and its stdio bridge), and through the peers mcp-remote, supergateway and Civic's passthrough server.
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { runCli, CLI_ENTRY } from '../support/serve-process.ts';
import { elapsedMs, now, percentile, result, type BenchResult } from './bench-kit.ts';
import { spawnAnnounced, treeRssMiB, type Announced } from '../support/announced-process.ts';

/** A peer's folder: the project's own node_modules (some peers export neither a main nor their package.json). */
function packageDir(name: string): string {
  const dir = join(import.meta.dirname, '../../node_modules', name);
  if (!existsSync(join(dir, 'package.json'))) throw new Error(`${name} is not installed (npm ci installs the benchmark peers)`);
  return dir;
}
const binOf = (name: string, bin = name) => {
  const dir = packageDir(name);
  return join(dir, (JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { bin: Record<string, string> }).bin[bin]!);
};
const mcpRemoteCli = binOf('mcp-remote');
const supergatewayCli = binOf('supergateway');
const civicPassthroughCli = binOf('@civic/passthrough-mcp-server', 'passthrough-mcp-server');
const FIXTURES = join(import.meta.dirname, 'fixtures');

interface Target {
  label: string;
  tool: string;
  connect(): Promise<Client>;
}

interface Measured {
  p50: number;
  p99: number;
  throughput: number;
}

const SEQUENTIAL_CALLS = 1000;
const WARMUP = 50;

export async function latencyBenchmarks(options: { eras: ('modern' | 'legacy')[]; concurrency: number[] }): Promise<BenchResult[]> {
  const results: BenchResult[] = [];
  for (const era of options.eras) results.push(...(await forEra(era, options.concurrency)));
  return results;
}

async function forEra(era: 'modern' | 'legacy', concurrency: number[]): Promise<BenchResult[]> {
  const running: Announced<unknown>[] = [];
  const results: BenchResult[] = [];
  try {
    const upstream = await spawnAnnounced<{ url: string }>([join(import.meta.dirname, '../sandbox/server-process.ts'), era]);
    running.push(upstream);
    const forwarder = await spawnAnnounced<{ url: string }>([join(FIXTURES, 'bare-forwarder.ts'), upstream.info.url]);
    running.push(forwarder);
    const withAudit = await startSwitchboard(upstream.info.url, true);
    running.push(withAudit.serve);
    const withoutAudit = await startSwitchboard(upstream.info.url, false);
    running.push(withoutAudit.serve);

    const http = (label: string, url: string, tool: string, bearer?: string): Target => ({
      label,
      tool,
      connect: async () => {
        const client = new Client({ name: 'bench', version: '1.0.0' }, { versionNegotiation: { mode: 'auto' } });
        await client.connect(
          new StreamableHTTPClientTransport(new URL(url), bearer ? { requestInit: { headers: { authorization: `Bearer ${bearer}` } } } : {}),
        );
        return client;
      },
    });
    const stdio = (label: string, command: string[], env: Record<string, string>, tool: string): Target => ({
      label,
      tool,
      connect: async () => {
        const client = new Client({ name: 'bench', version: '1.0.0' });
        const connecting = client.connect(
          new StdioClientTransport({
            command: process.execPath,
            args: command,
            env: { PATH: process.env.PATH ?? '', ...env },
            stderr: process.env.BENCH_DEBUG ? 'inherit' : 'ignore',
          }),
        );
        // A bridge that cannot reach the server may hang instead of failing; give it a bounded time.
        let timer: NodeJS.Timeout | undefined;
        const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`${label} did not connect within 60 s`)), 60_000)));
        try {
          await Promise.race([connecting, timeout]);
        } catch (error) {
          await client.close().catch(() => {});
          throw error;
        } finally {
          clearTimeout(timer);
        }
        return client;
      },
    });
    const direct = http('direct', upstream.info.url, 'add');
    const bare = http('bare forwarder', forwarder.info.url, 'add');
    const targets = [
      bare,
      http('Switchboard (audit on)', withAudit.url, 'bench_add', withAudit.credential),
      http('Switchboard (audit off)', withoutAudit.url, 'bench_add', withoutAudit.credential),
      stdio(
        'Switchboard stdio bridge',
        [CLI_ENTRY, 'stdio', '--data-dir', withAudit.dataDir],
        { SWITCHBOARD_CLIENT_CREDENTIAL: withAudit.credential },
        'bench_add',
      ),
      // mcp-remote speaks the 2025 protocol only: against a 2026-07-28-only server it cannot connect at all.
      ...(era === 'legacy'
        ? [stdio('mcp-remote (peer, stdio)', [mcpRemoteCli, upstream.info.url, '--transport', 'http-only', '--allow-http'], { HOME: withAudit.dataDir }, 'add')]
        : []),
      stdio('supergateway (peer, stdio)', [supergatewayCli, '--streamableHttp', upstream.info.url, '--logLevel', 'none'], { HOME: withAudit.dataDir }, 'add'),
      // One MCP-aware hop (an SDK server towards the client, an SDK client towards the server), as Switchboard is today.
      stdio(
        'Civic passthrough (peer, stdio)',
        [civicPassthroughCli, '--stdio'],
        { HOME: withAudit.dataDir, TARGET_SERVER_URL: new URL(upstream.info.url).origin, TARGET_SERVER_MCP_PATH: new URL(upstream.info.url).pathname },
        'add',
      ),
    ];
    const peers = targets.filter((candidate) => candidate.label.includes('(peer'));

    // Sequential calls, interleaved round-robin across every target so that the machine's noise falls on all alike.
    const measuredBy = await interleaved([direct, ...targets]);
    const base = measuredBy.get(direct) as Measured;
    const bareRun = measuredBy.get(bare) as Measured;
    const bareAdded = { p50: bareRun.p50 - base.p50, p99: bareRun.p99 - base.p99 };
    results.push(
      result({
        scenario: `latency ${era}`,
        metric: 'direct SDK connection, sequential p50',
        value: round(base.p50),
        unit: 'ms',
        note: `p99 ${round(base.p99)} ms`,
      }),
    );
    const reachable = new Set<Target>();
    for (const target of targets) {
      const measured = measuredBy.get(target)!;
      if (measured instanceof Error) {
        // A peer that cannot speak this era is reported, not fatal: that is itself a finding.
        results.push(
          result({ scenario: `latency ${era}`, metric: `${target.label}: could not connect`, value: 0, unit: '', note: measured.message.slice(0, 120) }),
        );
        continue;
      }
      reachable.add(target);
      const added = { p50: measured.p50 - base.p50, p99: measured.p99 - base.p99 };
      results.push(
        result({
          scenario: `latency ${era}`,
          metric: `${target.label}: sequential p50`,
          value: round(measured.p50),
          unit: 'ms',
          baseline: { label: 'direct', value: round(base.p50) },
          note: `adds ${round(added.p50)} ms at p50, ${round(added.p99)} ms at p99`,
        }),
      );
      if (target.label.startsWith('Switchboard (audit')) {
        results.push(
          result({
            scenario: `latency ${era}`,
            metric: `${target.label}: added p50 ÷ bare forwarder's added p50`,
            value: round(added.p50),
            unit: 'ms',
            baseline: { label: 'bare forwarder adds', value: round(bareAdded.p50) },
            target: { op: '<=', value: 1.1, against: 'ratio' },
          }),
        );
        // The bare forwarder's added p99 can be within noise (even negative); floor it so the ratio stays meaningful.
        results.push(
          result({
            scenario: `latency ${era}`,
            metric: `${target.label}: added p99 ÷ bare forwarder's added p99`,
            value: round(added.p99),
            unit: 'ms',
            baseline: { label: 'bare forwarder adds (floor 0.1)', value: round(Math.max(bareAdded.p99, 0.1)) },
            target: { op: '<=', value: 1.5, against: 'ratio' },
          }),
        );
      }
    }

    for (const clients of concurrency) {
      const directLoad = await concurrent(direct, clients);
      for (const target of [bare, targets[1]!, ...peers.filter((peer) => reachable.has(peer))]) {
        const rssBefore = target.label.startsWith('Switchboard') ? await treeRssMiB(withAudit.serve.child.pid!) : undefined;
        const load = await concurrent(target, clients).catch((error: unknown) => error as Error);
        if (load instanceof Error) {
          results.push(
            result({
              scenario: `throughput ${era}`,
              metric: `${target.label}, ${clients} clients: could not run`,
              value: 0,
              unit: '',
              note: load.message.slice(0, 120),
            }),
          );
          continue;
        }
        results.push(
          result({
            scenario: `throughput ${era}`,
            metric: `${target.label}, ${clients} clients`,
            value: Math.round(load.throughput),
            unit: 'calls/s',
            baseline: { label: 'direct', value: Math.round(directLoad.throughput) },
            ...(target.label.startsWith('Switchboard') && clients === 16 ? { target: { op: '>=', value: 0.6, against: 'ratio' } } : {}),
            note: `p50 ${round(load.p50)} ms, p99 ${round(load.p99)} ms`,
          }),
        );
        if (rssBefore !== undefined && clients === 16) {
          results.push(
            result({
              scenario: `memory ${era}`,
              metric: 'Switchboard process tree RSS with 16 clients',
              value: Math.round(await treeRssMiB(withAudit.serve.child.pid!)),
              unit: 'MiB',
              target: { op: '<=', value: 120 },
            }),
          );
        }
      }
    }
  } finally {
    await Promise.allSettled(running.map((process) => process.stop()));
  }
  return results;
}

async function startSwitchboard(
  upstreamUrl: string,
  audit: boolean,
): Promise<{ serve: Announced<{ mcpUrl: string }>; url: string; credential: string; dataDir: string }> {
  const dir = await mkdtemp(join(tmpdir(), 'switchboard-bench-'));
  const dataDir = join(dir, 'data');
  await writeFile(
    join(dir, 'config.json'),
    JSON.stringify({ servers: [{ id: 'bench', url: upstreamUrl }], audit: { enabled: audit }, auth: { profile: 'bench' } }),
  );
  const added = await runCli(['clients', 'add', 'bench', '--data-dir', dataDir, '--profile', 'bench', '--json']);
  const credential = (JSON.parse(added.stdout) as { credential: string }).credential;
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
  return { serve, url: serve.info.mcpUrl, credential, dataDir };
}

/** Connects every target, warms each up, then calls them in turn; a target that cannot connect yields its error. */
async function interleaved(targets: Target[]): Promise<Map<Target, Measured | Error>> {
  const clients = new Map<Target, Client>();
  const outcome = new Map<Target, Measured | Error>();
  for (const target of targets) {
    try {
      const client = await target.connect();
      clients.set(target, client);
      for (let index = 0; index < WARMUP; index++) await call(client, target.tool, index);
    } catch (error) {
      outcome.set(target, error as Error);
    }
  }
  try {
    const samples = new Map<Target, number[]>([...clients.keys()].map((target) => [target, []]));
    for (let index = 0; index < SEQUENTIAL_CALLS; index++) {
      for (const [target, client] of clients) {
        const one = now();
        await call(client, target.tool, index);
        samples.get(target)!.push(elapsedMs(one));
      }
    }
    for (const [target, taken] of samples) {
      const total = taken.reduce((sum, sample) => sum + sample, 0);
      outcome.set(target, { p50: percentile(taken, 0.5), p99: percentile(taken, 0.99), throughput: taken.length / (total / 1000) });
    }
  } finally {
    await Promise.allSettled([...clients.values()].map((client) => client.close()));
  }
  return outcome;
}

async function concurrent(target: Target, clients: number): Promise<Measured> {
  // Connected a few at a time: 64 bridge processes starting at once on two cores would only measure the start-up.
  const connected: Client[] = [];
  try {
    for (let batch = 0; batch < clients; batch += 8) {
      const settled = await Promise.allSettled(Array.from({ length: Math.min(8, clients - batch) }, () => target.connect()));
      for (const outcome of settled) if (outcome.status === 'fulfilled') connected.push(outcome.value);
      const failed = settled.find((outcome) => outcome.status === 'rejected');
      if (failed) throw failed.reason;
    }
    const callsPerClient = Math.max(20, Math.round(2000 / clients));
    await Promise.all(connected.map((client) => call(client, target.tool, 0)));
    const samples: number[] = [];
    const started = now();
    await Promise.all(
      connected.map(async (client, which) => {
        for (let index = 0; index < callsPerClient; index++) {
          const one = now();
          await call(client, target.tool, which + index);
          samples.push(elapsedMs(one));
        }
      }),
    );
    return { p50: percentile(samples, 0.5), p99: percentile(samples, 0.99), throughput: samples.length / (elapsedMs(started) / 1000) };
  } finally {
    await Promise.allSettled(connected.map((client) => client.close()));
  }
}

async function call(client: Client, tool: string, index: number): Promise<void> {
  const response = await client.callTool({ name: tool, arguments: { a: index, b: 1 } });
  if ((response.content as { text?: string }[])[0]?.text !== String(index + 1))
    throw new Error(`unexpected answer from ${tool}: ${JSON.stringify(response.content)}`);
}

function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}
