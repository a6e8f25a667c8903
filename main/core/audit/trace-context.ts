// W3C Trace Context for each call: continue the client's trace when it sent one, start one otherwise, and read it back for export.
import { randomBytes } from 'node:crypto';

const TRACEPARENT = /^00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/;

/** A traceparent's parts, as hex: the ids OTLP carries and the trace flags (bit 0: sampled). */
export interface TraceContext {
  traceId: string;
  spanId: string;
  flags: number;
}

/** A version-00 traceparent with non-zero ids, or undefined (W3C Trace Context §3.2: all-zero ids are invalid). */
export function parseTraceparent(value: unknown): TraceContext | undefined {
  const match = typeof value === 'string' ? TRACEPARENT.exec(value) : null;
  if (!match || /^0+$/.test(match[1]!) || /^0+$/.test(match[2]!)) return undefined;
  return { traceId: match[1]!, spanId: match[2]!, flags: Number.parseInt(match[3]!, 16) };
}

/**
 * The traceparent Switchboard puts on the upstream request (`_meta.traceparent`, SEP-414): the client's trace id when
 * its own traceparent is valid (so the company's tracing shows one trace end to end), a new span id either way.
 */
export function childTraceparent(parent: unknown): string {
  const match = typeof parent === 'string' ? TRACEPARENT.exec(parent) : null;
  const traceId = match && !/^0+$/.test(match[1]!) ? match[1]! : randomBytes(16).toString('hex');
  const flags = match ? match[3]! : '01';
  return `00-${traceId}-${randomBytes(8).toString('hex')}-${flags}`;
}
