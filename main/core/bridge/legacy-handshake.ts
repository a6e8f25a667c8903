// What a 2025-era client set up on its session (its initialize, resource subscriptions, log level), kept to give a new session the same.
import {
  isInitializedNotification,
  isJSONRPCRequest,
  isJSONRPCResponse,
  isJSONRPCResultResponse,
  type JSONRPCMessage,
  type JSONRPCNotification,
  type JSONRPCRequest,
  type RequestId,
} from '@modelcontextprotocol/client';
import { isModernEra } from './protocol-era.ts';

export type ListKind = 'tools' | 'prompts' | 'resources';

type ServerCapabilities = Partial<Record<string, { listChanged?: unknown }>>;

/** Requests whose success changes what the session holds, and so must be repeated on a new one. */
const SESSION_SHAPING_METHODS = new Set(['initialize', 'resources/subscribe', 'resources/unsubscribe', 'logging/setLevel']);

export interface SessionReplay {
  initialize: JSONRPCRequest;
  initialized?: JSONRPCNotification;
  /** Requests that put back the subscriptions and log level the client had set; their answers are not the client's. */
  restore: JSONRPCRequest[];
}

/**
 * Only what the client asked for and Switchboard granted is kept: a request is held until its answer, and counts only
 * if the answer is a result. Nothing is kept for 2026-07-28 messages, which need no session.
 */
export class LegacyHandshake {
  readonly #awaitingAnswer = new Map<RequestId, JSONRPCRequest>();
  #initialize: JSONRPCRequest | undefined;
  #initialized: JSONRPCNotification | undefined;
  #serverCapabilities: ServerCapabilities = {};
  readonly #subscriptions = new Set<string>();
  #logLevel: JSONRPCRequest | undefined;

  /** True once a client's initialize has succeeded: from then on a lost session can be opened again. */
  get established(): boolean {
    return this.#initialize !== undefined;
  }

  /** Notes a message on its way from the client to Switchboard. */
  noteOutbound(message: JSONRPCMessage): void {
    if (isModernEra(message)) return;
    if (isJSONRPCRequest(message) && SESSION_SHAPING_METHODS.has(message.method)) this.#awaitingAnswer.set(message.id, message);
    else if (isInitializedNotification(message)) this.#initialized = message;
  }

  /** Notes a message on its way to the client; returns the negotiated protocol version when it answers the client's initialize. */
  noteInbound(message: JSONRPCMessage): string | undefined {
    if (!isJSONRPCResponse(message) || message.id === undefined) return undefined;
    const request = this.#awaitingAnswer.get(message.id);
    if (!request) return undefined;
    this.#awaitingAnswer.delete(message.id);
    if (!isJSONRPCResultResponse(message)) return undefined;
    const uri = (request.params as { uri?: unknown } | undefined)?.uri;
    switch (request.method) {
      case 'initialize': {
        // A second initialize starts over: what the first session held is not carried into this one.
        this.#initialize = request;
        this.#serverCapabilities = (message.result.capabilities ?? {}) as ServerCapabilities;
        this.#subscriptions.clear();
        this.#logLevel = undefined;
        const version = message.result.protocolVersion;
        return typeof version === 'string' ? version : undefined;
      }
      case 'resources/subscribe':
        if (typeof uri === 'string') this.#subscriptions.add(uri);
        return undefined;
      case 'resources/unsubscribe':
        if (typeof uri === 'string') this.#subscriptions.delete(uri);
        return undefined;
      default:
        this.#logLevel = request;
        return undefined;
    }
  }

  /** The messages that rebuild the session on a new one, each request under an id from `nextId` so no answer reaches the client. */
  replay(nextId: () => string): SessionReplay | undefined {
    if (!this.#initialize) return undefined;
    const initialize = { ...this.#initialize, id: nextId() };
    const subscribe = [...this.#subscriptions].map((uri): JSONRPCRequest => ({ jsonrpc: '2.0', id: nextId(), method: 'resources/subscribe', params: { uri } }));
    const logLevel = this.#logLevel ? [{ ...this.#logLevel, id: nextId() }] : [];
    return { initialize, ...(this.#initialized ? { initialized: this.#initialized } : {}), restore: [...subscribe, ...logLevel] };
  }

  /** The lists the server promised to announce changes of: after a new session the client should fetch them again. */
  listsToRefresh(): ListKind[] {
    return (['tools', 'prompts', 'resources'] as const).filter((kind) => this.#serverCapabilities[kind]?.listChanged === true);
  }
}
