// Audit records through the OTLP sink into a decoding receiver: spans, duration histograms and log records exactly as the MCP semantic conventions say.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AuditRecord } from '../../main/core/audit/audit-record.ts';
import { createAuditSink } from '../../main/core/audit/sinks/create-sink.ts';
import type { AuditSink } from '../../main/core/audit/sinks/sink-exporter.ts';
import { MCP_DURATION_BUCKETS } from '../../main/core/audit/telemetry/duration-histograms.ts';
import { SWITCHBOARD_VERSION } from '../../main/core/version.ts';
import { freePort, startOtlpReceiver, type OtlpReceiver, type ReceivedSpan } from '../support/otlp-receiver.ts';

const TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';
const s = (value: string) => ({ stringValue: value });
const i = (value: number) => ({ intValue: String(value) });

let seq = 0;
const call = (extra: Partial<AuditRecord> = {}): AuditRecord => {
  seq++;
  return {
    seq,
    id: `id-${seq}`,
    time: '2026-11-25T10:00:01.000Z',
    kind: 'request',
    client: 'cursor',
    method: 'tools/call',
    target: 'wiki_add',
    jsonrpcId: '7',
    protocolVersion: '2026-07-28',
    outcome: 'ok',
    latencyMs: 250,
    requestBytes: 40,
    responseBytes: 90,
    traceparent: `00-${TRACE}-${seq.toString(16).padStart(16, 'a')}-01`,
    details: null,
    prevHash: '0'.repeat(64),
    hash: 'b'.repeat(64),
    ...extra,
  };
};
const hopSpanId = (record: AuditRecord) => record.traceparent!.split('-')[2]!;

describe('OTLP export of the audit trail', () => {
  let receiver: OtlpReceiver;
  let port: number;
  let sink: AuditSink;
  const send = (records: AuditRecord[]) => sink.send(records, new AbortController().signal);
  const spansOf = (record: AuditRecord): ReceivedSpan[] => receiver.spans.filter((span) => span.attributes['switchboard.audit.id']?.stringValue === record.id);

  beforeEach(async () => {
    seq = 0;
    port = await freePort();
    receiver = await startOtlpReceiver(port);
    sink = createAuditSink(
      { type: 'otlp', endpoint: `http://127.0.0.1:${port}` },
      { env: {}, serverUrl: (id) => (id === 'wiki' ? 'https://wiki.example.com/mcp' : undefined) },
    );
  });
  afterEach(() => receiver.close());

  it('turns a forwarded tool call into a SERVER span with a CLIENT child for the hop, named and typed per the conventions', async () => {
    const record = call({ server: 'wiki', user: 'ana@example.com', sessionId: 'session-1' });
    await send([record]);
    const [server, client] = [spansOf(record).find((span) => span.kind === 2)!, spansOf(record).find((span) => span.kind === 3)!];
    expect(spansOf(record)).toHaveLength(2);

    // The traceparent Switchboard sent upstream names the CLIENT span: the server's own span will name it as parent.
    expect(client).toMatchObject({
      traceId: TRACE,
      spanId: hopSpanId(record),
      parentSpanId: server.spanId,
      flags: 1,
      name: 'tools/call wiki_add',
      status: { code: 0 },
    });
    expect(server).toMatchObject({ traceId: TRACE, flags: 1, name: 'tools/call wiki_add', status: { code: 0 } });
    expect(server.spanId).toMatch(/^[0-9a-f]{16}$/);
    expect(server.spanId).not.toBe(client.spanId);
    expect(server.parentSpanId).toBeUndefined();
    // Ends when the record was written, starts its latency before.
    const end = BigInt(Date.parse(record.time)) * 1_000_000n;
    expect([server.startTimeUnixNano, server.endTimeUnixNano]).toEqual([String(end - 250_000_000n), String(end)]);
    expect([client.startTimeUnixNano, client.endTimeUnixNano]).toEqual([server.startTimeUnixNano, server.endTimeUnixNano]);

    expect(server.attributes).toEqual({
      'mcp.method.name': s('tools/call'),
      'gen_ai.tool.name': s('wiki_add'),
      'gen_ai.operation.name': s('execute_tool'),
      'jsonrpc.request.id': s('7'),
      'mcp.protocol.version': s('2026-07-28'),
      'mcp.session.id': s('session-1'),
      'network.transport': s('tcp'),
      'network.protocol.name': s('http'),
      'client.address': s('127.0.0.1'),
      'network.protocol.version': s('1.1'),
      'switchboard.client': s('cursor'),
      'switchboard.server': s('wiki'),
      'user.id': s('ana@example.com'),
      'switchboard.outcome': s('ok'),
      'switchboard.request.bytes': i(40),
      'switchboard.response.bytes': i(90),
      'switchboard.audit.id': s(record.id),
      'switchboard.audit.seq': i(record.seq),
    });
    expect(client.attributes).toEqual({
      'mcp.method.name': s('tools/call'),
      'gen_ai.tool.name': s('wiki_add'),
      'gen_ai.operation.name': s('execute_tool'),
      'network.transport': s('tcp'),
      'network.protocol.name': s('http'),
      'server.address': s('wiki.example.com'),
      'server.port': i(443),
      'switchboard.server': s('wiki'),
      'switchboard.audit.id': s(record.id),
    });
    expect(server.resource).toMatchObject({ 'service.name': s('switchboard'), 'service.version': s(SWITCHBOARD_VERSION) });
    expect(server.scope).toEqual({ name: 'switchboard.audit', version: SWITCHBOARD_VERSION });
  });

  it('marks failures per the conventions: error.type the JSON-RPC code as a string, tool_error, or Switchboard’s code on the hop it failed', async () => {
    const rejected = call({ server: 'wiki', outcome: 'error', errorCode: -32602, errorType: 'jsonrpc_-32602' });
    const relayed = call({ server: 'wiki', outcome: 'error', errorCode: -32001, errorType: '-32001' });
    const toolError = call({ server: 'wiki', outcome: 'tool_error', errorType: 'tool_error' });
    const timedOut = call({ server: 'wiki', outcome: 'transport_error', errorCode: -32603, errorType: 'UPSTREAM_TIMEOUT' });
    const local = call({ outcome: 'error', errorType: 'INTERNAL' });
    await send([rejected, relayed, toolError, timedOut, local]);
    const kind = (record: AuditRecord, value: number) => spansOf(record).find((span) => span.kind === value)!;

    for (const record of [rejected, relayed]) {
      const code = String(record.errorCode);
      for (const span of spansOf(record)) {
        expect(span.status).toEqual({ code: 2 });
        expect(span.attributes).toMatchObject({ 'error.type': s(code), 'rpc.response.status_code': s(code) });
      }
      expect(kind(record, 2).attributes['switchboard.error.code']).toBeUndefined();
    }
    for (const span of spansOf(toolError)) {
      expect(span.status).toEqual({ code: 2 });
      expect(span.attributes['error.type']).toEqual(s('tool_error'));
      expect(span.attributes['rpc.response.status_code']).toBeUndefined();
    }
    // The client got Switchboard's -32603; the server gave no answer at all.
    expect(kind(timedOut, 2).attributes).toMatchObject({
      'error.type': s('-32603'),
      'rpc.response.status_code': s('-32603'),
      'switchboard.error.code': s('UPSTREAM_TIMEOUT'),
    });
    expect(kind(timedOut, 3).attributes).toMatchObject({ 'error.type': s('UPSTREAM_TIMEOUT') });
    expect(kind(timedOut, 3).attributes['rpc.response.status_code']).toBeUndefined();
    // Failed before any server: one SERVER span, on the record's own span id.
    expect(spansOf(local)).toEqual([expect.objectContaining({ kind: 2, spanId: hopSpanId(local), status: { code: 2 } })]);
    expect(spansOf(local)[0]!.attributes).toMatchObject({ 'error.type': s('INTERNAL'), 'switchboard.error.code': s('INTERNAL') });
  });

  it('names prompts and resources as the conventions say, sets execute_tool only on tool calls, and leaves unsampled traces and security events out of traces', async () => {
    const prompt = call({ server: 'wiki', method: 'prompts/get', target: 'greet' });
    const read = call({ server: 'wiki', method: 'resources/read', target: 'file:///notes/a.md' });
    const list = call({ method: 'tools/list', target: undefined, jsonrpcId: '1' });
    const unsampled = call({ server: 'wiki', traceparent: `00-${TRACE}-00f067aa0ba902b7-00` });
    const security = call({ kind: 'security', method: 'client.added', target: undefined, latencyMs: undefined, traceparent: undefined, jsonrpcId: undefined });
    await send([prompt, read, list, unsampled, security]);

    expect(spansOf(prompt).map((span) => span.name)).toEqual(['prompts/get greet', 'prompts/get greet']);
    expect(spansOf(prompt)[0]!.attributes).toMatchObject({ 'gen_ai.prompt.name': s('greet') });
    // A resource URI stays out of the span name (high cardinality), and is an attribute instead.
    expect(spansOf(read).map((span) => span.name)).toEqual(['resources/read', 'resources/read']);
    expect(spansOf(read)[0]!.attributes).toMatchObject({ 'mcp.resource.uri': s('file:///notes/a.md') });
    for (const span of [...spansOf(prompt), ...spansOf(read), ...spansOf(list)]) expect(span.attributes['gen_ai.operation.name']).toBeUndefined();
    expect(spansOf(list)).toEqual([expect.objectContaining({ name: 'tools/list', kind: 2, spanId: hopSpanId(list) })]);
    expect(spansOf(unsampled)).toEqual([]);
    expect(spansOf(security)).toEqual([]);
    // The audit trail is complete regardless: every record is a log record, its span the call's SERVER span.
    expect(receiver.received.map((log) => (log.attributes as Record<string, string>)['switchboard.audit.id'])).toEqual(
      [prompt, read, list, unsampled, security].map((record) => record.id),
    );
    const promptLog = receiver.received[0]!;
    expect(promptLog).toMatchObject({ traceId: TRACE, spanId: spansOf(prompt).find((span) => span.kind === 2)!.spanId, flags: 1, severityText: 'INFO' });
    expect(receiver.received[4]!.attributes).toMatchObject({ 'switchboard.event': 'client.added', 'switchboard.audit.kind': 'security' });
    expect((receiver.received[4]!.attributes as Record<string, unknown>)['mcp.method.name']).toBeUndefined();
  });

  it('records mcp.server.operation.duration and mcp.client.operation.duration as delta histograms in seconds with the conventions’ buckets', async () => {
    const first = [
      call({ server: 'wiki', latencyMs: 5 }),
      call({ server: 'wiki', latencyMs: 15 }),
      call({ server: 'wiki', latencyMs: 250 }),
      call({ server: 'wiki', latencyMs: 400_000, time: '2026-11-25T10:07:00.000Z' }),
      call({ server: 'wiki', latencyMs: 30, outcome: 'error', errorCode: -32602, errorType: 'jsonrpc_-32602', traceparent: `00-${TRACE}-00f067aa0ba902b7-00` }),
      call({ method: 'resources/read', target: 'file:///a', latencyMs: 20 }),
    ];
    await send(first);
    const metric = (name: string) => receiver.metrics.filter((entry) => entry.name === name);
    const [server] = metric('mcp.server.operation.duration');
    expect(server).toMatchObject({ unit: 's', histogram: { aggregationTemporality: 1 } });
    const points = server!.histogram!.dataPoints;
    for (const point of points) expect(point.explicitBounds).toEqual([...MCP_DURATION_BUCKETS]);
    expect(MCP_DURATION_BUCKETS).toEqual([0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10, 30, 60, 120, 300]);

    const okCalls = points.find((point) => point.attributes['gen_ai.tool.name'] && !point.attributes['error.type'])!;
    expect(okCalls.attributes).toEqual({
      'mcp.method.name': s('tools/call'),
      'gen_ai.tool.name': s('wiki_add'),
      'gen_ai.operation.name': s('execute_tool'),
      'mcp.protocol.version': s('2026-07-28'),
      'network.transport': s('tcp'),
      'network.protocol.name': s('http'),
    });
    // 5 ms, 15 ms, 250 ms and 400 s: buckets are upper-inclusive, the last one unbounded.
    expect(okCalls).toMatchObject({ count: '4', sum: 0.005 + 0.015 + 0.25 + 400, min: 0.005, max: 400 });
    expect(okCalls.bucketCounts).toEqual(['1', '1', '0', '0', '0', '1', '0', '0', '0', '0', '0', '0', '0', '0', '1']);
    // A failed call counts whether or not its trace was sampled, under its error attributes.
    expect(points.find((point) => point.attributes['error.type'])!).toMatchObject({
      count: '1',
      attributes: { 'error.type': s('-32602'), 'rpc.response.status_code': s('-32602') },
    });
    // The resource URI is opt-in on the metric: left out.
    expect(points.find((point) => point.attributes['mcp.method.name']!.stringValue === 'resources/read')!.attributes['mcp.resource.uri']).toBeUndefined();
    // The interval runs from the earliest call's start (the 250 ms one) to the latest call's end.
    const earliestStart = BigInt(Date.parse('2026-11-25T10:00:01.000Z')) * 1_000_000n - 250_000_000n;
    expect(okCalls.startTimeUnixNano).toBe(String(earliestStart));
    expect(okCalls.timeUnixNano).toBe(String(BigInt(Date.parse('2026-11-25T10:07:00.000Z')) * 1_000_000n));

    const [client] = metric('mcp.client.operation.duration');
    expect(client!.histogram!.dataPoints.find((point) => !point.attributes['error.type'])!.attributes).toMatchObject({
      'server.address': s('wiki.example.com'),
      'server.port': i(443),
    });
    expect(client!.histogram!.dataPoints.reduce((total, point) => total + Number(point.count), 0)).toBe(5);

    // The next export's interval starts where this one ended: delta points of a series never overlap.
    await send([call({ server: 'wiki', latencyMs: 12, time: '2026-11-25T10:08:00.000Z' })]);
    const next = metric('mcp.server.operation.duration')[1]!.histogram!.dataPoints[0]!;
    expect(next.startTimeUnixNano).toBe(okCalls.timeUnixNano);
    expect(next.count).toBe('1');
  });

  it('sends each signal only what it has not accepted yet when one receiver path fails, and tells which one failed', async () => {
    receiver.failing.set('/v1/traces', 404);
    const batch = [call({ server: 'wiki' }), call({ server: 'wiki' })];
    await expect(send(batch)).rejects.toMatchObject({
      code: 'AUDIT_SINK_FAILED',
      message: `the OTLP receiver at http://127.0.0.1:${port}/v1/traces (traces) answered HTTP 404`,
    });
    expect(receiver.received).toHaveLength(2);
    expect(receiver.spans).toHaveLength(0);
    receiver.failing.clear();
    // The exporter re-sends the same batch (its cursor did not move): only traces go again.
    await send(batch);
    expect(receiver.received).toHaveLength(2);
    expect(receiver.spans).toHaveLength(4);
    expect(receiver.metrics.filter((metric) => metric.name === 'mcp.server.operation.duration')).toHaveLength(1);
  });

  it('carries headers from the environment and the file without ever putting them in its name or its errors; gzip when asked', async () => {
    const env = { OTEL_EXPORTER_OTLP_HEADERS: 'authorization=Bearer%20s3cret-token', OTEL_EXPORTER_OTLP_COMPRESSION: 'gzip' };
    const secretSink = createAuditSink(
      { type: 'otlp', url: `http://user:hunter2@127.0.0.1:${port}/v1/logs?key=abc`, endpoint: `http://127.0.0.1:${port}`, headers: { 'X-Tenant': 'acme' } },
      { env },
    );
    receiver.failing.set('/v1/metrics', 503);
    const failure = await secretSink.send([call()], new AbortController().signal).catch((error: Error) => error);
    expect(secretSink.name).toBe(`otlp:http://127.0.0.1:${port}/v1/logs`);
    const request = receiver.requests.find((entry) => entry.path === '/v1/traces')!;
    expect(request.headers).toMatchObject({
      authorization: 'Bearer s3cret-token',
      'x-tenant': 'acme',
      'content-type': 'application/json',
      'content-encoding': 'gzip',
    });
    expect(receiver.spans).toHaveLength(1);
    // A user and password in the URL are HTTP Basic credentials, unless the headers name an authorization already.
    expect(receiver.requests.find((entry) => entry.path === '/v1/logs?key=abc')!.headers.authorization).toBe('Bearer s3cret-token');
    const basicSink = createAuditSink({ type: 'otlp', url: `http://user:hunter2@127.0.0.1:${port}/v1/logs` }, { env: {} });
    await basicSink.send([call()], new AbortController().signal);
    expect(receiver.requests.at(-1)!.headers.authorization).toBe(`Basic ${Buffer.from('user:hunter2').toString('base64')}`);
    for (const text of [secretSink.name, (failure as Error).message]) {
      expect(text).not.toMatch(/s3cret|hunter2|key=abc/);
    }
    // Nothing listens here: the error names the receiver, not its credentials.
    const unreachable = createAuditSink({ type: 'otlp', endpoint: `http://127.0.0.1:${await freePort()}` }, { env });
    await expect(unreachable.send([call()], new AbortController().signal)).rejects.toMatchObject({
      code: 'AUDIT_SINK_FAILED',
      message: expect.not.stringMatching(/s3cret/),
    });
    // A logs-only sink keeps the name it always had (its delivery cursor is kept under it), written as configured.
    expect(createAuditSink({ type: 'otlp', url: 'http://LOCALHOST:4318' }, { env: {} }).name).toBe('otlp:http://LOCALHOST:4318');
  });
});
