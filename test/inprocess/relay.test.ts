// What travels alongside a call, in process and in both eras: progress relayed, cancellation reaching the server, list changes fanned out to every client.
import type { Client } from '@modelcontextprotocol/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InProcessNetwork, serveUpstream, startInProcessGateway, type InProcessGateway, type InProcessUpstream } from '../support/in-process-gateway.ts';

const network = new InProcessNetwork();
let gateway: InProcessGateway;
let upstreams: Record<'modern' | 'legacy', InProcessUpstream>;
const clients = {} as Record<'modern' | 'legacy', Client>;
/** How many tools/list_changed notifications each downstream client has received. */
const changes = { modern: 0, legacy: 0 };
/** Each era's server is reached by that era's prefix. */
const prefix = { modern: 'new', legacy: 'old' } as const;

beforeAll(async () => {
  network.install();
  upstreams = { modern: serveUpstream(network, 'm', 'modern'), legacy: serveUpstream(network, 'l', 'legacy') };
  gateway = await startInProcessGateway([
    { id: 'm', url: upstreams.modern.url, prefix: prefix.modern },
    { id: 'l', url: upstreams.legacy.url, prefix: prefix.legacy },
  ]);
  for (const era of ['modern', 'legacy'] as const) {
    clients[era] = await gateway.connect(era, {
      clientOptions: { listChanged: { tools: { autoRefresh: false, debounceMs: 0, onChanged: () => void changes[era]++ } } },
    });
  }
});

afterAll(async () => {
  await gateway?.close();
  await Promise.allSettled(Object.values(upstreams ?? {}).map((upstream) => upstream.close()));
  network.uninstall();
});

async function until(condition: () => boolean, what: string, ms = 2_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

describe.each(['modern', 'legacy'] as const)('a %s-era client', (era) => {
  it.each(['modern', 'legacy'] as const)('gets the progress a %s-era server reports, in order, before the result', async (serverEra) => {
    const seen: { progress: number; total?: number; message?: string }[] = [];
    const result = await clients[era].callTool(
      { name: `${prefix[serverEra]}_slow`, arguments: { ms: 30, steps: 3 } },
      { onprogress: (update) => void seen.push(update) },
    );
    expect(result.content).toEqual([{ type: 'text', text: 'waited 30 ms in 3 steps' }]);
    expect(seen.map(({ progress, total, message }) => ({ progress, total, message }))).toEqual([
      { progress: 1, total: 3, message: 'step 1' },
      { progress: 2, total: 3, message: 'step 2' },
      { progress: 3, total: 3, message: 'step 3' },
    ]);
  });

  it.each(['modern', 'legacy'] as const)('cancelling a call reaches the %s-era server that runs it', async (serverEra) => {
    const tag = `${era}-to-${serverEra}`;
    const controller = new AbortController();
    const call = clients[era].callTool({ name: `${prefix[serverEra]}_hold`, arguments: { tag } }, { signal: controller.signal });
    // The server must be running the call before it can see it cancelled.
    await until(() => upstreams[serverEra].holding.includes(tag), 'the call to run at the server');
    controller.abort(new Error('the person pressed stop'));
    await expect(call).rejects.toThrow();
    await until(() => upstreams[serverEra].cancelled.includes(tag), `the ${serverEra} server to see "${tag}" cancelled`);
  });
});

describe('list changes', () => {
  it.each(['modern', 'legacy'] as const)('a new tool on the %s-era server reaches clients of both eras, and the next list has it', async (serverEra) => {
    const before = { ...changes };
    const name = `fresh_${serverEra}`;
    await upstreams[serverEra].addTool(name);
    await until(() => changes.modern > before.modern && changes.legacy > before.legacy, 'list_changed at both clients');
    for (const era of ['modern', 'legacy'] as const) {
      const { tools } = await clients[era].listTools();
      expect(tools.map((tool) => tool.name)).toContain(`${prefix[serverEra]}_${name}`);
    }
  });
});
