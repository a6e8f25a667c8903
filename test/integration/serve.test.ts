// The walking skeleton end to end: `switchboard serve` in front of real sandbox servers of both eras, used by SDK clients.
import { mkdtemp, writeFile } from 'node:fs/promises';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startMcpServer } from '../sandbox/mcp-servers.ts';
import { runCli, startServe, type ServeProcess } from '../support/serve-process.ts';

type SandboxServer = Awaited<ReturnType<typeof startMcpServer>>;

let credential = '';

async function connect(url: string, mode: 'auto' | 'legacy', bearer: string = credential): Promise<Client> {
  const client = new Client({ name: 'serve-test', version: '1.0.0' }, { versionNegotiation: { mode } });
  await client.connect(new StreamableHTTPClientTransport(new URL(url), { requestInit: { headers: { authorization: `Bearer ${bearer}` } } }));
  return client;
}

async function addClient(dataDir: string, id: string, extra: string[] = []): Promise<string> {
  const result = await runCli(['clients', 'add', id, '--data-dir', dataDir, '--profile', `test-${process.pid}`, '--json', ...extra]);
  expect(result.code, result.stderr).toBe(0);
  return (JSON.parse(result.stdout) as { credential: string }).credential;
}

/** Raw HTTP so the test controls Host and Origin headers, which fetch would not let it forge. */
function rawPost(url: string, headers: Record<string, string>, body: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const request = httpRequest(
      url,
      {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', authorization: `Bearer ${credential}`, ...headers },
      },
      (response) => {
        let text = '';
        response.on('data', (chunk: Buffer) => (text += chunk.toString()));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, body: text }));
      },
    );
    request.on('error', reject);
    request.end(body);
  });
}

const listTools = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list', params: {} });

describe('switchboard serve (walking skeleton)', () => {
  let modern: SandboxServer;
  let legacy: SandboxServer;
  let serve: ServeProcess;
  let workDir: string;

  beforeAll(async () => {
    modern = await startMcpServer({ name: 'modern', era: 'modern' });
    legacy = await startMcpServer({ name: 'legacy', era: 'legacy' });
    workDir = await mkdtemp(join(tmpdir(), 'switchboard-serve-'));
    const config = {
      servers: [
        { id: 'modern', url: modern.url },
        { id: 'legacy', url: legacy.url },
        // Nothing listens on port 9 (discard) on loopback: a server that is down must not break the others.
        { id: 'down', url: 'http://127.0.0.1:9/mcp' },
        { id: 'off', url: 'https://never-contacted.example/mcp', enabled: false },
      ],
    };
    await writeFile(join(workDir, 'config.json'), JSON.stringify(config));
    credential = await addClient(join(workDir, 'data'), 'tester');
    serve = await startServe(['--config', join(workDir, 'config.json'), '--data-dir', join(workDir, 'data'), '--port', '0']);
  });

  afterAll(async () => {
    await serve?.stop();
    await Promise.all([modern?.close(), legacy?.close()]);
  });

  it('prints exactly one JSON ready line with a loopback MCP URL', () => {
    expect(serve.ready).toMatchObject({ event: 'ready', servers: ['modern', 'legacy', 'down'] });
    expect(serve.ready.mcpUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/mcp$/);
    expect(serve.stdoutLines).toHaveLength(1);
  });

  it('a 2026-07-28 client lists and calls the tools of both upstream eras', async () => {
    const client = await connect(serve.ready.mcpUrl, 'auto');
    try {
      expect(client.getNegotiatedProtocolVersion()).toBe('2026-07-28');
      const { tools } = await client.listTools();
      const names = tools.map((tool) => tool.name);
      expect(names).toEqual(expect.arrayContaining(['modern_echo', 'modern_add', 'legacy_echo', 'legacy_add']));
      expect(names.some((name) => name.startsWith('down_'))).toBe(false);
      const sum = await client.callTool({ name: 'legacy_add', arguments: { a: 2, b: 3 } });
      expect(sum.content).toEqual([expect.objectContaining({ type: 'text', text: '5' })]);
      const echo = await client.callTool({ name: 'modern_echo', arguments: { text: 'héllo' } });
      expect(echo.content).toEqual([expect.objectContaining({ type: 'text', text: 'héllo' })]);
    } finally {
      await client.close();
    }
  });

  it('a 2025-11-25 client (initialize handshake) works too', async () => {
    const client = await connect(serve.ready.mcpUrl, 'legacy');
    try {
      expect(client.getNegotiatedProtocolVersion()).toBe('2025-11-25');
      const result = await client.callTool({ name: 'modern_add', arguments: { a: 40, b: 2 } });
      expect(result.content).toEqual([expect.objectContaining({ text: '42' })]);
    } finally {
      await client.close();
    }
  });

  it('a call to a tool nobody offers is a tool error saying what to do', async () => {
    const client = await connect(serve.ready.mcpUrl, 'auto');
    try {
      const result = await client.callTool({ name: 'down_anything', arguments: {} });
      expect(result.isError).toBe(true);
      expect(result.content).toEqual([expect.objectContaining({ text: expect.stringMatching(/no enabled server offers a tool named "down_anything"/) })]);
    } finally {
      await client.close();
    }
  });

  it('refuses DNS rebinding: a foreign Host or Origin gets 403 before any MCP handling', async () => {
    const port = new URL(serve.ready.mcpUrl).port;
    const foreignHost = await rawPost(serve.ready.mcpUrl, { host: `attacker.example:${port}` }, listTools);
    expect(foreignHost.status).toBe(403);
    const foreignOrigin = await rawPost(serve.ready.mcpUrl, { origin: 'https://attacker.example' }, listTools);
    expect(foreignOrigin.status).toBe(403);
    const wrongPort = await rawPost(serve.ready.mcpUrl, { host: '127.0.0.1:1' }, listTools);
    expect(wrongPort.status).toBe(403);
    // A page from another port on this machine is not us either; an opaque origin (sandboxed frame, file://) neither.
    for (const origin of ['http://127.0.0.1:1', 'http://localhost:3000', 'null'])
      expect((await rawPost(serve.ready.mcpUrl, { origin }, listTools)).status, origin).toBe(403);
    // Our own origin passes the guard (what follows is ordinary MCP handling).
    expect((await rawPost(serve.ready.mcpUrl, { origin: `http://127.0.0.1:${port}` }, listTools)).status).not.toBe(403);
  });

  it('refuses a body over the limit with 413 and keeps serving', async () => {
    const huge = JSON.stringify({
      jsonrpc: '2.0',
      id: 2,
      method: 'tools/call',
      params: { name: 'modern_echo', arguments: { text: 'x'.repeat(5 * 1024 * 1024) } },
    });
    expect((await rawPost(serve.ready.mcpUrl, {}, huge)).status).toBe(413);
    const client = await connect(serve.ready.mcpUrl, 'auto');
    await expect(client.listTools()).resolves.toBeDefined();
    await client.close();
  });

  it('refuses a missing or wrong credential with 401 and says how to get one', async () => {
    for (const authorization of ['', 'Bearer sbc_not-a-real-credential', 'Basic dXNlcjpwYXNz']) {
      const response = await rawPost(serve.ready.mcpUrl, { authorization }, listTools);
      expect(response.status).toBe(401);
      expect(response.body).toContain('switchboard clients add');
    }
  });

  it('aggregates prompts and resources, and routes reads and prompt gets to the right server', async () => {
    const client = await connect(serve.ready.mcpUrl, 'auto');
    try {
      const prompts = (await client.listPrompts()).prompts.map((prompt) => prompt.name);
      expect(prompts).toEqual(expect.arrayContaining(['modern_greeting', 'legacy_greeting']));
      const prompt = await client.getPrompt({ name: 'legacy_greeting', arguments: { name: 'Ada' } });
      expect(JSON.stringify(prompt.messages)).toContain('from legacy');
      const uris = (await client.listResources()).resources.map((resource) => resource.uri);
      expect(uris).toEqual(expect.arrayContaining(['sandbox://modern/readme', 'sandbox://legacy/readme']));
      expect((await client.readResource({ uri: 'sandbox://legacy/readme' })).contents[0]).toMatchObject({ text: 'This is the legacy sandbox server.' });
      const templates = (await client.listResourceTemplates()).resourceTemplates.map((template) => template.uriTemplate);
      expect(templates).toEqual(expect.arrayContaining(['sandbox://modern/items/{id}']));
      const item = await client.readResource({ uri: 'sandbox://modern/items/42' });
      expect(JSON.parse((item.contents[0] as { text: string }).text)).toEqual({ id: '42', server: 'modern' });
    } finally {
      await client.close();
    }
  });

  it('relays progress notifications from an upstream tool call in both downstream eras', async () => {
    for (const mode of ['auto', 'legacy'] as const) {
      const client = await connect(serve.ready.mcpUrl, mode);
      const seen: number[] = [];
      await client.callTool({ name: 'legacy_slow', arguments: { ms: 30, steps: 3 } }, { onprogress: (progress) => seen.push(progress.progress) });
      // The last step can be lost when it shares a network chunk with the result (SDK client behaviour).
      expect(seen.slice(0, 2), mode).toEqual([1, 2]);
      await client.close();
    }
  });

  it("relays a server's elicitation to the client whose call caused it, and only to that one", async () => {
    const clients = await Promise.all(
      ['yes', 'no'].map(async (answer) => {
        const client = new Client({ name: `elicit-${answer}`, version: '1.0.0' }, { capabilities: { elicitation: { form: {} } } });
        client.setRequestHandler('elicitation/create', async (request) => ({
          action: 'accept' as const,
          content: { confirmed: answer === 'yes' && JSON.stringify(request.params).includes(`question-${answer}`) },
        }));
        await client.connect(
          new StreamableHTTPClientTransport(new URL(serve.ready.mcpUrl), { requestInit: { headers: { authorization: `Bearer ${credential}` } } }),
        );
        return { client, answer };
      }),
    );
    const answerOf = (result: { content: unknown; isError?: boolean }) => {
      const text = (result.content as { text: string }[])[0]!.text;
      return result.isError ? { error: text } : (JSON.parse(text) as unknown);
    };
    try {
      // One at a time, each client is asked its own question.
      for (const { client, answer } of clients) {
        const result = await client.callTool({ name: 'legacy_confirm', arguments: { question: `question-${answer}` } });
        expect(answerOf(result)).toEqual({ action: 'accept', content: { confirmed: answer === 'yes' } });
      }
      // At the same time, an elicitation Switchboard cannot attribute is refused, never sent to the wrong client.
      const together = await Promise.all(
        clients.map(({ client, answer }) =>
          client
            .callTool({ name: 'legacy_confirm', arguments: { question: `question-${answer}` } })
            .then(answerOf, (error: Error) => ({ error: error.message })),
        ),
      );
      for (const [index, outcome] of together.entries()) {
        const { answer } = clients[index]!;
        expect([
          { action: 'accept', content: { confirmed: answer === 'yes' } },
          expect.objectContaining({ error: expect.stringContaining('Switchboard refused it') }),
        ]).toContainEqual(outcome);
      }
    } finally {
      await Promise.all(clients.map(({ client }) => client.close()));
    }
  });

  it.each(['auto', 'legacy'] as const)('relays a 2026 server’s input_required round trip to a %s client', async (mode) => {
    const client = new Client({ name: `mrtr-${mode}`, version: '1.0.0' }, { versionNegotiation: { mode }, capabilities: { elicitation: { form: {} } } });
    let asked = '';
    client.setRequestHandler('elicitation/create', async (request) => {
      asked = String((request.params as { message?: string }).message);
      return { action: 'accept' as const, content: { confirmed: true } };
    });
    await client.connect(
      new StreamableHTTPClientTransport(new URL(serve.ready.mcpUrl), { requestInit: { headers: { authorization: `Bearer ${credential}` } } }),
    );
    try {
      const result = await client.callTool({ name: 'modern_confirm', arguments: { question: `deploy (${mode})?` } });
      expect(asked).toBe(`deploy (${mode})?`);
      // The server sees the answer and gets its own opaque state back unchanged.
      expect(JSON.parse((result.content as { text: string }[])[0]!.text)).toEqual({
        action: 'accept',
        content: { confirmed: true },
        requestState: 'asked-once',
      });
    } finally {
      await client.close();
    }
  });

  it.each([
    ['legacy', 'legacy_link_account'],
    ['auto', 'modern_link_account'],
  ] as const)('passes a URL-mode elicitation to a %s client unchanged (%s), never opening it', async (mode, tool) => {
    const url = 'https://idp.example.test/link?state=abc&x=%2F';
    const client = new Client({ name: `url-${mode}`, version: '1.0.0' }, { versionNegotiation: { mode }, capabilities: { elicitation: { url: {} } } });
    const seen: unknown[] = [];
    client.setRequestHandler('elicitation/create', async (request) => {
      seen.push(request.params);
      return { action: 'accept' as const };
    });
    await client.connect(
      new StreamableHTTPClientTransport(new URL(serve.ready.mcpUrl), { requestInit: { headers: { authorization: `Bearer ${credential}` } } }),
    );
    try {
      const result = await client.callTool({ name: tool, arguments: { url } });
      expect(seen).toEqual([expect.objectContaining({ mode: 'url', url, message: 'Link your account to continue.' })]);
      expect(JSON.parse((result.content as { text: string }[])[0]!.text)).toMatchObject({ action: 'accept' });
    } finally {
      await client.close();
    }
  });

  it.each([
    ['legacy', 'legacy_roots'],
    ['legacy', 'modern_roots'],
    ['auto', 'modern_roots'],
  ] as const)("answers a server's roots request from the %s client whose call asked (%s)", async (mode, tool) => {
    const roots = [{ uri: `file:///work/${mode}-project`, name: 'project' }];
    const client = new Client({ name: `roots-${mode}`, version: '1.0.0' }, { versionNegotiation: { mode }, capabilities: { roots: {} } });
    client.setRequestHandler('roots/list', async () => ({ roots }));
    await client.connect(
      new StreamableHTTPClientTransport(new URL(serve.ready.mcpUrl), { requestInit: { headers: { authorization: `Bearer ${credential}` } } }),
    );
    try {
      const result = await client.callTool({ name: tool, arguments: {} });
      expect(JSON.parse((result.content as { text: string }[])[0]!.text)).toMatchObject({ roots });
    } finally {
      await client.close();
    }
  });

  it("relays a 2025 server's log message during a call to the calling client", async () => {
    const client = await connect(serve.ready.mcpUrl, 'legacy');
    const messages: unknown[] = [];
    client.setNotificationHandler('notifications/message', (notification) => void messages.push(notification.params.data));
    try {
      await client.setLoggingLevel('debug');
      await client.callTool({ name: 'legacy_noisy', arguments: { text: 'hello log' } });
      await vi.waitFor(() => expect(messages).toEqual([{ said: 'hello log' }]));
    } finally {
      await client.close();
    }
  });

  it('limits a client to the servers and tools its registration names', async () => {
    const limited = await addClient(join(workDir, 'data'), 'limited', ['--servers', 'modern', '--tools', 'modern_echo,modern_add']);
    const client = await connect(serve.ready.mcpUrl, 'auto', limited);
    try {
      expect((await client.listTools()).tools.map((tool) => tool.name).sort()).toEqual(['modern_add', 'modern_echo']);
      expect(await client.callTool({ name: 'legacy_echo', arguments: { text: 'x' } })).toMatchObject({ isError: true });
      await expect(client.readResource({ uri: 'sandbox://legacy/readme' })).rejects.toThrow(/no enabled server offers the resource/);
    } finally {
      await client.close();
    }
  });

  it("keeps one client out of another client's legacy session", async () => {
    const other = await addClient(join(workDir, 'data'), 'other');
    const transport = new StreamableHTTPClientTransport(new URL(serve.ready.mcpUrl), { requestInit: { headers: { authorization: `Bearer ${credential}` } } });
    const owner = new Client({ name: 'owner', version: '1.0.0' });
    await owner.connect(transport);
    const sessionId = transport.sessionId!;
    expect(sessionId).toBeTruthy();
    const hijack = await rawPost(
      serve.ready.mcpUrl,
      { authorization: `Bearer ${other}`, 'mcp-session-id': sessionId, 'mcp-protocol-version': '2025-11-25' },
      listTools,
    );
    expect(hijack.status).toBe(404);
    await expect(owner.listTools()).resolves.toBeDefined();
    await owner.close();
  });

  it('switchboard status reports the endpoint, clients and each server (era, health, tools, last error)', async () => {
    const dataDir = join(workDir, 'data');
    const result = await runCli(['status', '--data-dir', dataDir, '--json']);
    expect(result.code, result.stderr).toBe(0);
    const status = JSON.parse(result.stdout) as {
      mcpUrl: string;
      clients: { id: string }[];
      servers: { id: string; state: string; era?: string; toolCount?: number; lastError?: { code: string } }[];
    };
    expect(status.mcpUrl).toBe(serve.ready.mcpUrl);
    expect(status.clients.map((client) => client.id)).toContain('tester');
    expect(JSON.stringify(status)).not.toContain('sbc_');
    const byId = new Map(status.servers.map((server) => [server.id, server]));
    expect(byId.get('modern')).toMatchObject({ state: 'ready', era: 'modern', toolCount: expect.any(Number) });
    expect(byId.get('legacy')).toMatchObject({ state: 'ready', era: 'legacy' });
    expect(byId.get('down')).toMatchObject({ state: 'unavailable', lastError: { code: 'UPSTREAM_UNAVAILABLE' } });
    expect(byId.has('off')).toBe(false);
    const text = await runCli(['status', '--data-dir', dataDir]);
    expect(text.stdout).toContain(`Endpoint  ${serve.ready.mcpUrl}`);
    const none = await runCli(['status', '--data-dir', join(workDir, 'nothing-here')]);
    expect(none.code).toBe(3);
    expect(none.stderr).toContain('GATEWAY_NOT_RUNNING');
  });

  it("never passes a client's credential upstream: servers without auth receive no Authorization header at all", () => {
    expect(modern.methodsReceived.length).toBeGreaterThan(0);
    expect(legacy.methodsReceived.length).toBeGreaterThan(0);
    expect([...modern.authorizationsReceived, ...legacy.authorizationsReceived]).toEqual([]);
  });

  it('answers 404 off the MCP path', async () => {
    const url = new URL(serve.ready.mcpUrl);
    url.pathname = '/other';
    expect((await rawPost(url.href, {}, listTools)).status).toBe(404);
  });

  it('stops cleanly on SIGTERM', async () => {
    const second = await startServe(['--config', join(workDir, 'config.json'), '--data-dir', join(workDir, 'data2')]);
    expect(await second.stop('SIGTERM'), second.stderr()).toBe(0);
    const third = await startServe(['--config', join(workDir, 'config.json'), '--data-dir', join(workDir, 'data3')]);
    expect(await third.stop('SIGINT'), third.stderr()).toBe(0);
  });
});

describe('switchboard serve with a bad configuration', () => {
  it('exits 1 with the code, the file and the field', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'switchboard-badconfig-'));
    const file = join(dir, 'config.json');
    await writeFile(file, JSON.stringify({ servers: [{ id: 'x', url: 'ftp://example.com' }] }));
    const result = await runCli(['serve', '--config', file]);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain(`CONFIG_INVALID: ${file}: servers[0].url: must be an https URL`);
  });

  it('every command has --help', async () => {
    for (const args of [['--help'], ['serve', '--help'], ['status', '--help'], ['clients', '--help'], ['clients', 'add', '--help']]) {
      const result = await runCli(args);
      expect(result.code).toBe(0);
      expect(result.stdout).toMatch(/^Usage: switchboard/);
    }
  });
});
