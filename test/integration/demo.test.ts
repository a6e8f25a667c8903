// `npm run demo` in headless mode: starts the sandbox and Switchboard, prints the endpoint, serves it, stops on Ctrl-C.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { describe, expect, it } from 'vitest';

describe('npm run demo (headless)', () => {
  it('prints the endpoint and how to use it, serves the sandbox tools, and exits 0 on SIGINT', async () => {
    const demo = spawn(process.execPath, [join(import.meta.dirname, '../sandbox/demo.ts'), '--headless'], { stdio: ['ignore', 'pipe', 'pipe'] });
    const exited = once(demo, 'exit');
    const output: string[] = [];
    const { mcpUrl, credential } = await new Promise<{ mcpUrl: string; credential: string }>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`demo not ready; output so far:\n${output.join('\n')}`)), 20_000);
      createInterface({ input: demo.stdout }).on('line', (line) => {
        output.push(line);
        if (line.startsWith('{"event":"demo-ready"')) {
          clearTimeout(timer);
          resolve(JSON.parse(line) as { mcpUrl: string; credential: string });
        }
      });
    });
    expect(output.join('\n')).toContain(`Local MCP endpoint:  ${mcpUrl}`);
    expect(output.join('\n')).toContain('inspector --cli');

    const client = new Client({ name: 'demo-test', version: '1.0.0' }, { versionNegotiation: { mode: 'auto' } });
    await client.connect(new StreamableHTTPClientTransport(new URL(mcpUrl), { requestInit: { headers: { authorization: `Bearer ${credential}` } } }));
    const names = (await client.listTools()).tools.map((tool) => tool.name);
    expect(names).toEqual(expect.arrayContaining(['wiki_echo', 'tickets_echo']));
    await client.close();

    demo.kill('SIGINT');
    const [code] = (await exited) as [number | null];
    expect(code).toBe(0);
  });
});
