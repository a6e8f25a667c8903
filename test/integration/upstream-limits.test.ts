// One call's fault stays that call's: a stray JSON-RPC id, a timeout, an answer over gateway.maxResponseBytes; and what a 50 MB answer costs in memory.
import { readFileSync } from 'node:fs';
import type { Client } from '@modelcontextprotocol/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMcpServer } from '../sandbox/mcp-servers.ts';
import { startFaultProxy, type FaultProxy } from '../support/fault-proxy.ts';
import { startGatewayFixture, type GatewayFixture } from '../support/gateway-fixture.ts';
import { runCli } from '../support/serve-process.ts';

const TIMEOUT_MS = 1500;
const SLOW_TIMEOUT_MS = 30_000;
const MAX_RESPONSE_BYTES = 64 * 1024 * 1024;
const MB = 1024 * 1024;

type Sandbox = Awaited<ReturnType<typeof startMcpServer>>;

interface Outcome {
  ok: boolean;
  text: string;
  code?: string;
  ms: number;
}

async function outcome(client: Client, name: string, args: Record<string, unknown>): Promise<Outcome> {
  const started = performance.now();
  try {
    const result = await client.callTool({ name, arguments: args }, { timeout: 120_000 });
    const text = (result.content as { text?: string }[])[0]?.text ?? '';
    return { ok: !result.isError, text, ms: performance.now() - started };
  } catch (error) {
    const code = ((error as { data?: { switchboardCode?: string } }).data ?? {}).switchboardCode;
    return { ok: false, text: (error as Error).message, ...(code ? { code } : {}), ms: performance.now() - started };
  }
}

/** VmRSS and VmHWM (peak) of a process, in bytes. */
function memoryOf(pid: number): { rss: number; hwm: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const field = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? 0) * 1024;
  return { rss: field('VmRSS'), hwm: field('VmHWM') };
}

const mib = (bytes: number) => `${(bytes / MB).toFixed(1)} MiB`;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function serverState(gateway: GatewayFixture, id: string): Promise<string | undefined> {
  const result = await runCli(['status', '--data-dir', gateway.dataDir, '--json']);
  const status = JSON.parse(result.stdout) as { servers: { id: string; state: string }[] };
  return status.servers.find((server) => server.id === id)?.state;
}

describe('upstream protocol faults', () => {
  let legacyReal: Sandbox;
  let legacyProxy: FaultProxy;
  let gateway: GatewayFixture;
  let client: Client;

  beforeAll(async () => {
    legacyReal = await startMcpServer({ name: 'stray', era: 'legacy' });
    legacyProxy = await startFaultProxy(legacyReal.url);
    gateway = await startGatewayFixture({
      servers: [{ id: 'stray', url: legacyProxy.url }],
      gateway: { upstreamTimeoutMs: TIMEOUT_MS },
    });
    client = await gateway.connect('auto');
  });

  afterAll(async () => {
    await client?.close();
    await gateway?.stop();
    await Promise.allSettled([legacyProxy?.close(), legacyReal?.close()]);
  });

  it('a reply with a stray JSON-RPC id, to a 2025 client (full path): that call fails within its own timeout, other calls to the same server go on, the server stays ready', async () => {
    const legacyClient = await gateway.connect('legacy');
    try {
      legacyProxy.setMode('wrong-id');
      const stray = outcome(legacyClient, 'stray_echo', { text: 'lost' });
      await sleep(100);
      // Calls that are not tool calls pass the proxy untouched: the same server keeps answering them meanwhile.
      const started = performance.now();
      const prompt = await legacyClient.getPrompt({ name: 'stray_greeting', arguments: { name: 'Ada' } });
      expect(performance.now() - started).toBeLessThan(TIMEOUT_MS);
      expect(JSON.stringify(prompt.messages)).toContain('Ada');
      const failed = await stray;
      expect(failed).toMatchObject({ ok: false, code: 'UPSTREAM_TIMEOUT' });
      expect(failed.text).toMatch(/server "stray" did not answer within 1500 ms/);
      expect(failed.ms).toBeLessThan(TIMEOUT_MS + 1000);
      expect(await serverState(gateway, 'stray')).toBe('ready');

      legacyProxy.setMode('pass');
      expect(await outcome(legacyClient, 'stray_echo', { text: 'found' })).toMatchObject({ ok: true, text: 'found' });
      expect(gateway.serve.stderr()).toMatch(/upstream\.protocol_fault/);
    } finally {
      legacyProxy.setMode('pass');
      await legacyClient.close();
    }
  });

  it('a reply with a stray JSON-RPC id, to a 2026-07-28 client (byte relay): that call fails at once (its answer can only come on its own stream), the reply is dropped and logged, the server stays ready', async () => {
    legacyProxy.setMode('wrong-id');
    const failed = await outcome(client, 'stray_echo', { text: 'lost' });
    expect(failed).toMatchObject({ ok: false, code: 'UPSTREAM_REJECTED' });
    expect(failed.text).toMatch(/server "stray" answered with a reply to another request/);
    expect(failed.text).not.toContain('not yours');
    expect(failed.ms).toBeLessThan(TIMEOUT_MS);
    expect(await serverState(gateway, 'stray')).toBe('ready');
    legacyProxy.setMode('pass');
    expect(await outcome(client, 'stray_echo', { text: 'found' })).toMatchObject({ ok: true, text: 'found' });
  });

  it("a tool call that times out is that call's UPSTREAM_TIMEOUT; the server stays ready and the next call works", async () => {
    legacyProxy.setMode('hang');
    const failed = await outcome(client, 'stray_echo', { text: 'slow' });
    expect(failed).toMatchObject({ ok: false, code: 'UPSTREAM_TIMEOUT' });
    expect(await serverState(gateway, 'stray')).toBe('ready');
    legacyProxy.setMode('pass');
    expect(await outcome(client, 'stray_echo', { text: 'again' })).toMatchObject({ ok: true, text: 'again' });
  });
});

describe('answer size (gateway.maxResponseBytes)', () => {
  let modernReal: Sandbox;
  let modernProxy: FaultProxy;
  let gateway: GatewayFixture;
  let client: Client;

  beforeAll(async () => {
    modernReal = await startMcpServer({ name: 'big', era: 'modern' });
    modernProxy = await startFaultProxy(modernReal.url);
    // A timeout long enough for 70 MB to stream in on a busy machine: the cut-off, not the timeout, must end the call.
    gateway = await startGatewayFixture({
      servers: [{ id: 'big', url: modernProxy.url }],
      gateway: { upstreamTimeoutMs: SLOW_TIMEOUT_MS, maxResponseBytes: MAX_RESPONSE_BYTES },
    });
    client = await gateway.connect('auto');
  });

  afterAll(async () => {
    await client?.close();
    await gateway?.stop();
    await Promise.allSettled([modernProxy?.close(), modernReal?.close()]);
  });

  it.each(['large-json', 'large-sse'] as const)(
    '%s over the cap: that call fails with UPSTREAM_TOO_LARGE naming the server and the limit, and the connection stays usable',
    async (mode) => {
      modernProxy.setMode(mode, { bytes: MAX_RESPONSE_BYTES + 8 * MB });
      const failed = await outcome(client, 'big_echo', { text: 'ignored' });
      expect(failed).toMatchObject({ ok: false, code: 'UPSTREAM_TOO_LARGE' });
      expect(failed.text).toContain(`server "big" answered with more than ${MAX_RESPONSE_BYTES} bytes`);
      expect(failed.ms).toBeLessThan(SLOW_TIMEOUT_MS);
      modernProxy.setMode('pass');
      expect(await outcome(client, 'big_echo', { text: 'small' })).toMatchObject({ ok: true, text: 'small' });
      expect(await serverState(gateway, 'big')).toBe('ready');
    },
  );

  it('a 50 MB answer under the cap: what it costs the serve process in memory, and whether it comes back (printed)', async () => {
    const pid = gateway.serve.ready.pid;
    const figures: Record<string, string> = {};
    for (const mode of ['large-json', 'large-sse'] as const) {
      modernProxy.setMode(mode, { bytes: 50 * MB });
      await sleep(500);
      const before = memoryOf(pid);
      let peak = before.rss;
      const sampler = setInterval(() => (peak = Math.max(peak, memoryOf(pid).rss)), 50);
      const result = await outcome(client, 'big_echo', { text: 'ignored' });
      clearInterval(sampler);
      const after = memoryOf(pid);
      peak = Math.max(peak, after.rss, after.hwm > before.hwm ? after.hwm : 0);
      expect(result.ok, result.text.slice(0, 200)).toBe(true);
      expect(result.text.length).toBe(50 * MB);
      await sleep(5000);
      const settled = memoryOf(pid);
      figures[mode] =
        `RSS before ${mib(before.rss)}, peak ${mib(peak)} (growth ${mib(peak - before.rss)} = ${((peak - before.rss) / (50 * MB)).toFixed(2)}× the answer), 5 s after ${mib(settled.rss)} (+${mib(settled.rss - before.rss)}) in ${result.ms.toFixed(0)} ms`;
    }
    modernProxy.setMode('pass');
    console.log(
      `50 MiB tool result through serve (pid ${pid}):\n${Object.entries(figures)
        .map(([mode, line]) => `  ${mode}: ${line}`)
        .join('\n')}`,
    );
  }, 180_000);
});
