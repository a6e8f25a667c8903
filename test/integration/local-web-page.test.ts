// A malicious local web page in real Chromium tries the endpoint every way a page can; Switchboard refuses before any MCP handling, and listens on nothing else.
import { readdir, readFile, readlink } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMcpServer } from '../sandbox/mcp-servers.ts';
import { startGatewayFixture, type GatewayFixture } from '../support/gateway-fixture.ts';
import { launchChromium } from '../support/headless-chromium.ts';

type Sandbox = Awaited<ReturnType<typeof startMcpServer>>;

/** The attacker's page: tries a CORS fetch, a no-cors "simple" POST, a text/plain form post and a GET stream. */
function attackerPage(endpoint: string, credential: string): string {
  const call = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'wiki_echo', arguments: { text: 'stolen' } } });
  return `<!doctype html><meta charset="utf-8"><title>innocent page</title>
<form id="form" method="POST" action="${endpoint}" enctype="text/plain" target="sink"><input name='${call.slice(0, -1)}, "pad": "' value='"}'></form>
<iframe name="sink"></iframe>
<script>
window.results = {};
const endpoint = ${JSON.stringify(endpoint)};
const body = ${JSON.stringify(call)};
async function attempt(name, run) {
  try { window.results[name] = await run(); } catch (error) { window.results[name] = 'blocked: ' + error.name; }
}
(async () => {
  await attempt('cors', async () => {
    const response = await fetch(endpoint, { method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', authorization: 'Bearer ${credential}' }, body });
    return 'read ' + response.status + ' ' + (await response.text());
  });
  await attempt('simple', async () => {
    const response = await fetch(endpoint, { method: 'POST', mode: 'no-cors', headers: { 'content-type': 'text/plain' }, body });
    return 'opaque ' + response.type;
  });
  await attempt('stream', async () => {
    const response = await fetch(endpoint, { method: 'GET', headers: { accept: 'text/event-stream' } });
    return 'read ' + response.status;
  });
  document.getElementById('form').submit();
  window.results.form = 'submitted';
  window.done = true;
})();
</script>`;
}

/** The TCP sockets a process listens on, from /proc (Linux): its socket inodes matched against /proc/net/tcp and tcp6. */
async function listeningSockets(pid: number): Promise<string[]> {
  const inodes = new Set<string>();
  for (const fd of await readdir(`/proc/${pid}/fd`)) {
    const target = await readlink(`/proc/${pid}/fd/${fd}`).catch(() => '');
    const match = /^socket:\[(\d+)\]$/.exec(target);
    if (match) inodes.add(match[1]!);
  }
  const listening: string[] = [];
  for (const table of ['tcp', 'tcp6']) {
    const lines = (await readFile(`/proc/net/${table}`, 'utf8')).trim().split('\n').slice(1);
    for (const line of lines) {
      const fields = line.trim().split(/\s+/);
      const [, local, , state, , , , , , inode] = fields;
      if (state !== '0A' || !inodes.has(inode!)) continue; // 0A = LISTEN
      const [hexAddress, hexPort] = local!.split(':');
      const address =
        table === 'tcp'
          ? hexAddress!
              .match(/../g)!
              .reverse()
              .map((byte) => parseInt(byte, 16))
              .join('.')
          : `[${hexAddress}]`;
      listening.push(`${address}:${parseInt(hexPort!, 16)}`);
    }
  }
  return listening;
}

describe('a malicious local web page (real Chromium)', () => {
  let wiki: Sandbox;
  let gateway: GatewayFixture;
  let page: Server;
  let browser: Browser;
  let pageUrl = '';

  beforeAll(async () => {
    wiki = await startMcpServer({ name: 'wiki', era: 'modern' });
    gateway = await startGatewayFixture({ servers: [{ id: 'wiki', url: wiki.url }] });
    // The worst case: the page somehow knows the client's credential. The Origin check must still stop it.
    const html = attackerPage(gateway.serve.ready.mcpUrl, gateway.credential);
    page = createServer((_request, response) => response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(html));
    await new Promise<void>((resolve) => page.listen(0, '127.0.0.1', resolve));
    pageUrl = `http://127.0.0.1:${(page.address() as AddressInfo).port}/`;
    browser = await launchChromium();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await new Promise((resolve) => page?.close(resolve));
    await gateway?.stop();
    await wiki?.close();
  });

  it('cannot call a tool or read anything: CORS fetch, no-cors POST, form post and GET stream are all refused before MCP handling', async () => {
    const context = await browser.newContext();
    const tab = await context.newPage();
    const refusedBefore = gateway.serve
      .stderr()
      .split('\n')
      .filter((line) => line.includes('gateway.request_refused')).length;
    await tab.goto(pageUrl);
    await tab.waitForFunction(() => (window as unknown as { done?: boolean }).done === true, undefined, { timeout: 15_000 });
    await tab.waitForTimeout(500);
    const results = (await tab.evaluate(() => (window as unknown as { results: Record<string, string> }).results)) as Record<string, string>;
    await context.close();

    expect(results.cors).toMatch(/^blocked/);
    expect(results.stream).toMatch(/^blocked/);
    expect(results.simple).toBe('opaque opaque');
    // What matters is what reached the server: nothing but refusals, and no tool call upstream.
    const refusals = gateway.serve
      .stderr()
      .split('\n')
      .filter((line) => line.includes('gateway.request_refused'))
      .slice(refusedBefore);
    expect(refusals.length).toBeGreaterThanOrEqual(3);
    for (const line of refusals) expect(JSON.parse(line)).toMatchObject({ status: 403 });
    expect(wiki.methodsReceived).not.toContain('tools/call');
  });

  it('listens on exactly one TCP socket, the endpoint on 127.0.0.1 — the control channel is a socket file in the private data folder, not a port', async () => {
    const port = new URL(gateway.serve.ready.mcpUrl).port;
    expect(await listeningSockets(gateway.serve.child.pid!)).toEqual([`127.0.0.1:${port}`]);
  });
});
