// What the gateway needs of the router, as one small interface: the gateway depends on it, never on upstream code.
import type { Prompt, Resource, ResourceTemplateType as ResourceTemplate, Tool } from '@modelcontextprotocol/server';
import type { RequestOrigin } from '../upstream/request-origin.ts';
import type { ListKind, TaskMethod, UpstreamCallOptions } from '../upstream/upstream-connection.ts';
import type { RelayedMethod } from '../upstream/raw-relay.ts';
import type { ClientView, RelayRoute, Routed } from './catalog-router.ts';

export { TASKS_EXTENSION } from '../upstream/task-relay-client.ts';
export { isUnknownTarget, serverThatFailed, type ClientView, type RelayRoute, type Routed } from './catalog-router.ts';
export type { RelayAnswer, RelayedMethod, RelayOutcome } from '../upstream/raw-relay.ts';

/** Everything one forwarded call carries down to the server that serves it, passed as a parameter. */
export type CallOptions = UpstreamCallOptions;
export type { ListKind, RequestOrigin, TaskMethod };

/** A local AI client the endpoint let in, and the view of the servers it is limited to. */
export interface AuthenticatedClient {
  id: string;
  view: ClientView;
}

export interface GatewayRouter {
  listTools(view: ClientView): Promise<Tool[]>;
  /** The byte relay's route for a per-call request, or undefined when only the full path can serve it. */
  relayRoute(method: RelayedMethod, params: Record<string, unknown>, view: ClientView): Promise<RelayRoute | undefined>;
  listPrompts(view: ClientView): Promise<Prompt[]>;
  listResources(view: ClientView): Promise<Resource[]>;
  listResourceTemplates(view: ClientView): Promise<ResourceTemplate[]>;
  /** `taskOwner`: the client, when it declared the Tasks extension on this call. */
  callTool(name: string, args: Record<string, unknown> | undefined, view: ClientView, options: CallOptions, taskOwner?: string): Promise<Routed>;
  getPrompt(name: string, args: Record<string, string> | undefined, view: ClientView, options: CallOptions): Promise<Routed>;
  readResource(uri: string, view: ClientView, options: CallOptions): Promise<Routed>;
  complete(params: { ref: { type: string; name?: string; uri?: string } } & Record<string, unknown>, view: ClientView, options: CallOptions): Promise<Routed>;
  taskRequest(
    method: TaskMethod,
    params: { taskId: string; inputResponses?: Record<string, unknown> },
    taskOwner: string,
    view: ClientView,
    options: Pick<CallOptions, 'signal' | 'traceparent'>,
  ): Promise<Routed>;
  subscribeResource(method: 'resources/subscribe' | 'resources/unsubscribe', uri: string, view: ClientView): Promise<void>;
  setLogLevel(level: string, view: ClientView): Promise<void>;
}
