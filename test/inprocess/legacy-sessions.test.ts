// 2025-era sessions stay bounded: idle ones close, a client's sessions are capped, and a 2025 SDK client whose session was closed carries on (in process, injected clock).
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { McpServer } from '@modelcontextprotocol/server';
import type { AuthInfo } from '@modelcontextprotocol/server';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { DownstreamContext } from '../../main/core/gateway/downstream-protocol.ts';
import { LegacySessions } from '../../main/core/gateway/legacy-sessions.ts';

const IDLE_MS = 60_000;
const CAP = 3;
const URL_ = new URL('http://127.0.0.1/mcp');

function setup() {
  let now = 0;
  const clock = { advance: (ms: number) => (now += ms) };
  const releases: (() => void)[] = [];
  const sessions = new LegacySessions(
    (context) => {
      const server = new McpServer({ name: 'gateway', version: '1.0.0' }, { capabilities: { tools: {} } });
      server.registerTool('whoami', { description: 'the client' }, () => ({ content: [{ type: 'text', text: context.clientId }] }));
      server.registerTool(
        'wait',
        { description: 'answers once released', inputSchema: z.object({}) },
        () => new Promise((resolve) => releases.push(() => resolve({ content: [{ type: 'text', text: 'done' }] }))),
      );
      return server.server;
    },
    (authInfo: AuthInfo | undefined): DownstreamContext => ({
      clientId: authInfo?.clientId ?? 'anonymous',
      view: {} as DownstreamContext['view'],
      subscriptions: new Set(),
    }),
    { idleMs: IDLE_MS, maxPerClient: CAP, now: () => now },
  );
  const fetchAs = (clientId: string) => (url: string | URL, init?: RequestInit) =>
    sessions.fetch(new Request(url, init), { authInfo: { token: '', clientId, scopes: [] } });
  const open: Client[] = [];
  const connect = async (clientId: string) => {
    const client = new Client({ name: `test-${clientId}`, version: '1.0.0' }, { versionNegotiation: { mode: 'legacy' } });
    await client.connect(new StreamableHTTPClientTransport(URL_, { fetch: fetchAs(clientId) }));
    open.push(client);
    return client;
  };
  const sessionOf = (client: Client) => (client.transport as StreamableHTTPClientTransport).sessionId!;
  const whoami = async (client: Client) => ((await client.callTool({ name: 'whoami', arguments: {} })).content as { text: string }[])[0]!.text;
  const raw = (clientId: string, sessionId: string, body: unknown) =>
    fetchAs(clientId)(URL_, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/json, text/event-stream',
        'mcp-session-id': sessionId,
        'mcp-protocol-version': '2025-11-25',
      },
      body: JSON.stringify(body),
    });
  const listen = (clientId: string, sessionId: string) =>
    fetchAs(clientId)(URL_, { method: 'GET', headers: { accept: 'text/event-stream', 'mcp-session-id': sessionId, 'mcp-protocol-version': '2025-11-25' } });
  const stop = async () => {
    for (const release of releases) release();
    await Promise.allSettled(open.map((client) => client.close()));
    await sessions.close();
  };
  return { sessions, clock, connect, sessionOf, whoami, raw, listen, releases, stop };
}

describe('2025-era sessions: idle expiry, per-client cap, transparent resume', () => {
  let stop: (() => Promise<void>) | undefined;
  afterEach(async () => {
    await stop?.();
    stop = undefined;
  });

  it('sessions opened and never closed are closed after the idle time', async () => {
    const harness = setup();
    stop = harness.stop;
    for (let index = 0; index < CAP; index++) await harness.connect('alice');
    await harness.connect('bob');
    expect(harness.sessions.size).toBe(CAP + 1);
    harness.clock.advance(IDLE_MS - 1);
    expect(harness.sessions.expireIdle()).toBe(0);
    harness.clock.advance(1);
    expect(harness.sessions.expireIdle()).toBe(CAP + 1);
    expect(harness.sessions.size).toBe(0);
  });

  it('a client opening more than its cap has its least recently used session closed; other clients are untouched', async () => {
    const harness = setup();
    stop = harness.stop;
    const bob = await harness.connect('bob');
    const alice: Client[] = [];
    for (let index = 0; index < CAP * 3; index++) {
      harness.clock.advance(1000);
      alice.push(await harness.connect('alice'));
      expect(harness.sessions.size).toBeLessThanOrEqual(CAP + 1);
    }
    expect(harness.sessions.size).toBe(CAP + 1);
    expect(await harness.whoami(bob)).toBe('bob');
  });

  it('a session with a call in progress is never idle, however long the call', async () => {
    const harness = setup();
    stop = harness.stop;
    const client = await harness.connect('alice');
    const call = client.callTool({ name: 'wait', arguments: {} }, { timeout: 10_000 });
    await new Promise((resolve) => setTimeout(resolve, 50));
    harness.clock.advance(IDLE_MS * 10);
    expect(harness.sessions.expireIdle()).toBe(0);
    harness.releases.shift()!();
    await call;
    await new Promise((resolve) => setTimeout(resolve, 20));
    harness.clock.advance(IDLE_MS);
    expect(harness.sessions.expireIdle()).toBe(1);
  });

  it('a 2025 SDK client whose session was closed (idle or by the cap) recovers transparently on its next call, under the same session id', async () => {
    const harness = setup();
    stop = harness.stop;
    const client = await harness.connect('alice');
    const id = harness.sessionOf(client);
    harness.clock.advance(IDLE_MS);
    expect(harness.sessions.expireIdle()).toBe(1);
    expect(await harness.whoami(client)).toBe('alice');
    expect(harness.sessionOf(client)).toBe(id);
    expect(harness.sessions.size).toBe(1);

    // Closed for idleness: a listener reconnecting its GET stream brings it back.
    harness.clock.advance(IDLE_MS);
    expect(harness.sessions.expireIdle()).toBe(1);
    const listening = await harness.listen('alice', id);
    expect(listening.status).toBe(200);
    await listening.body?.cancel();
    expect(harness.sessions.size).toBe(1);

    // Pushed out by the cap: its GET stream's reconnection does not bring it back (listeners beyond the cap would
    // push each other out), its next call does.
    for (let index = 0; index < CAP; index++) await harness.connect('alice');
    expect(harness.sessions.size).toBe(CAP);
    const listen = await harness.listen('alice', id);
    expect(listen.status).toBe(404);
    expect(await harness.whoami(client)).toBe('alice');
    expect(harness.sessionOf(client)).toBe(id);
    expect(harness.sessions.size).toBe(CAP);
  });

  it("the spec's 404: a session the client ended, another client's session, and an unknown id", async () => {
    const harness = setup();
    stop = harness.stop;
    const ended = await harness.connect('alice');
    const endedId = harness.sessionOf(ended);
    await (ended.transport as StreamableHTTPClientTransport).terminateSession();
    const call = { jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'whoami', arguments: {} } };
    expect((await harness.raw('alice', endedId, call)).status).toBe(404);

    const alice = await harness.connect('alice');
    harness.clock.advance(IDLE_MS);
    harness.sessions.expireIdle();
    // Closed by Switchboard, but asked for by another client: nothing to resume for it.
    const stolen = await harness.raw('mallory', harness.sessionOf(alice), call);
    expect(stolen.status).toBe(404);
    expect(await stolen.json()).toMatchObject({ error: { code: -32001 } });
    expect((await harness.raw('alice', crypto.randomUUID(), call)).status).toBe(404);
    expect(await harness.whoami(alice)).toBe('alice');
  });
});
