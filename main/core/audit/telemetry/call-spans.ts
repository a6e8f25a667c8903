// Each audited call as OTLP spans: Switchboard's SERVER span for the client's request and, when a server answered, the CLIENT span of the hop to it.
import { createHash } from 'node:crypto';
import type { AuditRecord } from '../audit-record.ts';
import { parseTraceparent } from '../trace-context.ts';
import { isCall, serverCallAttributes, spanName, upstreamCallAttributes, type UpstreamAddress } from './mcp-attributes.ts';
import { encodeAttributes, isoToNanos, millisToNanos, type OtlpKeyValue } from './otlp-json.ts';

/** OTLP's SpanKind and StatusCode enums; OTLP JSON writes enums as their numbers. */
export const SPAN_KIND = { server: 2, client: 3 } as const;
export const STATUS_CODE = { unset: 0, error: 2 } as const;

export interface OtlpSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  flags: number;
  name: string;
  kind: number;
  startTimeUnixNano: string;
  endTimeUnixNano: string;
  attributes: OtlpKeyValue[];
  status: { code: number };
}

/**
 * The spans of one record, or none (a security event, a record without a valid traceparent, or a trace the client
 * marked not sampled: Switchboard then behaves as the default parent-based sampler does and records no spans).
 *
 * The record's traceparent is the one Switchboard sent upstream, so its span id is the parent the server's own span
 * names: it belongs to the CLIENT span of that hop. The SERVER span then gets an id derived from it (the same on
 * every re-export, so a collector can drop repeats). Without a server in the record no hop is known and the SERVER
 * span takes the record's span id itself, so a server that did receive that traceparent still finds its parent.
 *
 * The record keeps the call's end (its time) and duration, not the hop's own timing, so the CLIENT span spans the
 * whole call: an upper bound for the hop. The client's own span id is not recorded either, so the SERVER span has no
 * parent; it is in the client's trace by its trace id.
 */
export function callSpans(record: AuditRecord, upstreamOf: (serverId: string) => UpstreamAddress | undefined = () => undefined): OtlpSpan[] {
  if (!isCall(record)) return [];
  const ids = callSpanIds(record);
  if (!ids || (ids.flags & 1) === 0) return [];
  const end = isoToNanos(record.time);
  const start = end - millisToNanos(record.latencyMs);
  const failed = record.outcome !== 'ok';
  const common = {
    traceId: ids.traceId,
    flags: ids.flags,
    name: spanName(record),
    startTimeUnixNano: String(start),
    endTimeUnixNano: String(end),
    status: { code: failed ? STATUS_CODE.error : STATUS_CODE.unset },
  };
  const serverSpan: OtlpSpan = { ...common, spanId: ids.serverSpanId, kind: SPAN_KIND.server, attributes: encodeAttributes(serverCallAttributes(record)) };
  if (!ids.clientSpanId || !record.server) return [serverSpan];
  return [
    serverSpan,
    {
      ...common,
      spanId: ids.clientSpanId,
      parentSpanId: ids.serverSpanId,
      kind: SPAN_KIND.client,
      attributes: encodeAttributes(upstreamCallAttributes(record, upstreamOf(record.server))),
    },
  ];
}

/** The ids of a record's spans (see callSpans), or undefined when its traceparent is missing or invalid. */
export function callSpanIds(record: AuditRecord): { traceId: string; flags: number; serverSpanId: string; clientSpanId?: string } | undefined {
  const context = parseTraceparent(record.traceparent);
  if (!context) return undefined;
  if (!record.server) return { traceId: context.traceId, flags: context.flags, serverSpanId: context.spanId };
  return { traceId: context.traceId, flags: context.flags, serverSpanId: derivedSpanId(context.traceId, context.spanId), clientSpanId: context.spanId };
}

/** Eight bytes of a hash of the hop's ids: stable for the record, unrelated to any id a client or server chose. */
function derivedSpanId(traceId: string, hopSpanId: string): string {
  const id = createHash('sha256').update(`switchboard server span\n${traceId}\n${hopSpanId}`).digest('hex').slice(0, 16);
  // An all-zero span id is invalid; a hash that yields one is as good as impossible, but stays valid all the same.
  return /^0+$/.test(id) ? '0000000000000001' : id;
}
