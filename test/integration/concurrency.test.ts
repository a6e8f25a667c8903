// 50 clients at once, both eras, interleaving calls, progress and cancellations: each gets exactly its own results.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMcpServer, type SandboxMcpServer } from '../sandbox/mcp-servers.ts';
import { startGatewayFixture, type GatewayFixture } from '../support/gateway-fixture.ts';

const CLIENTS = 50;

describe('50 concurrent clients', () => {
  let upstreams: SandboxMcpServer[];
  let gateway: GatewayFixture;

  beforeAll(async () => {
    upstreams = [await startMcpServer({ name: 'modern', era: 'modern' }), await startMcpServer({ name: 'legacy', era: 'legacy' })];
    gateway = await startGatewayFixture({ servers: upstreams.map((server) => ({ id: server.name, url: server.url })) });
  });

  afterAll(async () => {
    await gateway?.stop();
    await Promise.all(upstreams.map((server) => server.close()));
  });

  it('keeps every client’s results, progress and cancellations its own', async () => {
    const outcomes = await Promise.all(
      Array.from({ length: CLIENTS }, async (_, index) => {
        const client = await gateway.connect(index % 2 ? 'auto' : 'legacy');
        const server = index % 3 === 0 ? 'legacy' : 'modern';
        try {
          const progress: number[] = [];
          const cancelled = new AbortController();
          const [echo, sum, slow, aborted] = await Promise.allSettled([
            client.callTool({ name: `${server}_echo`, arguments: { text: `client-${index}` } }),
            client.callTool({ name: `${server}_add`, arguments: { a: index, b: 1000 } }),
            client.callTool({ name: `${server}_slow`, arguments: { ms: 40, steps: 4 } }, { onprogress: (update) => progress.push(update.progress) }),
            index % 5 === 0
              ? (setTimeout(() => cancelled.abort(new Error('cancelled by the test')), 20),
                client.callTool({ name: `${server}_slow`, arguments: { ms: 2000, steps: 2 } }, { signal: cancelled.signal }))
              : Promise.resolve(undefined),
          ]);
          return { index, echo, sum, slow, aborted, progress };
        } finally {
          await client.close();
        }
      }),
    );
    for (const { index, echo, sum, slow, aborted, progress } of outcomes) {
      if (echo.status === 'rejected') throw new Error(`client ${index} echo failed: ${String(echo.reason)}`);
      expect(echo.status === 'fulfilled' && echo.value.content, `client ${index} echo`).toEqual([expect.objectContaining({ text: `client-${index}` })]);
      expect(sum.status === 'fulfilled' && sum.value.content, `client ${index} add`).toEqual([expect.objectContaining({ text: String(index + 1000) })]);
      expect(slow.status, `client ${index} slow`).toBe('fulfilled');
      expect(progress.length, `client ${index} progress`).toBeGreaterThanOrEqual(3);
      expect(
        progress.every((value) => value >= 1 && value <= 4),
        `client ${index} saw only its own progress`,
      ).toBe(true);
      if (index % 5 === 0) expect(aborted.status, `client ${index} cancellation`).toBe('rejected');
    }
  }, 60_000);
});
