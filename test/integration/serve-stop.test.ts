// `switchboard serve` is gone within 2 s of SIGINT whatever is pending (a sign-in in a browser, a call a server never answers, an audit receiver that never answers); a second signal forces.
import { once } from 'node:events';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../sandbox/index.ts';
import { startFaultProxy, type FaultProxy } from '../support/fault-proxy.ts';
import { startServe, type ServeProcess } from '../support/serve-process.ts';

const STOP_PROMISE_MS = 2_000;

describe('serve stops within 2 s of SIGINT', () => {
  let sandbox: Sandbox;
  let proxy: FaultProxy;
  let silentReceiver: Server;
  let folder: string;
  let configs = 0;

  beforeAll(async () => {
    sandbox = await startSandbox();
    proxy = await startFaultProxy(sandbox.servers.find((entry) => entry.server.name === 'wiki')!.server.url);
    // An OTLP receiver that accepts connections and never answers: an exporter's delivery stays in flight.
    silentReceiver = createServer(() => undefined);
    await new Promise<void>((resolve) => silentReceiver.listen(0, '127.0.0.1', resolve));
    folder = await mkdtemp(join(tmpdir(), 'switchboard-serve-stop-'));
  }, 60_000);

  afterAll(async () => {
    silentReceiver?.closeAllConnections();
    await new Promise((resolve) => silentReceiver?.close(resolve));
    await proxy?.close();
    await sandbox?.close();
    await rm(folder, { recursive: true, force: true });
  });

  async function serveWith(config: Record<string, unknown>, extraArgs: string[] = []): Promise<ServeProcess> {
    const name = `run-${++configs}`;
    const configFile = join(folder, `${name}.json`);
    await writeFile(configFile, JSON.stringify(config));
    return startServe(['--config', configFile, '--data-dir', join(folder, name), '--allow-anonymous', ...extraArgs], { timeoutMs: 30_000 });
  }

  async function timedStop(serve: ServeProcess, signal: NodeJS.Signals = 'SIGINT'): Promise<{ code: number | null; ms: number }> {
    const sentAt = performance.now();
    const code = await serve.stop(signal);
    return { code, ms: performance.now() - sentAt };
  }

  it('while a sign-in waits for a person in the browser', async () => {
    const crm = sandbox.servers.find((entry) => entry.server.name === 'crm')!;
    const serve = await serveWith({ servers: [{ id: 'crm', url: crm.server.url }], auth: { profile: `serve-stop-${process.pid}` } }, ['--ui']);
    const ui = new URL(serve.ready.uiUrl!);
    const token = new URLSearchParams(ui.hash.slice(1)).get('token')!;
    // The page's sign-in: Switchboard hands over the authorization URL and waits for the browser to come back.
    const answer = (await (
      await fetch(new URL('/api/invoke/auth:signIn', ui), {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({ server: 'crm' }),
      })
    ).json()) as { ok: boolean; value?: { started?: { state?: string; authorizationUrl?: string } } };
    const authorizationUrl = answer.value?.started?.authorizationUrl;
    expect(authorizationUrl, JSON.stringify(answer)).toBeDefined();
    // Nobody signs in: the loopback listener stays open, waiting, when the signal comes.
    const redirectUri = new URL(new URL(authorizationUrl!).searchParams.get('redirect_uri')!);
    expect((await fetch(`${redirectUri.origin}${redirectUri.pathname}?code=x&state=not-this-one`)).status).toBe(400);

    const { code, ms } = await timedStop(serve);
    expect(code, serve.stderr()).toBe(0);
    expect(ms).toBeLessThan(STOP_PROMISE_MS);
    expect(serve.stderr()).toContain('press Ctrl-C again to force');
    expect(serve.stderr()).not.toContain('switchboard.stop_deadline');
  }, 60_000);

  it('while a tool call is held by a server that never answers and the audit receiver never answers', async () => {
    proxy.setMode('pass');
    const receiver = `http://127.0.0.1:${(silentReceiver.address() as AddressInfo).port}/v1/logs`;
    const serve = await serveWith({ servers: [{ id: 'wiki', url: proxy.url }], audit: { sinks: [{ type: 'otlp', url: receiver }] } });
    const client = new Client({ name: 'serve-stop-test', version: '1.0.0' }, { versionNegotiation: { mode: 'auto' } });
    await client.connect(new StreamableHTTPClientTransport(new URL(serve.ready.mcpUrl)));
    await expect.poll(async () => (await client.listTools()).tools.map((tool) => tool.name), { timeout: 15_000 }).toContain('wiki_echo');
    proxy.setMode('hang');
    const held = client.callTool({ name: 'wiki_echo', arguments: { text: 'never answered' } }).catch((error: Error) => error);
    await expect.poll(() => proxy.faulted(), { timeout: 10_000 }).toBeGreaterThan(0);

    const { code, ms } = await timedStop(serve);
    expect(code, serve.stderr()).toBe(0);
    expect(ms).toBeLessThan(STOP_PROMISE_MS);
    // Stopped by its own means, not by the deadline: nothing was left holding the process open.
    expect(serve.stderr()).not.toContain('switchboard.stop_deadline');
    expect(serve.stderr()).not.toContain('audit.sink_failed');
    await held;
    await client.close().catch(() => undefined);
  }, 60_000);

  it('SIGTERM stops it the same way', async () => {
    const serve = await serveWith({ servers: [] });
    const { code, ms } = await timedStop(serve, 'SIGTERM');
    expect(code).toBe(0);
    expect(ms).toBeLessThan(STOP_PROMISE_MS);
  }, 30_000);

  it('a second SIGINT forces an immediate exit (130); the same press delivered twice at once (npm run forwards it) does not', async () => {
    const receiver = `http://127.0.0.1:${(silentReceiver.address() as AddressInfo).port}/v1/logs`;
    // The audit receiver that never answers makes the graceful stop take about a second: time for a second press.
    const config = { servers: [], audit: { sinks: [{ type: 'otlp', url: receiver }] } };

    const forced = await serveWith(config);
    const sentAt = performance.now();
    forced.child.kill('SIGINT');
    await new Promise((resolve) => setTimeout(resolve, 300));
    const code = await forced.stop('SIGINT');
    expect(code).toBe(130);
    expect(performance.now() - sentAt).toBeLessThan(800);
    expect(forced.stderr()).toContain('switchboard.stop_forced');

    const doubled = await serveWith(config);
    const doubledExit = once(doubled.child, 'exit');
    doubled.child.kill('SIGINT');
    // Apart enough to be two deliveries (signals pending together would merge into one), close enough to be one press.
    await new Promise((resolve) => setTimeout(resolve, 30));
    doubled.child.kill('SIGINT');
    const [doubledCode] = (await doubledExit) as [number | null];
    expect(doubledCode, doubled.stderr()).toBe(0);
    expect(doubled.stderr()).not.toContain('switchboard.stop_forced');
  }, 60_000);
});
