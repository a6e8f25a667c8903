// The gateway's core paths in both eras, in process: lists aggregated and prefixed, calls routed, unknown tools, a server that is down.
import type { Client } from '@modelcontextprotocol/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InProcessNetwork, serveUpstream, startInProcessGateway, type InProcessGateway, type InProcessUpstream } from '../support/in-process-gateway.ts';

const network = new InProcessNetwork();
let gateway: InProcessGateway;
let modern: InProcessUpstream;
let legacy: InProcessUpstream;
const clients: Record<'modern' | 'legacy', Client> = {} as never;

beforeAll(async () => {
  network.install();
  modern = serveUpstream(network, 'm', 'modern');
  legacy = serveUpstream(network, 'l', 'legacy');
  const down = network.origin();
  network.refuse(down);
  gateway = await startInProcessGateway([
    { id: 'm', url: modern.url, prefix: 'new' },
    { id: 'l', url: legacy.url, prefix: 'old' },
    { id: 'down', url: `${down}/mcp` },
  ]);
  clients.modern = await gateway.connect('modern');
  clients.legacy = await gateway.connect('legacy');
});

afterAll(async () => {
  await gateway?.close();
  await Promise.allSettled([modern?.close(), legacy?.close()]);
  network.uninstall();
});

describe.each(['modern', 'legacy'] as const)('a %s-era client, in process', (era) => {
  it('speaks the era it asked for', () => {
    expect(clients[era].getProtocolEra()).toBe(era);
  });

  it('lists the tools of both servers under their prefixes, and none of the server that is down', async () => {
    const { tools } = await clients[era].listTools();
    const names = tools.map((tool) => tool.name);
    expect(names).toEqual(expect.arrayContaining(['new_echo', 'new_add', 'old_echo', 'old_add', 'new_slow', 'old_slow']));
    // Every name is prefixed by the server that offers it, and the down server contributes nothing (nor blocks the list).
    expect(names.every((name) => name.startsWith('new_') || name.startsWith('old_'))).toBe(true);
    expect(names.filter((name) => name === 'new_echo')).toHaveLength(1);
  });

  it('routes a call to the server its prefix names, with the unprefixed name', async () => {
    const before = { m: modern.methodsReceived.length, l: legacy.methodsReceived.length };
    const toModern = await clients[era].callTool({ name: 'new_add', arguments: { a: 2, b: 3 } });
    const toLegacy = await clients[era].callTool({ name: 'old_echo', arguments: { text: `hello from ${era}` } });
    expect(toModern.content).toEqual([{ type: 'text', text: '5' }]);
    expect(toLegacy.content).toEqual([{ type: 'text', text: `hello from ${era}` }]);
    expect(modern.methodsReceived.slice(before.m)).toContain('tools/call');
    expect(legacy.methodsReceived.slice(before.l)).toContain('tools/call');
  });

  it('answers an unknown tool with a tool error the model can read, not a failed request', async () => {
    const result = await clients[era].callTool({ name: 'new_nope', arguments: {} });
    expect(result.isError).toBe(true);
    expect(result.content).toEqual([{ type: 'text', text: expect.stringContaining('no enabled server offers a tool named "new_nope"') }]);
  });

  it('answers a tool of the server that is down as unknown (a tool error), having tried it, and the others still work', async () => {
    const result = await clients[era].callTool({ name: 'down_echo', arguments: { text: 'x' } });
    expect(result.isError).toBe(true);
    expect(result.content).toEqual([{ type: 'text', text: expect.stringContaining('"down_echo"') }]);
    expect(gateway.logs.some(({ event, fields }) => event === 'upstream.unavailable' && fields?.server === 'down')).toBe(true);
    expect((await clients[era].callTool({ name: 'old_add', arguments: { a: 1, b: 1 } })).content).toEqual([{ type: 'text', text: '2' }]);
  });
});
