// The byte relay for 2026-07-28 calls, on the wire such a client sends: the same answers as the full path, in both server eras, with progress, multi-round-trip input, trace context and cancellation carried through.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMcpServer, type SandboxMcpServer } from '../sandbox/mcp-servers.ts';
import { startGatewayFixture, type GatewayFixture } from '../support/gateway-fixture.ts';

interface WireReply {
  status: number;
  contentType: string;
  /** Every JSON-RPC message of the reply, in order (one for a JSON reply, each SSE event's data otherwise). */
  messages: Record<string, unknown>[];
}

let nextId = 1;

/** One 2026-07-28 request with the envelope and SEP-2243 headers a client sends; these take the relay when it is on. */
async function call(gateway: GatewayFixture, method: string, params: Record<string, unknown>, signal?: AbortSignal): Promise<WireReply> {
  const name = method === 'resources/read' ? params.uri : params.name;
  const response = await fetch(gateway.serve.ready.mcpUrl, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
      authorization: `Bearer ${gateway.credential}`,
      'mcp-protocol-version': '2026-07-28',
      'mcp-method': method,
      'mcp-name': String(name),
    },
    body: JSON.stringify({
      jsonrpc: '2.0',
      id: nextId++,
      method,
      params: {
        ...params,
        _meta: {
          ...(params._meta as object | undefined),
          'io.modelcontextprotocol/protocolVersion': '2026-07-28',
          'io.modelcontextprotocol/clientCapabilities': {},
        },
      },
    }),
    ...(signal ? { signal } : {}),
  });
  const contentType = response.headers.get('content-type') ?? '';
  const text = await response.text();
  const messages = contentType.includes('text/event-stream')
    ? text
        .split('\n')
        .filter((line) => line.startsWith('data: '))
        .map((line) => JSON.parse(line.slice(6)) as Record<string, unknown>)
    : [JSON.parse(text) as Record<string, unknown>];
  return { status: response.status, contentType, messages };
}

const answerOf = (reply: WireReply) => reply.messages.at(-1) as { id: unknown; result?: Record<string, unknown>; error?: { code: number; message: string } };

describe.each(['modern', 'legacy'] as const)('byte relay, %s server', (era) => {
  let upstream: SandboxMcpServer;
  let relayed: GatewayFixture;
  let fullPath: GatewayFixture;

  beforeAll(async () => {
    upstream = await startMcpServer({ name: 'wiki', era });
    relayed = await startGatewayFixture({ servers: [{ id: 'wiki', url: upstream.url }] });
    fullPath = await startGatewayFixture({ servers: [{ id: 'wiki', url: upstream.url }], gateway: { callRelay: false } });
  }, 60_000);

  afterAll(async () => {
    await relayed?.stop();
    await fullPath?.stop();
    await upstream?.close();
  });

  it("answers a tool call, a prompt and a resource exactly as the full path does, with the client's own id", async () => {
    const requests: [string, Record<string, unknown>][] = [
      ['tools/call', { name: 'wiki_echo', arguments: { text: 'héllo' } }],
      ['tools/call', { name: 'wiki_add', arguments: { a: 2, b: 40 } }],
      ['prompts/get', { name: 'wiki_greeting', arguments: { name: 'Ada' } }],
      ['resources/read', { uri: 'sandbox://wiki/readme' }],
    ];
    for (const [method, params] of requests) {
      const [viaRelay, viaSdk] = [await call(relayed, method, params), await call(fullPath, method, params)];
      expect(viaRelay.status, method).toBe(200);
      const [relayAnswer, sdkAnswer] = [answerOf(viaRelay), answerOf(viaSdk)];
      expect(relayAnswer.id).toBe(nextId - 2);
      expect(relayAnswer.error, method).toBeUndefined();
      expect(relayAnswer.result, `${method} ${JSON.stringify(params)}`).toEqual(sdkAnswer.result);
    }
  });

  it("passes progress through before the answer, under the client's own progress token", async () => {
    const reply = await call(relayed, 'tools/call', { name: 'wiki_slow', arguments: { ms: 60, steps: 3 }, _meta: { progressToken: 'p-7' } });
    expect(reply.contentType).toContain('text/event-stream');
    const progress = reply.messages.filter((message) => message.method === 'notifications/progress');
    expect(progress.map((message) => (message.params as { progressToken: unknown; progress: number }).progress)).toEqual([1, 2, 3]);
    expect(progress.every((message) => (message.params as { progressToken: unknown }).progressToken === 'p-7')).toBe(true);
    expect(answerOf(reply).result).toMatchObject({ content: [{ type: 'text', text: 'waited 60 ms in 3 steps' }] });
  });

  it("sends the server a trace context of Switchboard's own and never the client's reserved keys", async () => {
    const reply = await call(relayed, 'tools/call', { name: 'wiki_traceparent', arguments: {} });
    const seen = JSON.parse((answerOf(reply).result!.content as { text: string }[])[0]!.text) as { traceparent: string | null };
    expect(seen.traceparent).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-0[01]$/);
  });

  it('a client that goes away mid-call frees the server and the next call works', async () => {
    const aborter = new AbortController();
    const pending = call(relayed, 'tools/call', { name: 'wiki_slow', arguments: { ms: 5_000, steps: 50 }, _meta: { progressToken: 1 } }, aborter.signal).catch(
      (error: Error) => error,
    );
    await new Promise((resolve) => setTimeout(resolve, 300));
    aborter.abort();
    expect(await pending).toBeInstanceOf(Error);
    // A 2025-era server hears of it as a cancellation on the shared session; a 2026-07-28 one sees its stream close.
    if (era === 'legacy') await expect.poll(() => upstream.methodsReceived.includes('notifications/cancelled'), { timeout: 5_000 }).toBe(true);
    expect(answerOf(await call(relayed, 'tools/call', { name: 'wiki_echo', arguments: { text: 'after' } })).result).toMatchObject({
      content: [{ text: 'after' }],
    });
  });
});

describe('byte relay, multi-round-trip input (2026-07-28 server)', () => {
  let upstream: SandboxMcpServer;
  let gateway: GatewayFixture;

  beforeAll(async () => {
    upstream = await startMcpServer({ name: 'wiki', era: 'modern' });
    gateway = await startGatewayFixture({ servers: [{ id: 'wiki', url: upstream.url }] });
  }, 60_000);

  afterAll(async () => {
    await gateway?.stop();
    await upstream?.close();
  });

  it("hands the server's input request to the client and the client's answer back, with the request state", async () => {
    const asked = answerOf(await call(gateway, 'tools/call', { name: 'wiki_confirm', arguments: { question: 'Go?' } })).result!;
    expect(asked).toMatchObject({ resultType: 'input_required', inputRequests: { confirm: { method: 'elicitation/create' } }, requestState: 'asked-once' });
    const answered = answerOf(
      await call(gateway, 'tools/call', {
        name: 'wiki_confirm',
        arguments: { question: 'Go?' },
        inputResponses: { confirm: { action: 'accept', content: { confirmed: true } } },
        requestState: asked.requestState,
      }),
    ).result!;
    expect(JSON.parse((answered.content as { text: string }[])[0]!.text)).toEqual({
      action: 'accept',
      content: { confirmed: true },
      requestState: 'asked-once',
    });
  });
});
