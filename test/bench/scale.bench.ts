// Start-up and aggregation scale: headless core to ready, idle memory, and 100 upstream servers × 50 tools behind one endpoint.
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { type SwitchboardStatus } from '../../main/core/index.ts';
import { readControlStatus } from '../../main/core/control/control-client.ts';
import { CLI_ENTRY, runCli } from '../support/serve-process.ts';
import { elapsedMs, now, percentile, result, type BenchResult } from './bench-kit.ts';
import { spawnAnnounced, treeRssMiB } from '../support/announced-process.ts';

const FIXTURES = join(import.meta.dirname, 'fixtures');

export async function scaleBenchmarks(options: { servers: number; tools: number }): Promise<BenchResult[]> {
  const results: BenchResult[] = [];
  // Start-up with no servers: spawn to the ready line, against a bare `node -e` start as the baseline.
  const baselineStart = now();
  const bare = await spawnAnnounced<unknown>(['-e', 'console.log("{}"); setInterval(() => {}, 1000); process.once("SIGTERM", () => process.exit(0))']);
  const bareMs = elapsedMs(baselineStart);
  await bare.stop();
  const empty = await serveWith([]);
  results.push(
    result({
      scenario: 'start-up',
      metric: 'headless core to ready (no servers)',
      value: Math.round(empty.readyMs),
      unit: 'ms',
      baseline: { label: 'bare node process', value: Math.round(bareMs) },
      target: { op: '<=', value: 400 },
    }),
  );
  await new Promise((resolve) => setTimeout(resolve, 1000));
  results.push(
    result({
      scenario: 'start-up',
      metric: 'resident memory, idle',
      value: Math.round(await treeRssMiB(empty.serve.child.pid!)),
      unit: 'MiB',
      target: { op: '<=', value: 90 },
    }),
  );
  await empty.serve.stop();

  const fleet = await spawnAnnounced<{ urls: string[] }>([join(FIXTURES, 'many-servers.ts'), String(options.servers), String(options.tools)]);
  try {
    const loaded = await serveWith(fleet.info.urls);
    const started = now();
    for (;;) {
      const status = await readControlStatus<SwitchboardStatus>(loaded.dataDir);
      if (status.servers.every((server) => server.state === 'ready')) break;
      if (elapsedMs(started) > 60_000) throw new Error('not all servers connected within 60 s');
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    results.push(
      result({ scenario: 'scale', metric: `${options.servers} servers from ready line to all connected`, value: Math.round(elapsedMs(started)), unit: 'ms' }),
    );
    const client = new Client({ name: 'bench', version: '1.0.0' }, { versionNegotiation: { mode: 'auto' } });
    await client.connect(
      new StreamableHTTPClientTransport(new URL(loaded.url), { requestInit: { headers: { authorization: `Bearer ${loaded.credential}` } } }),
    );
    const samples: number[] = [];
    let count = 0;
    for (let run = 0; run < 20; run++) {
      const one = now();
      count = (await client.listTools()).tools.length;
      samples.push(elapsedMs(one));
    }
    await client.close();
    // On the wire: one 2026-07-28 POST and its full response, without a client's schema validation of 5,000 tools.
    const wire: number[] = [];
    for (let run = 0; run < 20; run++) {
      const one = now();
      const response = await fetch(loaded.url, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${loaded.credential}`,
          'content-type': 'application/json',
          accept: 'application/json, text/event-stream',
          'mcp-protocol-version': '2026-07-28',
          'mcp-method': 'tools/list',
        },
        body: JSON.stringify({
          jsonrpc: '2.0',
          id: run,
          method: 'tools/list',
          params: { _meta: { 'io.modelcontextprotocol/protocolVersion': '2026-07-28', 'io.modelcontextprotocol/clientCapabilities': {} } },
        }),
      });
      await response.text();
      wire.push(elapsedMs(one));
    }
    results.push(
      result({
        scenario: 'scale',
        metric: `tools/list over ${count.toLocaleString('en')} aggregated tools, on the wire, p50`,
        value: Math.round(percentile(wire, 0.5) * 10) / 10,
        unit: 'ms',
        target: { op: '<=', value: 20 },
      }),
    );
    results.push(
      result({
        scenario: 'scale',
        metric: `the same through an SDK v2 client (which validates every tool), p50`,
        value: Math.round(percentile(samples, 0.5) * 10) / 10,
        unit: 'ms',
      }),
    );
    results.push(
      result({
        scenario: 'scale',
        metric: `resident memory with ${options.servers} servers`,
        value: Math.round(await treeRssMiB(loaded.serve.child.pid!)),
        unit: 'MiB',
      }),
    );
    await loaded.serve.stop();
  } finally {
    await fleet.stop();
  }
  return results;
}

async function serveWith(urls: string[]) {
  const dir = await mkdtemp(join(tmpdir(), 'switchboard-bench-scale-'));
  const dataDir = join(dir, 'data');
  await writeFile(join(dir, 'config.json'), JSON.stringify({ servers: urls.map((url, index) => ({ id: `s${index}`, url })), auth: { profile: 'bench' } }));
  // A budget above the fleet's tool count: this bench measures listing every tool (tool search has its own bench).
  const credential = (
    JSON.parse((await runCli(['clients', 'add', 'bench', '--max-tools', '100000', '--data-dir', dataDir, '--profile', 'bench', '--json'])).stdout) as {
      credential: string;
    }
  ).credential;
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
  return { serve, readyMs: elapsedMs(started), url: serve.info.mcpUrl, credential, dataDir };
}
