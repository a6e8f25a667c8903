// Memory soak for `switchboard serve` on demand (not a test): the soak test's traffic for --seconds, with memory-probe.mjs
// preloaded into serve (RSS by mapping kind, V8 spaces); --audit off, --serve-node-options=… and MALLOC_ARENA_MAX compare runs.
// scripts/with-keyring.sh node test/soak/rss-soak.ts --seconds 300 --sample 10 --probe /tmp/probe.jsonl
import { appendFileSync, readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { spawnAnnounced, type Announced } from '../support/announced-process.ts';
import { runCli, startServe } from '../support/serve-process.ts';

const { values } = parseArgs({
  options: {
    seconds: { type: 'string', default: '300' },
    sample: { type: 'string', default: '10' },
    audit: { type: 'string', default: 'on' },
    chaos: { type: 'string', default: 'on' },
    clients: { type: 'string', default: '6' },
    probe: { type: 'string' },
    out: { type: 'string' },
    'serve-node-options': { type: 'string', default: '' },
  },
});
const SECONDS = Number(values.seconds);
const UPSTREAM_PROCESS = join(import.meta.dirname, '../sandbox/server-process.ts');

async function startUpstream(id: string, era: 'modern' | 'legacy', port = 0) {
  const env = { ...process.env, NODE_OPTIONS: '', MALLOC_ARENA_MAX: '', ...(port ? { PORT: String(port) } : {}) };
  const child = await spawnAnnounced<{ url: string }>([UPSTREAM_PROCESS, era, '0', id], env);
  return { id, era, port: Number(new URL(child.info.url).port), process: child };
}

const upstreams: { id: string; era: 'modern' | 'legacy'; port: number; process: Announced<{ url: string }> }[] = [
  await startUpstream('alpha', 'modern'),
  await startUpstream('beta', 'legacy'),
];
const workDir = await mkdtemp(join(tmpdir(), 'switchboard-rss-'));
const dataDir = join(workDir, 'data');
await writeFile(
  join(workDir, 'config.json'),
  JSON.stringify({
    gateway: { upstreamTimeoutMs: 5000 },
    ...(values.audit === 'off' ? { audit: { enabled: false } } : {}),
    servers: upstreams.map((u) => ({ id: u.id, url: u.process.info.url })),
  }),
);
const credentials: string[] = [];
for (let index = 0; index < Number(values.clients); index++) {
  const result = await runCli(['clients', 'add', `soak-${index}`, '--data-dir', dataDir, '--profile', `rss-${process.pid}`, '--json']);
  if (result.code !== 0) throw new Error(result.stderr);
  credentials.push((JSON.parse(result.stdout) as { credential: string }).credential);
}
const probeOut = values.probe ?? join(workDir, 'probe.jsonl');
const serve = await startServe(['--config', join(workDir, 'config.json'), '--data-dir', dataDir], {
  env: {
    ...process.env,
    NODE_OPTIONS: `--import ${join(import.meta.dirname, 'memory-probe.mjs')} ${values['serve-node-options']}`,
    PROBE_OUT: probeOut,
    PROBE_MS: String(Number(values.sample) * 1000),
    PROBE_GC: process.env.PROBE_GC ?? '1',
    ...(process.env.PROBE_ALLOC ? { PROBE_ALLOC: process.env.PROBE_ALLOC } : {}),
  },
});
const pid = serve.child.pid!;
const clients = await Promise.all(
  credentials.map(async (credential, index) => {
    const client = new Client({ name: 'rss-soak', version: '1.0.0' }, { versionNegotiation: { mode: index % 2 ? 'legacy' : 'auto' } });
    await client.connect(
      new StreamableHTTPClientTransport(new URL(serve.ready.mcpUrl), { requestInit: { headers: { authorization: `Bearer ${credential}` } } }),
    );
    return { client, calls: 0, failures: 0 };
  }),
);

const deadline = Date.now() + SECONDS * 1000;
const started = Date.now();
const traffic = clients.map(async (entry, which) => {
  for (let turn = 0; Date.now() < deadline; turn++) {
    const upstream = upstreams[(which + turn) % upstreams.length]!;
    entry.calls++;
    try {
      const result = await entry.client.callTool({ name: `${upstream.id}_add`, arguments: { a: turn, b: which } });
      if (result.isError) entry.failures++;
    } catch {
      entry.failures++;
    }
    if (turn % 25 === 0) await entry.client.listTools().catch(() => undefined);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
});
const chaos = (async () => {
  if (values.chaos === 'off') return;
  for (let restarts = 1; Date.now() + 15_000 < deadline; restarts++) {
    await new Promise((resolve) => setTimeout(resolve, 15_000));
    const index = restarts % upstreams.length;
    const old = upstreams[index]!;
    old.process.child.kill(restarts % 2 ? 'SIGKILL' : 'SIGTERM');
    await new Promise((resolve) => old.process.child.once('exit', resolve));
    upstreams[index] = await startUpstream(old.id, old.era, old.port);
  }
})();
const sampler = (async () => {
  let lastCalls = 0;
  while (Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, Number(values.sample) * 1000));
    const status = await readFile(`/proc/${pid}/status`, 'utf8');
    const rss = Number(/VmRSS:\s+(\d+)/.exec(status)![1]) / 1024;
    const fds = readdirSync(`/proc/${pid}/fd`).length;
    const calls = clients.reduce((sum, entry) => sum + entry.calls, 0);
    const row = `t=${Math.round((Date.now() - started) / 1000)}s rss=${rss.toFixed(0)}MiB calls=${calls} rate=${Math.round((calls - lastCalls) / Number(values.sample))}/s fds=${fds}`;
    lastCalls = calls;
    process.stderr.write(`${row}\n`);
    if (values.out) appendFileSync(values.out, `${row}\n`);
  }
})();
await Promise.all([...traffic, chaos, sampler]);
await Promise.allSettled(clients.map(({ client }) => client.close()));
await serve.stop();
await Promise.allSettled(upstreams.map((u) => u.process.stop()));
const total = clients.reduce((sum, entry) => sum + entry.calls, 0);
const failures = clients.reduce((sum, entry) => sum + entry.failures, 0);
process.stderr.write(`${total} calls, ${failures} failed; probe ${probeOut}\n`);
process.stderr.write(readFileSync(probeOut, 'utf8'));
