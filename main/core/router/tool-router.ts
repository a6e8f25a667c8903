// The aggregated tool namespace: lists every enabled server's tools under exposed names and routes calls back.
import type { CallToolResult, Tool } from '@modelcontextprotocol/client';
import { SwitchboardError } from '../errors.ts';
import type { Logger } from '../ports.ts';
import type { UpstreamCallOptions, UpstreamConnection } from '../upstream/upstream-connection.ts';
import { exposedName } from './exposed-names.ts';

export interface RoutedUpstream {
  connection: UpstreamConnection;
  prefix: string;
}

interface Route {
  upstream: RoutedUpstream;
  upstreamName: string;
}

export class ToolRouter {
  readonly #upstreams: readonly RoutedUpstream[];
  readonly #logger: Logger;
  #routes = new Map<string, Route>();

  constructor(upstreams: readonly RoutedUpstream[], logger: Logger) {
    this.#upstreams = upstreams;
    this.#logger = logger;
  }

  /** Lists all servers in parallel; a server that is down is left out (and reported in status), never fails the list. */
  async listTools(): Promise<Tool[]> {
    const settled = await Promise.allSettled(this.#upstreams.map(async (upstream) => ({ upstream, tools: await upstream.connection.listTools() })));
    const routes = new Map<string, Route>();
    const tools: Tool[] = [];
    for (const outcome of settled) {
      if (outcome.status === 'rejected') continue;
      const { upstream, tools: upstreamTools } = outcome.value;
      for (const tool of upstreamTools) {
        const name = exposedName(upstream.prefix, tool.name);
        const taken = routes.get(name);
        if (taken) {
          this.#logger.log('warn', 'router.name_collision', {
            name,
            kept: `${taken.upstream.connection.id}/${taken.upstreamName}`,
            dropped: `${upstream.connection.id}/${tool.name}`,
          });
          continue;
        }
        routes.set(name, { upstream, upstreamName: tool.name });
        tools.push({ ...tool, name });
      }
    }
    this.#routes = routes;
    return tools;
  }

  async callTool(name: string, args: Record<string, unknown> | undefined, options: UpstreamCallOptions): Promise<CallToolResult> {
    const route = await this.#resolve(name);
    return route.upstream.connection.callTool(route.upstreamName, args, options);
  }

  async #resolve(name: string): Promise<Route> {
    // Stateless clients may call a tool without listing first in this process's lifetime; one listing fills the table.
    const known = this.#routes.get(name) ?? (await this.listTools(), this.#routes.get(name));
    if (!known) throw new SwitchboardError('ROUTER_UNKNOWN_TOOL', `no enabled server offers a tool named "${name}"; list the tools again to see what is available`);
    return known;
  }
}
