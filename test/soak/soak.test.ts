// Soak: steady mixed traffic from several clients of both eras while upstreams restart; memory and handles stay flat, every call is audited.
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Client } from '@modelcontextprotocol/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditStore } from '../../main/core/audit/audit-store.ts';
import { auditDatabasePath } from '../../main/core/audit/audit-paths.ts';
import { spawnAnnounced, type Announced } from '../support/announced-process.ts';
import { startGatewayFixture, type GatewayFixture } from '../support/gateway-fixture.ts';

/** SOAK_SECONDS=1800 for a long run on demand; CI runs a couple of minutes. */
const SECONDS = Number(process.env.SOAK_SECONDS ?? 120);
const RESTART_EVERY_MS = 15_000;
const SAMPLE_EVERY_MS = 2_000;
const UPSTREAM_PROCESS = join(import.meta.dirname, '../sandbox/server-process.ts');

interface Upstream {
  id: string;
  era: 'modern' | 'legacy';
  port: number;
  process: Announced<{ url: string }>;
}

async function startUpstream(id: string, era: 'modern' | 'legacy', port = 0): Promise<Upstream> {
  const process_ = await spawnAnnounced<{ url: string }>([UPSTREAM_PROCESS, era, '0', id], { ...process.env, ...(port ? { PORT: String(port) } : {}) });
  return { id, era, port: Number(new URL(process_.info.url).port), process: process_ };
}

async function processSample(pid: number): Promise<{ rssMiB: number; handles: number }> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  return { rssMiB: Number(/VmRSS:\s+(\d+)/.exec(status)![1]) / 1024, handles: (await readdir(`/proc/${pid}/fd`)).length };
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

describe(`soak (${SECONDS} s of mixed traffic with upstream restarts)`, () => {
  let upstreams: Upstream[] = [];
  let gateway: GatewayFixture;
  const clients: { id: string; client: Client; calls: number; failures: string[] }[] = [];

  beforeAll(async () => {
    upstreams = [await startUpstream('alpha', 'modern'), await startUpstream('beta', 'legacy')];
    gateway = await startGatewayFixture({
      servers: upstreams.map((upstream) => ({ id: upstream.id, url: upstream.process.info.url })),
      gateway: { upstreamTimeoutMs: 5000 },
      clientId: 'soak-0',
    });
    for (let index = 0; index < 6; index++) {
      const id = `soak-${index}`;
      const credential = index === 0 ? gateway.credential : await gateway.addClient(id);
      clients.push({ id, client: await gateway.connect(index % 2 ? 'legacy' : 'auto', credential), calls: 0, failures: [] });
    }
  }, 60_000);

  afterAll(async () => {
    await Promise.allSettled(clients.map(({ client }) => client.close()));
    await gateway?.stop();
    await Promise.allSettled(upstreams.map((upstream) => upstream.process.stop()));
  });

  it(
    'stays flat in memory and handles, fails only calls caught by a restart (naming the server), and audits every call',
    async () => {
      const pid = gateway.serve.child.pid!;
      const deadline = Date.now() + SECONDS * 1000;
      const samples: { at: number; rssMiB: number; handles: number }[] = [];
      let restarts = 0;

      const traffic = clients.map(async (entry, which) => {
        for (let turn = 0; Date.now() < deadline; turn++) {
          const upstream = upstreams[(which + turn) % upstreams.length]!;
          entry.calls++;
          try {
            const result = await entry.client.callTool({ name: `${upstream.id}_add`, arguments: { a: turn, b: which } });
            const text = (result.content as { text?: string }[])[0]?.text;
            if (result.isError || text !== String(turn + which)) entry.failures.push(`${upstream.id}: ${JSON.stringify(result.content)}`);
          } catch (error) {
            entry.failures.push((error as Error).message);
          }
          // Lists now and then, as clients do when they refresh.
          if (turn % 25 === 0) await entry.client.listTools().catch(() => undefined);
          await new Promise((resolve) => setTimeout(resolve, 10));
        }
      });

      const chaos = (async () => {
        while (Date.now() + RESTART_EVERY_MS < deadline) {
          await new Promise((resolve) => setTimeout(resolve, RESTART_EVERY_MS));
          const index = restarts++ % upstreams.length;
          const old = upstreams[index]!;
          old.process.child.kill(restarts % 2 ? 'SIGKILL' : 'SIGTERM');
          await new Promise((resolve) => old.process.child.once('exit', resolve));
          upstreams[index] = await startUpstream(old.id, old.era, old.port);
        }
      })();

      const sampler = (async () => {
        while (Date.now() < deadline) {
          samples.push({ at: Date.now(), ...(await processSample(pid)) });
          await new Promise((resolve) => setTimeout(resolve, SAMPLE_EVERY_MS));
        }
      })();

      await Promise.all([...traffic, chaos, sampler]);
      const total = clients.reduce((sum, entry) => sum + entry.calls, 0);
      const failures = clients.flatMap((entry) => entry.failures);
      console.log(
        `soak: ${total} calls, ${failures.length} failed across ${restarts} upstream restarts; RSS ${samples.map((sample) => Math.round(sample.rssMiB)).join(' ')} MiB; handles ${samples.map((sample) => sample.handles).join(' ')}`,
      );

      expect(restarts).toBeGreaterThanOrEqual(Math.floor(SECONDS / (RESTART_EVERY_MS / 1000)) - 1);
      // Only calls caught by a restart may fail, and each says which server.
      for (const failure of failures) expect(failure).toMatch(/server "(alpha|beta)"/);
      expect(failures.length).toBeLessThan(total * 0.05);

      // Flat: the last third against the second third (the first is warm-up), with room for the GC's rhythm.
      const third = Math.floor(samples.length / 3);
      const middle = samples.slice(third, 2 * third);
      const last = samples.slice(2 * third);
      expect(median(last.map((sample) => sample.rssMiB))).toBeLessThan(median(middle.map((sample) => sample.rssMiB)) * 1.25 + 10);
      expect(median(last.map((sample) => sample.handles))).toBeLessThanOrEqual(median(middle.map((sample) => sample.handles)) + 8);

      // Every call accounted for: one tools/call record per call each client made, failures included.
      const store = AuditStore.open(auditDatabasePath(gateway.dataDir));
      try {
        for (const entry of clients) {
          let recorded = 0;
          let beforeSeq: number | undefined;
          for (;;) {
            const page = store.query({ client: entry.id, method: 'tools/call', limit: 1000, ...(beforeSeq ? { beforeSeq } : {}) });
            recorded += page.records.length;
            if (!page.nextBeforeSeq) break;
            beforeSeq = page.nextBeforeSeq;
          }
          expect(recorded, entry.id).toBe(entry.calls);
        }
        expect(store.verify()).toMatchObject({ ok: true });
      } finally {
        store.close();
      }
    },
    (SECONDS + 120) * 1000,
  );
});
