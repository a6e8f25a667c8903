// `switchboard stdio`: a stdio-only client reaches the running endpoint with its own credential, in both eras.
import { join } from 'node:path';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { Client } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMcpServer, type SandboxMcpServer } from '../sandbox/mcp-servers.ts';
import { startGatewayFixture, type GatewayFixture } from '../support/gateway-fixture.ts';
import { CLI_ENTRY } from '../support/serve-process.ts';

describe('switchboard stdio (bridge for stdio-only clients)', () => {
  let upstream: SandboxMcpServer;
  let gateway: GatewayFixture;
  let dataDir: string;
  let credential: string;

  beforeAll(async () => {
    upstream = await startMcpServer({ name: 'wiki', era: 'legacy' });
    gateway = await startGatewayFixture({ servers: [{ id: 'wiki', url: upstream.url }], clientId: 'desktop' });
    ({ dataDir, credential } = gateway);
  });

  afterAll(async () => {
    await gateway?.stop();
    await upstream?.close();
  });

  const bridge = (env: Record<string, string>) =>
    new StdioClientTransport({
      command: process.execPath,
      args: [CLI_ENTRY, 'stdio', '--data-dir', dataDir],
      env: { ...env, PATH: process.env.PATH ?? '' },
      stderr: 'pipe',
    });

  it.each(['legacy', 'auto'] as const)('lists and calls tools through the bridge (%s negotiation), with progress', async (mode) => {
    const client = new Client({ name: 'stdio-test', version: '1.0.0' }, { versionNegotiation: { mode } });
    await client.connect(bridge({ SWITCHBOARD_CLIENT_CREDENTIAL: credential }));
    try {
      expect((await client.listTools()).tools.map((tool) => tool.name)).toContain('wiki_echo');
      const seen: number[] = [];
      const result = await client.callTool({ name: 'wiki_slow', arguments: { ms: 200, steps: 2 } }, { onprogress: (progress) => seen.push(progress.progress) });
      expect(result.content).toEqual([expect.objectContaining({ text: 'waited 200 ms in 2 steps' })]);
      // The SDK client drops a progress notification that arrives in the same chunk as its result (it forgets the
      // progress handler on the response first), so only the first step is certain to be seen; the steps are 100 ms
      // apart so that a loaded machine does not merge the first one into the result's chunk.
      expect(seen[0]).toBe(1);
      expect(seen.every((value) => value === 1 || value === 2)).toBe(true);
    } finally {
      await client.close();
    }
  });

  it('does not start a second gateway: with no Switchboard running it fails clearly', async () => {
    const child = spawn(process.execPath, [CLI_ENTRY, 'stdio', '--data-dir', join(dataDir, 'elsewhere')], { stdio: ['pipe', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const [code] = (await once(child, 'exit')) as [number];
    expect(code).toBe(3);
    expect(stderr).toContain('GATEWAY_NOT_RUNNING');
  });

  // The SDK's stdio transport skips a line that is not JSON without answering it; the bridge goes on with the next.
  it('answers a request with an actionable error when the credential is missing, after skipping a line that is not JSON', async () => {
    const child = spawn(process.execPath, [CLI_ENTRY, 'stdio', '--data-dir', dataDir], {
      stdio: ['pipe', 'pipe', 'pipe'],
      env: { PATH: process.env.PATH ?? '' },
    });
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stdin.write('this is not json\n');
    child.stdin.end(
      `${JSON.stringify({ jsonrpc: '2.0', id: 7, method: 'initialize', params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'x', version: '1' } } })}\n`,
    );
    await once(child, 'exit');
    const replies = stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { id: unknown; error?: { code: number; message: string } });
    expect(replies).toEqual([
      expect.objectContaining({
        id: 7,
        error: expect.objectContaining({
          message: expect.stringContaining('SWITCHBOARD_CLIENT_CREDENTIAL'),
          data: expect.objectContaining({ code: 'CLIENT_UNAUTHORIZED' }),
        }),
      }),
    ]);
  });
});
