// Relays one per-call request to a server as bytes over a keep-alive pool: only the envelope is rewritten, the answer streams back as sent but for its id.
import { randomBytes } from 'node:crypto';
import { Agent as HttpAgent, request as httpRequest, type IncomingMessage, type OutgoingHttpHeaders } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { CLIENT_CAPABILITIES_META_KEY, CLIENT_INFO_META_KEY, PROTOCOL_VERSION_META_KEY, SERVER_INFO_META_KEY } from '@modelcontextprotocol/client';
import type { ClientCapabilities } from '@modelcontextprotocol/client';
import { createParser, type EventSourceMessage } from 'eventsource-parser';
import { SwitchboardError } from '../errors.ts';
import { SWITCHBOARD_IMPLEMENTATION } from '../version.ts';
import { encodeHeaderValue } from './mcp-header-values.ts';

/** The per-call requests that can travel as bytes; everything else goes through the SDK. */
export type RelayedMethod = 'tools/call' | 'prompts/get' | 'resources/read';

export interface RelayCall {
  method: RelayedMethod;
  /** The client's JSON-RPC id, which every message answering the call carries back. */
  id: string | number;
  /** The params as the server must see them (its own name or URI); `_meta` still holds the client's keys. */
  params: Record<string, unknown>;
  /** Aborted when the client goes away: the server's request is cancelled too. */
  signal: AbortSignal;
  /** `Mcp-Param-*` headers mirrored from the arguments by the server's own tool definition; a 2026-07-28 server checks them against the body. */
  paramHeaders?: Record<string, string>;
}

/** How a relayed call ended, for the audit record. */
export interface RelayOutcome {
  outcome: 'ok' | 'tool_error' | 'error' | 'transport_error';
  errorCode?: number;
  errorType?: string;
  responseBytes: number;
  /** The answer's message, when it was small enough to parse at no real cost (see PARSE_LIMIT). */
  message?: Record<string, unknown>;
}

export interface RelayAnswer {
  /** 200, or the HTTP error status a server sent with a JSON-RPC error answer (kept, so the client sees what it would directly). */
  status: number;
  contentType: 'application/json' | 'text/event-stream';
  /** The answer's bytes for the client; ends when the server's answer is complete. */
  body: AsyncIterable<Buffer>;
  /** Whether the answer to the call has been read (any bytes after it are the stream's end). */
  finished(): boolean;
  /** How the call ended; final once `body` has been read to its end. */
  outcome(): RelayOutcome;
}

/** What the relay needs of the SDK connection it rides beside: the handshake's results, read fresh for each call. */
export interface RelaySession {
  era: 'modern' | 'legacy';
  protocolVersion: string;
  /** The 2025-era session the SDK client opened; requests of every client share it, so ids are made unique. */
  sessionId: string | undefined;
  /** Configured and keychain headers, and this server's own bearer token (never a client's). */
  headers: Record<string, string>;
  capabilities: ClientCapabilities;
}

export interface RawRelayOptions {
  serverId: string;
  url: string;
  timeoutMs: number;
  maxResponseBytes: number | undefined;
  /** A reply the relay could not use (another request's id, not JSON-RPC): dropped, and reported here. */
  onProtocolFault: (message: string) => void;
}

/** Answers small enough to parse for the audit record's outcome; larger ones are judged by their last bytes. */
const PARSE_LIMIT = 256 * 1024;
/** How much of a large answer's end is kept to judge it. */
const TAIL_BYTES = 512;
/** Statuses that mean the server did not process the request: the SDK path takes the call from the start. */
const NOT_PROCESSED = new Set([401, 403, 404]);
const INTERNAL_ERROR = -32603;

/**
 * One per server. The SDK stays in charge of the handshake, lists, subscriptions and authorization; this carries the
 * calls, so a call costs one parse of its small envelope and no validation or re-serialisation of its answer.
 */
export class RawRelay {
  readonly #options: RawRelayOptions;
  readonly #agent: HttpAgent;
  readonly #target: URL;
  /** Per-process random part of the ids sent on a shared 2025 session, so a server cannot guess or collide with them. */
  readonly #idPrefix = `sb-${randomBytes(6).toString('hex')}-`;
  #nextId = 0;

  constructor(options: RawRelayOptions) {
    this.#options = options;
    this.#target = new URL(options.url);
    const Agent = this.#target.protocol === 'https:' ? HttpsAgent : HttpAgent;
    // Kept-alive sockets: a call pays no connection set-up; the server's own keep-alive hint retires idle ones in time.
    this.#agent = new Agent({ keepAlive: true, maxSockets: 64 });
  }

  /**
   * Sends the call. Resolves to undefined when the server refused it unprocessed (sign-in needed, session expired) or
   * could not be reached at all, so the caller hands the call to the SDK path, which knows how to recover.
   */
  async send(session: RelaySession, call: RelayCall): Promise<RelayAnswer | undefined> {
    const legacy = session.era === 'legacy';
    const upstreamId = legacy ? `${this.#idPrefix}${++this.#nextId}` : call.id;
    const body = JSON.stringify({ jsonrpc: '2.0', id: upstreamId, method: call.method, params: this.#paramsFor(session, call.params) });
    const headers: OutgoingHttpHeaders = {
      ...session.headers,
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
      'content-length': Buffer.byteLength(body),
      'mcp-protocol-version': session.protocolVersion,
    };
    if (legacy) {
      if (session.sessionId) headers['mcp-session-id'] = session.sessionId;
    } else {
      // SEP-2243: the method and name in headers, so the server (and anything in front of it) routes without the body.
      headers['mcp-method'] = call.method;
      const name = call.method === 'resources/read' ? call.params.uri : call.params.name;
      if (typeof name === 'string') headers['mcp-name'] = encodeHeaderValue(name);
      if (call.paramHeaders) Object.assign(headers, call.paramHeaders);
    }
    const aborter = new AbortController();
    const onAbort = () => aborter.abort();
    call.signal.addEventListener('abort', onAbort, { once: true });
    let response: IncomingMessage;
    // Until the answer begins, the call's deadline runs here; after that, between its messages (see body below).
    const deadline = setTimeout(() => aborter.abort(this.#timedOut()), this.#options.timeoutMs);
    try {
      response = await this.#post(body, headers, aborter.signal);
    } catch (error) {
      call.signal.removeEventListener('abort', onAbort);
      if (aborter.signal.reason instanceof SwitchboardError) throw aborter.signal.reason;
      // Nothing reached the server: the SDK path retries, reconnects or reports the server unavailable.
      if (isUnsent(error)) return undefined;
      throw this.#unavailable(error);
    } finally {
      clearTimeout(deadline);
    }
    if (NOT_PROCESSED.has(response.statusCode ?? 0)) {
      response.resume();
      call.signal.removeEventListener('abort', onAbort);
      return undefined;
    }
    const contentType = mediaType(response.headers['content-type']);
    const status = response.statusCode ?? 0;
    // A JSON-RPC error can come with an HTTP error status (a missing capability is a 400): it is the call's answer and
    // is relayed with its status; the reader refuses the body if it is not an answer to this call.
    const answered = status < 300 || (status >= 400 && contentType === 'application/json');
    if (!answered || (contentType !== 'application/json' && contentType !== 'text/event-stream')) {
      response.resume();
      call.signal.removeEventListener('abort', onAbort);
      throw new SwitchboardError(
        'UPSTREAM_REJECTED',
        `server "${this.#options.serverId}" answered HTTP ${response.statusCode} (${contentType || 'no content type'}) to ${call.method}`,
      );
    }
    const declared = Number(response.headers['content-length'] ?? Number.NaN);
    if (this.#options.maxResponseBytes !== undefined && declared > this.#options.maxResponseBytes) {
      response.destroy();
      call.signal.removeEventListener('abort', onAbort);
      throw this.#tooLarge();
    }
    const reader = new AnswerReader({
      clientId: call.id,
      upstreamId,
      rewrite: legacy,
      maxBytes: this.#options.maxResponseBytes,
      tooLarge: () => this.#tooLarge(),
      refuseServerRequest: (id) => this.#refuseServerRequest(session, id),
      rejected: (why) => new SwitchboardError('UPSTREAM_REJECTED', `server "${this.#options.serverId}" ${why}; the reply was dropped and the call failed`),
      onProtocolFault: this.#options.onProtocolFault,
    });
    const timeoutMs = this.#options.timeoutMs;
    const serverId = this.#options.serverId;
    const timedOut = () => this.#timedOut();
    const onClientGone = () => {
      // Cancelling a 2025-era call takes a notification; a 2026-07-28 server sees its stream close.
      if (legacy && !reader.finished)
        void this.#notify(session, { method: 'notifications/cancelled', params: { requestId: upstreamId, reason: 'the client went away' } });
    };
    call.signal.addEventListener('abort', onClientGone, { once: true });
    const finish = () => {
      call.signal.removeEventListener('abort', onAbort);
      call.signal.removeEventListener('abort', onClientGone);
    };
    return {
      status: status < 300 ? 200 : status,
      contentType,
      finished: () => reader.finished,
      outcome: () => reader.outcome(),
      body: (async function* () {
        // The call's own deadline, renewed by every message (progress counts): one slow call never affects another.
        let timer: NodeJS.Timeout | undefined;
        const arm = () => {
          clearTimeout(timer);
          timer = setTimeout(() => response.destroy(timedOut()), timeoutMs);
        };
        arm();
        try {
          for await (const chunk of response as AsyncIterable<Buffer>) {
            const before = reader.messages;
            for (const out of contentType === 'text/event-stream' ? reader.sse(chunk) : reader.json(chunk)) yield out;
            // Messages renew the deadline (a progress notification says the server is working); SSE comments do not.
            if (reader.messages !== before) arm();
          }
          for (const out of contentType === 'text/event-stream' ? reader.endSse() : reader.endJson()) yield out;
        } catch (error) {
          const failure =
            error instanceof SwitchboardError
              ? error
              : call.signal.aborted
                ? undefined
                : new SwitchboardError('UPSTREAM_UNAVAILABLE', `server "${serverId}" broke off its answer: ${(error as Error).message}`);
          if (failure) yield* reader.failed(failure, contentType);
        } finally {
          clearTimeout(timer);
          finish();
          response.destroy();
        }
      })(),
    };
  }

  close(): void {
    this.#agent.destroy();
  }

  /**
   * The params the server sees. A 2026-07-28 server gets Switchboard's own envelope (the version it negotiated, the
   * capabilities Switchboard declared), as the SDK path sends it; a 2025-era one no envelope at all.
   */
  #paramsFor(session: RelaySession, params: Record<string, unknown>): Record<string, unknown> {
    const meta: Record<string, unknown> = {};
    for (const [key, value] of Object.entries((params._meta as Record<string, unknown> | undefined) ?? {})) {
      if (!key.startsWith('io.modelcontextprotocol/')) meta[key] = value;
    }
    if (session.era === 'modern') {
      meta[PROTOCOL_VERSION_META_KEY] = session.protocolVersion;
      meta[CLIENT_CAPABILITIES_META_KEY] = session.capabilities;
      meta[CLIENT_INFO_META_KEY] = SWITCHBOARD_IMPLEMENTATION;
    }
    const { _meta: _client, ...rest } = params;
    return Object.keys(meta).length ? { ...rest, _meta: meta } : rest;
  }

  #post(body: string, headers: OutgoingHttpHeaders, signal: AbortSignal): Promise<IncomingMessage> {
    const send = this.#target.protocol === 'https:' ? httpsRequest : httpRequest;
    return new Promise((resolve, reject) => {
      const request = send(this.#target, { method: 'POST', headers, agent: this.#agent, signal }, resolve);
      request.on('error', reject);
      request.end(body);
    });
  }

  /** A 2025-era server asked the client something mid-call; a 2026-07-28 client has no way to answer, so it is told no. */
  #refuseServerRequest(session: RelaySession, id: string | number): void {
    void this.#notify(session, {
      id,
      error: { code: INTERNAL_ERROR, message: 'the client that made this call cannot answer requests during it (it speaks MCP 2026-07-28)' },
    });
  }

  /** Sends a message that gets no answer of its own (a notification, a response) on the shared session. */
  async #notify(session: RelaySession, message: Record<string, unknown>): Promise<void> {
    const body = JSON.stringify({ jsonrpc: '2.0', ...message });
    const headers = {
      ...session.headers,
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
      'content-length': Buffer.byteLength(body),
      'mcp-protocol-version': session.protocolVersion,
      ...(session.sessionId ? { 'mcp-session-id': session.sessionId } : {}),
    };
    try {
      (await this.#post(body, headers, AbortSignal.timeout(this.#options.timeoutMs))).resume();
    } catch {
      // Best effort: the server's own timeout ends what this could not.
    }
  }

  #unavailable(error: unknown): SwitchboardError {
    return new SwitchboardError(
      'UPSTREAM_UNAVAILABLE',
      `server "${this.#options.serverId}" (${this.#options.url}) failed during the call: ${(error as Error).message}`,
      { cause: error },
    );
  }

  #timedOut(): SwitchboardError {
    return new SwitchboardError('UPSTREAM_TIMEOUT', `server "${this.#options.serverId}" did not answer within ${this.#options.timeoutMs} ms`);
  }

  #tooLarge(): SwitchboardError {
    return new SwitchboardError(
      'UPSTREAM_TOO_LARGE',
      `server "${this.#options.serverId}" answered with more than ${this.#options.maxResponseBytes} bytes (gateway.maxResponseBytes); the call was stopped. Ask for less (a narrower query, paging) or raise the limit`,
    );
  }
}

interface AnswerReaderOptions {
  clientId: string | number;
  upstreamId: string | number;
  /** The server speaks the 2025 era: its answers are turned into 2026-07-28 ones (see AnswerReader.#answered). */
  rewrite: boolean;
  maxBytes: number | undefined;
  tooLarge: () => SwitchboardError;
  refuseServerRequest: (id: string | number) => void;
  rejected: (why: string) => SwitchboardError;
  onProtocolFault: (message: string) => void;
}

/**
 * Reads one answer as it streams: passes the bytes on, turns a 2025-era server's answer into a 2026-07-28 one (the
 * client's id back, `resultType` added), enforces the size cap, and notes how the call ended without parsing more
 * than a small answer.
 */
class AnswerReader {
  readonly #options: AnswerReaderOptions;
  #bytes = 0;
  /** A JSON answer's chunks: all of them when it must be rewritten, otherwise only while small enough to parse. */
  #held: Buffer[] = [];
  #outcome: RelayOutcome | undefined;
  #events: EventSourceMessage[] = [];
  readonly #parser = createParser({ onEvent: (event) => this.#events.push(event) });
  readonly #decoder = new TextDecoder();
  /** Messages read so far (each renews the call's deadline). */
  messages = 0;
  /** Bytes of the SSE event being received; the cap applies per event, so a long call's progress never adds up. */
  #sinceEvent = 0;

  constructor(options: AnswerReaderOptions) {
    this.#options = options;
  }

  get finished(): boolean {
    return this.#outcome !== undefined;
  }

  outcome(): RelayOutcome {
    return this.#outcome ?? { outcome: 'transport_error', errorType: 'UPSTREAM_UNAVAILABLE', responseBytes: this.#bytes };
  }

  /**
   * A JSON answer is held to its end (within the cap, so at most its size once): only then is it known to be the
   * answer to this call, or can it be refused with a clear error instead of a body the client cannot parse.
   */
  json(chunk: Buffer): readonly Buffer[] {
    this.#bytes += chunk.byteLength;
    if (this.#options.maxBytes !== undefined && this.#bytes > this.#options.maxBytes) throw this.#options.tooLarge();
    this.#held.push(chunk);
    return [];
  }

  *endJson(): Generator<Buffer> {
    const chunks = this.#held;
    this.#held = [];
    this.messages++;
    if (this.#bytes <= PARSE_LIMIT) {
      const text = Buffer.concat(chunks).toString('utf8');
      const message = parseObject(text);
      if (!message || !isAnswer(message)) throw this.#fault('answered with something that is not a JSON-RPC answer');
      if (message.id !== this.#options.upstreamId)
        throw this.#fault(`answered with a reply to another request (id ${JSON.stringify(message.id).slice(0, 80)})`);
      if (this.#options.rewrite) {
        yield Buffer.from(this.#answered(text, message));
        return;
      }
      this.#outcome = judged(message, this.#bytes);
      const typed = withDefaultResultType(message);
      if (typed) yield Buffer.from(JSON.stringify(typed));
      else yield* chunks;
      return;
    }
    // A large answer is checked by its ends: the id sits at one of them, and a tool error's flag near the end.
    const head = chunks[0]!.subarray(0, 1024).toString('utf8');
    const tail = Buffer.concat(chunks.slice(-2)).subarray(-TAIL_BYTES).toString('utf8');
    const idText = JSON.stringify(this.#options.upstreamId);
    if (!new RegExp(`"id"\\s*:\\s*${escapeRegExp(idText)}`).test(head + tail))
      throw this.#fault('answered with a large reply that is not the answer to this call');
    if (this.#options.rewrite) {
      yield Buffer.from(this.#answered(Buffer.concat(chunks).toString('utf8')));
      return;
    }
    this.#outcome = judgedByTail(tail, this.#bytes);
    yield* chunks;
  }

  /** An SSE answer, one event at a time: notifications pass as they are, the answer is noted (and rewritten if need be). */
  *sse(chunk: Buffer): Generator<Buffer> {
    this.#parser.feed(this.#decoder.decode(chunk, { stream: true }));
    this.#sinceEvent += chunk.byteLength;
    if (this.#options.maxBytes !== undefined && this.#sinceEvent > this.#options.maxBytes) throw this.#options.tooLarge();
    yield* this.#drainEvents();
  }

  *endSse(): Generator<Buffer> {
    this.#parser.feed(this.#decoder.decode());
    yield* this.#drainEvents();
    // The answer can only come on this stream: once it ends without one, waiting longer would be waiting for nothing.
    if (!this.#outcome) throw this.#fault('ended its answer stream without answering the call');
  }

  /** The call failed on our side of the stream: its client gets an error answer in the format it is already reading. */
  *failed(failure: SwitchboardError, contentType: string): Generator<Buffer> {
    if (this.#outcome) return;
    const transport = failure.code === 'UPSTREAM_UNAVAILABLE' || failure.code === 'UPSTREAM_TIMEOUT';
    this.#outcome = { outcome: transport ? 'transport_error' : 'error', errorCode: INTERNAL_ERROR, errorType: failure.code, responseBytes: this.#bytes };
    // A JSON answer already under way cannot be amended: the broken body tells the client the call failed.
    if (contentType !== 'text/event-stream') throw failure;
    const answer = {
      jsonrpc: '2.0',
      id: this.#options.clientId,
      error: { code: INTERNAL_ERROR, message: failure.message, data: { switchboardCode: failure.code } },
    };
    yield Buffer.from(`\n\nevent: message\ndata: ${JSON.stringify(answer)}\n\n`);
  }

  *#drainEvents(): Generator<Buffer> {
    if (this.#events.length === 0) return;
    this.#sinceEvent = 0;
    const events = this.#events;
    this.#events = [];
    for (const event of events) {
      const out = this.#relayEvent(event.data);
      if (out) yield out;
    }
  }

  #relayEvent(data: string): Buffer | undefined {
    if (data.trim() === '') return undefined;
    this.#bytes += Buffer.byteLength(data);
    const small = data.length <= PARSE_LIMIT ? parseObject(data) : undefined;
    if (data.length <= PARSE_LIMIT && !small) {
      this.#options.onProtocolFault(`an event that is not JSON-RPC was dropped: ${data.slice(0, 80)}`);
      return undefined;
    }
    this.messages++;
    if (small && typeof small.method === 'string') {
      // A server's own request (2025 era only) cannot be carried to this client: refused at the server, not forwarded.
      if (small.id !== undefined) {
        this.#options.refuseServerRequest(small.id as string | number);
        return undefined;
      }
      return frame(data);
    }
    if (small && small.id !== this.#options.upstreamId) {
      this.#options.onProtocolFault(`a reply to another request (id ${JSON.stringify(small.id).slice(0, 80)}) was dropped`);
      return undefined;
    }
    if (this.#outcome) return undefined;
    if (this.#options.rewrite) return frame(this.#answered(data, small));
    this.#outcome = small ? judged(small, this.#bytes) : judgedByTail(data.slice(-TAIL_BYTES), this.#bytes);
    const typed = small && withDefaultResultType(small);
    return frame(typed ? JSON.stringify(typed) : data);
  }

  /** A reply this call cannot use: logged as the server's protocol fault, and the call's error. */
  #fault(why: string): SwitchboardError {
    this.#options.onProtocolFault(why);
    return this.#options.rejected(why);
  }

  /**
   * A 2025-era server's answer as a 2026-07-28 client must get it: the client's id instead of Switchboard's, and
   * `resultType: "complete"` (that era has no other), Switchboard named as the server. A small answer is rewritten as
   * an object; a large one in its text, where the id and the start of the result are found near its ends (it goes
   * without the server's name, which is informational).
   */
  #answered(text: string, parsed = text.length <= PARSE_LIMIT ? parseObject(text) : undefined): string {
    if (parsed) {
      const result = parsed.result as Record<string, unknown> | undefined;
      // Switchboard answers as itself, as the full path does (a 2026-07-28 result names its server in _meta).
      const meta = { [SERVER_INFO_META_KEY]: SWITCHBOARD_IMPLEMENTATION, ...(isPlainObject(result?._meta) ? result._meta : {}) };
      const answer = {
        ...parsed,
        id: this.#options.clientId,
        ...(isPlainObject(result) ? { result: { resultType: 'complete', ...result, _meta: meta } } : {}),
      };
      this.#outcome = judged(answer, this.#bytes);
      return JSON.stringify(answer);
    }
    const upstreamId = JSON.stringify(this.#options.upstreamId);
    const at = text.lastIndexOf(upstreamId);
    let answer = at < 0 ? text : `${text.slice(0, at)}${JSON.stringify(this.#options.clientId)}${text.slice(at + upstreamId.length)}`;
    const resultStart = /"result"\s*:\s*\{/.exec(answer.slice(0, 4096));
    if (resultStart) {
      const insertAt = resultStart.index + resultStart[0].length;
      answer = `${answer.slice(0, insertAt)}"resultType":"complete",${answer.slice(insertAt)}`;
    }
    this.#outcome = judgedByTail(answer.slice(-TAIL_BYTES), this.#bytes);
    return answer;
  }
}

/**
 * SEP-2322: a result without `resultType` is a complete one. Such an answer from a 2026-07-28 server reaches the client
 * with the default written in, since the client's SDK may refuse it otherwise (as the SDK path's does, see
 * upstream-connection.ts). Only answers small enough to have been parsed; undefined when nothing needs writing.
 */
function withDefaultResultType(message: Record<string, unknown>): Record<string, unknown> | undefined {
  const result = message.result;
  return isPlainObject(result) && !('resultType' in result) ? { ...message, result: { resultType: 'complete', ...result } } : undefined;
}

function frame(data: string): Buffer {
  return Buffer.from(`event: message\ndata: ${data}\n\n`);
}

function judged(message: Record<string, unknown>, responseBytes: number): RelayOutcome {
  const error = message.error as { code?: unknown } | undefined;
  if (error)
    return { outcome: 'error', ...(typeof error.code === 'number' ? { errorCode: error.code, errorType: String(error.code) } : {}), responseBytes, message };
  const isError = (message.result as { isError?: unknown } | undefined)?.isError === true;
  return { outcome: isError ? 'tool_error' : 'ok', ...(isError ? { errorType: 'tool_error' } : {}), responseBytes, message };
}

/** A large answer is judged by its end: a tool error's flag follows its content, and an error answer is never large. */
function judgedByTail(tail: string, responseBytes: number): RelayOutcome {
  const isError = /"isError"\s*:\s*true/.test(tail);
  return { outcome: isError ? 'tool_error' : 'ok', ...(isError ? { errorType: 'tool_error' } : {}), responseBytes };
}

function isAnswer(message: Record<string, unknown>): boolean {
  return message.jsonrpc === '2.0' && (isPlainObject(message.result) || isPlainObject(message.error));
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function parseObject(text: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

function mediaType(header: string | undefined): 'application/json' | 'text/event-stream' | '' {
  const type = (header ?? '').split(';')[0]!.trim().toLowerCase();
  return type === 'application/json' || type === 'text/event-stream' ? type : '';
}

/** Errors raised before any byte of the request left: safe to send again by another path. */
function isUnsent(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException).code;
  return code === 'ECONNREFUSED' || code === 'ENOTFOUND' || code === 'EAI_AGAIN' || code === 'EHOSTUNREACH' || code === 'ENETUNREACH';
}
