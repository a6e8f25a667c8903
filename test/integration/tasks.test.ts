// The Tasks extension through the endpoint, on the wire a 2026-07-28 client sends: created, polled, answered, cancelled, and kept per client.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMcpServer, type SandboxMcpServer } from '../sandbox/mcp-servers.ts';
import { startGatewayFixture, type GatewayFixture } from '../support/gateway-fixture.ts';

const TASKS = 'io.modelcontextprotocol/tasks';
const TOOL = 'wiki_publish_report';

interface RpcReply {
  result?: Record<string, unknown> & { taskId?: string; status?: string };
  error?: { code: number; message: string; data?: Record<string, unknown> };
}

describe('tasks extension through Switchboard', () => {
  let upstream: SandboxMcpServer;
  let gateway: GatewayFixture;
  let otherCredential: string;
  let nextId = 1;

  beforeAll(async () => {
    upstream = await startMcpServer({ name: 'wiki', era: 'modern' });
    gateway = await startGatewayFixture({ servers: [{ id: 'wiki', url: upstream.url }] });
    otherCredential = await gateway.addClient('other');
  });

  afterAll(async () => {
    await gateway?.stop();
    await upstream?.close();
  });

  /** One 2026-07-28 request with the headers the extension requires (Mcp-Name mirrors the tool name or task id). */
  async function rpc(method: string, params: Record<string, unknown>, options: { tasks?: boolean; credential?: string } = {}): Promise<RpcReply> {
    const name = typeof params.taskId === 'string' ? params.taskId : typeof params.name === 'string' ? params.name : undefined;
    const capabilities = options.tasks === false ? {} : { extensions: { [TASKS]: {} } };
    const response = await fetch(gateway.serve.ready.mcpUrl, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/json, text/event-stream',
        authorization: `Bearer ${options.credential ?? gateway.credential}`,
        'mcp-protocol-version': '2026-07-28',
        'mcp-method': method,
        ...(name ? { 'mcp-name': name } : {}),
      },
      body: JSON.stringify({
        jsonrpc: '2.0',
        id: nextId++,
        method,
        params: { ...params, _meta: { 'io.modelcontextprotocol/protocolVersion': '2026-07-28', 'io.modelcontextprotocol/clientCapabilities': capabilities } },
      }),
    });
    const text = await response.text();
    // A reply is JSON or an SSE stream whose last data line is the response.
    const json = response.headers.get('content-type')?.includes('text/event-stream')
      ? text
          .split('\n')
          .filter((line) => line.startsWith('data: '))
          .at(-1)!
          .slice(6)
      : text;
    return JSON.parse(json) as RpcReply;
  }

  async function pollUntil(taskId: string, statuses: string[]): Promise<Record<string, unknown>> {
    for (let attempt = 0; attempt < 200; attempt++) {
      const { result, error } = await rpc('tasks/get', { taskId });
      if (error) throw new Error(`tasks/get failed: ${error.message}`);
      if (statuses.includes(String(result!.status))) return result!;
      await new Promise((resolve) => setTimeout(resolve, Number(result!.pollIntervalMs ?? 20)));
    }
    throw new Error(`task ${taskId} never reached ${statuses.join('/')}`);
  }

  it('relays a task: created with an id bound to the client, polled, answered through tasks/update, completed', async () => {
    const created = await rpc('tools/call', { name: TOOL, arguments: { title: 'Q3', ms: 30 } });
    expect(created.error).toBeUndefined();
    expect(created.result).toMatchObject({ resultType: 'task', status: 'working', taskId: expect.stringMatching(/^sbt1\./) });
    const taskId = created.result!.taskId!;

    const waiting = await pollUntil(taskId, ['input_required']);
    expect(waiting.taskId).toBe(taskId);
    expect(waiting.inputRequests).toMatchObject({ approve: { method: 'elicitation/create', params: expect.objectContaining({ message: 'Publish "Q3"?' }) } });

    // Another local client cannot see, answer or cancel this client's task, even with its id.
    for (const method of ['tasks/get', 'tasks/update', 'tasks/cancel']) {
      const stolen = await rpc(
        method,
        { taskId, ...(method === 'tasks/update' ? { inputResponses: { approve: { action: 'decline' } } } : {}) },
        { credential: otherCredential },
      );
      expect(stolen.error, method).toMatchObject({ code: -32602, data: { switchboardCode: 'ROUTER_UNKNOWN_TASK' } });
    }

    const updated = await rpc('tasks/update', { taskId, inputResponses: { approve: { action: 'accept', content: { publish: true } } } });
    expect(updated.error).toBeUndefined();
    const done = await pollUntil(taskId, ['completed', 'failed', 'cancelled']);
    expect(done).toMatchObject({ status: 'completed', result: { content: [{ type: 'text', text: 'published "Q3"' }] } });
  });

  it('cancels a task at the server that runs it', async () => {
    const created = await rpc('tools/call', { name: TOOL, arguments: { title: 'draft', ms: 5000 } });
    const taskId = created.result!.taskId!;
    expect((await rpc('tasks/cancel', { taskId })).error).toBeUndefined();
    expect(await pollUntil(taskId, ['cancelled', 'completed', 'failed'])).toMatchObject({ status: 'cancelled' });
  });

  it('never hands a task to a client that did not declare the extension: the server says what capability it needs', async () => {
    const reply = await rpc('tools/call', { name: TOOL, arguments: { title: 'Q4' } }, { tasks: false });
    expect(reply.error).toMatchObject({ code: -32021, data: { requiredCapabilities: { extensions: { [TASKS]: {} } } } });
    const poll = await rpc('tasks/get', { taskId: 'sbt1.x.y.z' }, { tasks: false });
    expect(poll.error?.code).toBe(-32021);
  });

  it('a 2025-11-25 client gets the same clear capability error, and ordinary tools keep working beside it', async () => {
    const client = await gateway.connect('legacy');
    const failed = await client.callTool({ name: TOOL, arguments: { title: 'Q4' } }).then(
      () => undefined,
      (error: { code?: number }) => error,
    );
    expect(failed?.code).toBe(-32021);
    expect((await client.callTool({ name: 'wiki_add', arguments: { a: 1, b: 1 } })).content).toEqual([expect.objectContaining({ text: '2' })]);
    await client.close();
  });

  it('refuses forged and malformed task ids without asking any server', async () => {
    const created = await rpc('tools/call', { name: TOOL, arguments: { title: 'real', ms: 5000 } });
    const [prefix, server, , mac] = created.result!.taskId!.split('.');
    const forged = [`${prefix}.${server}.${Buffer.from('someone-elses-task').toString('base64url')}.${mac}`, 'not-a-task', `${prefix}.${server}`];
    for (const taskId of forged) {
      expect((await rpc('tasks/get', { taskId })).error, taskId).toMatchObject({ data: { switchboardCode: 'ROUTER_UNKNOWN_TASK' } });
    }
    await rpc('tasks/cancel', { taskId: created.result!.taskId! });
  });
});
