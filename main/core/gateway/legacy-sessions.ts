// 2025-era downstream clients: one SDK session per `initialize`, bound to its client, idle ones closed, a cap per client, closed ones resumed.
import { randomUUID } from 'node:crypto';
import { isInitializeRequest, WebStandardStreamableHTTPServerTransport } from '@modelcontextprotocol/server';
import type { AuthInfo, McpHandlerRequestOptions, Server } from '@modelcontextprotocol/server';
import type { Logger } from '../ports.ts';
import type { DownstreamContext } from './downstream-protocol.ts';
import { SessionEventStore } from './session-event-store.ts';

export interface LegacySessionLimits {
  /** A session with no request for this long is closed (gateway.sessionIdleMs). */
  idleMs: number;
  /** Open sessions per client; one more closes that client's least recently used one (gateway.maxSessionsPerClient). */
  maxPerClient: number;
  /** The clock; tests inject their own and call expireIdle(). */
  now?: () => number;
}

export const DEFAULT_SESSION_LIMITS: LegacySessionLimits = { idleMs: 30 * 60_000, maxPerClient: 64 };

interface LegacySession {
  id: string;
  transport: WebStandardStreamableHTTPServerTransport;
  server: Server;
  context: DownstreamContext;
  /** The client's own initialize request, replayed when the session is resumed. */
  initialize: unknown;
  lastActive: number;
  /** Requests whose answer is still being sent: such a session is never idle. */
  busy: number;
}

/** What is kept of a session closed for idleness or by the cap: enough to resume it under its id, a few hundred bytes. */
interface ClosedSession {
  clientId: string;
  why: 'idle' | 'cap';
  initialize: unknown;
  subscriptions: string[];
}

/** Closed sessions remembered per client, for resuming; older ones are forgotten and then get the spec's 404. */
const REMEMBERED_PER_OPEN_SESSION = 4;

/**
 * Sessions are bounded two ways: one idle for `idleMs` (no request, no answer being sent) is closed by an unref'd
 * sweep, and a client opening more than `maxPerClient` has its least recently used one closed (an idle one first).
 *
 * The SDK clients of the 2025 era do not start a new session when theirs gets a 404, although the spec asks them to
 * (Switchboard's own stdio bridge does, after a restart). So a session closed by Switchboard (not by the client's DELETE) is remembered
 * in a few hundred bytes, and the same client's next request with its id resumes it: the initialize is replayed under
 * the same id and the request is served, transparently (a GET stream reconnecting resumes one closed for idleness
 * only). Only a session the client ended, one long forgotten, or an id of another client gets the spec's 404 (so a
 * client that follows the spec re-initializes).
 */
export class LegacySessions {
  readonly #sessions = new Map<string, LegacySession>();
  readonly #closed = new Map<string, ClosedSession>();
  readonly #resuming = new Map<string, Promise<LegacySession>>();
  readonly #buildServer: (context: DownstreamContext) => Server;
  readonly #contextOf: (authInfo: AuthInfo | undefined) => DownstreamContext;
  readonly #limits: LegacySessionLimits;
  readonly #now: () => number;
  readonly #logger: Logger | undefined;
  readonly #sweep: NodeJS.Timeout;

  constructor(
    buildServer: (context: DownstreamContext) => Server,
    contextOf: (authInfo: AuthInfo | undefined) => DownstreamContext,
    limits: LegacySessionLimits = DEFAULT_SESSION_LIMITS,
    logger?: Logger,
  ) {
    this.#buildServer = buildServer;
    this.#contextOf = contextOf;
    this.#limits = limits;
    this.#now = limits.now ?? Date.now;
    this.#logger = logger;
    // Unref'd: an idle sweep must never keep the process alive.
    this.#sweep = setInterval(() => this.expireIdle(), Math.max(250, Math.min(60_000, Math.floor(limits.idleMs / 4)))).unref();
  }

  get size(): number {
    return this.#sessions.size;
  }

  async fetch(request: Request, options: McpHandlerRequestOptions = {}): Promise<Response> {
    const context = this.#contextOf(options.authInfo);
    const sessionId = request.headers.get('mcp-session-id');
    if (sessionId) {
      const session = this.#sessions.get(sessionId) ?? (await this.#resume(sessionId, request.method, context, options));
      // Another client's session id is treated exactly like an unknown one: it reveals nothing and reaches nothing.
      if (!session || session.context.clientId !== context.clientId) return jsonRpcError(404, -32001, 'Session not found; initialize a new session');
      return this.#serve(session, request, options);
    }
    const body =
      options.parsedBody ??
      (request.method === 'POST'
        ? await request
            .clone()
            .json()
            .catch(() => undefined)
        : undefined);
    if (request.method === 'POST' && isInitializeRequest(body)) {
      return this.#serve(await this.#open(context, body), request, { ...options, parsedBody: body });
    }
    return jsonRpcError(400, -32000, 'Bad Request: no valid Mcp-Session-Id; send initialize first');
  }

  /** Closes the sessions idle for longer than the limit; returns how many. Runs on the sweep timer. */
  expireIdle(): number {
    const cutoff = this.#now() - this.#limits.idleMs;
    const idle = [...this.#sessions.values()].filter((session) => session.busy === 0 && session.lastActive <= cutoff);
    for (const session of idle) this.#expire(session, 'idle');
    return idle.length;
  }

  /** Sends a list-changed notification to every open session (their GET streams carry it). */
  broadcast(kind: 'tools' | 'prompts' | 'resources'): void {
    for (const { server } of this.#sessions.values()) {
      const send = kind === 'tools' ? server.sendToolListChanged() : kind === 'prompts' ? server.sendPromptListChanged() : server.sendResourceListChanged();
      void send.catch(() => undefined);
    }
  }

  /** Tells the sessions that subscribed to `uri` that it changed. */
  resourceUpdated(uri: string): void {
    for (const { server, context } of this.#sessions.values()) {
      if (context.subscriptions.has(uri)) void server.sendResourceUpdated({ uri }).catch(() => undefined);
    }
  }

  async close(): Promise<void> {
    clearInterval(this.#sweep);
    const open = [...this.#sessions.values()];
    this.#sessions.clear();
    this.#closed.clear();
    await Promise.allSettled(open.map(({ transport }) => transport.close()));
  }

  /** Hands a request to its session, which counts as busy until the answer (an SSE stream for a POST) is sent. */
  async #serve(session: LegacySession, request: Request, options: McpHandlerRequestOptions): Promise<Response> {
    session.lastActive = this.#now();
    session.busy++;
    let done = false;
    const finish = () => {
      if (done) return;
      done = true;
      session.busy--;
      session.lastActive = this.#now();
    };
    let response: Response;
    try {
      response = await session.transport.handleRequest(request, options);
    } catch (error) {
      finish();
      throw error;
    }
    // A GET stream only listens: it keeps no session alive (a closed one is resumed when the client reconnects it).
    if (request.method !== 'POST' || !response.body) {
      finish();
      return response;
    }
    return new Response(untilDone(response.body, finish), { status: response.status, statusText: response.statusText, headers: response.headers });
  }

  /** A new session; it counts (and is held to the cap) once its initialize succeeded. */
  async #open(context: DownstreamContext, initialize: unknown, id: string = randomUUID()): Promise<LegacySession> {
    const server = this.#buildServer(context);
    const transport: WebStandardStreamableHTTPServerTransport = new WebStandardStreamableHTTPServerTransport({
      sessionIdGenerator: () => id,
      // Streams open with a priming event and can be resumed after a break (SEP-1699), within a fixed budget per session.
      eventStore: new SessionEventStore(),
      onsessioninitialized: () => {
        this.#sessions.set(id, session);
        this.#enforceCap(context.clientId);
      },
      // The client ended it (DELETE): forget it entirely, so its id gets the spec's 404 from now on.
      onsessionclosed: (closedId) => {
        this.#sessions.delete(closedId);
        this.#closed.delete(closedId);
      },
    });
    const session: LegacySession = { id, transport, server, context, initialize, lastActive: this.#now(), busy: 0 };
    await server.connect(transport);
    return session;
  }

  /** Reopens a session Switchboard closed, under its old id, for the client that owned it; undefined when unknown. */
  #resume(id: string, method: string, context: DownstreamContext, options: McpHandlerRequestOptions): Promise<LegacySession | undefined> | undefined {
    const pending = this.#resuming.get(id);
    if (pending) return pending;
    const closed = this.#closed.get(id);
    if (!closed || closed.clientId !== context.clientId) return undefined;
    // A listening client reconnecting its GET stream resumes a session closed for idleness. One pushed out by the cap
    // waits for a real request: otherwise a client's live listeners beyond its cap would keep pushing each other out.
    if (method === 'GET' && closed.why === 'cap') return undefined;
    this.#closed.delete(id);
    const resuming = this.#replayInitialize(id, closed, context, options).finally(() => this.#resuming.delete(id));
    this.#resuming.set(id, resuming);
    return resuming;
  }

  async #replayInitialize(id: string, closed: ClosedSession, context: DownstreamContext, options: McpHandlerRequestOptions): Promise<LegacySession> {
    for (const uri of closed.subscriptions) context.subscriptions.add(uri);
    const session = await this.#open(context, closed.initialize, id);
    const headers = { 'content-type': 'application/json', accept: 'application/json, text/event-stream' };
    const authInfo = options.authInfo ? { authInfo: options.authInfo } : {};
    const initialized = await session.transport.handleRequest(
      new Request(REPLAY_URL, { method: 'POST', headers, body: JSON.stringify(closed.initialize) }),
      authInfo,
    );
    await initialized.text();
    const version = (closed.initialize as { params?: { protocolVersion?: unknown } }).params?.protocolVersion;
    const sessionHeaders = { ...headers, 'mcp-session-id': id, ...(typeof version === 'string' ? { 'mcp-protocol-version': version } : {}) };
    const notified = await session.transport.handleRequest(
      new Request(REPLAY_URL, { method: 'POST', headers: sessionHeaders, body: JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' }) }),
      authInfo,
    );
    await notified.text();
    this.#logger?.log('debug', 'gateway.session_resumed', { client: context.clientId });
    return session;
  }

  /** Keeps a client within its cap by closing its least recently used sessions, idle ones first. */
  #enforceCap(clientId: string): void {
    const own = [...this.#sessions.values()].filter((session) => session.context.clientId === clientId);
    const excess = own.length - this.#limits.maxPerClient;
    if (excess <= 0) return;
    const byAge = own.sort((a, b) => Number(a.busy > 0) - Number(b.busy > 0) || a.lastActive - b.lastActive);
    for (const session of byAge.slice(0, excess)) this.#expire(session, 'cap');
  }

  #expire(session: LegacySession, why: 'idle' | 'cap'): void {
    const { id, context, transport, initialize } = session;
    this.#sessions.delete(id);
    this.#remember(id, { clientId: context.clientId, why, initialize, subscriptions: [...context.subscriptions] });
    this.#logger?.log('debug', 'gateway.session_closed', { client: context.clientId, why });
    void transport.close().catch(() => undefined);
  }

  /** Remembers a closed session for resuming, forgetting the client's oldest beyond its allowance. */
  #remember(id: string, closed: ClosedSession): void {
    this.#closed.set(id, closed);
    const own = [...this.#closed].filter(([, entry]) => entry.clientId === closed.clientId);
    const allowance = this.#limits.maxPerClient * REMEMBERED_PER_OPEN_SESSION;
    for (const [oldId] of own.slice(0, Math.max(0, own.length - allowance))) this.#closed.delete(oldId);
  }
}

/** Replayed requests never touch the network; the transport only needs a well-formed URL. */
const REPLAY_URL = 'http://127.0.0.1/mcp';

/** The same body, calling `done` once when it ends, fails or the reader cancels it. */
function untilDone(source: ReadableStream<Uint8Array>, done: () => void): ReadableStream<Uint8Array> {
  const reader = source.getReader();
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const { done: ended, value } = await reader.read();
        if (!ended) return controller.enqueue(value);
        done();
        controller.close();
      } catch (error) {
        done();
        controller.error(error);
      }
    },
    cancel(reason) {
      done();
      return reader.cancel(reason);
    },
  });
}

function jsonRpcError(status: number, code: number, message: string): Response {
  return new Response(JSON.stringify({ jsonrpc: '2.0', id: null, error: { code, message } }), { status, headers: { 'content-type': 'application/json' } });
}
