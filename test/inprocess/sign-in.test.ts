// A server that needs the person to sign in, in process: each era's client is answered at once with a sign-in link in the form it can use.
import type { Client } from '@modelcontextprotocol/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  InProcessNetwork,
  serveSignInRequired,
  serveUpstream,
  startInProcessGateway,
  type InProcessGateway,
  type InProcessUpstream,
} from '../support/in-process-gateway.ts';

const network = new InProcessNetwork();
let gateway: InProcessGateway;
let open: InProcessUpstream;
let locked: ReturnType<typeof serveSignInRequired>;
let linkPrefix: string;

const text = (result: unknown) => (result as { content?: { text?: string }[] }).content?.[0]?.text ?? '';

beforeAll(async () => {
  network.install();
  open = serveUpstream(network, 'open', 'modern');
  locked = serveSignInRequired(network);
  gateway = await startInProcessGateway([
    { id: 'open', url: open.url },
    { id: 'crm', url: locked.url },
  ]);
  linkPrefix = `${new URL(gateway.mcpUrl).origin}/sign-in/`;
});

afterAll(async () => {
  await gateway?.close();
  await open?.close();
  network.uninstall();
});

describe.each(['modern', 'legacy'] as const)('a %s-era client without URL elicitation', (era) => {
  let client: Client;
  beforeAll(async () => {
    client = await gateway.connect(era);
  });

  it('sees one crm_sign_in tool that says what is missing beside the other server’s tools', async () => {
    const { tools } = await client.listTools();
    const names = tools.map((tool) => tool.name);
    expect(names).toContain('open_echo');
    expect(names.filter((name) => name.startsWith('crm_'))).toEqual(['crm_sign_in']);
    expect(tools.find((tool) => tool.name === 'crm_sign_in')?.description).toMatch(/"crm" needs you to sign in/);
  });

  it('calling crm_sign_in gives a one-time sign-in link', async () => {
    const answer = text(await client.callTool({ name: 'crm_sign_in', arguments: {} }));
    expect(answer).toContain(linkPrefix);
  });

  it('calling one of its tools gives a tool error with a link, at once, and the other server still answers', async () => {
    const started = Date.now();
    const result = await client.callTool({ name: 'crm_whoami', arguments: {} });
    expect(Date.now() - started).toBeLessThan(1000);
    expect(result.isError).toBe(true);
    expect(text(result)).toMatch(/"crm" needs you to sign in/);
    expect(text(result)).toContain(linkPrefix);
    // Two calls, two links: each link works once.
    const again = text(await client.callTool({ name: 'crm_whoami', arguments: {} }));
    expect(again.match(/\/sign-in\/\S+/)?.[0]).not.toBe(text(result).match(/\/sign-in\/\S+/)?.[0]);
    expect(text(await client.callTool({ name: 'open_echo', arguments: { text: 'still here' } }))).toBe('still here');
  });
});

describe('clients that declared URL elicitation', () => {
  it('a 2026-07-28 client gets input_required embedding the link', async () => {
    const client = await gateway.connect('modern', { clientOptions: { capabilities: { elicitation: { url: {} } }, inputRequired: { autoFulfill: false } } });
    const result = (await client.request({ method: 'tools/call', params: { name: 'crm_whoami', arguments: {} } }, { allowInputRequired: true })) as Record<
      string,
      unknown
    >;
    expect(result.resultType).toBe('input_required');
    const [request] = Object.values(result.inputRequests as Record<string, { method: string; params: { mode: string; url: string } }>);
    expect(request).toMatchObject({ method: 'elicitation/create', params: { mode: 'url', url: expect.stringContaining(linkPrefix) } });
  });

  it('a 2025-11-25 client gets error -32042 with the link', async () => {
    const client = await gateway.connect('legacy', { clientOptions: { capabilities: { elicitation: { url: {} } } } });
    const error = (await client.callTool({ name: 'crm_whoami', arguments: {} }).catch((caught: unknown) => caught)) as {
      code?: number;
      data?: { elicitations?: { mode: string; url: string }[] };
    };
    expect(error.code).toBe(-32042);
    expect(error.data?.elicitations?.[0]).toMatchObject({ mode: 'url', url: expect.stringContaining(linkPrefix) });
  });
});

it('the server that needs sign-in only ever saw unauthenticated handshakes', () => {
  // Every attempt was refused with the 401 challenge; no call was forwarded and no credential (a client's least of all) went there.
  expect(locked.methodsReceived.length).toBeGreaterThan(0);
  expect(locked.methodsReceived).not.toContain('tools/call');
  expect(locked.authorizationsReceived).toEqual([]);
});
