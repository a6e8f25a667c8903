// Each audit record (calls and security events) as an OTLP log record carrying the call's MCP attributes and the record's identity.
import type { AuditRecord } from '../audit-record.ts';
import { callSpanIds } from './call-spans.ts';
import { auditLogAttributes } from './mcp-attributes.ts';
import { encodeAttributes, isoToNanos, type OtlpKeyValue } from './otlp-json.ts';

/** OTLP SeverityNumber: INFO for what went as asked, WARN for a failure. */
const SEVERITY = { info: 9, warn: 13 } as const;

export interface OtlpLogRecord {
  timeUnixNano: string;
  observedTimeUnixNano: string;
  severityNumber: number;
  severityText: string;
  body: { stringValue: string };
  attributes: OtlpKeyValue[];
  traceId?: string;
  spanId?: string;
  flags?: number;
}

/**
 * Every record becomes a log record, sampled trace or not: the audit trail is complete by design. A call's log record
 * names the call's SERVER span, the request it is the record of.
 */
export function auditLogRecord(record: AuditRecord): OtlpLogRecord {
  const ids = callSpanIds(record);
  const failed = record.outcome !== 'ok';
  const time = String(isoToNanos(record.time));
  const target = record.target ? ` ${record.target}` : '';
  return {
    timeUnixNano: time,
    observedTimeUnixNano: time,
    severityNumber: failed ? SEVERITY.warn : SEVERITY.info,
    severityText: failed ? 'WARN' : 'INFO',
    body: { stringValue: `${record.method}${target} ${record.outcome}` },
    attributes: encodeAttributes(auditLogAttributes(record)),
    ...(ids ? { traceId: ids.traceId, spanId: ids.serverSpanId, flags: ids.flags } : {}),
  };
}
