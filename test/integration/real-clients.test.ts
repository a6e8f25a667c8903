// Clients people actually use, against the local endpoint: the MCP Inspector's CLI, and mcp-remote as a stdio proxy.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { Client } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMcpServer, type SandboxMcpServer } from '../sandbox/mcp-servers.ts';
import { startGatewayFixture, type GatewayFixture } from '../support/gateway-fixture.ts';

const require = createRequire(import.meta.url);
const inspectorCli = join(
  dirname(require.resolve('@modelcontextprotocol/inspector/package.json')),
  require('@modelcontextprotocol/inspector/package.json').bin.inspector as string,
);
const mcpRemoteCli = join(
  dirname(require.resolve('mcp-remote/package.json')),
  (require('mcp-remote/package.json') as { bin: Record<string, string> }).bin['mcp-remote']!,
);

describe('real MCP clients through the endpoint', () => {
  let upstreams: SandboxMcpServer[];
  let gateway: GatewayFixture;
  let home: string;

  beforeAll(async () => {
    upstreams = [await startMcpServer({ name: 'wiki', era: 'modern' }), await startMcpServer({ name: 'tickets', era: 'legacy' })];
    gateway = await startGatewayFixture({ servers: upstreams.map((server) => ({ id: server.name, url: server.url })) });
    // mcp-remote and the Inspector keep state under HOME; give them a throwaway one.
    home = join(gateway.workDir, 'home');
  });

  afterAll(async () => {
    await gateway?.stop();
    await Promise.all(upstreams.map((server) => server.close()));
  });

  async function inspector(...args: string[]): Promise<unknown> {
    const child = spawn(
      process.execPath,
      [inspectorCli, '--cli', gateway.serve.ready.mcpUrl, '--transport', 'http', '--header', `Authorization: Bearer ${gateway.credential}`, ...args],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
        env: { ...process.env, HOME: home },
      },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const [code] = (await once(child, 'exit')) as [number];
    expect(code, stderr).toBe(0);
    return JSON.parse(stdout) as unknown;
  }

  it('the Inspector CLI lists tools and calls one on each upstream', async () => {
    const listed = (await inspector('--method', 'tools/list')) as { tools: { name: string }[] };
    expect(listed.tools.map((tool) => tool.name)).toEqual(expect.arrayContaining(['wiki_echo', 'tickets_echo']));
    const called = (await inspector('--method', 'tools/call', '--tool-name', 'tickets_add', '--tool-arg', 'a=2', '--tool-arg', 'b=40')) as {
      content: { text: string }[];
    };
    expect(called.content[0]?.text).toBe('42');
  }, 60_000);

  it('mcp-remote, as a stdio proxy in front of the endpoint, serves a stdio client', async () => {
    const transport = new StdioClientTransport({
      command: process.execPath,
      args: [mcpRemoteCli, gateway.serve.ready.mcpUrl, '--header', `Authorization:Bearer ${gateway.credential}`, '--transport', 'http-only'],
      env: { PATH: process.env.PATH ?? '', HOME: home },
      stderr: 'pipe',
    });
    const client = new Client({ name: 'behind-mcp-remote', version: '1.0.0' });
    await client.connect(transport);
    try {
      expect((await client.listTools()).tools.map((tool) => tool.name)).toEqual(expect.arrayContaining(['wiki_add', 'tickets_add']));
      expect((await client.callTool({ name: 'wiki_echo', arguments: { text: 'via mcp-remote' } })).content).toEqual([
        expect.objectContaining({ text: 'via mcp-remote' }),
      ]);
    } finally {
      await client.close();
    }
  }, 60_000);
});
