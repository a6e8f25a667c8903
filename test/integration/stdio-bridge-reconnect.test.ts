// The stdio bridge against a scripted endpoint: event-stream backoff and Last-Event-ID, a new session after a 404, cancellation, a stopped endpoint.
import { createInterface } from 'node:readline';
import { PassThrough } from 'node:stream';
import type { ServerResponse } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { runStdioBridge, type StdioBridgeOptions } from '../../main/core/bridge/stdio-bridge.ts';
import { answerJson, openEventStream, startScriptedEndpoint, type RecordedRequest, type ScriptedEndpoint } from '../support/scripted-endpoint.ts';

type Message = {
  jsonrpc: '2.0';
  id?: string | number;
  method?: string;
  params?: Record<string, unknown>;
  result?: Record<string, unknown>;
  error?: { code: number; message: string; data?: Record<string, unknown> };
};

const MODERN_META = {
  'io.modelcontextprotocol/protocolVersion': '2026-07-28',
  'io.modelcontextprotocol/clientInfo': { name: 'test', version: '1' },
  'io.modelcontextprotocol/clientCapabilities': {},
};
const INITIALIZE: Message = {
  jsonrpc: '2.0',
  id: 1,
  method: 'initialize',
  params: { protocolVersion: '2025-11-25', capabilities: { roots: {} }, clientInfo: { name: 'stdio-client', version: '3.1' } },
};
const INITIALIZED: Message = { jsonrpc: '2.0', method: 'notifications/initialized' };
const quietLogger = { log: () => undefined };

/** The client's side of an in-process bridge: lines in, parsed lines out. */
function bridgeTo(url: string, options: Partial<StdioBridgeOptions> = {}) {
  const input = new PassThrough();
  const output = new PassThrough();
  const received: Message[] = [];
  const waiters: (() => void)[] = [];
  createInterface({ input: output }).on('line', (line) => {
    received.push(JSON.parse(line) as Message);
    for (const wake of waiters.splice(0)) wake();
  });
  const done = runStdioBridge({ mcpUrl: url, credential: 'test-credential', input, output, logger: quietLogger, ...options });
  const waitFor = async (predicate: (message: Message) => boolean, timeoutMs = 10_000): Promise<Message> => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = received.find(predicate);
      if (found) return found;
      if (Date.now() > deadline) throw new Error(`no such message within ${timeoutMs} ms; received ${JSON.stringify(received)}`);
      await new Promise<void>((resolve) => {
        waiters.push(resolve);
        setTimeout(resolve, 50);
      });
    }
  };
  return {
    received,
    done,
    send: (message: Message) => input.write(`${JSON.stringify(message)}\n`),
    answerTo: (id: string | number) => waitFor((message) => message.id === id && (message.result !== undefined || message.error !== undefined)),
    waitFor,
    end: () => input.end(),
  };
}

/** A 2025-era endpoint: each initialize opens a session; `forget()` makes every known session answer 404, as after a restart. */
function legacyEndpointScript(onOther: (request: RecordedRequest, response: ServerResponse, session: string) => void) {
  let sessions = 0;
  const known = new Set<string>();
  const script = (request: RecordedRequest, response: ServerResponse) => {
    const session = request.headers['mcp-session-id'] as string | undefined;
    if (request.method === 'POST' && request.body?.method === 'initialize') {
      const id = `session-${++sessions}`;
      known.add(id);
      const capabilities = { tools: { listChanged: true }, resources: { subscribe: true } };
      return answerJson(
        response,
        { jsonrpc: '2.0', id: request.body.id, result: { protocolVersion: '2025-11-25', capabilities, serverInfo: { name: 'scripted', version: '1' } } },
        { 'mcp-session-id': id },
      );
    }
    if (session && !known.has(session))
      return answerJson(response, { jsonrpc: '2.0', id: null, error: { code: -32001, message: 'Session not found' } }, {}, 404);
    if (request.method === 'POST' && request.body?.id === undefined) return void response.writeHead(202).end();
    if (request.method === 'DELETE') {
      known.delete(session ?? '');
      return void response.writeHead(200).end();
    }
    onOther(request, response, session ?? '');
  };
  return { script, forget: () => known.clear() };
}

/** The POSTs that opened and then used `session`: its initialize answered with that id, and every request sent with it. */
const postsOf = (endpoint: ScriptedEndpoint, session: string, initializeId: string) =>
  endpoint.requests.filter((request) => request.method === 'POST' && (request.headers['mcp-session-id'] === session || request.body?.id === initializeId));

describe('the stdio bridge, against a scripted endpoint', () => {
  const cleanups: (() => Promise<unknown>)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch(() => undefined);
  });

  it('reopens a dropped event stream with growing, jittered delays, sending the last event id to resume', async () => {
    let gets = 0;
    const { script } = legacyEndpointScript((request, response) => {
      if (request.method !== 'GET') return answerJson(response, { jsonrpc: '2.0', id: request.body?.id, result: {} });
      gets++;
      // 1: one event, then the stream drops. 2-4: refused. 5: one more event, then drops. 6: stays open.
      if (gets === 1 || gets === 5) {
        const stream = openEventStream(response);
        stream.send({ jsonrpc: '2.0', method: 'notifications/message', params: { level: 'info', data: `event ${gets}` } }, `e${gets}`);
        setTimeout(() => stream.end(), 20);
      } else if (gets <= 4) {
        response.writeHead(503).end('busy');
      } else {
        openEventStream(response);
      }
    });
    const endpoint = await startScriptedEndpoint(script);
    cleanups.push(() => endpoint.close());
    const bridge = bridgeTo(endpoint.url, { eventStreamBackoff: { initialDelayMs: 40, maxDelayMs: 5000, growFactor: 2 } });
    cleanups.push(async () => (bridge.end(), bridge.done));

    bridge.send(INITIALIZE);
    await bridge.answerTo(1);
    bridge.send(INITIALIZED);
    await expect.poll(() => endpoint.requests.filter((request) => request.method === 'GET').length, { timeout: 10_000 }).toBe(6);

    const streams = endpoint.requests.filter((request) => request.method === 'GET');
    expect(streams.map((request) => request.headers['last-event-id'])).toEqual([undefined, 'e1', 'e1', 'e1', 'e1', 'e5']);
    // Retry n waits a random time in [step/2, step], step = 40 ms * 2^n: each wait is at least the previous one's most.
    const waits = streams.slice(1).map((request, index) => request.at - streams[index]!.at);
    const retryWaits = waits.slice(1, 4); // after the failed attempts 2, 3 and 4
    expect(retryWaits[0]).toBeGreaterThanOrEqual(40 - 2);
    expect(retryWaits[1]).toBeGreaterThanOrEqual(80 - 2);
    expect(retryWaits[2]).toBeGreaterThanOrEqual(160 - 2);
    expect(retryWaits[2]).toBeLessThan(320 + 1000);
    await bridge.waitFor((message) => message.params?.data === 'event 5');
    expect(bridge.received.filter((message) => message.method === 'notifications/message').map((message) => message.params?.data)).toEqual([
      'event 1',
      'event 5',
    ]);
  });

  it('after a 404 for its session it replays the client initialize and what the session held, then answers the call; the client hears its tools may have changed', async () => {
    const { script, forget } = legacyEndpointScript((request, response) => {
      if (request.method === 'GET') return void openEventStream(response);
      answerJson(response, {
        jsonrpc: '2.0',
        id: request.body?.id,
        result: request.body?.method === 'tools/call' ? { content: [{ type: 'text', text: 'called' }] } : {},
      });
    });
    const endpoint = await startScriptedEndpoint(script);
    cleanups.push(() => endpoint.close());
    const bridge = bridgeTo(endpoint.url);
    cleanups.push(async () => (bridge.end(), bridge.done));

    bridge.send(INITIALIZE);
    await bridge.answerTo(1);
    bridge.send(INITIALIZED);
    bridge.send({ jsonrpc: '2.0', id: 2, method: 'resources/subscribe', params: { uri: 'file:///notes' } });
    bridge.send({ jsonrpc: '2.0', id: 3, method: 'logging/setLevel', params: { level: 'debug' } });
    await bridge.answerTo(2);
    await bridge.answerTo(3);

    forget();
    bridge.send({ jsonrpc: '2.0', id: 4, method: 'tools/call', params: { name: 'echo', arguments: {} } });
    expect((await bridge.answerTo(4)).result).toEqual({ content: [{ type: 'text', text: 'called' }] });

    const renewed = postsOf(endpoint, 'session-2', 'switchboard-bridge/1');
    expect(renewed.map((request) => request.body?.method)).toEqual([
      'initialize',
      'notifications/initialized',
      'resources/subscribe',
      'logging/setLevel',
      'tools/call',
    ]);
    // The client's own initialize, under the bridge's id; the negotiated version goes with every later request.
    expect(renewed[0]!.body).toEqual({ ...INITIALIZE, id: 'switchboard-bridge/1' });
    expect(renewed.slice(1).map((request) => request.headers['mcp-protocol-version'])).toEqual(Array(4).fill('2025-11-25'));
    await expect.poll(() => endpoint.requests.some((request) => request.method === 'GET' && request.headers['mcp-session-id'] === 'session-2')).toBe(true);

    await bridge.waitFor((message) => message.method === 'notifications/tools/list_changed');
    expect(bridge.received.filter((message) => message.method?.endsWith('/list_changed')).map((message) => message.method)).toEqual([
      'notifications/tools/list_changed',
    ]);
    // The replayed exchanges were the bridge's own: none of their answers reached the client.
    expect(bridge.received.filter((message) => String(message.id).startsWith('switchboard-bridge/'))).toEqual([]);
    expect(bridge.received.filter((message) => message.id === 1)).toHaveLength(1);

    bridge.end();
    await bridge.done;
    expect(endpoint.requests.at(-1)).toMatchObject({ method: 'DELETE', headers: { 'mcp-session-id': 'session-2' } });
  });

  it('when its event stream finds the session gone, it opens a new one at once, so a client that only listens hears changes again', async () => {
    const streams: { end(): void }[] = [];
    const { script, forget } = legacyEndpointScript((request, response) => {
      if (request.method === 'GET') return void streams.push(openEventStream(response));
      answerJson(response, { jsonrpc: '2.0', id: request.body?.id, result: {} });
    });
    const endpoint = await startScriptedEndpoint(script);
    cleanups.push(() => endpoint.close());
    const bridge = bridgeTo(endpoint.url, { eventStreamBackoff: { initialDelayMs: 20, maxDelayMs: 200, growFactor: 2 } });
    cleanups.push(async () => (bridge.end(), bridge.done));
    bridge.send(INITIALIZE);
    await bridge.answerTo(1);
    bridge.send(INITIALIZED);
    await expect.poll(() => streams.length).toBe(1);

    // A restart: the session is forgotten and the stream drops.
    forget();
    streams[0]!.end();
    await bridge.waitFor((message) => message.method === 'notifications/tools/list_changed');
    await expect.poll(() => endpoint.requests.some((request) => request.method === 'GET' && request.headers['mcp-session-id'] === 'session-2')).toBe(true);
    const gets = endpoint.requests.filter((request) => request.method === 'GET').map((request) => request.headers['mcp-session-id']);
    expect(gets).toEqual(['session-1', 'session-1', 'session-2']);
  });

  it('cancels a 2026-07-28 request by ending its HTTP request, and answers one whose response stream ends unanswered', async () => {
    const endpoint = await startScriptedEndpoint((request, response) => {
      const stream = openEventStream(response);
      if (request.body?.params?.name === 'breaks') setTimeout(() => stream.end(), 20);
    });
    cleanups.push(() => endpoint.close());
    const bridge = bridgeTo(endpoint.url);
    cleanups.push(async () => (bridge.end(), bridge.done));

    bridge.send({ jsonrpc: '2.0', id: 9, method: 'tools/call', params: { name: 'slow', arguments: {}, _meta: MODERN_META } });
    await expect.poll(() => endpoint.requests.length).toBe(1);
    bridge.send({ jsonrpc: '2.0', method: 'notifications/cancelled', params: { requestId: 9, _meta: MODERN_META } });
    await endpoint.requests[0]!.closed;
    expect(endpoint.requests[0]!.headers).toMatchObject({ 'mcp-method': 'tools/call', 'mcp-name': 'slow', 'mcp-protocol-version': '2026-07-28' });

    bridge.send({ jsonrpc: '2.0', id: 10, method: 'tools/call', params: { name: 'breaks', arguments: {}, _meta: MODERN_META } });
    const lost = await bridge.answerTo(10);
    expect(lost.error?.message).toContain('ended before it answered');
    // The cancellation did not travel (HTTP cancels by closing), and the cancelled request got no answer.
    expect(endpoint.requests.map((request) => request.body?.method)).toEqual(['tools/call', 'tools/call']);
    expect(bridge.received.filter((message) => message.id === 9)).toEqual([]);
  });

  it('answers with a clear error once the grace period has passed with nothing listening, and waits out an endpoint that comes back within it', async () => {
    const placeholder = await startScriptedEndpoint(() => undefined);
    const { url, port } = placeholder;
    await placeholder.close();
    const bridge = bridgeTo(url, { unreachableGraceMs: 1500 });
    cleanups.push(async () => (bridge.end(), bridge.done));

    const started = Date.now();
    bridge.send({ jsonrpc: '2.0', id: 'down', method: 'tools/list', params: { _meta: MODERN_META } });
    const failure = await bridge.answerTo('down');
    expect(Date.now() - started).toBeGreaterThanOrEqual(500);
    expect(Date.now() - started).toBeLessThan(1500 + 1500);
    expect(failure.error).toMatchObject({
      message: expect.stringContaining(`Switchboard is not running at ${url}`),
      data: { code: 'GATEWAY_NOT_RUNNING', url },
    });

    bridge.send({ jsonrpc: '2.0', id: 'back', method: 'tools/list', params: { _meta: MODERN_META } });
    await new Promise((resolve) => setTimeout(resolve, 250));
    const revived = await startScriptedEndpoint(
      (request, response) => answerJson(response, { jsonrpc: '2.0', id: request.body?.id, result: { tools: [] } }),
      port,
    );
    cleanups.push(() => revived.close());
    expect((await bridge.answerTo('back')).result).toEqual({ tools: [] });
  });

  it('ends cleanly when stdin ends, after writing the answers already on their way', async () => {
    const endpoint = await startScriptedEndpoint(
      (request, response) => void setTimeout(() => answerJson(response, { jsonrpc: '2.0', id: request.body?.id, result: { tools: [] } }), 100),
    );
    cleanups.push(() => endpoint.close());
    const bridge = bridgeTo(endpoint.url);
    bridge.send({ jsonrpc: '2.0', id: 1, method: 'tools/list', params: { _meta: MODERN_META } });
    bridge.end();
    await bridge.done;
    await bridge.answerTo(1);
    expect(bridge.received).toEqual([expect.objectContaining({ id: 1, result: { tools: [] } })]);
  });
});
