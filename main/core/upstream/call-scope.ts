// The trace context of the client request being served, and which server ended up serving it, carried through async context.
import { AsyncLocalStorage } from 'node:async_hooks';

export interface CallScope {
  /** W3C traceparent for the upstream request (`_meta.traceparent`). */
  traceparent: string;
  /** Set by the upstream connection that forwarded the request, for the audit record. */
  server?: string;
}

export const callScope = new AsyncLocalStorage<CallScope>();
