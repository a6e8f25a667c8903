// The audit trail end to end: records of real calls, the trace sent upstream, durability across SIGKILL, the CLI, and delivery to a real rsyslog and an OTLP receiver (logs, spans, metrics).
import { mkdtemp, readdir, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { AuditStore } from '../../main/core/audit/audit-store.ts';
import { startMcpServer, type SandboxMcpServer } from '../sandbox/mcp-servers.ts';
import { startGatewayFixture, type GatewayFixture } from '../support/gateway-fixture.ts';
import { freePort, startOtlpReceiver } from '../support/otlp-receiver.ts';
import { startRsyslog } from '../support/rsyslog.ts';
import { runCli } from '../support/serve-process.ts';

const CANARY = 'sk-canary-7f3a9c0e2b';

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
          // 32473: the enterprise number IANA reserves for documentation and examples, as a test is.
          { type: 'syslog', host: '127.0.0.1', port: syslogPort, structuredDataId: 'switchboard@32473' },
          { type: 'otlp', endpoint: `http://127.0.0.1:${otlpPort}` },
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
    const traced = JSON.parse(((await client.callTool({ name: 'wiki_traceparent', arguments: {} })).content as { text: string }[])[0]!.text) as {
      traceparent: string;
    };
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

  it("records a 2025-era client's session id, and exports it as mcp.session.id with the loopback client address", async () => {
    const client = await gateway.connect('legacy');
    await client.callTool({ name: 'wiki_add', arguments: { a: 1, b: 1 } });
    const transport = client.transport as StreamableHTTPClientTransport;
    const sessionId = transport.sessionId!;
    await client.close();
    const record = records().findLast((candidate) => candidate.target === 'wiki_add')!;
    expect(record).toMatchObject({ protocolVersion: '2025-11-25', sessionId });
    const span = await vi.waitFor(
      () => {
        const found = otlp.spans.find((candidate) => candidate.kind === 2 && candidate.attributes['switchboard.audit.id']?.stringValue === record.id);
        expect(found).toBeDefined();
        return found!;
      },
      { timeout: 20_000, interval: 200 },
    );
    expect(span.attributes).toMatchObject({
      'mcp.session.id': { stringValue: sessionId },
      'client.address': { stringValue: '127.0.0.1' },
      'network.protocol.version': { stringValue: '1.1' },
    });
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
    await vi.waitFor(
      () => expect(otlp.received.map((record) => Number((record.attributes as Record<string, string>)['switchboard.audit.seq']))).toContain(head),
      { timeout: 20_000, interval: 200 },
    );

    const syslogLines = (await readFile(rsyslog.output, 'utf8')).trim().split('\n');
    const syslogSeqs = syslogLines.map((line) => Number(/ seq="(\d+)"/.exec(line)?.[1]));
    // RFC 5424 as rsyslog parsed it: version 1, app name, structured data with the record's identity.
    expect(syslogLines[0]).toMatch(
      /^<1\d\d>1 \d{4}-\d\d-\d\dT[^ ]+ [^ ]+ switchboard \d+ [^ ]+ \[switchboard@32473 id="[0-9a-f-]+" seq="\d+".*\]\[origin software="switchboard" swVersion="[^"]+"\] \{/,
    );
    const otlpSeqs = otlp.received.map((record) => Number((record.attributes as Record<string, string>)['switchboard.audit.seq']));
    const jsonlSeqs = (await readFile(join(dir, 'audit.jsonl'), 'utf8'))
      .trim()
      .split('\n')
      .map((line) => (JSON.parse(line) as { seq: number }).seq);
    for (const seqs of [syslogSeqs, otlpSeqs, jsonlSeqs]) {
      const unique = [...new Set(seqs)];
      // At least once, in order, nothing missing from the first delivered record to the head.
      expect(unique).toEqual([...unique].sort((a, b) => a - b));
      expect(unique.at(-1)).toBe(head);
      expect(unique.length).toBe(head - unique[0]! + 1);
    }
    const toolCall = otlp.received.find((record) => (record.attributes as Record<string, string>)['gen_ai.tool.name'] === 'wiki_add')!;
    expect(toolCall.attributes).toMatchObject({
      'mcp.method.name': 'tools/call',
      'gen_ai.operation.name': 'execute_tool',
      'switchboard.server': 'wiki',
      'switchboard.client': 'tester',
    });
    expect(toolCall.traceId).toMatch(/^[0-9a-f]{32}$/);
    // The same calls as spans and in the duration histogram, from the backlog too.
    await vi.waitFor(() => expect(otlp.spans.filter((span) => span.name === 'tools/call wiki_add').length).toBeGreaterThanOrEqual(10), {
      timeout: 20_000,
      interval: 200,
    });
    await vi.waitFor(
      () =>
        expect(otlp.metrics.map((metric) => metric.name)).toEqual(expect.arrayContaining(['mcp.server.operation.duration', 'mcp.client.operation.duration'])),
      { timeout: 20_000, interval: 200 },
    );
  });

  it('exports each call as a SERVER span and a CLIENT span whose id is the traceparent the server received', async () => {
    const client = await gateway.connect();
    const seen = JSON.parse(((await client.callTool({ name: 'wiki_traceparent', arguments: {} })).content as { text: string }[])[0]!.text) as {
      traceparent: string;
    };
    await client.close();
    const [, traceId, hopSpanId] = seen.traceparent.split('-');
    const spans = await vi.waitFor(
      () => {
        const inTrace = otlp.spans.filter((span) => span.traceId === traceId && span.name === 'tools/call wiki_traceparent');
        expect(inTrace).toHaveLength(2);
        return inTrace;
      },
      { timeout: 20_000, interval: 200 },
    );
    const server = spans.find((span) => span.kind === 2)!;
    const upstream = spans.find((span) => span.kind === 3)!;
    // The server's own span would name hopSpanId as its parent: that is Switchboard's CLIENT span, child of its SERVER span.
    expect(upstream).toMatchObject({ spanId: hopSpanId, parentSpanId: server.spanId, status: { code: 0 } });
    expect(server.attributes).toMatchObject({
      'mcp.method.name': { stringValue: 'tools/call' },
      'gen_ai.tool.name': { stringValue: 'wiki_traceparent' },
      'gen_ai.operation.name': { stringValue: 'execute_tool' },
      'mcp.protocol.version': { stringValue: '2026-07-28' },
      'network.transport': { stringValue: 'tcp' },
      'switchboard.client': { stringValue: 'tester' },
    });
    expect(BigInt(server.endTimeUnixNano)).toBeGreaterThan(BigInt(server.startTimeUnixNano));
  });

  it('answers queries, summaries and exports from the CLI, and records security events (client added)', async () => {
    const query = await runCli(['audit', 'query', '--data-dir', gateway.dataDir, '--tool', 'wiki_add', '--json']);
    const page = JSON.parse(query.stdout) as { records: { target: string }[] };
    expect(page.records.length).toBeGreaterThanOrEqual(6);
    expect(page.records.every((record) => record.target === 'wiki_add')).toBe(true);
    const summary = JSON.parse((await runCli(['audit', 'query', '--summary', '--data-dir', gateway.dataDir, '--json'])).stdout) as {
      total: number;
      byOutcome: Record<string, number>;
    };
    expect(summary.total).toBeGreaterThan(8);
    expect(summary.byOutcome.tool_error).toBeGreaterThanOrEqual(1);
    const security = JSON.parse((await runCli(['audit', 'query', '--kind', 'security', '--data-dir', gateway.dataDir, '--json'])).stdout) as {
      records: { method: string }[];
    };
    expect(security.records.map((record) => record.method)).toEqual(expect.arrayContaining(['client.added', 'switchboard.started']));
    const exported = await runCli(['audit', 'export', '--data-dir', gateway.dataDir, '--server', 'wiki']);
    const lines = exported.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { seq: number; server: string });
    expect(lines.every((line) => line.server === 'wiki')).toBe(true);
    expect(lines.map((line) => line.seq)).toEqual([...lines.map((line) => line.seq)].sort((a, b) => a - b));
  });

  it('never lets the canary secret reach the database, the sinks or the logs', async () => {
    const dataFiles = (await readdir(gateway.dataDir)).filter((name) => name.startsWith('audit.db'));
    const everything = [
      ...(await Promise.all(dataFiles.map((name) => readFile(join(gateway.dataDir, name)).then((buffer) => buffer.toString('latin1'))))),
      await readFile(rsyslog.output, 'utf8'),
      await readFile(join(dir, 'audit.jsonl'), 'utf8'),
      JSON.stringify([otlp.received, otlp.spans, otlp.metrics]),
      gateway.serve.stderr(),
    ].join('\n');
    expect(everything.includes(CANARY)).toBe(false);
  });
});
