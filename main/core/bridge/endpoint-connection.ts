// The bridge's HTTP side: the SDK's client transport to the local endpoint, given a new session from the client's own handshake when Switchboard has lost it.
import { setTimeout as sleep } from 'node:timers/promises';
import {
  isInitializeRequest,
  isJSONRPCErrorResponse,
  isJSONRPCResponse,
  SdkErrorCode,
  SdkHttpError,
  StreamableHTTPClientTransport,
  type FetchLike,
  type JSONRPCMessage,
  type JSONRPCRequest,
  type JSONRPCResponse,
  type RequestId,
} from '@modelcontextprotocol/client';
import type { Logger } from '../ports.ts';
import { isConnectionRefused } from './bridge-answers.ts';
import { LegacyHandshake, type ListKind } from './legacy-handshake.ts';
import { isModernEra } from './protocol-era.ts';
import { backoffDelay, eventStreamReconnection, UNREACHABLE_RETRY_BACKOFF, type BackoffPolicy } from './reconnect-backoff.ts';

export interface EndpointConnectionOptions {
  mcpUrl: string;
  /** The client's own credential; omitted only when the running Switchboard allows anonymous access. */
  credential?: string;
  fetch?: typeof fetch;
  eventStreamBackoff: BackoffPolicy;
  /** How long a message keeps retrying while nobody listens on the endpoint (Switchboard stopped or restarting). */
  unreachableGraceMs: number;
  /** Each message from Switchboard for the client (the bridge's own exchanges are kept back). */
  onMessage: (message: JSONRPCMessage) => void;
  /** A new session replaced a lost one; `lists` are those the client should fetch again. */
  onSessionRenewed: (lists: ListKind[]) => void;
  /** The transport of `generation` was replaced: any answer still awaited on it will never come. */
  onTransportRetired: (generation: number) => void;
  logger: Logger;
}

export interface RelayOptions {
  /** Aborts the request's POST and its response stream: how a 2026-07-28 request is cancelled over HTTP. */
  requestSignal?: AbortSignal;
  /** The request's response stream ended, answered or not. */
  onRequestStreamEnd?: () => void;
}

interface Generation {
  transport: StreamableHTTPClientTransport;
  number: number;
}

/** A message that lost its session twice in a row is not helped by a third: something else is wrong. */
const MAX_RENEWALS_PER_MESSAGE = 2;
/** A Switchboard that accepts the replayed initialize but never answers must not hold every later message for ever. */
const RENEWAL_ANSWER_TIMEOUT_MS = 15_000;
/** The DELETE that ends the session when the client leaves; a hung Switchboard must not keep the bridge alive. */
const GOODBYE_TIMEOUT_MS = 2000;
/** Ids of the bridge's own requests; their answers are never passed to the client. */
const OWN_ID_PREFIX = 'switchboard-bridge/';

export class EndpointConnection {
  readonly #options: EndpointConnectionOptions;
  readonly #handshake = new LegacyHandshake();
  /** Every transport opened, so that all of them are closed at the end (a retired one may still carry an answer). */
  readonly #opened = new Set<StreamableHTTPClientTransport>();
  readonly #ownAnswers = new Map<RequestId, (answer: JSONRPCResponse) => void>();
  #current: Generation;
  #generations = 0;
  #ownIds = 0;
  /** Switchboard answered 404 for the session: the 2025-era client's next message needs a new one first. */
  #sessionLost = false;
  #renewing: Promise<void> | undefined;
  #closed = false;

  constructor(options: EndpointConnectionOptions) {
    this.#options = options;
    this.#current = this.#open();
  }

  /**
   * Sends one client message; resolves with the generation of the transport that carried it. While nobody listens it
   * retries until the grace period ends (nothing was sent, so this is safe for any message); a 2025-era message whose
   * session Switchboard no longer knows gets a new session, then is sent again.
   */
  async send(message: JSONRPCMessage, options: RelayOptions = {}): Promise<number> {
    this.#handshake.noteOutbound(message);
    const belongsToSession = !isModernEra(message) && !isInitializeRequest(message);
    const giveUpAt = Date.now() + this.#options.unreachableGraceMs;
    let renewals = 0;
    for (let attempt = 0; ; attempt++) {
      try {
        if (belongsToSession && this.#sessionLost) await this.#renew();
        const used = this.#current;
        try {
          await used.transport.send(message, options);
          return used.number;
        } catch (error) {
          if (!(belongsToSession && this.#sessionGone(error, used) && renewals++ < MAX_RENEWALS_PER_MESSAGE)) throw error;
          this.#loseSession(used);
        }
      } catch (error) {
        const delay = backoffDelay(UNREACHABLE_RETRY_BACKOFF, attempt);
        if (!isConnectionRefused(error) || this.#closed || options.requestSignal?.aborted || Date.now() + delay > giveUpAt) throw error;
        await sleep(delay);
      }
    }
  }

  /** Ends the 2025-era session (DELETE, as the client would) and stops every stream. */
  async close(): Promise<void> {
    this.#closed = true;
    const { transport } = this.#current;
    if (transport.sessionId && !this.#sessionLost)
      await Promise.race([transport.terminateSession().catch(() => undefined), sleep(GOODBYE_TIMEOUT_MS, undefined, { ref: false })]);
    await Promise.allSettled([...this.#opened].map((opened) => opened.close()));
  }

  #open(): Generation {
    const number = ++this.#generations;
    const retired = () => this.#closed || this.#current.number !== number;
    const { mcpUrl, credential, fetch } = this.#options;
    const transport = new StreamableHTTPClientTransport(new URL(mcpUrl), {
      ...(fetch ? { fetch: fetch as FetchLike } : {}),
      ...(credential ? { requestInit: { headers: { authorization: `Bearer ${credential}` } } } : {}),
      ...eventStreamReconnection(this.#options.eventStreamBackoff, retired),
    });
    transport.onmessage = (message) => this.#receive(message, transport);
    transport.onerror = (error) => this.#transportFailed(error, transport);
    // start() only arms the transport's abort controller; it cannot fail on a new transport.
    void transport.start();
    this.#opened.add(transport);
    return { transport, number };
  }

  #receive(message: JSONRPCMessage, transport: StreamableHTTPClientTransport): void {
    if (isJSONRPCResponse(message) && message.id !== undefined) {
      const own = this.#ownAnswers.get(message.id);
      if (own) return own(message);
    }
    const version = this.#handshake.noteInbound(message);
    if (version !== undefined) {
      // The transport sends the negotiated version on every later request, as the 2025-11-25 HTTP binding requires.
      transport.setProtocolVersion(version);
      if (transport === this.#current.transport) this.#sessionLost = false;
    }
    this.#options.onMessage(message);
  }

  /** The transport reports failures of its GET stream only here; a 404 there is the first sign of a restarted Switchboard. */
  #transportFailed(error: Error, transport: StreamableHTTPClientTransport): void {
    const current = this.#current;
    const streamRefused = SdkHttpError.isInstance(error) && error.code === SdkErrorCode.ClientHttpFailedToOpenStream;
    if (streamRefused && transport === current.transport && this.#sessionGone(error, current)) {
      this.#loseSession(current);
      // Renewed now rather than at the client's next call, so that list changes reach a client that only listens.
      this.#renew().catch((renewError: unknown) =>
        this.#options.logger.log('warn', 'bridge.session_renewal_failed', { message: (renewError as Error).message }),
      );
      return;
    }
    this.#options.logger.log('debug', 'bridge.transport_error', { message: error.message });
  }

  /** Switchboard no longer knows the session this transport holds (the spec's 404), and the client's handshake can open another. */
  #sessionGone(error: unknown, used: Generation): boolean {
    return SdkHttpError.isInstance(error) && error.status === 404 && used.transport.sessionId !== undefined && this.#handshake.established;
  }

  /** Only the current transport's loss counts: an older one's session was replaced already. */
  #loseSession(used: Generation): void {
    if (used === this.#current) this.#sessionLost = true;
  }

  /** One renewal at a time; every message that found the session lost waits for the same one. */
  #renew(): Promise<void> {
    if (!this.#sessionLost) return Promise.resolve();
    this.#renewing ??= this.#openNewSession().finally(() => (this.#renewing = undefined));
    return this.#renewing;
  }

  /**
   * Replays the client's initialize (under the bridge's own id) and its initialized notification on a new transport,
   * then the subscriptions and log level the client had set. A fresh transport is used so that the old one's GET
   * stream stops retrying with the dead session id; a transport whose own replay failed before any session is reused.
   */
  async #openNewSession(): Promise<void> {
    const replay = this.#handshake.replay(() => `${OWN_ID_PREFIX}${++this.#ownIds}`);
    if (!replay) return;
    if (this.#current.transport.sessionId !== undefined) {
      const previous = this.#current;
      this.#current = this.#open();
      this.#options.onTransportRetired(previous.number);
    }
    const { transport } = this.#current;
    const answer = await this.#ask(transport, replay.initialize);
    if (isJSONRPCErrorResponse(answer)) throw new Error(`Switchboard refused the replayed initialize: ${answer.error.message}`);
    const version = (answer.result as { protocolVersion?: unknown }).protocolVersion;
    if (typeof version === 'string') transport.setProtocolVersion(version);
    // The initialized notification also makes the transport open the new session's GET stream.
    if (replay.initialized) await transport.send(replay.initialized);
    for (const request of replay.restore) {
      const restored = await this.#ask(transport, request).catch((error: unknown) => error as Error);
      if (restored instanceof Error || isJSONRPCErrorResponse(restored))
        this.#options.logger.log('warn', 'bridge.session_restore_failed', { method: request.method });
    }
    this.#sessionLost = false;
    this.#options.logger.log('info', 'bridge.session_renewed', { url: this.#options.mcpUrl });
    this.#options.onSessionRenewed(this.#handshake.listsToRefresh());
  }

  /** One of the bridge's own requests, answered to the bridge alone. */
  async #ask(transport: StreamableHTTPClientTransport, request: JSONRPCRequest): Promise<JSONRPCResponse> {
    let timer: NodeJS.Timeout | undefined;
    const answered = new Promise<JSONRPCResponse>((resolve, reject) => {
      this.#ownAnswers.set(request.id, resolve);
      timer = setTimeout(
        () => reject(new Error(`Switchboard did not answer ${request.method} within ${RENEWAL_ANSWER_TIMEOUT_MS} ms`)),
        RENEWAL_ANSWER_TIMEOUT_MS,
      );
    });
    // Observed at once: the timeout may fire while the send itself is still waiting.
    answered.catch(() => undefined);
    try {
      await transport.send(request);
      return await answered;
    } finally {
      clearTimeout(timer);
      this.#ownAnswers.delete(request.id);
    }
  }
}
