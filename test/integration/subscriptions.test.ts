// Resource subscriptions stay each client's own: an update reaches the client that subscribed, never another, and another client cannot end it.
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startMcpServer } from '../sandbox/mcp-servers.ts';
import { startGatewayFixture, type GatewayFixture } from '../support/gateway-fixture.ts';

describe('resource subscriptions between clients', () => {
  let tickets: Awaited<ReturnType<typeof startMcpServer>>;
  let gateway: GatewayFixture;
  let alice: Client;
  let aliceTransport: StreamableHTTPClientTransport;
  let bob: Client;
  const updates = { alice: [] as string[], bob: [] as string[] };
  const README = 'sandbox://tickets/readme';

  beforeAll(async () => {
    tickets = await startMcpServer({ name: 'tickets', era: 'legacy' });
    gateway = await startGatewayFixture({ servers: [{ id: 'tickets', url: tickets.url }], clientId: 'alice' });
    // Alice's transport is kept so that her client can end its session (DELETE) as a well-behaved client does.
    aliceTransport = new StreamableHTTPClientTransport(new URL(gateway.serve.ready.mcpUrl), {
      requestInit: { headers: { authorization: `Bearer ${gateway.credential}` } },
    });
    alice = new Client({ name: 'alice', version: '1.0.0' }, { versionNegotiation: { mode: 'legacy' } });
    await alice.connect(aliceTransport);
    bob = await gateway.connect('legacy', await gateway.addClient('bob'));
    alice.setNotificationHandler('notifications/resources/updated', (notification) => void updates.alice.push(notification.params.uri));
    bob.setNotificationHandler('notifications/resources/updated', (notification) => void updates.bob.push(notification.params.uri));
  });

  afterAll(async () => {
    await Promise.allSettled([alice?.close(), bob?.close()]);
    await gateway?.stop();
    await tickets?.close();
  });

  const touch = async (by: Client) => ((await by.callTool({ name: 'tickets_touch_readme', arguments: {} })).content as { text: string }[])[0]!.text;

  it('sends an update only to the client that subscribed, whoever caused the change', async () => {
    await alice.subscribeResource({ uri: README });
    expect(await touch(bob)).toBe('notified');
    await vi.waitFor(() => expect(updates.alice).toEqual([README]), { timeout: 5000 });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(updates.bob).toEqual([]);
  });

  it('another client unsubscribing the same resource does not end the first client’s subscription', async () => {
    await bob.unsubscribeResource({ uri: README });
    await touch(bob);
    await vi.waitFor(() => expect(updates.alice).toEqual([README, README]), { timeout: 5000 });
    expect(updates.bob).toEqual([]);
  });

  it('when the subscribing client’s session ends, Switchboard ends the upstream subscription too', async () => {
    expect(await touch(bob)).toBe('notified');
    await aliceTransport.terminateSession();
    await alice.close();
    await vi.waitFor(async () => expect(await touch(bob)).toBe('nobody subscribed'), { timeout: 5000 });
  });
});
