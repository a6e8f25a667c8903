// The surface every sandbox MCP server offers (tools, a prompt, resources), defined once for tests, benchmarks and the demo.
import { inputRequired, McpServer, ResourceTemplate } from '@modelcontextprotocol/server';
import { z } from 'zod';
import { serveTaskMethods, TASKS_EXTENSION, type SandboxTaskStore } from './sandbox-tasks.ts';

export interface SandboxSurfaceOptions {
  name: string;
  /** Generated extra tools (`tool_000` …) for scale tests and benchmarks. */
  extraTools?: number;
}

export const SCOPE_PROTECTED_TOOL = 'admin_report';
export const SCOPE_PROTECTED_TOOL_SCOPE = 'admin';

export const TASK_TOOL = 'publish_report';

/** `tasks`: a 2026-07-28 server's task store; the server then offers the Tasks extension and a tool that runs as a task. */
export function createSandboxServer(
  options: SandboxSurfaceOptions,
  serverOptions: { supportedProtocolVersions?: string[] } = {},
  tasks?: SandboxTaskStore,
): McpServer {
  const server = new McpServer(
    { name: `sandbox-${options.name}`, version: '1.0.0' },
    {
      capabilities: { tools: { listChanged: true }, prompts: {}, resources: {}, logging: {}, ...(tasks ? { extensions: { [TASKS_EXTENSION]: {} } } : {}) },
      ...serverOptions,
    },
  );
  if (tasks) registerTaskTool(server, tasks);

  server.registerTool('echo', { description: 'Returns the text it is given.', inputSchema: z.object({ text: z.string() }) }, ({ text }) => ({
    content: [{ type: 'text', text }],
  }));

  server.registerTool('add', { description: 'Adds two numbers.', inputSchema: z.object({ a: z.number(), b: z.number() }) }, ({ a, b }) => ({
    content: [{ type: 'text', text: String(a + b) }],
  }));

  server.registerTool(
    'noisy',
    { description: 'Logs a message to the client (2025 era) before answering.', inputSchema: z.object({ text: z.string() }) },
    async ({ text }, context) => {
      if (!context.mcpReq.envelope) await context.mcpReq.log('info', { said: text }, `sandbox-${options.name}`);
      return { content: [{ type: 'text', text: 'logged' }] };
    },
  );

  server.registerTool('whoami', { description: 'Says which user and client the server sees (from the bearer token).' }, (context) => {
    const auth = context.http?.authInfo;
    const subject = typeof auth?.extra?.sub === 'string' ? auth.extra.sub : undefined;
    return { content: [{ type: 'text', text: JSON.stringify({ server: options.name, sub: subject ?? null, clientId: auth?.clientId ?? null }) }] };
  });

  server.registerTool(
    'slow',
    {
      description: 'Waits, reporting progress in steps; stops early when cancelled.',
      inputSchema: z.object({ ms: z.number().int().min(0).max(60_000), steps: z.number().int().min(1).max(100).default(5) }),
    },
    async ({ ms, steps }, context) => {
      const progressToken = context.mcpReq._meta?.progressToken;
      for (let step = 1; step <= steps; step++) {
        await sleep(ms / steps, context.mcpReq.signal);
        if (progressToken !== undefined) {
          await context.mcpReq.notify({ method: 'notifications/progress', params: { progressToken, progress: step, total: steps, message: `step ${step}` } });
        }
      }
      return { content: [{ type: 'text', text: `waited ${ms} ms in ${steps} steps` }] };
    },
  );

  server.registerTool(
    'confirm',
    {
      description: 'Asks the person a yes/no question through the client (elicitation) and reports the answer.',
      inputSchema: z.object({ question: z.string() }),
    },
    async ({ question }, context) => {
      const requestedSchema = { type: 'object' as const, properties: { confirmed: { type: 'boolean' as const } }, required: ['confirmed'] };
      if (context.mcpReq.envelope) {
        // 2026-07-28: ask through a multi-round-trip input_required result, then read the answer on the retry.
        const answer = context.mcpReq.inputResponses?.confirm;
        if (answer === undefined)
          return inputRequired({ inputRequests: { confirm: inputRequired.elicit({ message: question, requestedSchema }) }, requestState: 'asked-once' });
        return { content: [{ type: 'text', text: JSON.stringify({ ...(answer as object), requestState: context.mcpReq.requestState() }) }] };
      }
      const answer = await context.mcpReq.elicitInput({ mode: 'form', message: question, requestedSchema });
      return { content: [{ type: 'text', text: JSON.stringify(answer) }] };
    },
  );

  server.registerTool(
    'link_account',
    { description: 'Asks the person to finish a step in their browser (URL-mode elicitation).', inputSchema: z.object({ url: z.string() }) },
    async ({ url }, context) => {
      const message = 'Link your account to continue.';
      if (context.mcpReq.envelope) {
        const answer = context.mcpReq.inputResponses?.link;
        if (answer === undefined) return inputRequired({ inputRequests: { link: inputRequired.elicitUrl({ url, message }) }, requestState: 'link-pending' });
        return { content: [{ type: 'text', text: JSON.stringify(answer) }] };
      }
      const answer = await context.mcpReq.elicitInput({ mode: 'url', url, message, elicitationId: 'link-1' });
      return { content: [{ type: 'text', text: JSON.stringify(answer) }] };
    },
  );

  server.registerTool('traceparent', { description: 'Returns the W3C traceparent the request carried in _meta (SEP-414), or null.' }, (context) => ({
    content: [{ type: 'text', text: JSON.stringify({ traceparent: context.mcpReq._meta?.traceparent ?? null }) }],
  }));

  server.registerTool('roots', { description: "Lists the client's roots (the folders it lets servers see)." }, async (context) => {
    if (context.mcpReq.envelope) {
      const answer = context.mcpReq.inputResponses?.roots;
      if (answer === undefined) return inputRequired({ inputRequests: { roots: inputRequired.listRoots() } });
      return { content: [{ type: 'text', text: JSON.stringify(answer) }] };
    }
    const answer = await context.mcpReq.send({ method: 'roots/list' });
    return { content: [{ type: 'text', text: JSON.stringify(answer) }] };
  });

  server.registerTool(SCOPE_PROTECTED_TOOL, { description: `A report only tokens with the "${SCOPE_PROTECTED_TOOL_SCOPE}" scope may read.` }, () => ({
    content: [{ type: 'text', text: `confidential report from ${options.name}` }],
  }));

  for (let index = 0; index < (options.extraTools ?? 0); index++) {
    const name = `tool_${String(index).padStart(3, '0')}`;
    server.registerTool(
      name,
      { description: `Generated tool ${index} of ${options.name}.`, inputSchema: z.object({ value: z.string().optional() }) },
      ({ value }) => ({
        content: [{ type: 'text', text: `${name}:${value ?? ''}` }],
      }),
    );
  }

  server.registerPrompt('greeting', { description: 'Greets someone.', argsSchema: z.object({ name: z.string() }) }, ({ name }) => ({
    messages: [{ role: 'user', content: { type: 'text', text: `Say hello to ${name} from ${options.name}.` } }],
  }));

  // 2025-era servers (one server per session) keep resource subscriptions; a tool changes the readme and tells them.
  if (serverOptions.supportedProtocolVersions?.includes('2025-11-25')) {
    const subscribed = new Set<string>();
    server.server.registerCapabilities({ resources: { subscribe: true } });
    server.server.setRequestHandler('resources/subscribe', (request) => {
      subscribed.add(request.params.uri);
      return {};
    });
    server.server.setRequestHandler('resources/unsubscribe', (request) => {
      subscribed.delete(request.params.uri);
      return {};
    });
    server.registerTool('touch_readme', { description: 'Changes the readme and notifies this session if it subscribed to it.' }, async () => {
      const uri = `sandbox://${options.name}/readme`;
      if (subscribed.has(uri)) await server.server.sendResourceUpdated({ uri });
      return { content: [{ type: 'text', text: subscribed.has(uri) ? 'notified' : 'nobody subscribed' }] };
    });
  }

  server.registerResource('readme', `sandbox://${options.name}/readme`, { mimeType: 'text/plain', description: 'What this server is.' }, (uri) => ({
    contents: [{ uri: uri.href, mimeType: 'text/plain', text: `This is the ${options.name} sandbox server.` }],
  }));

  server.registerResource(
    'item',
    new ResourceTemplate(`sandbox://${options.name}/items/{id}`, { list: undefined }),
    { mimeType: 'application/json', description: 'One item by id.' },
    (uri, variables) => ({ contents: [{ uri: uri.href, mimeType: 'application/json', text: JSON.stringify({ id: variables.id, server: options.name }) }] }),
  );

  return server;
}

/** A report that takes a while and asks the person before publishing: only ever run as a task. */
function registerTaskTool(server: McpServer, tasks: SandboxTaskStore): void {
  server.registerTool(
    TASK_TOOL,
    {
      description: 'Builds a report in the background (a task), asks before publishing it.',
      inputSchema: z.object({ title: z.string(), ms: z.number().int().min(0).max(60_000).default(50) }),
    },
    (args) => {
      // A client without the extension never gets here: the HTTP layer answers it -32021 (McpServer would turn a
      // thrown error into a tool result, and the extension wants the JSON-RPC error).
      return tasks.create(async (control) => {
        control.report(`building "${args.title}"`);
        await sleep(args.ms, control.signal);
        const requestedSchema = { type: 'object' as const, properties: { publish: { type: 'boolean' as const } }, required: ['publish'] };
        const answer = (await control.ask('approve', inputRequired.elicit({ message: `Publish "${args.title}"?`, requestedSchema }))) as {
          action?: string;
          content?: { publish?: boolean };
        };
        const published = answer.action === 'accept' && answer.content?.publish === true;
        return { content: [{ type: 'text', text: published ? `published "${args.title}"` : `kept "${args.title}" as a draft` }] };
      }) as never;
    },
  );
  serveTaskMethods(server, tasks);
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason as Error);
    const timer = setTimeout(resolve, ms);
    signal.addEventListener(
      'abort',
      () => {
        clearTimeout(timer);
        reject(signal.reason as Error);
      },
      { once: true },
    );
  });
}
