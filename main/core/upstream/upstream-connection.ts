// One connection to one remote MCP server: era negotiated by the SDK client, single-flight (re)connect, cached lists, health.
import { CLIENT_CAPABILITIES_META_KEY, ProtocolError, SdkError, SdkErrorCode, SdkHttpError, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import type {
  Client,
  ClientCapabilities,
  Prompt,
  VersionNegotiationMode,
  Resource,
  ResourceTemplateType as ResourceTemplate,
  Tool,
} from '@modelcontextprotocol/client';
import { CreateTaskResultV2Schema, DetailedTaskV2Schema } from '@modelcontextprotocol/ext-tasks/core/v2';
import { z } from 'zod';
import { createAuthorizedFetch } from '../auth/authorized-fetch.ts';
import type { ServerAuthorizer, ServerAuthStatus } from '../auth/server-authorizer.ts';
import type { ServerConfig } from '../config/config-schema.ts';
import { SwitchboardError, toSwitchboardError } from '../errors.ts';
import type { Logger } from '../ports.ts';
import { SWITCHBOARD_IMPLEMENTATION } from '../version.ts';
import { createBoundedFetch, tooLargeError, type ResponseBound } from './bounded-response.ts';
import { requestOrigin, type RequestOrigin } from './request-origin.ts';
import { readSelfDescription, type ServerSelfDescription } from './server-self-description.ts';
import { declarationsByTool, mirroredParamHeaders, type HeaderDeclaration } from './mcp-header-values.ts';
import { RawRelay, type RelayAnswer, type RelayCall } from './raw-relay.ts';
import { createdTaskOf, TaskRelayClient, TASKS_EXTENSION } from './task-relay-client.ts';

export type UpstreamState = 'idle' | 'connecting' | 'ready' | 'unavailable' | 'closed';
export type ListKind = 'tools' | 'prompts' | 'resources' | 'resourceTemplates';

export interface UpstreamLists {
  tools: Tool[];
  prompts: Prompt[];
  resources: Resource[];
  resourceTemplates: ResourceTemplate[];
}

export interface UpstreamStatus {
  id: string;
  url: string;
  state: UpstreamState;
  era?: 'modern' | 'legacy';
  protocolVersion?: string;
  serverName?: string;
  toolCount?: number;
  lastError?: { code: string; message: string; at: string };
  /** How Switchboard holds this server's token (absent when it has no authorizer). */
  auth?: ServerAuthStatus;
}

export interface UpstreamCallOptions {
  signal?: AbortSignal;
  /** A 2026-07-28 retry after input_required: the answers and the server's opaque state, passed back verbatim. */
  continuation?: { inputResponses?: Record<string, unknown>; requestState?: string };
  onprogress?: (progress: { progress: number; total?: number; message?: string }) => void;
  /**
   * The calling client declared the Tasks extension on this request, so the server may answer a tool call with a task
   * handle (`resultType: "task"`) instead of a result. Without it the server is told nothing of tasks.
   */
  acceptTask?: boolean;
  /** W3C traceparent for the upstream request (SEP-414): the client's trace continues at the server. */
  traceparent?: string;
  /** The downstream request this call serves: where the server's own requests and log messages about it go. */
  origin?: RequestOrigin;
}

/** The Tasks extension's methods, relayed to the server that created the task. */
export type TaskMethod = 'tasks/get' | 'tasks/update' | 'tasks/cancel';

/** What Switchboard tells every server it can do: each server request is relayed to the client that caused it. */
const UPSTREAM_CAPABILITIES: ClientCapabilities = { sampling: {}, elicitation: { form: {}, url: {} }, roots: {} };
/** The SDK checks results against a schema; task results are checked against the extension's own schemas below. */
const ANY_RESULT = z.looseObject({});

/** The requests the router forwards; each is either idempotent (retried once over a fresh connection) or not. */
export type ForwardedMethod =
  'tools/call' | 'prompts/get' | 'resources/read' | 'completion/complete' | 'resources/subscribe' | 'resources/unsubscribe' | 'logging/setLevel';
const IDEMPOTENT: ReadonlySet<ForwardedMethod> = new Set([
  'prompts/get',
  'resources/read',
  'completion/complete',
  'resources/subscribe',
  'resources/unsubscribe',
  'logging/setLevel',
]);

export interface UpstreamConnectionOptions {
  logger: Logger;
  requestTimeoutMs: number;
  /** Called when the server says a list changed, or a (re)connect may have changed it. */
  onListChanged?: (kind: ListKind) => void;
  /** Called when the server says a subscribed resource changed. */
  onResourceUpdated?: (uri: string) => void;
  /** Gets and renews this server's token; without it requests go out with no Authorization header. */
  authorizer?: ServerAuthorizer;
  /** Header values for the server's secretHeaders, read from the keychain when connecting. */
  secretHeader?: (name: string) => Promise<string | undefined>;
  /** Extensions Switchboard supports beyond tasks, e.g. enterprise-managed authorization when an IdP is configured. */
  extensions?: NonNullable<ClientCapabilities['extensions']>;
  /** Upper bound for one answer from this server (gateway.maxResponseBytes); unbounded when absent. */
  maxResponseBytes?: number;
}

export class UpstreamConnection {
  readonly id: string;
  readonly url: string;
  readonly #config: ServerConfig;
  readonly #options: UpstreamConnectionOptions;
  #client: Client | undefined;
  #connecting: Promise<Client> | undefined;
  #status: UpstreamStatus;
  #selfDescription: ServerSelfDescription | undefined;
  #closed = false;
  #everConnected = false;
  /** Replies from this server the SDK could not use (see #protocolFault). */
  #protocolFaults = 0;
  /** How the last successful handshake went: reconnects start there instead of probing again. */
  #eraVerdict: VersionNegotiationMode | undefined;
  /** Lists cached per kind until the server announces a change or the connection is replaced. */
  #lists = new Map<ListKind, { items: Promise<unknown[]>; expiresAt: number }>();
  /** Requests in flight per client, so a replaced client is closed only once the requests it carries are done. */
  readonly #inFlight = new Map<Client, number>();
  readonly #retired = new Set<Client>();
  /** The downstream requests this server is working on, for routing its own requests back (see #originForServerRequest). */
  readonly #callers = new Set<RequestOrigin>();
  readonly #capabilities: ClientCapabilities;
  /** The same, plus the Tasks extension: declared only on calls whose client declared it (see request()). */
  readonly #capabilitiesWithTasks: ClientCapabilities;
  /** Each tool listing's x-mcp-header declarations, read once per listing (SEP-2243). */
  readonly #headerDeclarations = new WeakMap<object, Map<string, HeaderDeclaration[]>>();
  /** Carries calls as bytes beside the SDK client (see relay()). */
  readonly #relay: RawRelay;
  /** What each connected client's handshake settled that the relay needs: its transport (session) and headers. */
  readonly #relayBasis = new WeakMap<Client, { transport: StreamableHTTPClientTransport; headers: Record<string, string> }>();

  constructor(config: ServerConfig, options: UpstreamConnectionOptions) {
    this.id = config.id;
    this.url = config.url;
    this.#config = config;
    this.#options = options;
    this.#status = { id: config.id, url: config.url, state: 'idle' };
    const extensions = options.extensions ?? {};
    this.#capabilities = { ...UPSTREAM_CAPABILITIES, ...(Object.keys(extensions).length ? { extensions } : {}) };
    this.#capabilitiesWithTasks = { ...UPSTREAM_CAPABILITIES, extensions: { ...extensions, [TASKS_EXTENSION]: {} } };
    this.#relay = new RawRelay({
      serverId: config.id,
      url: config.url,
      timeoutMs: options.requestTimeoutMs,
      maxResponseBytes: options.maxResponseBytes,
      onProtocolFault: (message) => this.#protocolFault(new Error(message)),
    });
  }

  /** What the server said about itself when it last connected (name, title, version, description, instructions); absent before that. */
  selfDescription(): ServerSelfDescription | undefined {
    return this.#selfDescription;
  }

  status(): UpstreamStatus {
    const auth = this.#options.authorizer?.status();
    return { ...this.#status, ...(auth ? { auth } : {}) };
  }

  /**
   * SEP-2243: the arguments a tool's definition marks with `x-mcp-header`, as the headers a 2026-07-28 server checks
   * against the body. Computed here from the server's own listing, never taken from the client that called.
   */
  async #mirroredParamHeaders(params: Record<string, unknown>): Promise<Record<string, string> | undefined> {
    // The listing already held (the caller found the tool's name in it), never a new one: listing again mid-call could
    // reconnect under the call. A tool not listed yet goes without, and the server says if it needs them.
    const tools = (await this.#lists.get('tools')?.items.catch(() => undefined)) as { name: string; inputSchema?: unknown }[] | undefined;
    if (!tools || typeof params.name !== 'string') return undefined;
    let byTool = this.#headerDeclarations.get(tools);
    if (!byTool) this.#headerDeclarations.set(tools, (byTool = declarationsByTool(tools)));
    const declarations = byTool.get(params.name);
    const headers = declarations ? mirroredParamHeaders(declarations, params.arguments) : {};
    return Object.keys(headers).length ? headers : undefined;
  }

  /** Connects once; concurrent callers share the same attempt so a burst of requests makes one handshake. */
  connect(): Promise<Client> {
    if (this.#closed) return Promise.reject(this.#unavailable('the connection is closed'));
    if (this.#client) return Promise.resolve(this.#client);
    this.#connecting ??= this.#openClient().finally(() => {
      this.#connecting = undefined;
    });
    return this.#connecting;
  }

  /** What the server offers of one kind; an empty list when it does not declare that capability. */
  list<K extends ListKind>(kind: K): Promise<UpstreamLists[K]> {
    const cached = this.#lists.get(kind);
    if (cached && cached.expiresAt > Date.now()) return cached.items as Promise<UpstreamLists[K]>;
    const entry = { items: Promise.resolve<unknown[]>([]), expiresAt: Number.POSITIVE_INFINITY };
    entry.items = this.#withReconnect(true, undefined, async (client) => {
      const { items, ttlMs, notifiesChanges } = await fetchList(client, kind, this.#options.requestTimeoutMs);
      // A server that announces changes keeps our copy fresh; one that does not is asked again once its ttlMs runs
      // out (never more than once a second, so a burst of clients costs one listing).
      entry.expiresAt = notifiesChanges ? Number.POSITIVE_INFINITY : Date.now() + Math.max(ttlMs ?? 0, MIN_RELIST_INTERVAL_MS);
      return items;
    });
    this.#lists.set(kind, entry);
    // A failed listing must not be remembered: the next request tries again.
    entry.items.catch(() => {
      if (this.#lists.get(kind) === entry) this.#lists.delete(kind);
    });
    if (kind === 'tools') void entry.items.then((tools) => (this.#status.toolCount = tools.length)).catch(() => undefined);
    return entry.items as Promise<UpstreamLists[K]>;
  }

  /** Forwards one request; a tool call is never replayed blindly after a transport failure, idempotent requests are retried once. */
  request(method: ForwardedMethod, params: Record<string, unknown>, options: UpstreamCallOptions = {}): Promise<Record<string, unknown>> {
    const { origin, traceparent } = options;
    if (origin) this.#callers.add(origin);
    return this.#withReconnect(IDEMPOTENT.has(method), options.signal, async (client) => {
      // Only the caller's own declaration lets the server choose a task: the extension forbids handing a task to a
      // client that did not ask for one.
      const offerTasks = method === 'tools/call' && options.acceptTask === true && serverSupportsTasks(client);
      const meta = {
        _meta: {
          ...(params._meta as object | undefined),
          ...(traceparent ? { traceparent } : {}),
          ...(offerTasks ? { [CLIENT_CAPABILITIES_META_KEY]: this.#capabilitiesWithTasks } : {}),
        },
      };
      const paramHeaders = method === 'tools/call' && client.getProtocolEra() === 'modern' ? await this.#mirroredParamHeaders(params) : undefined;
      try {
        const send = () =>
          client.request(
            { method, params: { ...params, ...meta, ...definedFields(options.continuation) } },
            {
              timeout: this.#options.requestTimeoutMs,
              ...(paramHeaders ? { headers: paramHeaders } : {}),
              // input_required results are handed to the caller, who relays them to (or fulfils them with) its own client.
              allowInputRequired: true,
              ...(options.signal ? { signal: options.signal } : {}),
              ...(options.onprogress ? { onprogress: options.onprogress, resetTimeoutOnProgress: true } : {}),
            },
          );
        // The one place async context stays: the SDK client calls our request handlers (sampling, elicitation, roots)
        // from its stream reader with no way to pass a parameter, so the origin rides along with the request.
        return (await (origin ? requestOrigin.run(origin, send) : send())) as Record<string, unknown>;
      } catch (error) {
        const task = offerTasks ? createdTaskOf(error) : undefined;
        if (!task) throw error;
        if (!CreateTaskResultV2Schema.safeParse(task).success) throw this.#malformedTask(method);
        return task;
      }
    }).finally(() => {
      if (origin) this.#callers.delete(origin);
    });
  }

  /**
   * Relays a call as bytes over the connection the SDK set up: its era, version, session and headers, and this
   * server's own token. Undefined when the call must take the SDK path instead (not connected, no silent token, or
   * the server refused it unprocessed), which then serves it from the start.
   */
  async relay(call: RelayCall): Promise<RelayAnswer | undefined> {
    const paramHeaders = call.method === 'tools/call' ? await this.#mirroredParamHeaders(call.params) : undefined;
    const client = this.#client;
    const basis = client ? this.#relayBasis.get(client) : undefined;
    const era = client?.getProtocolEra();
    const protocolVersion = client?.getNegotiatedProtocolVersion();
    if (!client || !basis || this.#status.state !== 'ready' || !era || !protocolVersion) return undefined;
    // A 2025-era answer is made a 2026-07-28 one in place only for tool calls; prompts and reads need more (a read's
    // ttlMs and cacheScope), which the SDK path supplies.
    if (era === 'legacy' && call.method !== 'tools/call') return undefined;
    let credential: Awaited<ReturnType<ServerAuthorizer['credential']>>;
    try {
      credential = await this.#options.authorizer?.credential();
    } catch {
      return undefined;
    }
    // A DPoP-bound token needs a proof per request, which the SDK path's fetch (auth/authorized-fetch.ts) signs: such a
    // server's calls take that path rather than a second copy of the proof logic here.
    if (credential?.dpop) return undefined;
    const headers = credential ? { ...basis.headers, authorization: `Bearer ${credential.token}` } : basis.headers;
    try {
      const session = { era, protocolVersion, sessionId: basis.transport.sessionId, headers, capabilities: this.#capabilities };
      const answer = await this.#relay.send(session, paramHeaders ? { ...call, paramHeaders } : call);
      if (answer) this.#options.authorizer?.succeeded();
      return answer;
    } catch (error) {
      // A call that failed is that call's failure: the next list or handshake is what tells whether the server is down.
      this.#options.logger.log('warn', 'upstream.call_failed', { server: this.id, code: (error as SwitchboardError).code, message: (error as Error).message });
      throw error;
    }
  }

  /**
   * Relays a Tasks extension request about a task this server created. Polling and cancelling are safe to repeat over
   * a fresh connection; an update (the person's answers) is never sent twice.
   */
  taskRequest(
    method: TaskMethod,
    params: { taskId: string; inputResponses?: Record<string, unknown> },
    options: Pick<UpstreamCallOptions, 'signal' | 'traceparent'> = {},
  ): Promise<Record<string, unknown>> {
    const { signal, traceparent } = options;
    return this.#withReconnect(method !== 'tasks/update', signal, async (client) => {
      const meta = { [CLIENT_CAPABILITIES_META_KEY]: this.#capabilitiesWithTasks, ...(traceparent ? { traceparent } : {}) };
      const result = (await client.request({ method, params: { ...params, _meta: meta } }, ANY_RESULT, {
        timeout: this.#options.requestTimeoutMs,
        ...(signal ? { signal } : {}),
      })) as Record<string, unknown>;
      if (method === 'tasks/get' && !DetailedTaskV2Schema.safeParse(result).success) throw this.#malformedTask(method);
      return result;
    });
  }

  /** Whether the connected server declared a capability (`logging`, `resources.subscribe`, …); false while not connected. */
  supports(capability: 'logging' | 'resources.subscribe' | 'completions' | 'tasks'): boolean {
    const client = this.#client;
    const capabilities = client?.getServerCapabilities();
    if (!client || !capabilities) return false;
    if (capability === 'tasks') return serverSupportsTasks(client);
    if (capability === 'resources.subscribe') return Boolean(capabilities.resources?.subscribe);
    return Boolean(capabilities[capability]);
  }

  /** After a sign-in the server may show more (or it was unreachable before): every list is fetched again. */
  refreshSurface(): void {
    for (const kind of ['tools', 'prompts', 'resources', 'resourceTemplates'] as const) this.#invalidate(kind);
  }

  async close(): Promise<void> {
    this.#closed = true;
    this.#status.state = 'closed';
    const clients = [this.#client, ...this.#retired].filter((client): client is Client => client !== undefined);
    this.#client = undefined;
    this.#retired.clear();
    this.#relay.close();
    await Promise.allSettled(clients.map((client) => client.close()));
  }

  async #openClient(): Promise<Client> {
    this.#status.state = 'connecting';
    let client: Client;
    try {
      client = await this.#handshake(this.#eraVerdict ?? 'auto');
    } catch (error) {
      if (this.#eraVerdict === undefined) throw this.#markUnavailable(error);
      // The server may have changed era since we last spoke (an upgrade): forget the verdict and probe again.
      this.#eraVerdict = undefined;
      try {
        client = await this.#handshake('auto');
      } catch (retryError) {
        throw this.#markUnavailable(retryError);
      }
    }
    if (this.#closed) {
      // close() ran while the handshake was in flight: don't keep a connection (and its open stream) nobody owns.
      await client.close().catch(() => undefined);
      throw this.#unavailable('the connection is closed');
    }
    client.setRequestHandler('sampling/createMessage', (request) => this.#relayServerRequest('sampling/createMessage', request.params) as never);
    client.setRequestHandler('elicitation/create', (request) => this.#relayServerRequest('elicitation/create', request.params) as never);
    client.setRequestHandler('roots/list', (request) => this.#relayServerRequest('roots/list', request.params ?? {}) as never);
    client.setNotificationHandler('notifications/message', (notification) => this.#relayLogMessage(notification.params));
    client.setNotificationHandler('notifications/resources/updated', (notification) => this.#options.onResourceUpdated?.(notification.params.uri));
    client.onclose = () => {
      if (this.#client === client) this.#client = undefined;
    };
    this.#client = client;
    // Kept past a disconnect: the page still shows what the server last said about itself while it is away.
    this.#selfDescription = readSelfDescription(client.getServerVersion(), client.getInstructions());
    const era = client.getProtocolEra();
    const protocolVersion = client.getNegotiatedProtocolVersion();
    // Remember the era so a reconnect skips the probe: the verdict is per server and does not change between connections.
    this.#eraVerdict = era === 'modern' && protocolVersion ? { pin: protocolVersion } : era === 'legacy' ? 'legacy' : undefined;
    const serverName = client.getServerVersion()?.name;
    const reconnected = this.#everConnected;
    this.#everConnected = true;
    // Whatever went wrong before (a sign-in that was missing, a server that was down) is resolved now: say so.
    const { lastError: _resolved, ...previous } = this.#status;
    this.#status = {
      ...previous,
      state: 'ready',
      ...(era ? { era } : {}),
      ...(protocolVersion ? { protocolVersion } : {}),
      ...(serverName ? { serverName } : {}),
    };
    this.#options.logger.log('info', 'upstream.connected', { server: this.id, era, protocolVersion });
    // A new connection may be to a restarted server with another surface.
    if (reconnected) for (const kind of ['tools', 'prompts', 'resources', 'resourceTemplates'] as const) this.#invalidate(kind);
    return client;
  }

  /** One connection attempt in a given negotiation mode; the client is closed again when it fails. */
  async #handshake(mode: VersionNegotiationMode): Promise<Client> {
    const invalidate = (kind: ListKind) => () => this.#invalidate(kind);
    const client = new TaskRelayClient(SWITCHBOARD_IMPLEMENTATION, {
      capabilities: this.#capabilities,
      versionNegotiation: { mode },
      inputRequired: { autoFulfill: false },
      // The SDK listens for list changes in either era (legacy GET stream, modern subscriptions/listen).
      listChanged: {
        tools: { autoRefresh: false, onChanged: invalidate('tools') },
        prompts: { autoRefresh: false, onChanged: invalidate('prompts') },
        resources: { autoRefresh: false, onChanged: invalidate('resources') },
      },
    });
    // A reply the SDK cannot match (an unknown JSON-RPC id, a malformed message) is dropped by it and reported here; the
    // call it was meant for ends by its own timeout. Logged, never fatal: one bad reply must not take the server down.
    client.onerror = (error) => this.#protocolFault(error);
    try {
      const authorizer = this.#options.authorizer;
      // Authorization happens below the SDK, in the transport's fetch: this server's own token only, never a client's.
      const authorized = authorizer ? createAuthorizedFetch(authorizer) : undefined;
      const bound = this.#responseBound();
      const headers = await this.#extraHeaders();
      const transport = new StreamableHTTPClientTransport(new URL(this.url), {
        ...(bound ? { fetch: createBoundedFetch(authorized ?? ((url, init) => fetch(url, init)), bound) } : authorized ? { fetch: authorized } : {}),
        ...(Object.keys(headers).length ? { requestInit: { headers } } : {}),
      });
      await client.connect(transport, { timeout: this.#options.requestTimeoutMs });
      if (client.getProtocolEra() === 'modern') treatUntypedResultsAsComplete(transport);
      this.#relayBasis.set(client, { transport, headers });
      return client;
    } catch (error) {
      await client.close().catch(() => undefined);
      throw error;
    }
  }

  /** The configured headers, and the secret ones from the keychain (a missing secret is a clear error, not a silent omission). */
  async #extraHeaders(): Promise<Record<string, string>> {
    const headers: Record<string, string> = { ...this.#config.headers };
    for (const name of this.#config.secretHeaders) {
      const value = await this.#options.secretHeader?.(name);
      if (value === undefined)
        throw new SwitchboardError(
          'AUTH_SIGN_IN_REQUIRED',
          `server "${this.id}" needs the secret header ${name}; store it with \`switchboard servers set-header ${this.id} ${name}\``,
        );
      headers[name] = value;
    }
    return headers;
  }

  /** A server's log message goes to the client whose call it concerns when that is known; otherwise only to our log. */
  #relayLogMessage(params: Record<string, unknown>): void {
    const origin = this.#attributableOrigin();
    if (origin) void origin.notify({ method: 'notifications/message', params }).catch(() => undefined);
    else this.#options.logger.log('debug', 'upstream.log_message', { server: this.id, level: params.level });
  }

  #attributableOrigin(): RequestOrigin | undefined {
    return requestOrigin.getStore() ?? (this.#callers.size === 1 ? [...this.#callers][0] : undefined);
  }

  /**
   * A server's request (sampling, elicitation, roots) goes back to the client whose call caused it, and to no one else. The
   * async context names that client when the SDK keeps it; otherwise the only call in flight on this server does.
   * With several in flight and no context, the request is refused rather than risk asking the wrong person. URL-mode
   * elicitations pass through unchanged: Switchboard never opens them.
   */
  async #relayServerRequest(
    method: 'sampling/createMessage' | 'elicitation/create' | 'roots/list',
    params: Record<string, unknown>,
  ): Promise<Record<string, unknown>> {
    const origin = this.#attributableOrigin();
    if (!origin) {
      const why =
        this.#callers.size === 0
          ? 'outside any client request'
          : `while ${this.#callers.size} client requests were in flight, so it is not known which client asked`;
      throw new ProtocolError(-32603, `server "${this.id}" sent ${method} ${why}; Switchboard refused it`);
    }
    return origin.send({ method, params });
  }

  #invalidate(kind: ListKind): void {
    this.#lists.delete(kind);
    if (kind === 'resources') this.#lists.delete('resourceTemplates');
    this.#options.onListChanged?.(kind);
  }

  async #withReconnect<T>(retryable: boolean, signal: AbortSignal | undefined, operation: (client: Client) => Promise<T>): Promise<T> {
    const client = await this.connect();
    try {
      return await this.#tracked(client, operation);
    } catch (error) {
      // Our own caller gave up (the SDK reports that as a timeout too): the connection is fine.
      if (signal?.aborted) throw error;
      // A call that ran out of time or was answered with too much is that call's failure, not the connection's.
      const callFault = this.#callFault(error);
      if (callFault) throw callFault;
      // The server answered: the connection is fine.
      if (error instanceof ProtocolError) throw error;
      if (isLocalSdkError(error)) throw new SwitchboardError('UPSTREAM_REJECTED', `server "${this.id}": ${(error as Error).message}`, { cause: error });
      // Sign-in problems are not fixed by reconnecting (and an interactive sign-in must not be started twice).
      if (causeChain(error).some(isAuthorizationFailure)) throw this.#markUnavailable(error);
      this.#retire(client);
      // A 404 means the server never processed the request (its 2025 session expired or it restarted), so even a
      // tool call is safe to send again over a fresh session.
      if (!retryable && !isNotProcessed(error)) throw this.#markUnavailable(error);
      this.#options.logger.log('warn', 'upstream.retrying', { server: this.id, reason: (error as Error).message });
      try {
        return await this.#tracked(await this.connect(), operation);
      } catch (retryError) {
        if (signal?.aborted) throw retryError;
        const callFault = this.#callFault(retryError);
        if (callFault) throw callFault;
        if (retryError instanceof ProtocolError) throw retryError;
        throw this.#markUnavailable(retryError);
      }
    }
  }

  /**
   * The error for a failure that belongs to one call only: its own timeout ran out (the server may be slow on this
   * one request, or its answer went astray), or its answer was over the size limit. The server's state stays as it is.
   */
  #callFault(error: unknown): SwitchboardError | undefined {
    const bound = this.#responseBound();
    const fault = (bound ? tooLargeError(error, bound) : undefined) ?? (isTimeout(error) ? this.#timedOut(error) : undefined);
    if (fault) this.#options.logger.log('warn', 'upstream.call_failed', { server: this.id, code: fault.code, message: fault.message });
    return fault;
  }

  #timedOut(error: unknown): SwitchboardError {
    return new SwitchboardError('UPSTREAM_TIMEOUT', `server "${this.id}" did not answer within ${this.#options.requestTimeoutMs} ms`, { cause: error });
  }

  #responseBound(): ResponseBound | undefined {
    const maxBytes = this.#options.maxResponseBytes;
    return maxBytes === undefined ? undefined : { maxBytes, serverId: this.id };
  }

  /** The first protocol fault from this server is a warning; repeats are debug, so a misbehaving server cannot flood the log. */
  #protocolFault(error: Error): void {
    this.#protocolFaults++;
    // The SDK's message may quote the whole stray reply: keep its start only (it may be large, and it is the server's data).
    const message = error.message.slice(0, 200);
    this.#options.logger.log(this.#protocolFaults === 1 ? 'warn' : 'debug', 'upstream.protocol_fault', {
      server: this.id,
      message,
      count: this.#protocolFaults,
    });
  }

  async #tracked<T>(client: Client, operation: (client: Client) => Promise<T>): Promise<T> {
    this.#inFlight.set(client, (this.#inFlight.get(client) ?? 0) + 1);
    try {
      return await operation(client);
    } finally {
      const remaining = (this.#inFlight.get(client) ?? 1) - 1;
      if (remaining > 0) this.#inFlight.set(client, remaining);
      else {
        this.#inFlight.delete(client);
        if (this.#retired.has(client)) this.#closeRetired(client);
      }
    }
  }

  /**
   * Stops handing out a client that failed, without cutting off the other requests it is carrying: it is closed
   * once they are done, and new requests get a fresh connection meanwhile.
   */
  #retire(client: Client): void {
    if (this.#client === client) this.#client = undefined;
    this.#retired.add(client);
    if (!this.#inFlight.has(client)) this.#closeRetired(client);
  }

  #closeRetired(client: Client): void {
    this.#retired.delete(client);
    void client.close().catch(() => undefined);
  }

  #markUnavailable(error: unknown): SwitchboardError {
    // An authorization failure raised inside the transport's fetch may arrive wrapped by the SDK: keep its own code.
    const authError = causeChain(error).find((cause): cause is SwitchboardError => cause instanceof SwitchboardError);
    if (authError) error = authError;
    const wrapped =
      error instanceof SwitchboardError
        ? error
        : isTimeout(error)
          ? this.#timedOut(error)
          : toSwitchboardError(error, 'UPSTREAM_UNAVAILABLE', `server "${this.id}" (${this.url}) is unavailable`);
    if (!this.#closed) this.#status.state = 'unavailable';
    this.#status.lastError = { code: wrapped.code, message: wrapped.message, at: new Date().toISOString() };
    this.#options.logger.log('warn', 'upstream.unavailable', { server: this.id, code: wrapped.code, message: wrapped.message });
    return wrapped;
  }

  #malformedTask(method: string): SwitchboardError {
    return new SwitchboardError('UPSTREAM_REJECTED', `server "${this.id}" answered ${method} with a task that does not match the Tasks extension's schema`);
  }

  #unavailable(reason: string): SwitchboardError {
    return new SwitchboardError('UPSTREAM_UNAVAILABLE', `server "${this.id}": ${reason}`);
  }
}

const MIN_RELIST_INTERVAL_MS = 1000;

/**
 * SEP-2322: a client assumes `resultType: "complete"` when a result leaves it out. The SDK instead refuses such a
 * result from a 2026-07-28 server as invalid, which would fail the person's call over a field the spec lets the server
 * omit; so results reaching the SDK from this transport get the default written in. Only results are touched.
 */
function treatUntypedResultsAsComplete(transport: StreamableHTTPClientTransport): void {
  const deliver = transport.onmessage;
  if (!deliver) return;
  // Whatever else the transport hands along with a message (its HTTP context) goes on unchanged.
  transport.onmessage = ((message: Parameters<typeof deliver>[0], ...context: unknown[]) => {
    const result = 'result' in message ? (message.result as Record<string, unknown>) : undefined;
    const typed = result && typeof result === 'object' && !('resultType' in result) ? { ...message, result: { ...result, resultType: 'complete' } } : message;
    (deliver as (...args: unknown[]) => void).call(transport, typed, ...context);
  }) as typeof deliver;
}

interface FetchedList {
  items: unknown[];
  ttlMs: number | undefined;
  /** The server declared listChanged for this kind, so the SDK's listener tells us when it changes. */
  notifiesChanges: boolean;
}

async function fetchList(client: Client, kind: ListKind, timeout: number): Promise<FetchedList> {
  const capabilities = client.getServerCapabilities() ?? {};
  const options = { timeout };
  const ttlOf = (result: Record<string, unknown>) => (typeof result.ttlMs === 'number' ? result.ttlMs : undefined);
  switch (kind) {
    case 'tools': {
      if (!capabilities.tools) return { items: [], ttlMs: undefined, notifiesChanges: false };
      const result = await client.listTools(undefined, options);
      return { items: result.tools, ttlMs: ttlOf(result), notifiesChanges: Boolean(capabilities.tools.listChanged) };
    }
    case 'prompts': {
      if (!capabilities.prompts) return { items: [], ttlMs: undefined, notifiesChanges: false };
      const result = await client.listPrompts(undefined, options);
      return { items: result.prompts, ttlMs: ttlOf(result), notifiesChanges: Boolean(capabilities.prompts.listChanged) };
    }
    case 'resources': {
      if (!capabilities.resources) return { items: [], ttlMs: undefined, notifiesChanges: false };
      const result = await client.listResources(undefined, options);
      return { items: result.resources, ttlMs: ttlOf(result), notifiesChanges: Boolean(capabilities.resources.listChanged) };
    }
    case 'resourceTemplates': {
      if (!capabilities.resources) return { items: [], ttlMs: undefined, notifiesChanges: false };
      const result = await client.listResourceTemplates(undefined, options);
      return { items: result.resourceTemplates, ttlMs: ttlOf(result), notifiesChanges: Boolean(capabilities.resources.listChanged) };
    }
  }
}

/** A 2026-07-28 server that lists the Tasks extension in what server/discover reported. */
function serverSupportsTasks(client: Client): boolean {
  const extension = client.getServerCapabilities()?.extensions?.[TASKS_EXTENSION];
  return client.getProtocolEra() === 'modern' && typeof extension === 'object' && extension !== null;
}

function definedFields(value: Record<string, unknown> | undefined): Record<string, unknown> {
  return Object.fromEntries(Object.entries(value ?? {}).filter(([, field]) => field !== undefined));
}

/** SDK errors raised on our side of a healthy connection (a method the server's era lacks, a malformed result). */
const LOCAL_SDK_ERRORS: ReadonlySet<string> = new Set([
  SdkErrorCode.CapabilityNotSupported,
  SdkErrorCode.InvalidResult,
  SdkErrorCode.UnsupportedResultType,
  SdkErrorCode.InputRequiredRoundsExceeded,
  SdkErrorCode.ListPaginationExceeded,
  SdkErrorCode.MethodNotSupportedByProtocolVersion,
]);

function isLocalSdkError(error: unknown): boolean {
  return error instanceof SdkError && !(error instanceof SdkHttpError) && LOCAL_SDK_ERRORS.has(error.code);
}

function isAuthorizationFailure(error: unknown): boolean {
  return error instanceof SwitchboardError && (error.code.startsWith('AUTH_') || error.code === 'VAULT_UNAVAILABLE' || error.code === 'URL_REFUSED');
}

function causeChain(error: unknown): unknown[] {
  const chain: unknown[] = [];
  for (let current = error; current !== undefined && chain.length < 8; current = (current as { cause?: unknown }).cause) chain.push(current);
  return chain;
}

function isNotProcessed(error: unknown): boolean {
  return error instanceof SdkHttpError && error.status === 404;
}

/** The SDK's own timeout (a request's, or the handshake's), wherever it sits in the cause chain. */
function isTimeout(error: unknown): boolean {
  return causeChain(error).some((cause) => cause instanceof SdkError && cause.code === SdkErrorCode.RequestTimeout);
}
