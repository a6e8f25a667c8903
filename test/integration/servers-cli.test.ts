// `switchboard discover` and `servers add|list|enable|disable|remove` on a real configuration file, with the company policy and a secret header.
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startMcpServer, type SandboxMcpServer } from '../sandbox/mcp-servers.ts';
import { runCli, startServe } from '../support/serve-process.ts';

describe('discover and servers commands', () => {
  let wiki: SandboxMcpServer;
  let tickets: SandboxMcpServer;
  let dir: string;
  let config: string;
  const profile = `test-${process.pid}`;

  beforeAll(async () => {
    wiki = await startMcpServer({ name: 'wiki', era: 'modern' });
    tickets = await startMcpServer({ name: 'tickets', era: 'legacy', card: false });
    dir = await mkdtemp(join(tmpdir(), 'switchboard-servers-'));
    config = join(dir, 'config.json');
    await writeFile(join(dir, 'policy.json'), JSON.stringify({ deny: ['blocked.example.com'] }));
    // A person's file, with a comment the edits must keep.
    await writeFile(
      config,
      `{\n  // my servers\n  "servers": [],\n  "auth": { "profile": "${profile}" },\n  "discovery": { "policyFile": ${JSON.stringify(join(dir, 'policy.json'))} }\n}\n`,
    );
  });
  afterAll(async () => {
    await wiki?.close();
    await tickets?.close();
  });

  const cli = (args: string[], input?: string) => runCli([...args, '--config', config, '--data-dir', join(dir, 'data'), '--json'], input);

  it('discovers a server by domain and by URL; without a card it is described from a live connection', async () => {
    const byDomain = JSON.parse((await cli(['discover', new URL(wiki.url).host])).stdout) as { cards: { card: { name: string } }[] };
    expect(byDomain.cards.map((found) => found.card.name)).toEqual(['io.switchboard.sandbox/wiki']);
    const live = JSON.parse((await cli(['discover', tickets.url])).stdout) as {
      cards: unknown[];
      description: { name: string; live: { era: string; tools: string[] } };
    };
    expect(live.cards).toEqual([]);
    expect(live.description).toMatchObject({ name: 'sandbox-tickets', live: { era: 'legacy', tools: expect.arrayContaining(['echo', 'add']) } });
  });

  it('adds, lists, disables, enables and removes servers in the file, keeping its comments; the policy can refuse', async () => {
    const added = await cli(['servers', 'add', wiki.url, '--header', 'X-Region=eu']);
    expect(JSON.parse(added.stdout)).toMatchObject({ added: 'wiki', url: wiki.url });
    await cli(['servers', 'add', tickets.url, '--id', 'tickets', '--secret-header', 'X-Api-Key'], 'key-123\n');
    let text = await readFile(config, 'utf8');
    expect(text).toContain('// my servers');
    expect(text).toContain('"X-Region": "eu"');
    expect(text).not.toContain('key-123');
    const listed = JSON.parse((await cli(['servers', 'list'])).stdout) as { configured: { id: string; enabled: boolean }[] };
    expect(listed.configured).toEqual([expect.objectContaining({ id: 'wiki', enabled: true }), expect.objectContaining({ id: 'tickets', enabled: true })]);
    await cli(['servers', 'disable', 'wiki']);
    expect(JSON.parse((await cli(['servers', 'list'])).stdout).configured[0]).toMatchObject({ id: 'wiki', enabled: false });
    await cli(['servers', 'enable', 'wiki']);
    const denied = await cli(['servers', 'add', 'https://blocked.example.com/mcp']);
    expect(denied.code).toBe(1);
    expect(denied.stderr).toContain('POLICY_DENIED');
    const templated = await cli(['servers', 'add', 'http://127.0.0.1:1/{tenant}/mcp']);
    expect(templated.stderr).toContain('--var tenant=');
    text = await readFile(config, 'utf8');
    expect(text).not.toContain('blocked.example.com');
  });

  it('the configured servers work through serve, the secret header comes from the keychain', async () => {
    const serve = await startServe(['--config', config, '--data-dir', join(dir, 'data'), '--allow-anonymous']);
    try {
      const response = await fetch(serve.ready.mcpUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
        body: JSON.stringify({
          jsonrpc: '2.0',
          id: 1,
          method: 'initialize',
          params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 't', version: '1' } },
        }),
      });
      expect(response.status).toBe(200);
      // Connecting to tickets needs its secret header from the keychain; without it the server would be unavailable.
      await vi.waitFor(
        async () => {
          const status = JSON.parse((await runCli(['status', '--data-dir', join(dir, 'data'), '--json'])).stdout) as {
            servers: { id: string; state: string }[];
          };
          expect(status.servers.map((server) => [server.id, server.state]).sort()).toEqual([
            ['tickets', 'ready'],
            ['wiki', 'ready'],
          ]);
        },
        { timeout: 10_000, interval: 200 },
      );
    } finally {
      await serve.stop();
    }
    await cli(['servers', 'remove', 'tickets']);
    expect(JSON.parse((await cli(['servers', 'list'])).stdout).configured.map((server: { id: string }) => server.id)).toEqual(['wiki']);
  });
});
