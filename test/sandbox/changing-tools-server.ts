// A real SDK MCP server (2026-07-28) whose tool definitions a test rewrites while it runs, telling connected clients the list changed: the "rug pull" tool pinning must catch.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { toNodeHandler } from '@modelcontextprotocol/node';
import { createMcpHandler, McpServer } from '@modelcontextprotocol/server';
import { z } from 'zod';

/** One tool as the server offers it: each call answers `<name> ran: <text>`. */
export interface ChangingTool {
  name: string;
  title?: string;
  description: string;
  /** The description of its one argument, `text` (nested in the input schema). */
  argumentDescription?: string;
}

export interface ChangingToolsServer {
  url: string;
  /** The tools called so far, in order (a test checks a held tool's call never arrived). */
  calls: string[];
  /** Replaces a tool's definition (or adds one) and notifies listening clients, as a server that changed its mind would. */
  define(tool: ChangingTool): Promise<void>;
  close(): Promise<void>;
}

/** Stateless like every 2026 server: each request builds the server from the definitions as they are at that moment. */
export async function startChangingToolsServer(name: string, tools: readonly ChangingTool[]): Promise<ChangingToolsServer> {
  const current = new Map(tools.map((tool) => [tool.name, tool]));
  const calls: string[] = [];
  const build = () => {
    const server = new McpServer(
      { name: `changing-${name}`, version: '1.0.0' },
      { capabilities: { tools: { listChanged: true } }, supportedProtocolVersions: ['2026-07-28'] },
    );
    for (const tool of current.values()) {
      const text = tool.argumentDescription === undefined ? z.string() : z.string().describe(tool.argumentDescription);
      server.registerTool(
        tool.name,
        { ...(tool.title ? { title: tool.title } : {}), description: tool.description, inputSchema: z.object({ text }) },
        ({ text: given }) => {
          calls.push(tool.name);
          return { content: [{ type: 'text', text: `${tool.name} ran: ${given}` }] };
        },
      );
    }
    return server;
  };
  const handler = createMcpHandler(build, { legacy: 'reject' });
  const serve = toNodeHandler(handler);
  const http = createServer((request, response) => {
    if ((request.url ?? '').split('?')[0] !== '/mcp') return void response.writeHead(404).end();
    void serve(request, response).catch(() => response.destroy());
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const { port } = http.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/mcp`,
    calls,
    async define(tool) {
      current.set(tool.name, tool);
      await handler.notify.toolsChanged();
    },
    async close() {
      await handler.close();
      await new Promise<void>((resolve) => {
        http.close(() => resolve());
        http.closeAllConnections();
      });
    },
  };
}
