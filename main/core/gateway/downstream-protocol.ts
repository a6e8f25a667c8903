// The MCP surface clients talk to: one SDK server per client context whose handlers delegate to the router.
import { CLIENT_CAPABILITIES_META_KEY, ProtocolError, Server } from '@modelcontextprotocol/server';
import type { CallToolResult, CompleteResult, GetPromptResult, ReadResourceResult, Result, ServerContext } from '@modelcontextprotocol/server';
import { z } from 'zod';
import { signInRequiredIn } from '../auth/sign-in-required.ts';
import { audited, type Answered, type AuditedCall, type GatewayAudit } from './audited.ts';
import { isSwitchboardError } from '../errors.ts';
import {
  isUnknownTarget,
  TASKS_EXTENSION,
  type CallOptions as UpstreamCallOptions,
  type ClientView,
  type GatewayRouter,
  type RequestOrigin,
  type Routed,
  type TaskMethod,
} from '../router/gateway-router.ts';
import { auditedToolName } from '../router/tool-search/meta-tools.ts';
import { clientSampling, type ClientSampling } from '../router/tool-search/sampling-rerank.ts';
import { SWITCHBOARD_IMPLEMENTATION } from '../version.ts';
import { answerSignInRequired, SIGN_IN_INPUT_KEY, type SignInLinkIssuer } from './sign-in-answer.ts';

/** JSON-RPC codes for local failures: the spec's invalid-params for unknown targets, internal error otherwise. */
const INVALID_PARAMS = -32602;
const INTERNAL_ERROR = -32603;

const INSTRUCTIONS =
  'Switchboard aggregates the MCP servers enabled on this machine. Tool and prompt names carry a short prefix naming the server that provides them.';

/** Who a server instance serves: the authenticated local client and what it may see. */
export interface DownstreamContext {
  clientId: string;
  view: ClientView;
  /** Resource URIs this session subscribed to (2025 era), so updates reach only the sessions that asked. */
  subscriptions: Set<string>;
}

export type DownstreamServerFactory = (context: DownstreamContext) => Server;

export interface DownstreamOptions {
  audit?: GatewayAudit;
  /** Where a client is sent when a server needs the person to sign in. */
  signInLinks?: SignInLinkIssuer;
}

export function createDownstreamServerFactory(router: GatewayRouter, { audit, signInLinks }: DownstreamOptions = {}): DownstreamServerFactory {
  return ({ clientId, view, subscriptions }) => {
    const server = new Server(SWITCHBOARD_IMPLEMENTATION, {
      capabilities: {
        tools: { listChanged: true },
        prompts: { listChanged: true },
        resources: { listChanged: true, subscribe: true },
        completions: {},
        logging: {},
        // Tasks are relayed (never run here) for 2026-07-28 clients that declare the extension on a call.
        extensions: { [TASKS_EXTENSION]: {} },
      },
      instructions: INSTRUCTIONS,
    });
    // Every request leaves one audit record (see audited.ts); `target` names the tool, prompt or resource.
    const record = <Q extends { params?: object }, R>(
      method: string,
      target: (request: Q) => string | undefined,
      handler: (request: Q, context: ServerContext, call: AuditedCall) => Promise<Answered<R>>,
    ) => audited(audit, server, clientId, method, (request: Q) => ({ params: request.params as never, target: target(request) }), handler);
    /** Lists and subscriptions answer from Switchboard itself, not from one server. */
    const ours = async <R>(result: Promise<R>): Promise<Answered<R>> => ({ result: await result });
    const none = () => undefined;
    /** A request a server refused for want of the person's sign-in is answered at once with the way to sign in. */
    const signInOrWireError = async <R>(error: unknown, asToolResult: boolean, context: ServerContext): Promise<Answered<R>> => {
      const needed = signInLinks ? signInRequiredIn(error) : undefined;
      if (needed) return { result: answerSignInRequired(needed, signInLinks!, server, context, asToolResult) as R, server: needed.serverId };
      return withWireErrors(() => Promise.reject(error));
    };
    const answered = <R>(routed: Routed): Answered<R> => ({ result: routed.result as R, server: routed.server });

    server.setRequestHandler(
      'tools/list',
      record('tools/list', none, async () => ours(withWireErrors(async () => ({ tools: await router.listTools(view) })))),
    );
    server.setRequestHandler(
      'tools/call',
      // A call through switchboard_call_tool is recorded under the tool it called (router/tool-search/).
      record(
        'tools/call',
        (request) => auditedToolName(request.params),
        async (request, context, call): Promise<Answered<CallToolResult>> => {
          const relay = relayOptions(clientId, request.params, context, call, clientSampling(server, context));
          const taskOwner = declaresTasks(context) ? clientId : undefined;
          try {
            return answered(
              await forward(relay, context, (options) => router.callTool(request.params.name, request.params.arguments, view, options, taskOwner)),
            );
          } catch (error) {
            // Like the SDK's own servers, an unknown tool is a tool error the model can read, not a failed request.
            if (isUnknownTarget(error)) return { result: { content: [{ type: 'text', text: (error as Error).message }], isError: true } };
            return signInOrWireError(error, true, context);
          }
        },
      ),
    );
    server.setRequestHandler(
      'prompts/list',
      record('prompts/list', none, async () => ours(withWireErrors(async () => ({ prompts: await router.listPrompts(view) })))),
    );
    server.setRequestHandler(
      'prompts/get',
      record(
        'prompts/get',
        (request) => request.params.name,
        async (request, context, call) => {
          const relay = relayOptions(clientId, request.params, context, call);
          return forward(relay, context, (options) => router.getPrompt(request.params.name, request.params.arguments, view, options)).then(
            answered<GetPromptResult>,
            (error: unknown) => signInOrWireError<GetPromptResult>(error, false, context),
          );
        },
      ),
    );
    server.setRequestHandler(
      'resources/list',
      record('resources/list', none, async () => ours(withWireErrors(async () => ({ resources: await router.listResources(view) })))),
    );
    server.setRequestHandler(
      'resources/templates/list',
      record('resources/templates/list', none, async () => ours(withWireErrors(async () => ({ resourceTemplates: await router.listResourceTemplates(view) })))),
    );
    server.setRequestHandler(
      'resources/read',
      record(
        'resources/read',
        (request) => request.params.uri,
        async (request, context, call) => {
          const relay = relayOptions(clientId, request.params, context, call);
          return forward(relay, context, (options) => router.readResource(request.params.uri, view, options)).then(
            answered<ReadResourceResult>,
            (error: unknown) => signInOrWireError<ReadResourceResult>(error, false, context),
          );
        },
      ),
    );
    server.setRequestHandler(
      'resources/subscribe',
      record(
        'resources/subscribe',
        (request) => request.params.uri,
        async (request) => {
          // Once per session and URI: the router counts sessions, so a repeated subscribe must not count twice.
          if (!subscriptions.has(request.params.uri)) {
            await withWireErrors(() => router.subscribeResource('resources/subscribe', request.params.uri, view));
            subscriptions.add(request.params.uri);
          }
          return { result: {} };
        },
      ),
    );
    server.setRequestHandler(
      'resources/unsubscribe',
      record(
        'resources/unsubscribe',
        (request) => request.params.uri,
        async (request) => {
          // Only what this session holds: another client's subscription to the same URI is not this session's to end.
          if (subscriptions.delete(request.params.uri)) await withWireErrors(() => router.subscribeResource('resources/unsubscribe', request.params.uri, view));
          return { result: {} };
        },
      ),
    );
    server.setRequestHandler('logging/setLevel', async (request) => {
      await router.setLogLevel(request.params.level, view);
      return {};
    });
    const relayTask = (method: TaskMethod) =>
      audited(
        audit,
        server,
        clientId,
        method,
        (params: { taskId: string }) => ({ params, target: params.taskId }),
        async (params: { taskId: string }, context: ServerContext, call: AuditedCall) => {
          if (!declaresTasks(context)) throw missingTasksCapability();
          const inputResponses = method === 'tasks/update' ? (context.mcpReq.inputResponses ?? {}) : undefined;
          const taskParams = { taskId: params.taskId, ...(inputResponses ? { inputResponses } : {}) };
          const options = { signal: context.mcpReq.signal, ...(call.traceparent ? { traceparent: call.traceparent } : {}) };
          return answered<Result>(await withWireErrors(() => router.taskRequest(method, taskParams, clientId, view, options)));
        },
      );
    // The SDK lifts tasks/update's inputResponses out of params (as for any MRTR retry) into context.mcpReq.
    server.setRequestHandler('tasks/get', { params: TASK_ID_PARAMS }, relayTask('tasks/get'));
    server.setRequestHandler('tasks/update', { params: TASK_ID_PARAMS }, relayTask('tasks/update'));
    server.setRequestHandler('tasks/cancel', { params: TASK_ID_PARAMS }, relayTask('tasks/cancel'));
    server.setRequestHandler(
      'completion/complete',
      record(
        'completion/complete',
        (request) => (request.params.ref.type === 'ref/prompt' ? request.params.ref.name : request.params.ref.uri),
        async (request, context, call) => {
          const relay = relayOptions(clientId, request.params, context, call);
          return forward(relay, context, (options) => router.complete(request.params, view, options)).then(answered<CompleteResult>, (error: unknown) =>
            signInOrWireError<CompleteResult>(error, false, context),
          );
        },
      ),
    );
    // A session that ends (DELETE, lost, Switchboard stopping) lets go of its subscriptions, so none outlives its clients.
    const previousOnClose = server.onclose;
    server.onclose = () => {
      previousOnClose?.();
      for (const uri of subscriptions) void router.subscribeResource('resources/unsubscribe', uri, view).catch(() => undefined);
      subscriptions.clear();
    };
    return server;
  };
}

const TASK_ID_PARAMS = z.object({ taskId: z.string() });
const MISSING_REQUIRED_CLIENT_CAPABILITY = -32021;

/** A 2026-07-28 client that listed the Tasks extension in this request's capabilities (the only way to ask for tasks). */
function declaresTasks(context: ServerContext): boolean {
  // The SDK types the envelope as {}; at run time it holds the request's reserved _meta keys.
  const envelope = context.mcpReq.envelope as Record<string, { extensions?: Record<string, unknown> } | undefined> | undefined;
  const extension = envelope?.[CLIENT_CAPABILITIES_META_KEY]?.extensions?.[TASKS_EXTENSION];
  return typeof extension === 'object' && extension !== null;
}

function missingTasksCapability(): ProtocolError {
  return new ProtocolError(
    MISSING_REQUIRED_CLIENT_CAPABILITY,
    'Missing required client capability: declare the io.modelcontextprotocol/tasks extension to use tasks',
    {
      requiredCapabilities: { extensions: { [TASKS_EXTENSION]: {} } },
    },
  );
}

/**
 * Cancellation flows upstream through the signal; upstream progress comes back under the token the client chose.
 * The returned options also remember the relayed notifications, so a result is never sent ahead of its progress.
 */
function relayOptions(
  clientId: string,
  params: { _meta?: { progressToken?: string | number } },
  context: ServerContext,
  call: AuditedCall,
  sampling?: ClientSampling,
): UpstreamCallOptions & { flushed(): Promise<void>; origin: RequestOrigin } {
  const progressToken = params._meta?.progressToken;
  const relayed: Promise<void>[] = [];
  const requestState = context.mcpReq.requestState<string>();
  const inputResponses = withoutOwnAnswers(context.mcpReq.inputResponses);
  return {
    origin: {
      clientId,
      ...(sampling ? { sampling } : {}),
      send: (request) => context.mcpReq.send(request) as Promise<Record<string, unknown>>,
      notify: (notification) => {
        const sent = context.mcpReq.notify(notification).catch(() => undefined);
        relayed.push(sent);
        return sent;
      },
    },
    signal: context.mcpReq.signal,
    ...(call.traceparent ? { traceparent: call.traceparent } : {}),
    ...(inputResponses !== undefined || requestState !== undefined
      ? { continuation: { ...(inputResponses !== undefined ? { inputResponses } : {}), ...(typeof requestState === 'string' ? { requestState } : {}) } }
      : {}),
    ...(progressToken === undefined
      ? {}
      : {
          onprogress: (progress) => {
            relayed.push(context.mcpReq.notify({ method: 'notifications/progress', params: { progressToken, ...progress } }).catch(() => undefined));
          },
        }),
    flushed: async () => {
      await Promise.all(relayed);
    },
  };
}

/** The answer to Switchboard's own sign-in elicitation is Switchboard's: the server never asked, so it never sees it. */
function withoutOwnAnswers(inputResponses: Record<string, unknown> | undefined): Record<string, unknown> | undefined {
  if (!inputResponses || !(SIGN_IN_INPUT_KEY in inputResponses)) return inputResponses;
  const { [SIGN_IN_INPUT_KEY]: _ours, ...theirs } = inputResponses;
  return Object.keys(theirs).length ? theirs : undefined;
}

/** Runs a forwarded request and waits for its relayed notifications before the result goes out. */
async function forward(
  options: UpstreamCallOptions & { flushed(): Promise<void> },
  context: ServerContext,
  operation: (options: UpstreamCallOptions) => Promise<Routed>,
): Promise<Routed> {
  try {
    return await fulfilInputRequired(options, context, operation);
  } finally {
    // The upstream SDK client may dispatch a notification that arrived with the result just after resolving the
    // call; one turn of the event loop lets it reach us before the result goes out.
    await new Promise((resolve) => setImmediate(resolve));
    await options.flushed();
  }
}

const MAX_INPUT_ROUNDS = 10;

/**
 * A 2026-07-28 server answered input_required. A 2026 client gets that result as it is and retries through us; a
 * 2025 client cannot, so Switchboard asks it each embedded request over its session (elicitation, sampling, roots)
 * and retries the server with the answers and its state, round after round.
 */
async function fulfilInputRequired(
  options: UpstreamCallOptions,
  context: ServerContext,
  operation: (options: UpstreamCallOptions) => Promise<Routed>,
): Promise<Routed> {
  let routed = await operation(options);
  const modernClient = context.mcpReq.envelope !== undefined;
  for (let round = 0; routed.result.resultType === 'input_required' && !modernClient; round++) {
    if (round >= MAX_INPUT_ROUNDS) throw new ProtocolError(INTERNAL_ERROR, `the server still wanted input after ${MAX_INPUT_ROUNDS} rounds; giving up`);
    const requests = (routed.result.inputRequests ?? {}) as Record<string, { method: string; params?: Record<string, unknown> }>;
    const inputResponses: Record<string, unknown> = {};
    for (const [key, request] of Object.entries(requests)) {
      inputResponses[key] = await context.mcpReq.send({ method: request.method as 'elicitation/create', params: request.params ?? {} });
    }
    const requestState = typeof routed.result.requestState === 'string' ? routed.result.requestState : undefined;
    routed = await operation({ ...options, continuation: { inputResponses, ...(requestState === undefined ? {} : { requestState }) } });
  }
  return routed;
}

/** Local errors become JSON-RPC errors that carry the stable code; upstream JSON-RPC errors pass through unchanged. */
async function withWireErrors<T>(operation: () => Promise<T>): Promise<T> {
  try {
    return await operation();
  } catch (error) {
    if (error instanceof ProtocolError) throw error;
    if (isSwitchboardError(error)) {
      throw new ProtocolError(isUnknownTarget(error) ? INVALID_PARAMS : INTERNAL_ERROR, error.message, { switchboardCode: error.code });
    }
    throw new ProtocolError(INTERNAL_ERROR, 'Switchboard failed to handle the request; see its log for details', { switchboardCode: 'INTERNAL' });
  }
}
