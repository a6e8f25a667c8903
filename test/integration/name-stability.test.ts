// Exposed names stay with their first owner across restarts, even when the configuration order changes or a server was down.
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configSchema } from '../../main/core/config/config-schema.ts';
import { silentLogger } from '../../main/core/logging/json-logger.ts';
import { createSwitchboard } from '../../main/core/switchboard.ts';
import { startMcpServer, type SandboxMcpServer } from '../sandbox/mcp-servers.ts';

describe('exposed-name stability', () => {
  let alpha: SandboxMcpServer;
  let beta: SandboxMcpServer;
  let dataDir: string;

  beforeAll(async () => {
    alpha = await startMcpServer({ name: 'alpha', era: 'modern' });
    beta = await startMcpServer({ name: 'beta', era: 'legacy' });
    dataDir = join(await mkdtemp(join(tmpdir(), 'switchboard-names-')), 'data');
  });

  afterAll(async () => {
    await Promise.all([alpha?.close(), beta?.close()]);
  });

  /** Runs Switchboard (in-process, anonymous) with both servers unprefixed, and asks who answers `whoami`. */
  async function whoOwnsWhoami(order: SandboxMcpServer[]): Promise<{ server: string; collisions: unknown[] }> {
    const config = configSchema.parse({ servers: order.map((server) => ({ id: server.name, url: server.url, prefix: '' })) });
    const switchboard = createSwitchboard({ config, logger: silentLogger, paths: { dataDir }, allowAnonymous: true });
    const { mcpUrl } = await switchboard.start();
    const client = new Client({ name: 'names', version: '1' });
    await client.connect(new StreamableHTTPClientTransport(new URL(mcpUrl)));
    try {
      const result = await client.callTool({ name: 'whoami', arguments: {} });
      return {
        server: (JSON.parse((result.content as { text: string }[])[0]!.text) as { server: string }).server,
        collisions: [...switchboard.status().collisions],
      };
    } finally {
      await client.close();
      await switchboard.stop();
    }
  }

  it('reports the collision and keeps the first owner when the configuration order is reversed', async () => {
    const first = await whoOwnsWhoami([alpha, beta]);
    expect(first.server).toBe('alpha');
    expect(first.collisions).toEqual(expect.arrayContaining([{ kind: 'tool', name: 'whoami', kept: 'alpha/whoami', dropped: 'beta/whoami' }]));
    const reversed = await whoOwnsWhoami([beta, alpha]);
    expect(reversed.server).toBe('alpha');
  });
});
