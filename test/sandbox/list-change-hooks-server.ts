// A 2025-era MCP server (sessions, like server-everything) with the conformance suite's list-change hooks, test_trigger_tool_change and test_trigger_prompt_change.
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { NodeStreamableHTTPServerTransport } from '@modelcontextprotocol/node';
import { isInitializeRequest, McpServer } from '@modelcontextprotocol/server';

export interface HooksServer {
  url: string;
  close(): Promise<void>;
}

/**
 * Each session's lists grow by one tool or one prompt per hook call, and the SDK announces the change on the
 * session's GET stream (notifications/tools/list_changed, notifications/prompts/list_changed), as a server whose
 * lists change at run time does.
 */
export async function startListChangeHooksServer(): Promise<HooksServer> {
  const sessions = new Map<string, NodeStreamableHTTPServerTransport>();
  const http = createServer((request, response) => void handle(request, response).catch(() => response.destroy()));
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', () => resolve()));
  const url = `http://127.0.0.1:${(http.address() as AddressInfo).port}/mcp`;

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const body = request.method === 'POST' ? await readJson(request) : undefined;
    const sessionId = request.headers['mcp-session-id'];
    if (typeof sessionId === 'string') {
      const transport = sessions.get(sessionId);
      if (transport) return transport.handleRequest(request, response, body);
      return send(response, 404, { jsonrpc: '2.0', id: null, error: { code: -32001, message: 'Session not found' } });
    }
    if (request.method === 'POST' && isInitializeRequest(body)) {
      const transport = new NodeStreamableHTTPServerTransport({
        sessionIdGenerator: () => randomUUID(),
        onsessioninitialized: (id) => void sessions.set(id, transport),
        onsessionclosed: (id) => void sessions.delete(id),
      });
      await buildServer().connect(transport);
      return transport.handleRequest(request, response, body);
    }
    send(response, 400, { jsonrpc: '2.0', id: null, error: { code: -32000, message: 'Bad Request: No valid session ID provided' } });
  }

  return {
    url,
    async close() {
      await Promise.allSettled([...sessions.values()].map((transport) => transport.close()));
      await new Promise<void>((resolve) => {
        http.close(() => resolve());
        http.closeAllConnections();
      });
    },
  };
}

function buildServer(): McpServer {
  const server = new McpServer(
    { name: 'list-change-hooks', version: '1.0.0' },
    { capabilities: { tools: { listChanged: true }, prompts: { listChanged: true } } },
  );
  let added = 0;
  server.registerPrompt('greeting', { description: 'Says hello.' }, () => ({ messages: [{ role: 'user', content: { type: 'text', text: 'hello' } }] }));
  // Registering after connect makes the SDK send the list_changed notification.
  server.registerTool('test_trigger_tool_change', { description: 'Adds a tool to this session’s list.' }, () => {
    const name = `added_tool_${++added}`;
    server.registerTool(name, { description: 'Added by test_trigger_tool_change.' }, () => ({ content: [{ type: 'text', text: name }] }));
    return { content: [{ type: 'text', text: `added ${name}` }] };
  });
  server.registerTool('test_trigger_prompt_change', { description: 'Adds a prompt to this session’s list.' }, () => {
    const name = `added_prompt_${++added}`;
    server.registerPrompt(name, { description: 'Added by test_trigger_prompt_change.' }, () => ({
      messages: [{ role: 'user', content: { type: 'text', text: name } }],
    }));
    return { content: [{ type: 'text', text: `added ${name}` }] };
  });
  return server;
}

async function readJson(request: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown;
  } catch {
    return undefined;
  }
}

function send(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}
