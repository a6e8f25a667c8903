// The aggregated namespace: every enabled server's tools, prompts, resources and templates as one, and routing back.
import { UriTemplate } from '@modelcontextprotocol/server';
import type { Prompt, Resource, ResourceTemplateType as ResourceTemplate, Tool } from '@modelcontextprotocol/server';
import { signInRequiredIn } from '../auth/sign-in-required.ts';
import { SwitchboardError } from '../errors.ts';
import type { ToolPins } from '../pinning/tool-pins.ts';
import type { Logger } from '../ports.ts';
import type { RelayAnswer, RelayCall, RelayedMethod } from '../upstream/raw-relay.ts';
import type { ForwardedMethod, TaskMethod, UpstreamCallOptions, UpstreamConnection, UpstreamLists } from '../upstream/upstream-connection.ts';
import { exposedName } from './exposed-names.ts';
import type { NameLedger } from './name-ledger.ts';
import type { RememberedKind, SurfaceMemory } from './surface-memory.ts';
import { TaskHandles } from './task-handles.ts';

export interface RoutedUpstream {
  connection: UpstreamConnection;
  prefix: string;
}

/** What one downstream client may see: all servers and tools unless narrowed. */
export interface ClientView {
  servers?: readonly string[];
  tools?: readonly string[];
}

/** What a forwarded request returns: the result, and which server answered it (for the audit record). */
export interface Routed {
  server: string;
  result: Record<string, unknown>;
}

/** Which server a forwarded request failed at, when it got that far (kept beside the error, not in it). */
const failedAt = new WeakMap<object, string>();

export function serverThatFailed(error: unknown): string | undefined {
  return typeof error === 'object' && error !== null ? failedAt.get(error) : undefined;
}

async function answeredBy(server: string, operation: () => Promise<Record<string, unknown>>): Promise<Routed> {
  try {
    return { server, result: await operation() };
  } catch (error) {
    if (typeof error === 'object' && error !== null) failedAt.set(error, server);
    throw error;
  }
}

export interface NameCollision {
  kind: 'tool' | 'prompt';
  name: string;
  kept: string;
  dropped: string;
}

interface NamedRoute {
  upstream: RoutedUpstream;
  upstreamName: string;
}

/** A per-call request routed for the byte relay: which server takes it, and how to send it there. */
export interface RelayRoute {
  server: string;
  /** `traceparent`: the trace the call continues at the server, put in the params' `_meta`. */
  relay(call: Pick<RelayCall, 'id' | 'signal'> & { traceparent?: string | undefined }): Promise<RelayAnswer | undefined>;
}

const COLLIDED_URI_SCHEME = 'switchboard:';

export class CatalogRouter {
  readonly #upstreams: readonly RoutedUpstream[];
  readonly #logger: Logger;
  readonly #ledger: NameLedger;
  readonly #tasks: TaskHandles;
  readonly #memory: SurfaceMemory | undefined;
  readonly #pins: ToolPins | undefined;
  #collisions: NameCollision[] = [];
  readonly #routeCache = new Map<string, { sources: unknown[][]; routes: Map<string, unknown> }>();

  /** `pins`: the gate for tool definitions (approved ones pass, cleaned; changed ones are held); none in tests that do not need it. */
  constructor(
    upstreams: readonly RoutedUpstream[],
    logger: Logger,
    ledger: NameLedger,
    options: { tasks?: TaskHandles; memory?: SurfaceMemory; pins?: ToolPins } = {},
  ) {
    this.#upstreams = upstreams;
    this.#logger = logger;
    this.#ledger = ledger;
    this.#tasks = options.tasks ?? new TaskHandles();
    this.#memory = options.memory;
    this.#pins = options.pins;
  }

  collisions(): readonly NameCollision[] {
    return this.#collisions;
  }

  async listTools(view: ClientView = {}): Promise<Tool[]> {
    const routes = await this.#namedRoutes<Tool>('tools', view);
    return [...routes.values()].map(({ item, name }) => ({ ...item, name }));
  }

  async listPrompts(view: ClientView = {}): Promise<Prompt[]> {
    const routes = await this.#namedRoutes<Prompt>('prompts', view);
    return [...routes.values()].map(({ item, name }) => ({ ...item, name }));
  }

  /** Resource URIs pass through unchanged; only a URI two servers both list is rewritten, for the second one. */
  async listResources(view: ClientView = {}): Promise<Resource[]> {
    const routes = await this.#resourceRoutes(view);
    return [...routes.entries()].map(([uri, { resource }]) => ({ ...resource, uri }));
  }

  async listResourceTemplates(view: ClientView = {}): Promise<ResourceTemplate[]> {
    const perServer = await this.#gather('resourceTemplates', view);
    return perServer.flatMap(({ items }) => items);
  }

  /**
   * `taskOwner` is the client when it declared the Tasks extension on this call: the server may then answer with a
   * task, whose id the client gets bound to itself (see TaskHandles).
   */
  async callTool(name: string, args: Record<string, unknown> | undefined, view: ClientView, options: UpstreamCallOptions, taskOwner?: string): Promise<Routed> {
    const route = (await this.#namedRoutes('tools', view)).get(name) ?? this.#refuseIfHeld(name, view) ?? (await this.#routeAfterReaching(name, view));
    if (!route)
      throw new SwitchboardError('ROUTER_UNKNOWN_TOOL', `no enabled server offers a tool named "${name}"; list the tools again to see what is available`);
    const upstream = route.route.upstream;
    if (isSignInPlaceholder(route.item)) return answeredBy(upstream.connection.id, () => this.#signInThroughPlaceholder(upstream));
    const params = { name: route.route.upstreamName, ...(args === undefined ? {} : { arguments: args }) };
    const routed = await answeredBy(upstream.connection.id, () =>
      upstream.connection.request('tools/call', params, { ...options, acceptTask: taskOwner !== undefined }),
    );
    if (routed.result.resultType !== 'task' || taskOwner === undefined) return routed;
    return {
      ...routed,
      result: { ...routed.result, taskId: this.#tasks.expose(taskOwner, { serverId: upstream.connection.id, upstreamTaskId: String(routed.result.taskId) }) },
    };
  }

  /**
   * Where a per-call request goes when it can travel as bytes: a listed tool or prompt, or a known resource, of a server
   * that is ready. Anything else (an unknown name, a sign-in placeholder, a server not reached yet) is undefined and
   * takes the full path, where it is answered the one way it is answered everywhere.
   */
  async relayRoute(method: RelayedMethod, params: Record<string, unknown>, view: ClientView): Promise<RelayRoute | undefined> {
    let upstream: RoutedUpstream;
    let upstreamParams: Record<string, unknown>;
    if (method === 'resources/read') {
      if (typeof params.uri !== 'string') return undefined;
      const resolved = await this.#resolveResource(params.uri, view).catch(() => undefined);
      if (!resolved) return undefined;
      upstream = resolved.upstream;
      upstreamParams = { ...params, uri: resolved.upstreamUri };
    } else {
      if (typeof params.name !== 'string') return undefined;
      const route = (await this.#namedRoutes<Tool | Prompt>(method === 'tools/call' ? 'tools' : 'prompts', view)).get(params.name);
      if (!route || (method === 'tools/call' && isSignInPlaceholder(route.item as Tool))) return undefined;
      upstream = route.route.upstream;
      upstreamParams = { ...params, name: route.route.upstreamName };
    }
    if (upstream.connection.status().state !== 'ready') return undefined;
    return {
      server: upstream.connection.id,
      relay: ({ traceparent, ...call }) => {
        const meta = { ...(upstreamParams._meta as object | undefined), ...(traceparent ? { traceparent } : {}) };
        return upstream.connection.relay({ ...call, method, params: { ...upstreamParams, _meta: meta } });
      },
    };
  }

  /**
   * A tool held for review is listed to nobody, so its name reaches here: its call is refused with what the person can
   * do about it (the byte relay finds no route for it either, and sends it this way). Returns undefined otherwise.
   */
  #refuseIfHeld(name: string, view: ClientView): undefined {
    if (!this.#pins || (view.tools && !view.tools.includes(name))) return undefined;
    for (const upstream of this.#visible(view)) {
      const held = this.#pins.heldTools(upstream.connection.id).find((tool) => exposedName(upstream.prefix, tool) === name);
      if (held !== undefined) throw this.#pins.refusalFor(upstream.connection.id, held);
    }
    return undefined;
  }

  /**
   * A name nobody lists may belong to a server that is not reachable yet, most often one waiting for the person to
   * sign in whose tools were never seen. Trying that server once more says so (the sign-in error travels up to the
   * client with its link) or, when it answers now, finds the route.
   */
  async #routeAfterReaching(name: string, view: ClientView): Promise<{ name: string; item: Tool; route: NamedRoute } | undefined> {
    const owners = this.#visible(view).filter(
      (upstream) => name.startsWith(upstream.prefix ? `${upstream.prefix}_` : '') && upstream.connection.status().state !== 'ready',
    );
    for (const upstream of owners) {
      try {
        await upstream.connection.connect();
      } catch (error) {
        if (signInRequiredIn(error)) throw error;
        continue;
      }
      return (await this.#namedRoutes<Tool>('tools', view)).get(name);
    }
    return undefined;
  }

  /** The placeholder's call: the server's own answer is the sign-in error (with its link), or, once signed in, news of that. */
  async #signInThroughPlaceholder(upstream: RoutedUpstream): Promise<Record<string, unknown>> {
    await upstream.connection.connect();
    return {
      content: [{ type: 'text', text: `You are signed in to "${upstream.connection.id}": its tools are listed now; list the tools again to use them.` }],
    };
  }

  /** tasks/get, tasks/update, tasks/cancel: to the server that created the task, for the client it was created for. */
  async taskRequest(
    method: TaskMethod,
    params: { taskId: string; inputResponses?: Record<string, unknown> },
    taskOwner: string,
    view: ClientView,
    options: Pick<UpstreamCallOptions, 'signal' | 'traceparent'>,
  ): Promise<Routed> {
    const location = this.#tasks.resolve(taskOwner, params.taskId);
    const upstream = location && this.#visible(view).find((candidate) => candidate.connection.id === location.serverId);
    if (!location || !upstream)
      throw new SwitchboardError(
        'ROUTER_UNKNOWN_TASK',
        `no task "${params.taskId}" is known for this client; task ids are valid only for the client that started the task, until Switchboard restarts`,
      );
    const routed = await answeredBy(upstream.connection.id, () =>
      upstream.connection.taskRequest(method, { ...params, taskId: location.upstreamTaskId }, options),
    );
    return method === 'tasks/get' ? { ...routed, result: { ...routed.result, taskId: params.taskId } } : routed;
  }

  async getPrompt(name: string, args: Record<string, string> | undefined, view: ClientView, options: UpstreamCallOptions): Promise<Routed> {
    const route = (await this.#namedRoutes('prompts', view)).get(name);
    if (!route)
      throw new SwitchboardError('ROUTER_UNKNOWN_PROMPT', `no enabled server offers a prompt named "${name}"; list the prompts again to see what is available`);
    return this.#forward(route.route, 'prompts/get', { name: route.route.upstreamName, ...(args === undefined ? {} : { arguments: args }) }, options);
  }

  async readResource(uri: string, view: ClientView, options: UpstreamCallOptions): Promise<Routed> {
    const { upstream, upstreamUri } = await this.#resolveResource(uri, view);
    const routed = await answeredBy(upstream.connection.id, () => upstream.connection.request('resources/read', { uri: upstreamUri }, options));
    // Contents carry the upstream URI; show the client the URI it asked for.
    const contents = Array.isArray(routed.result.contents)
      ? (routed.result.contents as { uri?: string }[]).map((content) => (content.uri === upstreamUri ? { ...content, uri } : content))
      : routed.result.contents;
    return { ...routed, result: { ...routed.result, contents } };
  }

  /** A resource can exist without being listed, so an unknown URI is subscribed at every visible server that supports it. */
  /**
   * Every client shares one connection per server, so a subscription upstream is shared too: it is made when the first
   * session subscribes to a URI and ended only when the last one lets go — never by another client's unsubscribe.
   * (Callers pass each session's subscribe and unsubscribe once; the sessions keep their own sets.)
   */
  async subscribeResource(method: 'resources/subscribe' | 'resources/unsubscribe', uri: string, view: ClientView): Promise<void> {
    const holders = this.#subscribers.get(uri) ?? 0;
    if (method === 'resources/subscribe') {
      if (holders === 0) await this.#forwardSubscription(method, uri, view);
      this.#subscribers.set(uri, holders + 1);
      return;
    }
    if (holders === 0) return;
    if (holders > 1) {
      this.#subscribers.set(uri, holders - 1);
      return;
    }
    this.#subscribers.delete(uri);
    await this.#forwardSubscription(method, uri, view);
  }

  readonly #subscribers = new Map<string, number>();

  async #forwardSubscription(method: 'resources/subscribe' | 'resources/unsubscribe', uri: string, view: ClientView): Promise<void> {
    const known = await this.#resolveResource(uri, view).catch(() => undefined);
    if (known) {
      await known.upstream.connection.request(method, { uri: known.upstreamUri });
      return;
    }
    const candidates = this.#visible(view).filter((upstream) => upstream.connection.supports('resources.subscribe'));
    const outcomes = await Promise.allSettled(candidates.map((upstream) => upstream.connection.request(method, { uri })));
    if (!outcomes.some((outcome) => outcome.status === 'fulfilled')) {
      throw new SwitchboardError('ROUTER_UNKNOWN_RESOURCE', `no enabled server accepted a subscription to "${uri}"`);
    }
  }

  /** The client's log level applies to every server that still has logging/setLevel (2025 era; 2026 removed it). */
  async setLogLevel(level: string, view: ClientView): Promise<void> {
    const candidates = this.#visible(view).filter((upstream) => upstream.connection.supports('logging') && upstream.connection.status().era === 'legacy');
    await Promise.allSettled(candidates.map((upstream) => upstream.connection.request('logging/setLevel', { level })));
  }

  #visible(view: ClientView): RoutedUpstream[] {
    return this.#upstreams.filter((upstream) => !view.servers || view.servers.includes(upstream.connection.id));
  }

  /** Completion references name a prompt (exposed name) or a resource template URI. */
  async complete(
    params: { ref: { type: string; name?: string; uri?: string } } & Record<string, unknown>,
    view: ClientView,
    options: UpstreamCallOptions,
  ): Promise<Routed> {
    if (params.ref.type === 'ref/prompt') {
      const route = (await this.#namedRoutes('prompts', view)).get(params.ref.name ?? '');
      if (!route) throw new SwitchboardError('ROUTER_UNKNOWN_PROMPT', `no enabled server offers a prompt named "${params.ref.name ?? ''}"`);
      return this.#forward(route.route, 'completion/complete', { ...params, ref: { ...params.ref, name: route.route.upstreamName } }, options);
    }
    const templateUri = params.ref.uri ?? '';
    for (const { upstream, items } of await this.#gather('resourceTemplates', view)) {
      if (items.some((template) => template.uriTemplate === templateUri))
        return this.#forward({ upstream, upstreamName: templateUri }, 'completion/complete', params, options);
    }
    throw new SwitchboardError('ROUTER_UNKNOWN_RESOURCE', `no enabled server offers the resource template "${templateUri}"`);
  }

  /** Which server a resource URI (possibly one of ours rewritten after a collision) belongs to. */
  async #resolveResource(uri: string, view: ClientView): Promise<{ upstream: RoutedUpstream; upstreamUri: string }> {
    const listed = (await this.#resourceRoutes(view)).get(uri);
    if (listed) return { upstream: listed.upstream, upstreamUri: listed.resource.uri };
    for (const { upstream, items } of await this.#gather('resourceTemplates', view)) {
      if (items.some((template) => new UriTemplate(template.uriTemplate).match(uri) !== null)) return { upstream, upstreamUri: uri };
    }
    throw new SwitchboardError('ROUTER_UNKNOWN_RESOURCE', `no enabled server offers the resource "${uri}"; list the resources again to see what is available`);
  }

  #forward(route: NamedRoute, method: ForwardedMethod, params: Record<string, unknown>, options: UpstreamCallOptions): Promise<Routed> {
    return answeredBy(route.upstream.connection.id, () => route.upstream.connection.request(method, params, options));
  }

  /**
   * Lists one kind from every visible server in parallel. A server that is down is left out (status reports it); one
   * that waits for the person to sign in shows what it offered when last seen, so a call reaches it and is answered
   * with the way to sign in.
   */
  async #gather<K extends 'tools' | 'prompts' | 'resources' | 'resourceTemplates'>(kind: K, view: ClientView) {
    const visible = this.#visible(view);
    const settled = await Promise.allSettled(
      visible.map(async (upstream) => ({ upstream, items: this.#screened(upstream, kind, await this.#listOrRecall(upstream, kind)) })),
    );
    return settled.flatMap((outcome) => (outcome.status === 'fulfilled' ? [outcome.value] : []));
  }

  /**
   * Tools pass the pins before anyone sees them; the sign-in placeholder is Switchboard's own and passes as it is. An
   * empty list is screened too: it is what the person approved, so tools that appear later are held as new.
   */
  #screened<K extends 'tools' | 'prompts' | 'resources' | 'resourceTemplates'>(upstream: RoutedUpstream, kind: K, items: UpstreamLists[K]): UpstreamLists[K] {
    if (kind !== 'tools' || !this.#pins || (items.length > 0 && items.every(isSignInPlaceholder))) return items;
    return this.#pins.screen({ id: upstream.connection.id, url: upstream.connection.url }, items as Tool[]) as UpstreamLists[K];
  }

  async #listOrRecall<K extends 'tools' | 'prompts' | 'resources' | 'resourceTemplates'>(upstream: RoutedUpstream, kind: K): Promise<UpstreamLists[K]> {
    const { id, url } = upstream.connection;
    const remembered: RememberedKind | undefined = kind === 'tools' ? 'tools' : kind === 'prompts' ? 'prompts' : undefined;
    try {
      const items = await upstream.connection.list(kind);
      if (remembered) this.#memory?.remember(id, url, remembered, items);
      return items;
    } catch (error) {
      if (!remembered || !signInRequiredIn(error)) throw error;
      // Never seen: one tool that says what is missing, so a model can tell the person and hand them the link.
      const known = this.#memory?.recall(id, url, remembered) ?? (remembered === 'tools' ? [signInPlaceholderFor(upstream)] : undefined);
      if (known) return known as UpstreamLists[K];
      throw error;
    }
  }

  async #namedRoutes<T extends Tool | Prompt>(kind: 'tools' | 'prompts', view: ClientView): Promise<Map<string, { name: string; item: T; route: NamedRoute }>> {
    const gathered = await this.#gather(kind, view);
    // Upstream lists are cached arrays, replaced only when a server's list changes: while every array is the same
    // object as last time (and the view is the same), the routes computed from them are too.
    const cacheKey = `${kind}|${JSON.stringify(view)}`;
    const cached = this.#routeCache.get(cacheKey);
    if (cached && cached.sources.length === gathered.length && cached.sources.every((items, index) => items === gathered[index]!.items)) {
      return cached.routes as Map<string, { name: string; item: T; route: NamedRoute }>;
    }
    const routes = this.#computeRoutes<T>(kind, view, gathered);
    this.#routeCache.set(cacheKey, { sources: gathered.map((entry) => entry.items), routes });
    return routes;
  }

  #computeRoutes<T extends Tool | Prompt>(
    kind: 'tools' | 'prompts',
    view: ClientView,
    gathered: { upstream: RoutedUpstream; items: unknown[] }[],
  ): Map<string, { name: string; item: T; route: NamedRoute }> {
    const contenders = new Map<string, { item: T; route: NamedRoute; owner: string }[]>();
    for (const { upstream, items } of gathered) {
      for (const item of items as T[]) {
        const name = exposedName(upstream.prefix, item.name);
        if (kind === 'tools' && view.tools && !view.tools.includes(name)) continue;
        const entry = { item, route: { upstream, upstreamName: item.name }, owner: `${upstream.connection.id}/${item.name}` };
        contenders.set(name, [...(contenders.get(name) ?? []), entry]);
      }
    }
    const routes = new Map<string, { name: string; item: T; route: NamedRoute }>();
    const collisions: NameCollision[] = [];
    for (const [name, entries] of contenders) {
      const owner = this.#ledger.owner(
        `${kind}:${name}`,
        entries.map((entry) => entry.owner),
      );
      const winner = entries.find((entry) => entry.owner === owner)!;
      routes.set(name, { name, item: winner.item, route: winner.route });
      for (const loser of entries) {
        if (loser !== winner) collisions.push({ kind: kind === 'tools' ? 'tool' : 'prompt', name, kept: winner.owner, dropped: loser.owner });
      }
    }
    this.#ledger.flush();
    this.#recordCollisions(kind, collisions);
    return routes;
  }

  #recordCollisions(kind: 'tools' | 'prompts', found: NameCollision[]): void {
    const label = kind === 'tools' ? 'tool' : 'prompt';
    const others = this.#collisions.filter((collision) => collision.kind !== label);
    const known = new Set(this.#collisions.map((collision) => `${collision.kind}:${collision.name}:${collision.dropped}`));
    for (const collision of found) {
      if (!known.has(`${collision.kind}:${collision.name}:${collision.dropped}`)) this.#logger.log('warn', 'router.name_collision', { ...collision });
    }
    this.#collisions = [...others, ...found];
  }

  async #resourceRoutes(view: ClientView): Promise<Map<string, { upstream: RoutedUpstream; resource: Resource }>> {
    const routes = new Map<string, { upstream: RoutedUpstream; resource: Resource }>();
    for (const { upstream, items } of await this.#gather('resources', view)) {
      for (const resource of items) {
        const uri = routes.has(resource.uri) ? `${COLLIDED_URI_SCHEME}//${upstream.connection.id}/${encodeURIComponent(resource.uri)}` : resource.uri;
        routes.set(uri, { upstream, resource });
      }
    }
    return routes;
  }
}

/** Errors a router raises for requests that name nothing it knows, as JSON-RPC wants them. */
export function isUnknownTarget(error: unknown): boolean {
  return (
    error instanceof SwitchboardError &&
    // A held tool is one the client was never shown: like an unknown one, a tool error the model can read and pass on.
    (error.code === 'ROUTER_UNKNOWN_TOOL' ||
      error.code === 'ROUTER_UNKNOWN_PROMPT' ||
      error.code === 'ROUTER_UNKNOWN_RESOURCE' ||
      error.code === 'ROUTER_UNKNOWN_TASK' ||
      error.code === 'TOOL_HELD_FOR_REVIEW')
  );
}

/** The placeholders handed out, one per upstream and always the same object, so routes computed from them stay cached. */
const placeholders = new WeakMap<RoutedUpstream, Tool>();

/**
 * Stands for the tools of a server that needs the person to sign in and whose tools Switchboard has never seen.
 * Its name is the server's prefix and `sign_in`; it disappears (list_changed) once the real tools can be listed.
 */
function signInPlaceholderFor(upstream: RoutedUpstream): Tool {
  let tool = placeholders.get(upstream);
  if (!tool) {
    const id = upstream.connection.id;
    tool = {
      name: 'sign_in',
      title: `Sign in to ${id}`,
      description: `The MCP server "${id}" needs you to sign in before its tools can be listed or used. Call this tool to get a sign-in link to open in the browser; once signed in, this server's tools appear in place of this one.`,
      inputSchema: { type: 'object', properties: {} },
      annotations: { readOnlyHint: true, openWorldHint: false },
    };
    placeholders.set(upstream, tool);
    signInPlaceholders.add(tool);
  }
  return tool;
}

const signInPlaceholders = new WeakSet<object>();

function isSignInPlaceholder(item: unknown): boolean {
  return typeof item === 'object' && item !== null && signInPlaceholders.has(item);
}
