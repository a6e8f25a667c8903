// `switchboard stdio` across a Switchboard restart: the client's next call works in both eras, and a call while it is down fails clearly and fast.
import { Client } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMcpServer, type SandboxMcpServer } from '../sandbox/mcp-servers.ts';
import { startGatewayFixture, type GatewayFixture } from '../support/gateway-fixture.ts';
import { CLI_ENTRY } from '../support/serve-process.ts';

describe('the stdio bridge across a Switchboard restart', () => {
  let upstream: SandboxMcpServer;
  let gateway: GatewayFixture;

  beforeAll(async () => {
    upstream = await startMcpServer({ name: 'wiki', era: 'legacy' });
    gateway = await startGatewayFixture({ servers: [{ id: 'wiki', url: upstream.url }], clientId: 'desktop' });
  });

  afterAll(async () => {
    await gateway?.stop();
    await upstream?.close();
  });

  async function clientThroughBridge(mode: 'legacy' | 'auto'): Promise<Client> {
    const client = new Client({ name: 'restart-test', version: '1.0.0' }, { versionNegotiation: { mode } });
    const bridge = new StdioClientTransport({
      command: process.execPath,
      args: [CLI_ENTRY, 'stdio', '--data-dir', gateway.dataDir],
      env: { SWITCHBOARD_CLIENT_CREDENTIAL: gateway.credential, PATH: process.env.PATH ?? '' },
      stderr: 'pipe',
    });
    await client.connect(bridge);
    return client;
  }

  const echo = async (client: Client, text: string) => (await client.callTool({ name: 'wiki_echo', arguments: { text } })).content;

  it.each(['legacy', 'auto'] as const)('the call after a restart works, in the same session of the client (%s negotiation)', async (mode) => {
    const client = await clientThroughBridge(mode);
    let toolListChanges = 0;
    client.setNotificationHandler('notifications/tools/list_changed', () => void toolListChanges++);
    try {
      expect(await echo(client, 'before')).toEqual([expect.objectContaining({ text: expect.stringContaining('before') })]);
      await gateway.restart();
      expect(await echo(client, 'after')).toEqual([expect.objectContaining({ text: expect.stringContaining('after') })]);
      expect((await client.listTools()).tools.map((tool) => tool.name)).toContain('wiki_echo');
      // A 2025-era client had a session, which was opened again: it is told its lists may have changed. A 2026-07-28
      // client has no session and hears list changes only on the subscriptions it opens itself.
      if (mode === 'legacy') await expect.poll(() => toolListChanges).toBeGreaterThanOrEqual(1);
    } finally {
      await client.close();
    }
  });

  it('while Switchboard is stopped a call fails within seconds, saying so; once it is back the next call works', async () => {
    const client = await clientThroughBridge('legacy');
    try {
      await echo(client, 'first');
      await gateway.serve.stop();
      const started = Date.now();
      const failure = await client.callTool({ name: 'wiki_echo', arguments: { text: 'down' } }).then(
        () => undefined,
        (error: unknown) => error as Error & { code?: number; data?: { code?: string } },
      );
      expect(Date.now() - started).toBeLessThan(6000);
      expect(failure?.message).toContain(`Switchboard is not running at ${gateway.serve.ready.mcpUrl}`);
      expect(failure?.data?.code).toBe('GATEWAY_NOT_RUNNING');
      await gateway.restart();
      expect(await echo(client, 'back')).toEqual([expect.objectContaining({ text: expect.stringContaining('back') })]);
    } finally {
      await client.close();
    }
  });
});
