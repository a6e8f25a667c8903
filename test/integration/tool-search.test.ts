// Tool budgets end to end: an SDK client whose view holds ~600 tools is listed under its budget, finds a tool by intent and calls it through the meta-tool as if directly.
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Client } from '@modelcontextprotocol/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditStore } from '../../main/core/audit/audit-store.ts';
import { startMcpServer, type SandboxMcpServer } from '../sandbox/mcp-servers.ts';
import { startGatewayFixture, type GatewayFixture } from '../support/gateway-fixture.ts';
import { runCli } from '../support/serve-process.ts';

const SEARCH = 'switchboard_search_tools';
const CALL = 'switchboard_call_tool';
const BUDGET = 40;

type ToolResult = { content: { type: string; text: string }[]; isError?: boolean; structuredContent?: { tools: { name: string; inputSchema: unknown }[] } };

describe('tool search: a client over its tool budget', () => {
  let upstream: SandboxMcpServer;
  let gateway: GatewayFixture;
  let narrowCredential: string;
  const clients: Client[] = [];
  const connect = async (...args: Parameters<GatewayFixture['connect']>) => {
    const client = await gateway.connect(...args);
    clients.push(client);
    return client;
  };
  const call = async (client: Client, name: string, args: Record<string, unknown>) =>
    (await client.callTool({ name, arguments: args })) as unknown as ToolResult;
  const text = (result: ToolResult) => result.content.map((part) => part.text).join('\n');

  beforeAll(async () => {
    upstream = await startMcpServer({ name: 'big', era: 'modern', extraTools: 590, card: false });
    gateway = await startGatewayFixture({ servers: [{ id: 'big', url: upstream.url }], audit: {} });
    narrowCredential = await gateway.addClient('narrow', ['--tools', 'big_echo,big_add']);
    // The running endpoint re-reads the registry within a second: the budget applies from the next request on.
    const updated = await runCli(['clients', 'update', 'tester', '--max-tools', String(BUDGET), '--pin', 'big_echo', '--data-dir', gateway.dataDir, '--json']);
    expect(updated.code, updated.stderr).toBe(0);
    expect(JSON.parse(updated.stdout)).toEqual({ id: 'tester', maxTools: BUDGET, pinnedTools: ['big_echo'] });
    await new Promise((resolve) => setTimeout(resolve, 1100));
  }, 60_000);

  afterAll(async () => {
    await Promise.allSettled(clients.map((client) => client.close()));
    await gateway?.stop();
    await upstream?.close();
  });

  it('lists under its budget in both eras: the pinned tool and the two meta-tools', async () => {
    for (const mode of ['auto', 'legacy'] as const) {
      const { tools } = await (await connect(mode)).listTools();
      expect(tools.length, mode).toBeLessThanOrEqual(BUDGET);
      expect(tools.map((tool) => tool.name).sort(), mode).toEqual(['big_echo', CALL, SEARCH]);
      const search = tools.find((tool) => tool.name === SEARCH)!;
      expect(search.description).toMatch(/this connection has 6\d\d tools/i);
    }
  });

  it('finds a tool by intent and returns its full definition', async () => {
    const client = await connect();
    const found = await call(client, SEARCH, { query: 'sum of two numbers', limit: 3 });
    expect(found.isError).toBeFalsy();
    const names = found.structuredContent!.tools.map((tool) => tool.name);
    expect(names).toContain('big_add');
    expect(found.structuredContent!.tools.find((tool) => tool.name === 'big_add')!.inputSchema).toMatchObject({
      properties: { a: { type: 'number' }, b: { type: 'number' } },
    });
    expect(text(found)).toContain('big_add');
  });

  it('calls a tool through the meta-tool with the same result and the same audit record as a direct call', async () => {
    const client = await connect();
    const direct = await call(client, 'big_add', { a: 2, b: 40 });
    const viaMeta = await call(client, CALL, { name: 'big_add', arguments: { a: 2, b: 40 } });
    expect(viaMeta).toEqual(direct);
    expect(text(viaMeta)).toBe('42');

    const store = AuditStore.open(join(gateway.dataDir, 'audit.db'));
    try {
      const calls = store.query({ kind: 'request', method: 'tools/call', target: 'big_add', limit: 10 }).records;
      expect(calls).toHaveLength(2);
      for (const record of calls) expect(record).toMatchObject({ client: 'tester', server: 'big', target: 'big_add', outcome: 'ok' });
    } finally {
      store.close();
    }
  });

  it('answers bad input with a tool error a model can act on', async () => {
    const client = await connect();
    const unknown = await call(client, CALL, { name: 'big_no_such_tool', arguments: {} });
    expect(unknown.isError).toBe(true);
    expect(text(unknown)).toMatch(/No tool named "big_no_such_tool".*switchboard_search_tools/);

    const badArguments = await call(client, CALL, { name: 'big_add', arguments: { a: 'two' } });
    expect(badArguments.isError).toBe(true);
    expect(text(badArguments)).toContain('"a" must be number');
    expect(text(badArguments)).toContain("required property 'b'");

    for (const query of ['', ' '.repeat(3), 'x'.repeat(10 * 1024)]) {
      const refused = await call(client, SEARCH, { query });
      expect(refused.isError, `query of ${query.length} characters`).toBe(true);
      expect(text(refused)).toMatch(/empty|at most 1000/);
    }
  });

  it('status shows, per client, how many tools it sees directly and through the search', async () => {
    await (await connect()).listTools();
    const status = await runCli(['status', '--data-dir', gateway.dataDir, '--json']);
    expect(status.code, status.stderr).toBe(0);
    const listings = (
      JSON.parse(status.stdout) as {
        toolListings: { client: string; mode: string; direct: number; throughSearch: number; budget: { maxTools: number; source: string } }[];
      }
    ).toolListings;
    const tester = listings.find((listing) => listing.client === 'tester')!;
    expect(tester).toMatchObject({ mode: 'search', direct: 1, budget: { maxTools: BUDGET, source: 'client' } });
    expect(tester.throughSearch).toBeGreaterThan(590);
    const text = await runCli(['status', '--data-dir', gateway.dataDir]);
    expect(text.stdout).toMatch(/tester\s+1 directly \+ 2 search tools, \d+ through search; budget 40 \(its own setting\)/);
  });

  it('refuses a budget that leaves no room for the search tools', async () => {
    const refused = await runCli(['clients', 'update', 'tester', '--max-tools', '1', '--data-dir', gateway.dataDir]);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toContain('at least 2');
  });

  it('refuses a meta-call for a tool outside the client’s view, as a direct call is refused', async () => {
    const narrow = await connect('auto', narrowCredential);
    const direct = await call(narrow, 'big_whoami', {});
    const viaMeta = await call(narrow, CALL, { name: 'big_whoami', arguments: {} });
    expect(direct.isError).toBe(true);
    expect(viaMeta.isError).toBe(true);
    expect(text(viaMeta)).toContain('No tool named "big_whoami" is available to this client');
    // Inside its view the same client is served (its 2 tools fit any budget, so they are listed as they are).
    expect((await narrow.listTools()).tools.map((tool) => tool.name).sort()).toEqual(['big_add', 'big_echo']);
    expect(text(await call(narrow, CALL, { name: 'big_echo', arguments: { text: 'hi' } }))).toBe('hi');
  });

  it('asks a client that declared sampling to reorder the candidates with its own model, in both eras, when configured', async () => {
    const configPath = join(gateway.workDir, 'config.json');
    const config = JSON.parse(await readFile(configPath, 'utf8')) as Record<string, unknown>;
    await writeFile(configPath, JSON.stringify({ ...config, toolSearch: { rerankWithClientModel: true } }));
    await gateway.restart();
    const query = { query: 'add numbers or echo text', limit: 3 };
    const plain = (await call(await connect(), SEARCH, query)).structuredContent!.tools.map((tool) => tool.name);
    for (const mode of ['legacy', 'auto'] as const) {
      const prompts: string[] = [];
      const client = await connect(mode, gateway.credential, { capabilities: { sampling: {} } });
      // The "model" picks the last candidate it was shown: a choice the search's own order would not make.
      client.setRequestHandler('sampling/createMessage', async (request) => {
        const text = (request.params.messages[0]!.content as { text: string }).text;
        prompts.push(text);
        const last = [...text.matchAll(/^- ([a-z0-9_]+):/gm)].at(-1)![1]!;
        return { role: 'assistant', content: { type: 'text', text: last }, model: 'stand-in', stopReason: 'endTurn' };
      });
      const reranked = (await call(client, SEARCH, query)).structuredContent!.tools.map((tool) => tool.name);
      expect(prompts, mode).toHaveLength(1);
      expect(prompts[0]).toContain('add numbers or echo text');
      const chosen = [...prompts[0]!.matchAll(/^- ([a-z0-9_]+):/gm)].at(-1)![1]!;
      expect(reranked[0], mode).toBe(chosen);
      expect(plain).not.toContain(chosen);
      expect(reranked.slice(1), mode).toEqual(plain.slice(0, 2));
    }
  });
});
