// Upstream faults heal without client action: an expired 2025 session, and a server restarted at the same address.
import type { Client } from '@modelcontextprotocol/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMcpServer, type SandboxMcpServer } from '../sandbox/mcp-servers.ts';
import { startGatewayFixture, type GatewayFixture } from '../support/gateway-fixture.ts';

describe('upstream healing', () => {
  let legacy: SandboxMcpServer;
  let modern: SandboxMcpServer;
  let gateway: GatewayFixture;
  let client: Client;

  beforeAll(async () => {
    legacy = await startMcpServer({ name: 'legacy', era: 'legacy' });
    modern = await startMcpServer({ name: 'modern', era: 'modern' });
    gateway = await startGatewayFixture({
      servers: [
        { id: 'legacy', url: legacy.url },
        { id: 'modern', url: modern.url },
      ],
    });
    client = await gateway.connect();
  });

  afterAll(async () => {
    await client?.close();
    await gateway?.stop();
    await Promise.all([legacy?.close(), modern?.close()]);
  });

  const add = async (name: string, a: number, b: number) => client.callTool({ name, arguments: { a, b } });

  it('re-initializes a lost 2025 session transparently, even for a tool call', async () => {
    expect((await add('legacy_add', 1, 1)).content).toEqual([expect.objectContaining({ text: '2' })]);
    await legacy.dropSessions();
    expect((await add('legacy_add', 2, 2)).content).toEqual([expect.objectContaining({ text: '4' })]);
  });

  it("remembers a server's era: a lost 2025 session is re-established without probing for the 2026 era again", async () => {
    await add('legacy_add', 1, 1);
    legacy.methodsReceived.length = 0;
    await legacy.dropSessions();
    await add('legacy_add', 1, 2);
    expect(legacy.methodsReceived).toContain('initialize');
    expect(legacy.methodsReceived).not.toContain('server/discover');
  });

  it('probes again when a server comes back in the other era (an upgrade)', async () => {
    const port = legacy.port;
    await legacy.close();
    legacy = await startMcpServer({ name: 'legacy', era: 'modern', port });
    expect((await add('legacy_add', 5, 5)).content).toEqual([expect.objectContaining({ text: '10' })]);
    expect(legacy.methodsReceived).toContain('server/discover');
    await legacy.close();
    legacy = await startMcpServer({ name: 'legacy', era: 'legacy', port });
    expect((await add('legacy_add', 6, 6)).content).toEqual([expect.objectContaining({ text: '12' })]);
  });

  it('heals after the upstream restarts at the same address', async () => {
    for (const [name, server] of [
      ['legacy', legacy],
      ['modern', modern],
    ] as const) {
      const port = server.port;
      await server.close();
      const restarted = await startMcpServer({ name, era: server.era, port });
      if (name === 'legacy') legacy = restarted;
      else modern = restarted;
      const result = await add(`${name}_add`, 20, 22);
      expect(result.content, name).toEqual([expect.objectContaining({ text: '42' })]);
    }
  });

  it('names the server when an upstream is down, and recovers when it is back', async () => {
    const port = modern.port;
    await modern.close();
    const failed = await add('modern_add', 1, 2).catch((error: Error) => error);
    expect(String(failed instanceof Error ? failed.message : JSON.stringify(failed))).toMatch(/server "modern"/);
    modern = await startMcpServer({ name: 'modern', era: 'modern', port });
    expect((await add('modern_add', 1, 2)).content).toEqual([expect.objectContaining({ text: '3' })]);
  });
});
