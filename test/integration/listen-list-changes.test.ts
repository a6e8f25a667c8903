// A 2026-07-28 client's subscriptions/listen stream gets the list changes it asked for from a 2025 server behind Switchboard, tagged with its subscription, and no others.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startListChangeHooksServer, type HooksServer } from '../sandbox/list-change-hooks-server.ts';
import { startGatewayFixture, type GatewayFixture } from '../support/gateway-fixture.ts';

const VERSION = '2026-07-28';
const META = {
  'io.modelcontextprotocol/protocolVersion': VERSION,
  'io.modelcontextprotocol/clientInfo': { name: 'listen-test', version: '1.0.0' },
  'io.modelcontextprotocol/clientCapabilities': {},
};
type Frame = { method?: string; params?: { _meta?: Record<string, unknown> } };

let hooks: HooksServer;
let gateway: GatewayFixture;

beforeAll(async () => {
  hooks = await startListChangeHooksServer();
  gateway = await startGatewayFixture({ servers: [{ id: 'hooks', url: hooks.url, prefix: 'hk' }] });
}, 30_000);

afterAll(async () => {
  await gateway?.stop();
  await hooks?.close();
});

function headers(method: string, name?: string): Record<string, string> {
  return {
    'content-type': 'application/json',
    accept: 'application/json, text/event-stream',
    authorization: `Bearer ${gateway.credential}`,
    'mcp-protocol-version': VERSION,
    'mcp-method': method,
    ...(name ? { 'mcp-name': name } : {}),
  };
}

async function callTool(name: string): Promise<unknown> {
  const response = await fetch(gateway.serve.ready.mcpUrl, {
    method: 'POST',
    headers: headers('tools/call', name),
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name, arguments: {}, _meta: META } }),
  });
  expect(response.status).toBe(200);
  return response.text();
}

/** Opens a listen stream asking for the given notifications; frames collects every JSON-RPC message it carries. */
async function listen(notifications: Record<string, boolean>): Promise<{ frames: Frame[]; close: () => void }> {
  const controller = new AbortController();
  const response = await fetch(gateway.serve.ready.mcpUrl, {
    method: 'POST',
    headers: headers('subscriptions/listen'),
    body: JSON.stringify({ jsonrpc: '2.0', id: 7, method: 'subscriptions/listen', params: { notifications, _meta: META } }),
    signal: controller.signal,
  });
  expect(response.headers.get('content-type')).toContain('text/event-stream');
  const frames: Frame[] = [];
  void (async () => {
    const decoder = new TextDecoder();
    let buffer = '';
    try {
      for await (const chunk of response.body!) {
        buffer += decoder.decode(chunk as Uint8Array, { stream: true });
        const lines = buffer.split(/\r?\n/);
        buffer = lines.pop() ?? '';
        for (const line of lines) if (line.startsWith('data:') && line.length > 5) frames.push(JSON.parse(line.slice(5)) as Frame);
      }
    } catch {
      // aborted by close()
    }
  })();
  await until(() => frames.length > 0, 'the acknowledgement');
  return { frames, close: () => controller.abort() };
}

async function until(condition: () => boolean, what: string, ms = 3_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

const methods = (frames: Frame[]) => frames.map((frame) => frame.method);

describe('subscriptions/listen through Switchboard, in front of a 2025 server whose lists change', () => {
  it('a stream that asked for tool changes gets tools/list_changed and not prompts/list_changed, and one that asked for prompt changes the reverse', async () => {
    const tools = await listen({ toolsListChanged: true });
    const prompts = await listen({ promptsListChanged: true });
    try {
      for (const stream of [tools, prompts]) expect(methods(stream.frames)).toEqual(['notifications/subscriptions/acknowledged']);

      await callTool('hk_test_trigger_tool_change');
      await until(() => methods(tools.frames).includes('notifications/tools/list_changed'), 'tools/list_changed');
      await callTool('hk_test_trigger_prompt_change');
      await until(() => methods(prompts.frames).includes('notifications/prompts/list_changed'), 'prompts/list_changed');
      // Each change has reached the stream that asked for it by now; give a stray one the same time to arrive.
      await new Promise((resolve) => setTimeout(resolve, 300));

      expect(methods(tools.frames)).not.toContain('notifications/prompts/list_changed');
      expect(methods(prompts.frames)).not.toContain('notifications/tools/list_changed');
      for (const stream of [tools, prompts]) {
        const id = stream.frames[0]!.params?._meta?.['io.modelcontextprotocol/subscriptionId'];
        expect(id).toBeDefined();
        for (const frame of stream.frames) expect(frame.params?._meta?.['io.modelcontextprotocol/subscriptionId']).toBe(id);
      }
    } finally {
      tools.close();
      prompts.close();
    }
  });

  it('the next prompt listing after the change has the added prompt, under the server’s prefix', async () => {
    // (An added tool is held for review by tool pinning, so tools/list stays as approved: test/integration/tool-pinning.test.ts.)
    const response = await fetch(gateway.serve.ready.mcpUrl, {
      method: 'POST',
      headers: { ...headers('prompts/list'), accept: 'application/json' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'prompts/list', params: { _meta: META } }),
    });
    const { result } = (await response.json()) as { result: { prompts: { name: string }[] } };
    expect(result.prompts.map((prompt) => prompt.name)).toEqual(expect.arrayContaining(['hk_greeting', 'hk_added_prompt_2']));
  });
});
