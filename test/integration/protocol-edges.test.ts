// Protocol edges of the endpoint: older 2025 revisions, 2026 header validation, and upstream timeouts that name the server.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMcpServer, type SandboxMcpServer } from '../sandbox/mcp-servers.ts';
import { startGatewayFixture, type GatewayFixture } from '../support/gateway-fixture.ts';

const MODERN_META = {
  'io.modelcontextprotocol/protocolVersion': '2026-07-28',
  'io.modelcontextprotocol/clientCapabilities': {},
  'io.modelcontextprotocol/clientInfo': { name: 'raw', version: '1' },
};

describe('protocol edges', () => {
  let upstream: SandboxMcpServer;
  let gateway: GatewayFixture;

  beforeAll(async () => {
    upstream = await startMcpServer({ name: 'wiki', era: 'modern' });
    gateway = await startGatewayFixture({ gateway: { upstreamTimeoutMs: 300 }, servers: [{ id: 'wiki', url: upstream.url }] });
  });

  afterAll(async () => {
    await gateway?.stop();
    await upstream?.close();
  });

  const post = (body: unknown, headers: Record<string, string> = {}) =>
    fetch(gateway.serve.ready.mcpUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', authorization: `Bearer ${gateway.credential}`, ...headers },
      body: JSON.stringify(body),
    });

  it.each(['2025-06-18', '2025-03-26'])('a %s client initializes and calls tools', async (version) => {
    const initialized = await post({
      jsonrpc: '2.0',
      id: 1,
      method: 'initialize',
      params: { protocolVersion: version, capabilities: {}, clientInfo: { name: 'old', version: '1' } },
    });
    expect(initialized.status).toBe(200);
    const sessionId = initialized.headers.get('mcp-session-id')!;
    expect(await initialized.text()).toContain(`"protocolVersion":"${version}"`);
    const sessionHeaders: Record<string, string> = { 'mcp-session-id': sessionId, ...(version === '2025-03-26' ? {} : { 'mcp-protocol-version': version }) };
    expect((await post({ jsonrpc: '2.0', method: 'notifications/initialized' }, sessionHeaders)).status).toBe(202);
    const called = await post({ jsonrpc: '2.0', id: 2, method: 'tools/call', params: { name: 'wiki_add', arguments: { a: 1, b: 2 } } }, sessionHeaders);
    expect(await called.text()).toContain('"text":"3"');
  });

  it("opens a 2025 session's answer stream with a priming event, and a client that lost it resumes from there (SEP-1699)", async () => {
    const initialized = await post({
      jsonrpc: '2.0',
      id: 1,
      method: 'initialize',
      params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'resuming', version: '1' } },
    });
    const session = { 'mcp-session-id': initialized.headers.get('mcp-session-id')!, 'mcp-protocol-version': '2025-11-25' };
    await post({ jsonrpc: '2.0', method: 'notifications/initialized' }, session);
    const called = await post({ jsonrpc: '2.0', id: 2, method: 'tools/call', params: { name: 'wiki_add', arguments: { a: 20, b: 22 } } }, session);
    const events = (await called.text()).split('\n\n').filter(Boolean);
    // First an id with no data (the priming event), then the answer under an id of its own.
    expect(events[0]).toMatch(/^id: \S+\ndata: $/);
    expect(events.at(-1)).toMatch(/^event: message\nid: \S+\ndata: .*"text":"42"/s);
    const primingId = /^id: (\S+)/.exec(events[0]!)![1]!;
    const resumed = await fetch(gateway.serve.ready.mcpUrl, {
      headers: { accept: 'text/event-stream', authorization: `Bearer ${gateway.credential}`, 'last-event-id': primingId, ...session },
    });
    expect(resumed.status).toBe(200);
    expect(await resumed.text()).toContain('"text":"42"');
    // An id Switchboard never gave is refused, not answered with nothing.
    const unknown = await fetch(gateway.serve.ready.mcpUrl, {
      headers: { accept: 'text/event-stream', authorization: `Bearer ${gateway.credential}`, 'last-event-id': 'nope.1', ...session },
    });
    expect(unknown.status).toBe(400);
    await unknown.body?.cancel();
  });

  it('validates 2026-07-28 headers against the body (-32020 on a mismatch)', async () => {
    const body = { jsonrpc: '2.0', id: 3, method: 'tools/call', params: { name: 'wiki_echo', arguments: { text: 'x' }, _meta: MODERN_META } };
    const good = await post(body, { 'mcp-protocol-version': '2026-07-28', 'mcp-method': 'tools/call', 'mcp-name': 'wiki_echo' });
    expect(good.status).toBe(200);
    const mismatched = await post(body, { 'mcp-protocol-version': '2026-07-28', 'mcp-method': 'tools/call', 'mcp-name': 'something_else' });
    expect(mismatched.status).toBe(400);
    expect(await mismatched.text()).toContain('-32020');
  });

  it.each([
    ['inputResponses a number', { inputResponses: 5 }, 'inputResponses must be an object'],
    ['inputResponses null', { inputResponses: null }, 'inputResponses must be an object'],
    ['inputResponses holding a number as an answer', { inputResponses: { user_name: 12345 } }, 'inputResponses.user_name must be the answer object'],
    ['requestState an object', { inputResponses: {}, requestState: { forged: true } }, 'requestState must be the string'],
  ])('refuses a retry whose %s with Invalid params, on either path, and still serves a well-formed one', async (_what, retry, says) => {
    const headers = { 'mcp-protocol-version': '2026-07-28', 'mcp-method': 'tools/call', 'mcp-name': 'wiki_add' };
    const body = (extra: object) => ({
      jsonrpc: '2.0',
      id: 9,
      method: 'tools/call',
      params: { name: 'wiki_add', arguments: { a: 1, b: 2 }, _meta: MODERN_META, ...extra },
    });
    const refused = await post(body(retry), headers);
    expect(refused.status).toBe(200);
    expect(await refused.json()).toEqual({ jsonrpc: '2.0', id: 9, error: { code: -32602, message: expect.stringContaining(says) } });
    const fine = await post(body({ inputResponses: {} }), headers);
    expect(await fine.text()).toContain('"text":"3"');
  });

  it('marks aggregated 2026-07-28 lists as private to the client (cacheScope) with a ttlMs', async () => {
    for (const method of ['tools/list', 'prompts/list', 'resources/list', 'resources/templates/list']) {
      const response = await post(
        { jsonrpc: '2.0', id: 4, method, params: { _meta: MODERN_META } },
        { 'mcp-protocol-version': '2026-07-28', 'mcp-method': method },
      );
      const { result } = (await response.json()) as { result: { ttlMs?: unknown; cacheScope?: unknown } };
      expect(result, method).toMatchObject({ cacheScope: 'private', ttlMs: expect.any(Number) });
    }
  });

  it('answers server/discover for 2026-07-28 clients', async () => {
    const client = await gateway.connect();
    expect(client.getNegotiatedProtocolVersion()).toBe('2026-07-28');
    expect(client.getServerVersion()?.name).toBe('switchboard');
    await client.close();
  });

  it('a slow upstream ends in a timeout error that names the server, and the endpoint keeps serving', async () => {
    const client = await gateway.connect();
    const slow = await client.callTool({ name: 'wiki_slow', arguments: { ms: 3000, steps: 1 } }).then(
      (result) => JSON.stringify(result),
      (error: Error) => error.message,
    );
    expect(slow).toMatch(/server "wiki" did not answer within 300 ms/);
    expect((await client.callTool({ name: 'wiki_add', arguments: { a: 2, b: 2 } })).content).toEqual([expect.objectContaining({ text: '4' })]);
    await client.close();
  });
});
