// Tool-call latency and throughput: direct, through a bare forwarder, through Switchboard (audit on and off, HTTP and its stdio bridge), and through mcp-remote.
import { mkdtemp, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { runCli, CLI_ENTRY } from '../support/serve-process.ts';
import { elapsedMs, now, percentile, result, type BenchResult } from './bench-kit.ts';
import { spawnAnnounced, treeRssMiB, type Announced } from './processes.ts';

const require = createRequire(import.meta.url);
const mcpRemoteCli = join(dirname(require.resolve('mcp-remote/package.json')), (require('mcp-remote/package.json') as { bin: Record<string, string> }).bin['mcp-remote']!);
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

const SEQUENTIAL_CALLS = 400;
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
    const upstream = await spawnAnnounced<{ url: string }>([join(FIXTURES, 'upstream-server.ts'), era]);
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
        await client.connect(new StreamableHTTPClientTransport(new URL(url), bearer ? { requestInit: { headers: { authorization: `Bearer ${bearer}` } } } : {}));
        return client;
      },
    });
    const stdio = (label: string, command: string[], env: Record<string, string>, tool: string): Target => ({
      label,
      tool,
      connect: async () => {
        const client = new Client({ name: 'bench', version: '1.0.0' });
        await client.connect(new StdioClientTransport({ command: process.execPath, args: command, env: { PATH: process.env.PATH ?? '', ...env }, stderr: process.env.BENCH_DEBUG ? 'inherit' : 'ignore' }));
        return client;
      },
    });
    const direct = http('direct', upstream.info.url, 'add');
    const bare = http('bare forwarder', forwarder.info.url, 'add');
    const targets = [
      bare,
      http('Switchboard (audit on)', withAudit.url, 'bench_add', withAudit.credential),
      http('Switchboard (audit off)', withoutAudit.url, 'bench_add', withoutAudit.credential),
      stdio('Switchboard stdio bridge', [CLI_ENTRY, 'stdio', '--data-dir', withAudit.dataDir], { SWITCHBOARD_CLIENT_CREDENTIAL: withAudit.credential }, 'bench_add'),
      // mcp-remote speaks the 2025 protocol only: against a 2026-07-28-only server it cannot connect at all.
      ...(era === 'legacy' ? [stdio('mcp-remote (peer, stdio)', [mcpRemoteCli, upstream.info.url, '--transport', 'http-only', '--allow-http'], { HOME: withAudit.dataDir }, 'add')] : []),
    ];

    const base = await sequential(direct);
    const bareRun = await sequential(bare);
    const bareAdded = { p50: bareRun.p50 - base.p50, p99: bareRun.p99 - base.p99 };
    results.push(result({ scenario: `latency ${era}`, metric: 'direct SDK connection, sequential p50', value: round(base.p50), unit: 'ms' }));
    for (const target of targets) {
      const measured = target === bare ? bareRun : await sequential(target);
      const added = { p50: measured.p50 - base.p50, p99: measured.p99 - base.p99 };
      results.push(result({ scenario: `latency ${era}`, metric: `${target.label}: p50 (added over direct)`, value: round(measured.p50), unit: 'ms', baseline: { label: 'direct', value: round(base.p50) }, note: `adds ${round(added.p50)} ms` }));
      if (target.label.startsWith('Switchboard (audit')) {
        results.push(result({ scenario: `latency ${era}`, metric: `${target.label}: added p50 ÷ bare forwarder's added p50`, value: round(added.p50), unit: 'ms', baseline: { label: 'bare forwarder adds', value: round(bareAdded.p50) }, target: { op: '<=', value: 1.1, against: 'ratio' } }));
        results.push(result({ scenario: `latency ${era}`, metric: `${target.label}: added p99 ÷ bare forwarder's added p99`, value: round(added.p99), unit: 'ms', baseline: { label: 'bare forwarder adds', value: round(Math.max(bareAdded.p99, 0.001)) }, target: { op: '<=', value: 1.5, against: 'ratio' } }));
      }
    }

    for (const clients of concurrency) {
      const directLoad = await concurrent(direct, clients);
      for (const target of [bare, targets[1]!, ...targets.filter((candidate) => candidate.label.startsWith('mcp-remote'))]) {
        const rssBefore = target.label.startsWith('Switchboard') ? await treeRssMiB(withAudit.serve.child.pid!) : undefined;
        const load = await concurrent(target, clients);
        results.push(result({ scenario: `throughput ${era}`, metric: `${target.label}, ${clients} clients`, value: Math.round(load.throughput), unit: 'calls/s', baseline: { label: 'direct', value: Math.round(directLoad.throughput) }, ...(target.label.startsWith('Switchboard') && clients === 16 ? { target: { op: '>=', value: 0.6, against: 'ratio' } } : {}), note: `p50 ${round(load.p50)} ms, p99 ${round(load.p99)} ms` }));
        if (rssBefore !== undefined && clients === 16) {
          results.push(result({ scenario: `memory ${era}`, metric: 'Switchboard process tree RSS with 16 clients', value: Math.round(await treeRssMiB(withAudit.serve.child.pid!)), unit: 'MiB', target: { op: '<=', value: 120 } }));
        }
      }
    }
  } finally {
    await Promise.allSettled(running.map((process) => process.stop()));
  }
  return results;
}

async function startSwitchboard(upstreamUrl: string, audit: boolean): Promise<{ serve: Announced<{ mcpUrl: string }>; url: string; credential: string; dataDir: string }> {
  const dir = await mkdtemp(join(tmpdir(), 'switchboard-bench-'));
  const dataDir = join(dir, 'data');
  await writeFile(join(dir, 'config.json'), JSON.stringify({ servers: [{ id: 'bench', url: upstreamUrl }], audit: { enabled: audit }, auth: { profile: 'bench' } }));
  const added = await runCli(['clients', 'add', 'bench', '--data-dir', dataDir, '--profile', 'bench', '--json']);
  const credential = (JSON.parse(added.stdout) as { credential: string }).credential;
  const serve = await spawnAnnounced<{ mcpUrl: string }>([CLI_ENTRY, 'serve', '--config', join(dir, 'config.json'), '--data-dir', dataDir, '--log-level', 'warn']);
  return { serve, url: serve.info.mcpUrl, credential, dataDir };
}

async function sequential(target: Target): Promise<Measured> {
  const client = await target.connect();
  try {
    for (let index = 0; index < WARMUP; index++) await call(client, target.tool, index);
    const samples: number[] = [];
    const started = now();
    for (let index = 0; index < SEQUENTIAL_CALLS; index++) {
      const one = now();
      await call(client, target.tool, index);
      samples.push(elapsedMs(one));
    }
    return { p50: percentile(samples, 0.5), p99: percentile(samples, 0.99), throughput: SEQUENTIAL_CALLS / (elapsedMs(started) / 1000) };
  } finally {
    await client.close();
  }
}

async function concurrent(target: Target, clients: number): Promise<Measured> {
  const connected = await Promise.all(Array.from({ length: clients }, () => target.connect()));
  try {
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
  if ((response.content as { text?: string }[])[0]?.text !== String(index + 1)) throw new Error(`unexpected answer from ${tool}: ${JSON.stringify(response.content)}`);
}

function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}
