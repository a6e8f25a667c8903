// Clients people actually use, against the local endpoint: the MCP Inspector's CLI, and mcp-remote as a stdio proxy.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { Client } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMcpServer, type SandboxMcpServer } from '../sandbox/mcp-servers.ts';
import { runCli, startServe, type ServeProcess } from '../support/serve-process.ts';

const require = createRequire(import.meta.url);
const inspectorCli = join(dirname(require.resolve('@modelcontextprotocol/inspector/package.json')), require('@modelcontextprotocol/inspector/package.json').bin.inspector as string);
const mcpRemoteCli = join(dirname(require.resolve('mcp-remote/package.json')), (require('mcp-remote/package.json') as { bin: Record<string, string> }).bin['mcp-remote']!);

describe('real MCP clients through the endpoint', () => {
  let upstreams: SandboxMcpServer[];
  let serve: ServeProcess;
  let credential: string;
  let home: string;

  beforeAll(async () => {
    upstreams = [await startMcpServer({ name: 'wiki', era: 'modern' }), await startMcpServer({ name: 'tickets', era: 'legacy' })];
    const dir = await mkdtemp(join(tmpdir(), 'switchboard-real-clients-'));
    home = join(dir, 'home');
    await writeFile(join(dir, 'config.json'), JSON.stringify({ servers: upstreams.map((server) => ({ id: server.name, url: server.url })) }));
    credential = (JSON.parse((await runCli(['clients', 'add', 'tools', '--data-dir', join(dir, 'data'), '--json'])).stdout) as { credential: string }).credential;
    serve = await startServe(['--config', join(dir, 'config.json'), '--data-dir', join(dir, 'data')]);
  });

  afterAll(async () => {
    await serve?.stop();
    await Promise.all(upstreams.map((server) => server.close()));
  });

  async function inspector(...args: string[]): Promise<unknown> {
    const child = spawn(process.execPath, [inspectorCli, '--cli', serve.ready.mcpUrl, '--transport', 'http', '--header', `Authorization: Bearer ${credential}`, ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, HOME: home },
    });
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
    const called = (await inspector('--method', 'tools/call', '--tool-name', 'tickets_add', '--tool-arg', 'a=2', '--tool-arg', 'b=40')) as { content: { text: string }[] };
    expect(called.content[0]?.text).toBe('42');
  }, 60_000);

  it('mcp-remote, as a stdio proxy in front of the endpoint, serves a stdio client', async () => {
    const transport = new StdioClientTransport({
      command: process.execPath,
      args: [mcpRemoteCli, serve.ready.mcpUrl, '--header', `Authorization:Bearer ${credential}`, '--transport', 'http-only'],
      env: { PATH: process.env.PATH ?? '', HOME: home },
      stderr: 'pipe',
    });
    const client = new Client({ name: 'behind-mcp-remote', version: '1.0.0' });
    await client.connect(transport);
    try {
      expect((await client.listTools()).tools.map((tool) => tool.name)).toEqual(expect.arrayContaining(['wiki_add', 'tickets_add']));
      expect((await client.callTool({ name: 'wiki_echo', arguments: { text: 'via mcp-remote' } })).content).toEqual([expect.objectContaining({ text: 'via mcp-remote' })]);
    } finally {
      await client.close();
    }
  }, 60_000);
});
