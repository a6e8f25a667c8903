// Upstream faults, each with the checks that matter: the right client gets an error naming the server, others are undisturbed, recovery is automatic, no audit record is lost.
import { join } from 'node:path';
import type { Client } from '@modelcontextprotocol/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditStore } from '../../main/core/audit/audit-store.ts';
import { auditDatabasePath } from '../../main/core/audit/audit-paths.ts';
import { spawnAnnounced, type Announced } from '../support/announced-process.ts';
import { startMcpServer } from '../sandbox/mcp-servers.ts';
import { startFaultProxy, type FaultMode, type FaultProxy } from '../support/fault-proxy.ts';
import { startGatewayFixture, type GatewayFixture } from '../support/gateway-fixture.ts';

const UPSTREAM_PROCESS = join(import.meta.dirname, '../sandbox/server-process.ts');
const TIMEOUT_MS = 1500;

type Sandbox = Awaited<ReturnType<typeof startMcpServer>>;

/** A call's outcome as a person would read it: the result's text, or the error's message. */
async function outcome(client: Client, name: string, args: Record<string, unknown>): Promise<{ ok: boolean; text: string; ms: number }> {
  const started = performance.now();
  try {
    const result = await client.callTool({ name, arguments: args });
    const text = (result.content as { text?: string }[])[0]?.text ?? '';
    return { ok: !result.isError, text, ms: performance.now() - started };
  } catch (error) {
    return { ok: false, text: (error as Error).message, ms: performance.now() - started };
  }
}

describe('upstream faults', () => {
  let healthy: Sandbox;
  let real: Sandbox;
  let proxy: FaultProxy;
  let killable: Announced<{ url: string }>;
  let killablePort = 0;
  let gateway: GatewayFixture;
  let alice: Client;
  let bob: Client;
  const calls = { alice: 0, bob: 0 };

  const aliceCalls = (name: string, args: Record<string, unknown>) => {
    calls.alice++;
    return outcome(alice, name, args);
  };
  const bobCalls = (name: string, args: Record<string, unknown>) => {
    calls.bob++;
    return outcome(bob, name, args);
  };

  beforeAll(async () => {
    healthy = await startMcpServer({ name: 'healthy', era: 'modern' });
    real = await startMcpServer({ name: 'flaky', era: 'legacy' });
    proxy = await startFaultProxy(real.url);
    killable = await spawnAnnounced<{ url: string }>([UPSTREAM_PROCESS, 'modern', '0', 'killable']);
    killablePort = Number(new URL(killable.info.url).port);
    gateway = await startGatewayFixture({
      servers: [
        { id: 'healthy', url: healthy.url },
        { id: 'flaky', url: proxy.url },
        { id: 'killable', url: killable.info.url },
      ],
      gateway: { upstreamTimeoutMs: TIMEOUT_MS },
      clientId: 'alice',
    });
    alice = await gateway.connect('auto');
    bob = await gateway.connect('legacy', await gateway.addClient('bob'));
  });

  afterAll(async () => {
    await Promise.allSettled([alice?.close(), bob?.close()]);
    await gateway?.stop();
    await Promise.allSettled([healthy?.close(), real?.close(), proxy?.close(), killable?.stop()]);
  });

  it.each<[FaultMode, RegExp]>([
    ['garbage', /server "flaky"/],
    ['hang', /server "flaky" did not answer within 1500 ms/],
    ['stream-forever', /server "flaky" did not answer within 1500 ms/],
    ['status-500', /server "flaky"/],
  ])('%s: the caller gets an error naming the server, another client is undisturbed, and the next call works once it ends', async (mode, expected) => {
    proxy.setMode(mode);
    const before = proxy.faulted();
    const [failed, undisturbed] = await Promise.all([aliceCalls('flaky_echo', { text: 'during the fault' }), bobCalls('healthy_add', { a: 20, b: 22 })]);
    expect(proxy.faulted()).toBe(before + 1);
    expect(failed.ok).toBe(false);
    expect(failed.text).toMatch(expected);
    // A 500 that meant 401 is a server error, not a reason to start a sign-in.
    expect(failed.text).not.toMatch(/sign in|login/i);
    expect(failed.ms).toBeLessThan(TIMEOUT_MS + 3000);
    expect(undisturbed).toMatchObject({ ok: true, text: '42' });

    proxy.setMode('pass');
    expect(await aliceCalls('flaky_echo', { text: 'after the fault' })).toMatchObject({ ok: true, text: 'after the fault' });
  });

  it('an upstream killed mid-call: the caller learns it at once (no wait for the timeout), others go on, and it heals after a restart', async () => {
    const inFlight = aliceCalls('killable_slow', { ms: 10_000, steps: 10 });
    await new Promise((resolve) => setTimeout(resolve, 400));
    killable.child.kill('SIGKILL');
    const [failed, undisturbed] = await Promise.all([inFlight, bobCalls('healthy_echo', { text: 'still here' })]);
    expect(failed.ok).toBe(false);
    expect(failed.text).toMatch(/server "killable"/);
    expect(failed.ms).toBeLessThan(400 + TIMEOUT_MS);
    expect(undisturbed).toMatchObject({ ok: true, text: 'still here' });

    expect((await aliceCalls('killable_add', { a: 1, b: 1 })).text).toMatch(/server "killable"/);
    killable = await spawnAnnounced<{ url: string }>([UPSTREAM_PROCESS, 'modern', '0', 'killable'], { ...process.env, PORT: String(killablePort) });
    expect(await aliceCalls('killable_add', { a: 1, b: 1 })).toMatchObject({ ok: true, text: '2' });
  });

  it('every one of those calls is in the audit trail, failures with their error, and the chain verifies', async () => {
    const store = AuditStore.open(auditDatabasePath(gateway.dataDir));
    try {
      const toolCalls = (client: string) => store.query({ client, method: 'tools/call', limit: 1000 }).records;
      expect(toolCalls('alice')).toHaveLength(calls.alice);
      expect(toolCalls('bob')).toHaveLength(calls.bob);
      const failures = toolCalls('alice').filter((record) => record.outcome !== 'ok');
      // Four faults, the kill, and the call made while the server was down.
      expect(failures).toHaveLength(6);
      for (const record of failures) expect(record.errorType ?? record.errorCode).toBeTruthy();
      expect(toolCalls('bob').every((record) => record.outcome === 'ok')).toBe(true);
      expect(store.verify()).toMatchObject({ ok: true });
    } finally {
      store.close();
    }
  });
});
