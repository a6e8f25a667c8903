// Audit records as OpenTelemetry log records over OTLP/HTTP (JSON encoding), for an OpenTelemetry Collector.
import { hostname } from 'node:os';
import { SwitchboardError } from '../../errors.ts';
import { SWITCHBOARD_VERSION } from '../../version.ts';
import type { AuditRecord } from '../audit-record.ts';
import type { AuditSink } from './sink-exporter.ts';

type AnyValue = { stringValue: string } | { intValue: string } | { doubleValue: number };

/** Attribute names follow the OpenTelemetry MCP semantic conventions where one exists. */
const ATTRIBUTES: [keyof AuditRecord, string][] = [
  ['method', 'mcp.method.name'],
  ['protocolVersion', 'mcp.protocol.version'],
  ['jsonrpcId', 'jsonrpc.request.id'],
  ['errorCode', 'rpc.response.status_code'],
  ['errorType', 'error.type'],
  ['server', 'switchboard.server'],
  ['client', 'switchboard.client'],
  ['user', 'enduser.id'],
  ['outcome', 'switchboard.outcome'],
  ['latencyMs', 'switchboard.latency_ms'],
  ['requestBytes', 'switchboard.request.bytes'],
  ['responseBytes', 'switchboard.response.bytes'],
  ['kind', 'switchboard.audit.kind'],
  ['id', 'switchboard.audit.id'],
  ['seq', 'switchboard.audit.seq'],
  ['hash', 'switchboard.audit.hash'],
  ['prevHash', 'switchboard.audit.prev_hash'],
];

export function createOtlpSink(options: { url: string; headers?: Record<string, string>; timeoutMs?: number }): AuditSink {
  const resource = { attributes: [attribute('service.name', 'switchboard'), attribute('service.version', SWITCHBOARD_VERSION), attribute('host.name', hostname())] };
  return {
    name: `otlp:${options.url}`,
    async send(records, stopping) {
      const body = { resourceLogs: [{ resource, scopeLogs: [{ scope: { name: 'switchboard.audit', version: SWITCHBOARD_VERSION }, logRecords: records.map(logRecord) }] }] };
      const response = await fetch(options.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...options.headers },
        body: JSON.stringify(body),
        signal: AbortSignal.any([AbortSignal.timeout(options.timeoutMs ?? 10_000), stopping]),
      });
      await response.body?.cancel();
      if (!response.ok) throw new SwitchboardError('AUDIT_SINK_FAILED', `the OTLP receiver at ${options.url} answered HTTP ${response.status}`);
    },
  };
}

function logRecord(record: AuditRecord): Record<string, unknown> {
  const [, traceId, spanId] = record.traceparent?.split('-') ?? [];
  const failed = record.outcome !== 'ok';
  const target = record.target ? ` ${record.target}` : '';
  return {
    timeUnixNano: `${BigInt(Date.parse(record.time)) * 1_000_000n}`,
    severityNumber: failed ? 13 : 9,
    severityText: failed ? 'WARN' : 'INFO',
    body: { stringValue: `${record.method}${target} ${record.outcome}` },
    attributes: [
      ...ATTRIBUTES.flatMap(([field, name]) => (record[field] === undefined || record[field] === null ? [] : [attribute(name, record[field] as string | number)])),
      ...(record.target ? [attribute(targetAttribute(record), record.target)] : []),
      ...(record.details ? [attribute('switchboard.details', record.details)] : []),
    ],
    ...(traceId && spanId ? { traceId, spanId } : {}),
  };
}

function targetAttribute(record: AuditRecord): string {
  if (record.method === 'tools/call') return 'gen_ai.tool.name';
  if (record.method === 'prompts/get') return 'gen_ai.prompt.name';
  if (record.method.startsWith('resources/')) return 'mcp.resource.uri';
  return 'switchboard.target';
}

function attribute(key: string, value: string | number): { key: string; value: AnyValue } {
  if (typeof value === 'number') return { key, value: Number.isInteger(value) ? { intValue: String(value) } : { doubleValue: value } };
  return { key, value: { stringValue: value } };
}
