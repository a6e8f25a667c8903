// The surface every sandbox MCP server offers (tools, a prompt, resources), defined once for tests, benchmarks and the demo.
import { inputRequired, McpServer, ResourceTemplate } from '@modelcontextprotocol/server';
import { z } from 'zod';

export interface SandboxSurfaceOptions {
  name: string;
  /** Generated extra tools (`tool_000` …) for scale tests and benchmarks. */
  extraTools?: number;
}

export const SCOPE_PROTECTED_TOOL = 'admin_report';
export const SCOPE_PROTECTED_TOOL_SCOPE = 'admin';

export function createSandboxServer(options: SandboxSurfaceOptions, serverOptions: { supportedProtocolVersions?: string[] } = {}): McpServer {
  const server = new McpServer(
    { name: `sandbox-${options.name}`, version: '1.0.0' },
    { capabilities: { tools: { listChanged: true }, prompts: {}, resources: {}, logging: {} }, ...serverOptions },
  );

  server.registerTool('echo', { description: 'Returns the text it is given.', inputSchema: z.object({ text: z.string() }) }, ({ text }) => ({
    content: [{ type: 'text', text }],
  }));

  server.registerTool('add', { description: 'Adds two numbers.', inputSchema: z.object({ a: z.number(), b: z.number() }) }, ({ a, b }) => ({
    content: [{ type: 'text', text: String(a + b) }],
  }));

  server.registerTool('noisy', { description: 'Logs a message to the client (2025 era) before answering.', inputSchema: z.object({ text: z.string() }) }, async ({ text }, context) => {
    if (!context.mcpReq.envelope) await context.mcpReq.log('info', { said: text }, `sandbox-${options.name}`);
    return { content: [{ type: 'text', text: 'logged' }] };
  });

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
    { description: 'Asks the person a yes/no question through the client (elicitation) and reports the answer.', inputSchema: z.object({ question: z.string() }) },
    async ({ question }, context) => {
      const requestedSchema = { type: 'object' as const, properties: { confirmed: { type: 'boolean' as const } }, required: ['confirmed'] };
      if (context.mcpReq.envelope) {
        // 2026-07-28: ask through a multi-round-trip input_required result, then read the answer on the retry.
        const answer = context.mcpReq.inputResponses?.confirm;
        if (answer === undefined) return inputRequired({ inputRequests: { confirm: inputRequired.elicit({ message: question, requestedSchema }) }, requestState: 'asked-once' });
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

  server.registerTool(SCOPE_PROTECTED_TOOL, { description: `A report only tokens with the "${SCOPE_PROTECTED_TOOL_SCOPE}" scope may read.` }, () => ({
    content: [{ type: 'text', text: `confidential report from ${options.name}` }],
  }));

  for (let index = 0; index < (options.extraTools ?? 0); index++) {
    const name = `tool_${String(index).padStart(3, '0')}`;
    server.registerTool(name, { description: `Generated tool ${index} of ${options.name}.`, inputSchema: z.object({ value: z.string().optional() }) }, ({ value }) => ({
      content: [{ type: 'text', text: `${name}:${value ?? ''}` }],
    }));
  }

  server.registerPrompt('greeting', { description: 'Greets someone.', argsSchema: z.object({ name: z.string() }) }, ({ name }) => ({
    messages: [{ role: 'user', content: { type: 'text', text: `Say hello to ${name} from ${options.name}.` } }],
  }));

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

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason as Error);
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => {
      clearTimeout(timer);
      reject(signal.reason as Error);
    }, { once: true });
  });
}
