// Protocol edges of the endpoint: older 2025 revisions, 2026 header validation, and upstream timeouts that name the server.
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMcpServer, type SandboxMcpServer } from '../sandbox/mcp-servers.ts';
import { runCli, startServe, type ServeProcess } from '../support/serve-process.ts';

const MODERN_META = {
  'io.modelcontextprotocol/protocolVersion': '2026-07-28',
  'io.modelcontextprotocol/clientCapabilities': {},
  'io.modelcontextprotocol/clientInfo': { name: 'raw', version: '1' },
};

describe('protocol edges', () => {
  let upstream: SandboxMcpServer;
  let serve: ServeProcess;
  let credential: string;

  beforeAll(async () => {
    upstream = await startMcpServer({ name: 'wiki', era: 'modern' });
    const dir = await mkdtemp(join(tmpdir(), 'switchboard-edges-'));
    await writeFile(join(dir, 'config.json'), JSON.stringify({ gateway: { upstreamTimeoutMs: 300 }, servers: [{ id: 'wiki', url: upstream.url }] }));
    credential = (JSON.parse((await runCli(['clients', 'add', 'raw', '--data-dir', join(dir, 'data'), '--json'])).stdout) as { credential: string }).credential;
    serve = await startServe(['--config', join(dir, 'config.json'), '--data-dir', join(dir, 'data')]);
  });

  afterAll(async () => {
    await serve?.stop();
    await upstream?.close();
  });

  const post = (body: unknown, headers: Record<string, string> = {}) =>
    fetch(serve.ready.mcpUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', authorization: `Bearer ${credential}`, ...headers },
      body: JSON.stringify(body),
    });

  it.each(['2025-06-18', '2025-03-26'])('a %s client initializes and calls tools', async (version) => {
    const initialized = await post({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: version, capabilities: {}, clientInfo: { name: 'old', version: '1' } } });
    expect(initialized.status).toBe(200);
    const sessionId = initialized.headers.get('mcp-session-id')!;
    expect(await initialized.text()).toContain(`"protocolVersion":"${version}"`);
    const sessionHeaders: Record<string, string> = { 'mcp-session-id': sessionId, ...(version === '2025-03-26' ? {} : { 'mcp-protocol-version': version }) };
    expect((await post({ jsonrpc: '2.0', method: 'notifications/initialized' }, sessionHeaders)).status).toBe(202);
    const called = await post({ jsonrpc: '2.0', id: 2, method: 'tools/call', params: { name: 'wiki_add', arguments: { a: 1, b: 2 } } }, sessionHeaders);
    expect(await called.text()).toContain('"text":"3"');
  });

  it('validates 2026-07-28 headers against the body (-32020 on a mismatch)', async () => {
    const body = { jsonrpc: '2.0', id: 3, method: 'tools/call', params: { name: 'wiki_echo', arguments: { text: 'x' }, _meta: MODERN_META } };
    const good = await post(body, { 'mcp-protocol-version': '2026-07-28', 'mcp-method': 'tools/call', 'mcp-name': 'wiki_echo' });
    expect(good.status).toBe(200);
    const mismatched = await post(body, { 'mcp-protocol-version': '2026-07-28', 'mcp-method': 'tools/call', 'mcp-name': 'something_else' });
    expect(mismatched.status).toBe(400);
    expect(await mismatched.text()).toContain('-32020');
  });

  it('answers server/discover for 2026-07-28 clients', async () => {
    const client = new Client({ name: 'discover', version: '1' }, { versionNegotiation: { mode: 'auto' } });
    await client.connect(new StreamableHTTPClientTransport(new URL(serve.ready.mcpUrl), { requestInit: { headers: { authorization: `Bearer ${credential}` } } }));
    expect(client.getNegotiatedProtocolVersion()).toBe('2026-07-28');
    expect(client.getServerVersion()?.name).toBe('switchboard');
    await client.close();
  });

  it('a slow upstream ends in a timeout error that names the server, and the endpoint keeps serving', async () => {
    const client = new Client({ name: 'timeouts', version: '1' }, { versionNegotiation: { mode: 'auto' } });
    await client.connect(new StreamableHTTPClientTransport(new URL(serve.ready.mcpUrl), { requestInit: { headers: { authorization: `Bearer ${credential}` } } }));
    const slow = await client.callTool({ name: 'wiki_slow', arguments: { ms: 3000, steps: 1 } }).then(
      (result) => JSON.stringify(result),
      (error: Error) => error.message,
    );
    expect(slow).toMatch(/server "wiki" did not answer within 300 ms/);
    expect((await client.callTool({ name: 'wiki_add', arguments: { a: 2, b: 2 } })).content).toEqual([expect.objectContaining({ text: '4' })]);
    await client.close();
  });
});
