// Which downstream request an upstream call serves. It is passed down as a parameter (UpstreamCallOptions.origin) and
// rides async context only across the SDK client's dispatch of a server's own requests (sampling, elicitation, roots),
// which offers no parameter: so they go back to the client whose call caused them and to no one else.
import { AsyncLocalStorage } from 'node:async_hooks';

export interface RequestOrigin {
  clientId: string;
  /** Sends a request to the downstream client over the same exchange; rejects when its era cannot carry one. */
  send(request: { method: 'sampling/createMessage' | 'elicitation/create' | 'roots/list'; params: Record<string, unknown> }): Promise<Record<string, unknown>>;
  /** How the client can be asked to sample, when it declared sampling (the tool search's rerank uses it). */
  sampling?: 'request' | 'input-required' | undefined;
  /** Passes a server notification about the running call (e.g. a log message) to the same client. */
  notify(notification: { method: 'notifications/message'; params: Record<string, unknown> }): Promise<void>;
}

export const requestOrigin = new AsyncLocalStorage<RequestOrigin>();
