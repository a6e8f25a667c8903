// Self-tests of the sandbox MCP servers: both eras with real SDK clients, progress, bearer auth, cards and catalogs.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMcpServer, type SandboxMcpServer } from './mcp-servers.ts';

const schema = JSON.parse(readFileSync(join(import.meta.dirname, '../fixtures/server-card/schema.json'), 'utf8')) as object;

async function connect(url: string, headers: Record<string, string> = {}): Promise<{ client: Client; transport: StreamableHTTPClientTransport }> {
  const client = new Client({ name: 'sandbox-test', version: '1.0.0' }, { versionNegotiation: { mode: 'auto' } });
  const transport = new StreamableHTTPClientTransport(new URL(url), { requestInit: { headers } });
  await client.connect(transport);
  return { client, transport };
}

describe('sandbox MCP servers', () => {
  let modern: SandboxMcpServer;
  let legacy: SandboxMcpServer;
  let secured: SandboxMcpServer;
  let cardless: SandboxMcpServer;

  beforeAll(async () => {
    modern = await startMcpServer({ name: 'm', era: 'modern' });
    legacy = await startMcpServer({ name: 'l', era: 'legacy' });
    secured = await startMcpServer({
      name: 's',
      era: 'modern',
      auth: {
        authorizationServers: ['http://127.0.0.1:1/as'],
        scopesSupported: ['read', 'admin'],
        // A token verifier written for this test; the real authorization servers are tested in auth-sandbox.test.ts.
        verifyAccessToken: async (token) => {
          if (token === 'reader') return { sub: 'alice', clientId: 'c1', scopes: ['read'] };
          if (token === 'admin') return { sub: 'bob', clientId: 'c1', scopes: ['read', 'admin'] };
          throw new Error('unknown token');
        },
      },
    });
    cardless = await startMcpServer({ name: 'c', era: 'legacy', card: false });
  });

  afterAll(async () => {
    await Promise.all([modern, legacy, secured, cardless].map((server) => server?.close()));
  });

  it('a modern server negotiates 2026-07-28 and serves the standard surface', async () => {
    const { client } = await connect(modern.url);
    expect(client.getNegotiatedProtocolVersion()).toBe('2026-07-28');
    const { tools } = await client.listTools();
    expect(tools.map((tool) => tool.name)).toEqual(expect.arrayContaining(['echo', 'add', 'whoami', 'slow', 'admin_report']));
    expect((await client.callTool({ name: 'add', arguments: { a: 1, b: 2 } })).content).toEqual([{ type: 'text', text: '3' }]);
    const prompt = await client.getPrompt({ name: 'greeting', arguments: { name: 'Ada' } });
    expect(JSON.stringify(prompt.messages)).toContain('Ada');
    const readme = await client.readResource({ uri: 'sandbox://m/readme' });
    expect(readme.contents[0]).toMatchObject({ text: 'This is the m sandbox server.' });
    await client.close();
  });

  it('a legacy server makes an auto-negotiating client fall back to initialize with a session', async () => {
    const { client, transport } = await connect(legacy.url);
    expect(client.getNegotiatedProtocolVersion()).toBe('2025-11-25');
    expect(transport.sessionId).toMatch(/^[0-9a-f-]{36}$/);
    expect((await client.callTool({ name: 'echo', arguments: { text: 'hi' } })).content).toEqual([{ type: 'text', text: 'hi' }]);
    await client.close();
  });

  it('dropSessions makes the old session id a 404', async () => {
    const { client, transport } = await connect(legacy.url);
    const sessionId = transport.sessionId!;
    await legacy.dropSessions();
    const response = await fetch(legacy.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/json, text/event-stream',
        'mcp-session-id': sessionId,
        'mcp-protocol-version': '2025-11-25',
      },
      body: JSON.stringify({ jsonrpc: '2.0', id: 9, method: 'tools/list', params: {} }),
    });
    expect(response.status).toBe(404);
    await client.close().catch(() => undefined);
  });

  it.each(['modern', 'legacy'] as const)('progress notifications flow for slow calls (%s)', async (era) => {
    const { client } = await connect(era === 'modern' ? modern.url : legacy.url);
    const seen: number[] = [];
    await client.callTool({ name: 'slow', arguments: { ms: 50, steps: 3 } }, { onprogress: (progress) => seen.push(progress.progress) });
    // The last step can be lost when it shares a network chunk with the result (SDK client behaviour).
    expect(seen.slice(0, 2)).toEqual([1, 2]);
    await client.close();
  });

  it('a protected server answers 401 with resource_metadata and serves PRM at both paths', async () => {
    const response = await fetch(secured.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(response.status).toBe(401);
    const prmUrl = `${secured.origin}/.well-known/oauth-protected-resource/mcp`;
    expect(response.headers.get('www-authenticate')).toContain(`resource_metadata="${prmUrl}"`);
    for (const path of ['/.well-known/oauth-protected-resource/mcp', '/.well-known/oauth-protected-resource']) {
      const prm = (await (await fetch(`${secured.origin}${path}`)).json()) as Record<string, unknown>;
      expect(prm).toMatchObject({ resource: secured.url, authorization_servers: ['http://127.0.0.1:1/as'], scopes_supported: ['read', 'admin'] });
    }
  });

  it('a valid token reaches the tools; a missing scope is a 403 insufficient_scope challenge', async () => {
    const { client } = await connect(secured.url, { authorization: 'Bearer reader' });
    const whoami = await client.callTool({ name: 'whoami', arguments: {} });
    const [first] = whoami.content;
    expect(first?.type).toBe('text');
    expect(JSON.parse(first?.type === 'text' ? first.text : '{}')).toMatchObject({ sub: 'alice', clientId: 'c1' });
    await client.close();
    const response = await fetch(secured.url, {
      method: 'POST',
      headers: { authorization: 'Bearer reader', 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'admin_report', arguments: {} } }),
    });
    expect(response.status).toBe(403);
    expect(response.headers.get('www-authenticate')).toMatch(/error="insufficient_scope", scope="read admin"/);
    const bad = await fetch(secured.url, { method: 'POST', headers: { authorization: 'Bearer forged' }, body: '{}' });
    expect(bad.status).toBe(401);
    expect(bad.headers.get('www-authenticate')).toContain('error="invalid_token"');
  });

  it('serves a schema-valid Server Card with ETag revalidation and an ai-catalog entry pointing at it', async () => {
    const ajv = new Ajv2020({ strict: false });
    addFormats.default(ajv);
    ajv.addSchema(schema, 'server-card.schema.json');
    const validate = ajv.getSchema('server-card.schema.json#/$defs/ServerCard')!;
    for (const server of [modern, legacy]) {
      const response = await fetch(`${server.url}/server-card`, { headers: { accept: 'application/mcp-server-card+json' } });
      expect(response.headers.get('content-type')).toBe('application/mcp-server-card+json');
      expect(response.headers.get('access-control-allow-origin')).toBe('*');
      const card = (await response.json()) as { remotes: { url: string; supportedProtocolVersions: string[] }[] };
      expect(validate(card), JSON.stringify(validate.errors)).toBe(true);
      expect(card.remotes[0]?.url).toBe(server.url);
      const again = await fetch(`${server.url}/server-card`, { headers: { 'if-none-match': response.headers.get('etag')! } });
      expect(again.status).toBe(304);
      const catalog = (await (await fetch(`${server.origin}/.well-known/ai-catalog.json`)).json()) as { entries: { url: string; type: string }[] };
      expect(catalog.entries).toEqual([expect.objectContaining({ url: `${server.url}/server-card`, type: 'application/mcp-server-card+json' })]);
    }
    expect((await fetch(`${cardless.url}/server-card`)).status).toBe(404);
    expect((await fetch(`${cardless.origin}/.well-known/ai-catalog.json`)).status).toBe(404);
  });
});
