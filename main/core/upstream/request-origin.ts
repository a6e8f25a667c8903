// Which downstream request an upstream call serves, carried through async context so a server's own requests
// (sampling, elicitation, roots) go back to the client whose call caused them and to no one else.
import { AsyncLocalStorage } from 'node:async_hooks';

export interface RequestOrigin {
  clientId: string;
  /** Sends a request to the downstream client over the same exchange; rejects when its era cannot carry one. */
  send(request: { method: 'sampling/createMessage' | 'elicitation/create' | 'roots/list'; params: Record<string, unknown> }): Promise<Record<string, unknown>>;
  /** Passes a server notification about the running call (e.g. a log message) to the same client. */
  notify(notification: { method: 'notifications/message'; params: Record<string, unknown> }): Promise<void>;
}

export const requestOrigin = new AsyncLocalStorage<RequestOrigin>();
