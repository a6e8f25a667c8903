// The audit trail end to end: records of real calls, the trace sent upstream, durability across SIGKILL, the CLI, and delivery to a real rsyslog and an OTLP receiver.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { AuditStore } from '../../main/core/audit/audit-store.ts';
import { startMcpServer, type SandboxMcpServer } from '../sandbox/mcp-servers.ts';
import { startGatewayFixture, type GatewayFixture } from '../support/gateway-fixture.ts';
import { freePort, startOtlpReceiver } from '../support/otlp-receiver.ts';
import { runCli } from '../support/serve-process.ts';

const CANARY = 'sk-canary-7f3a9c0e2b';

/** A real rsyslogd from Debian, listening on loopback TCP and writing what it receives to a file. */
async function startRsyslog(dir: string, port: number): Promise<{ output: string; process: ChildProcess; stop(): Promise<void> }> {
  const output = join(dir, 'received.log');
  const config = join(dir, 'rsyslog.conf');
  await writeFile(
    config,
    [
      `global(workDirectory="${dir}")`,
      'module(load="imtcp")',
      `input(type="imtcp" address="127.0.0.1" port="${port}")`,
      `action(type="omfile" file="${output}" template="RSYSLOG_SyslogProtocol23Format")`,
    ].join('\n'),
  );
  const child = spawn('/usr/sbin/rsyslogd', ['-n', '-f', config, '-i', join(dir, 'rsyslogd.pid')], { stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  child.stderr?.on('data', (chunk: Buffer) => (log += chunk.toString()));
  // Ready once it accepts connections.
  await vi.waitFor(
    () =>
      new Promise<void>((resolve, reject) => {
        const socket = connect(port, '127.0.0.1');
        socket.once('connect', () => {
          socket.destroy();
          resolve();
        });
        socket.once('error', () => reject(new Error(`rsyslogd is not listening yet: ${log}`)));
      }),
    { timeout: 10_000, interval: 100 },
  );
  return {
    output,
    process: child,
    stop: async () => {
      child.kill('SIGTERM');
      await new Promise((resolve) => child.once('exit', resolve));
    },
  };
}


describe('audit trail', () => {
  let upstream: SandboxMcpServer;
  let gateway: GatewayFixture;
  let dir: string;
  let rsyslog: Awaited<ReturnType<typeof startRsyslog>>;
  let otlp: Awaited<ReturnType<typeof startOtlpReceiver>>;
  let otlpPort: number;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'switchboard-audit-it-'));
    upstream = await startMcpServer({ name: 'wiki', era: 'modern' });
    const syslogPort = await freePort();
    otlpPort = await freePort();
    rsyslog = await startRsyslog(dir, syslogPort);
    otlp = await startOtlpReceiver(otlpPort);
    gateway = await startGatewayFixture({
      servers: [{ id: 'wiki', url: upstream.url }],
      gateway: {},
      audit: {
        capture: { arguments: true, results: true, redact: { keys: ['ssn'] } },
        sinks: [
          { type: 'syslog', host: '127.0.0.1', port: syslogPort },
          { type: 'otlp', url: `http://127.0.0.1:${otlpPort}/v1/logs` },
          { type: 'jsonl', path: join(dir, 'audit.jsonl') },
        ],
      },
    });
  }, 60_000);

  afterAll(async () => {
    await gateway?.stop();
    await upstream?.close();
    await otlp?.close();
    await rsyslog?.stop();
  });

  const records = () => {
    const store = AuditStore.open(join(gateway.dataDir, 'audit.db'));
    try {
      return store.query({ kind: 'request', limit: 1000 }).records.reverse();
    } finally {
      store.close();
    }
  };

  it('records each request with client, server, method, target, id, version, outcome, latency, sizes and trace', async () => {
    const client = await gateway.connect();
    await client.listTools();
    const traced = JSON.parse(((await client.callTool({ name: 'wiki_traceparent', arguments: {} })).content as { text: string }[])[0]!.text) as { traceparent: string };
    await client.callTool({ name: 'wiki_echo', arguments: { text: 'hello', ssn: '123-45-6789', token: CANARY } }).catch(() => undefined);
    await client.callTool({ name: 'wiki_nope', arguments: {} });
    await client.close();

    const all = records();
    const trace = all.find((record) => record.target === 'wiki_traceparent')!;
    expect(trace).toMatchObject({ kind: 'request', client: 'tester', server: 'wiki', method: 'tools/call', protocolVersion: '2026-07-28', outcome: 'ok' });
    expect(trace.latencyMs).toBeGreaterThan(0);
    expect(trace.requestBytes).toBeGreaterThan(0);
    expect(trace.responseBytes).toBeGreaterThan(0);
    // The server saw the same trace Switchboard recorded (SEP-414 propagation in _meta).
    expect(traced.traceparent).toBe(trace.traceparent);
    expect(traced.traceparent).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-0[01]$/);

    const unknown = all.find((record) => record.target === 'wiki_nope')!;
    expect(unknown).toMatchObject({ outcome: 'tool_error', errorType: 'tool_error' });
    expect(all.find((record) => record.method === 'tools/list')).toBeDefined();

    const echo = all.find((record) => record.target === 'wiki_echo')!;
    const details = JSON.parse(echo.details!) as { request: { arguments: Record<string, string> } };
    expect(details.request.arguments).toEqual({ text: 'hello', ssn: '[REDACTED]', token: '[REDACTED]' });
  });

  it('keeps the record of a call whose client got its response, even when Switchboard is SIGKILLed right after', async () => {
    const client = await gateway.connect();
    await client.callTool({ name: 'wiki_add', arguments: { a: 40, b: 2 } });
    gateway.serve.child.kill('SIGKILL');
    await new Promise((resolve) => gateway.serve.child.once('exit', resolve));
    await client.close().catch(() => undefined);
    expect(records().some((record) => record.target === 'wiki_add')).toBe(true);
    const verify = await runCli(['audit', 'verify', '--data-dir', gateway.dataDir, '--json']);
    expect(verify.code).toBe(0);
    expect(JSON.parse(verify.stdout)).toMatchObject({ ok: true });
    await gateway.restart();
  });

  it('delivers every record, in order, to syslog (real rsyslog), OTLP and JSONL; a sink that was down gets the backlog', async () => {
    await otlp.close();
    const client = await gateway.connect();
    for (let index = 0; index < 5; index++) await client.callTool({ name: 'wiki_add', arguments: { a: index, b: 1 } });
    await client.close();
    otlp = await startOtlpReceiver(otlpPort);
    const head = records().at(-1)!.seq;

    await vi.waitFor(
      async () => {
        const lines = (await readFile(rsyslog.output, 'utf8')).trim().split('\n');
        const seqs = lines.map((line) => Number(/ seq="(\d+)"/.exec(line)?.[1]));
        expect(seqs).toContain(head);
      },
      { timeout: 20_000, interval: 200 },
    );
    await vi.waitFor(() => expect(otlp.received.map((record) => Number((record.attributes as Record<string, string>)['switchboard.audit.seq']))).toContain(head), { timeout: 20_000, interval: 200 });

    const syslogLines = (await readFile(rsyslog.output, 'utf8')).trim().split('\n');
    const syslogSeqs = syslogLines.map((line) => Number(/ seq="(\d+)"/.exec(line)?.[1]));
    // RFC 5424 as rsyslog parsed it: version 1, app name, structured data with the record's identity.
    expect(syslogLines[0]).toMatch(/^<1\d\d>1 \d{4}-\d\d-\d\dT[^ ]+ [^ ]+ switchboard \d+ [^ ]+ \[switchboard@32473 id="[0-9a-f-]+" seq="\d+"/);
    const otlpSeqs = otlp.received.map((record) => Number((record.attributes as Record<string, string>)['switchboard.audit.seq']));
    const jsonlSeqs = (await readFile(join(dir, 'audit.jsonl'), 'utf8')).trim().split('\n').map((line) => (JSON.parse(line) as { seq: number }).seq);
    for (const seqs of [syslogSeqs, otlpSeqs, jsonlSeqs]) {
      const unique = [...new Set(seqs)];
      // At least once, in order, nothing missing from the first delivered record to the head.
      expect(unique).toEqual([...unique].sort((a, b) => a - b));
      expect(unique.at(-1)).toBe(head);
      expect(unique.length).toBe(head - unique[0]! + 1);
    }
    const toolCall = otlp.received.find((record) => (record.attributes as Record<string, string>)['gen_ai.tool.name'] === 'wiki_add')!;
    expect(toolCall.attributes).toMatchObject({ 'mcp.method.name': 'tools/call', 'switchboard.server': 'wiki', 'switchboard.client': 'tester' });
    expect(toolCall.traceId).toMatch(/^[0-9a-f]{32}$/);
  });

  it('answers queries, summaries and exports from the CLI, and records security events (client added)', async () => {
    const query = await runCli(['audit', 'query', '--data-dir', gateway.dataDir, '--tool', 'wiki_add', '--json']);
    const page = JSON.parse(query.stdout) as { records: { target: string }[] };
    expect(page.records.length).toBeGreaterThanOrEqual(6);
    expect(page.records.every((record) => record.target === 'wiki_add')).toBe(true);
    const summary = JSON.parse((await runCli(['audit', 'query', '--summary', '--data-dir', gateway.dataDir, '--json'])).stdout) as { total: number; byOutcome: Record<string, number> };
    expect(summary.total).toBeGreaterThan(8);
    expect(summary.byOutcome.tool_error).toBeGreaterThanOrEqual(1);
    const security = JSON.parse((await runCli(['audit', 'query', '--kind', 'security', '--data-dir', gateway.dataDir, '--json'])).stdout) as { records: { method: string }[] };
    expect(security.records.map((record) => record.method)).toEqual(expect.arrayContaining(['client.added', 'switchboard.started']));
    const exported = await runCli(['audit', 'export', '--data-dir', gateway.dataDir, '--server', 'wiki']);
    const lines = exported.stdout.trim().split('\n').map((line) => JSON.parse(line) as { seq: number; server: string });
    expect(lines.every((line) => line.server === 'wiki')).toBe(true);
    expect(lines.map((line) => line.seq)).toEqual([...lines.map((line) => line.seq)].sort((a, b) => a - b));
  });

  it('never lets the canary secret reach the database, the sinks or the logs', async () => {
    const dataFiles = (await readdir(gateway.dataDir)).filter((name) => name.startsWith('audit.db'));
    const everything = [
      ...(await Promise.all(dataFiles.map((name) => readFile(join(gateway.dataDir, name)).then((buffer) => buffer.toString('latin1'))))),
      await readFile(rsyslog.output, 'utf8'),
      await readFile(join(dir, 'audit.jsonl'), 'utf8'),
      JSON.stringify(otlp.received),
      gateway.serve.stderr(),
    ].join('\n');
    expect(everything.includes(CANARY)).toBe(false);
  });
});
