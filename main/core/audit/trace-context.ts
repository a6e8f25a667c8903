// W3C Trace Context for each call: continue the client's trace when it sent one, start one otherwise.
import { randomBytes } from 'node:crypto';

const TRACEPARENT = /^00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/;

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
