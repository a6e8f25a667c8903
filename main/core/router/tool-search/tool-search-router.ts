// The router the gateway talks to when tool budgets apply: lists a client's tools within its budget and serves the two meta-tools; the rest passes through.
import type { Tool } from '@modelcontextprotocol/server';
import type { CallOptions, ClientView, GatewayRouter, RelayRoute, Routed } from '../gateway-router.ts';
import type { RelayedMethod } from '../../upstream/raw-relay.ts';
import { planListing, type ListingPlan } from './listing-plan.ts';
import {
  argumentProblems,
  CALL_TOOL_NAME,
  isMetaToolName,
  metaTools,
  parseCallArguments,
  parseSearchArguments,
  searchResult,
  SEARCH_TOOL_NAME,
  unknownToolError,
} from './meta-tools.ts';
import { RERANK_CANDIDATES, RERANK_INPUT_KEY, RERANK_TIMEOUT_MS, rerankedNames, rerankRequest } from './sampling-rerank.ts';
import { resolveToolBudget, type ToolBudget } from './tool-budget.ts';
import { ToolSearchIndex } from './tool-index.ts';
import type { ToolSearchSettings as ToolSearchPolicy } from '../../config/tool-search-schema.ts';
import { NO_USAGE, type ToolUsage } from './tool-usage.ts';

/** A view as the local endpoint hands it over: which client it is, and that client's own budget and pins. */
export interface BudgetedView extends ClientView {
  client?: string;
  maxTools?: number;
  pinnedTools?: readonly string[];
}

/** What a client was last listed: for `status` and the UI ("12 direct, 588 through search"). */
export interface ClientListing {
  client: string;
  budget: ToolBudget;
  mode: ListingPlan['mode'];
  /** Tools listed as themselves (the meta-tools not counted). */
  direct: number;
  /** Tools reachable only through the search. */
  throughSearch: number;
}

/** Indexes of views not listed for this long are dropped; the next listing builds them again. */
const IDLE_INDEX_MS = 30 * 60_000;

interface ViewState {
  index: ToolSearchIndex;
  usedAt: number;
}

export class ToolSearchRouter implements GatewayRouter {
  readonly #inner: GatewayRouter;
  readonly #policy: () => ToolSearchPolicy;
  #usage: ToolUsage;
  readonly #views = new Map<string, ViewState>();
  readonly #listings = new Map<string, ClientListing>();
  /** The last direct set per client and view, to tell whether a usage refresh changed what a client sees. */
  readonly #lastDirect = new Map<string, { view: BudgetedView; names: string[]; direct: string }>();

  readonly #onVisibleToolsChanged: () => void;

  /** `onVisibleToolsChanged`: a client's settings changed what it would be listed (tools/list_changed goes out). */
  constructor(inner: GatewayRouter, options: { policy?: () => ToolSearchPolicy; usage?: ToolUsage; onVisibleToolsChanged?: () => void } = {}) {
    this.#inner = inner;
    this.#onVisibleToolsChanged = options.onVisibleToolsChanged ?? (() => undefined);
    this.#policy = options.policy ?? (() => ({}));
    this.#usage = options.usage ?? NO_USAGE;
  }

  /** The usage source may need the router to exist first (it reports changes back through it). */
  setUsage(usage: ToolUsage): void {
    this.#usage = usage;
  }

  /** What each client saw at its last listing. */
  listings(): ClientListing[] {
    return [...this.#listings.values()].sort((a, b) => a.client.localeCompare(b.client));
  }

  /**
   * Whether a fresh usage snapshot changes any client's direct set (then the caller sends tools/list_changed). Only
   * views listed before are checked, from the names they were listed with.
   */
  directSetsChanged(): boolean {
    for (const { view, names, direct } of this.#lastDirect.values()) {
      const plan = this.#plan(view, names);
      if (plan.direct.join('\n') !== direct) return true;
    }
    return false;
  }

  async listTools(view: BudgetedView): Promise<Tool[]> {
    const tools = await this.#inner.listTools(innerView(view));
    const names = tools.map((tool) => tool.name);
    const plan = this.#plan(view, names);
    const client = view.client ?? 'anonymous';
    this.#listings.set(client, { client, budget: this.#budget(view), mode: plan.mode, direct: plan.direct.length, throughSearch: plan.searchOnly });
    this.#lastDirect.set(`${client}|${viewKey(view)}`, { view, names, direct: plan.direct.join('\n') });
    if (plan.mode === 'all') return tools;
    // The index is built at the first search, not here: a listing of thousands of tools must not wait for it.
    const direct = new Set(plan.direct);
    // An upstream tool named like a meta-tool is shadowed while search is on: the names are reserved.
    const listed = tools.filter((tool) => direct.has(tool.name) && !isMetaToolName(tool.name));
    return [...listed, ...metaTools({ total: tools.length, direct: listed.length })];
  }

  async callTool(name: string, args: Record<string, unknown> | undefined, view: BudgetedView, options: CallOptions, taskOwner?: string): Promise<Routed> {
    this.#noticeChangedSettings(view);
    if (name === SEARCH_TOOL_NAME) return this.#search(args, view, options);
    if (name === CALL_TOOL_NAME) return this.#callByName(args, view, options, taskOwner);
    return this.#inner.callTool(name, args, innerView(view), options, taskOwner);
  }

  async relayRoute(method: RelayedMethod, params: Record<string, unknown>, view: BudgetedView): Promise<RelayRoute | undefined> {
    // The meta-tools are answered here, on the full path (their calls never reach a server as they are).
    if (method === 'tools/call' && typeof params.name === 'string' && isMetaToolName(params.name)) return undefined;
    return this.#inner.relayRoute(method, params, innerView(view));
  }

  listPrompts: GatewayRouter['listPrompts'] = (view) => this.#inner.listPrompts(innerView(view));
  listResources: GatewayRouter['listResources'] = (view) => this.#inner.listResources(innerView(view));
  listResourceTemplates: GatewayRouter['listResourceTemplates'] = (view) => this.#inner.listResourceTemplates(innerView(view));
  getPrompt: GatewayRouter['getPrompt'] = (name, args, view, options) => this.#inner.getPrompt(name, args, innerView(view), options);
  readResource: GatewayRouter['readResource'] = (uri, view, options) => this.#inner.readResource(uri, innerView(view), options);
  complete: GatewayRouter['complete'] = (params, view, options) => this.#inner.complete(params, innerView(view), options);
  taskRequest: GatewayRouter['taskRequest'] = (method, params, taskOwner, view, options) =>
    this.#inner.taskRequest(method, params, taskOwner, innerView(view), options);
  subscribeResource: GatewayRouter['subscribeResource'] = (method, uri, view) => this.#inner.subscribeResource(method, uri, innerView(view));
  setLogLevel: GatewayRouter['setLogLevel'] = (level, view) => this.#inner.setLogLevel(level, innerView(view));

  close(): void {
    for (const state of this.#views.values()) state.index.close();
    this.#views.clear();
  }

  /**
   * A client's budget or pins changed since it was listed (`switchboard clients update`, the UI): its next request
   * shows it, and the client is told to list again rather than keep a list it would no longer get.
   */
  #noticeChangedSettings(view: BudgetedView): void {
    const last = this.#lastDirect.get(`${view.client ?? 'anonymous'}|${viewKey(view)}`);
    if (!last || (last.view.maxTools === view.maxTools && (last.view.pinnedTools ?? []).join('\n') === (view.pinnedTools ?? []).join('\n'))) return;
    last.view = view;
    if (this.#plan(view, last.names).direct.join('\n') !== last.direct) this.#onVisibleToolsChanged();
  }

  #budget(view: BudgetedView): ToolBudget {
    return resolveToolBudget(view.client ?? 'anonymous', view.maxTools, this.#policy());
  }

  #plan(view: BudgetedView, names: readonly string[]): ListingPlan {
    const budget = this.#budget(view);
    const pinned = [...(this.#policy().pinned ?? []), ...(view.pinnedTools ?? [])];
    return planListing(names, { maxTools: budget.maxTools, forceSearch: budget.forceSearch, pinned, uses: this.#usage.usesBy(view.client ?? 'anonymous') });
  }

  async #search(args: Record<string, unknown> | undefined, view: BudgetedView, options: CallOptions): Promise<Routed> {
    const parsed = parseSearchArguments(args);
    if (!parsed.ok) return { server: '', result: parsed.error as Record<string, unknown> };
    const { query, limit } = parsed.value;
    const tools = await this.#inner.listTools(innerView(view));
    const index = this.#indexFor(view, tools);
    const byName = new Map(tools.map((tool) => [tool.name, tool]));
    const sampling = this.#policy().rerankWithClientModel ? options.origin?.sampling : undefined;
    const hits = index.search(query, { limit: sampling ? Math.max(limit, RERANK_CANDIDATES) : limit, uses: this.#usage.usesBy(view.client ?? 'anonymous') });
    let names = hits.map((hit) => hit.name);
    if (sampling && names.length > 1) {
      const candidates = names.map((name) => byName.get(name)).filter((tool): tool is Tool => tool !== undefined);
      const request = rerankRequest(query, candidates);
      const answer = options.continuation?.inputResponses?.[RERANK_INPUT_KEY];
      // 2026-07-28: the client is asked through an input_required result and answers on its retry of this call.
      if (sampling === 'input-required' && answer === undefined)
        return { server: '', result: { resultType: 'input_required', inputRequests: { [RERANK_INPUT_KEY]: request } } };
      const response = sampling === 'request' ? await askWithin(options.origin!.send(request), RERANK_TIMEOUT_MS) : answer;
      names = rerankedNames(response, names) ?? names;
    }
    const found = names
      .slice(0, limit)
      .map((name) => byName.get(name))
      .filter((tool): tool is Tool => tool !== undefined);
    return { server: '', result: searchResult(query, found, tools.length) as Record<string, unknown> };
  }

  /** The meta-call goes the way a direct call goes (same router, same view): what the view refuses, it refuses too. */
  async #callByName(args: Record<string, unknown> | undefined, view: BudgetedView, options: CallOptions, taskOwner: string | undefined): Promise<Routed> {
    const parsed = parseCallArguments(args);
    if (!parsed.ok) return { server: '', result: parsed.error as Record<string, unknown> };
    const { name, arguments: toolArguments } = parsed.value;
    const tool = (await this.#inner.listTools(innerView(view))).find((candidate) => candidate.name === name);
    if (!tool) return { server: '', result: unknownToolError(name) as Record<string, unknown> };
    const problems = argumentProblems(tool, toolArguments);
    if (problems) return { server: '', result: { content: [{ type: 'text', text: problems }], isError: true } };
    return this.#inner.callTool(name, toolArguments, innerView(view), options, taskOwner);
  }

  #indexFor(view: BudgetedView, tools: readonly Tool[]): ToolSearchIndex {
    const key = viewKey(view);
    const now = Date.now();
    let state = this.#views.get(key);
    if (!state) {
      state = { index: new ToolSearchIndex(), usedAt: now };
      this.#views.set(key, state);
    }
    state.usedAt = now;
    state.index.sync(tools.map((tool) => ({ name: tool.name, server: serverOf(tool.name), tool })));
    for (const [other, idle] of this.#views) {
      if (now - idle.usedAt > IDLE_INDEX_MS) {
        idle.index.close();
        this.#views.delete(other);
      }
    }
    return state.index;
  }
}

/** The client's answer, or undefined when it refused, failed or took too long: the search's own order then stands. */
async function askWithin(answer: Promise<Record<string, unknown>>, ms: number): Promise<Record<string, unknown> | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), ms);
  });
  try {
    return await Promise.race([answer.catch(() => undefined), late]);
  } finally {
    clearTimeout(timer);
  }
}

/** The part of a view the catalog router reads; the rest would only split its route cache by client. */
function innerView(view: BudgetedView): ClientView {
  return { ...(view.servers ? { servers: view.servers } : {}), ...(view.tools ? { tools: view.tools } : {}) };
}

function viewKey(view: BudgetedView): string {
  return JSON.stringify(innerView(view));
}

/** The server's prefix of an exposed name ("github_create_issue" → "github"): searchable words for the server's name. */
function serverOf(exposedName: string): string {
  const separator = exposedName.indexOf('_');
  return separator > 0 ? exposedName.slice(0, separator) : '';
}
