// The two tools a client over its tool budget sees besides its direct set: one searches the view's tools, one calls any of them by name.
import { createRequire } from 'node:module';
import type { CallToolResult, Tool } from '@modelcontextprotocol/server';
import type { Ajv2020 as Ajv2020Type, ValidateFunction } from 'ajv/dist/2020.js';

/** Reserved exposed names: while tool search is on, an upstream tool with one of these names is shadowed. */
export const SEARCH_TOOL_NAME = 'switchboard_search_tools';
export const CALL_TOOL_NAME = 'switchboard_call_tool';

export const MAX_QUERY_CHARACTERS = 1000;
export const DEFAULT_RESULTS = 5;
export const MAX_RESULTS = 20;

export function isMetaToolName(name: string): boolean {
  return name === SEARCH_TOOL_NAME || name === CALL_TOOL_NAME;
}

/** The definitions, worded for a model: what each does, what it does not, and what to do next. */
export function metaTools(counts: { total: number; direct: number }): Tool[] {
  return [
    {
      name: SEARCH_TOOL_NAME,
      title: 'Search the tools of this connection',
      description:
        `This connection has ${counts.total} tools, more than this client can be shown at once; ${counts.direct} of them are listed directly, ` +
        `the rest are found with this tool. Describe what you want to do in a few words (for example "create an issue in a GitHub repository"). ` +
        `Returns the full definitions (name, description, input schema) of the best matching tools, best first. ` +
        `It matches words (and common synonyms) against the tools' names, descriptions, servers and parameters; it does not understand meaning, ` +
        `so if nothing fits, try other words, such as the service's name or the tool's likely name. Call a tool it finds with ${CALL_TOOL_NAME}.`,
      inputSchema: {
        type: 'object',
        properties: {
          query: { type: 'string', description: 'What you want to do, in a few words.', minLength: 1, maxLength: MAX_QUERY_CHARACTERS },
          limit: {
            type: 'integer',
            description: `How many tools to return (default ${DEFAULT_RESULTS}, at most ${MAX_RESULTS}).`,
            minimum: 1,
            maximum: MAX_RESULTS,
          },
        },
        required: ['query'],
      },
      annotations: { title: 'Search tools', readOnlyHint: true, openWorldHint: false },
    },
    {
      name: CALL_TOOL_NAME,
      title: 'Call a tool of this connection by name',
      description:
        `Calls one of this connection's tools by its exact name, as ${SEARCH_TOOL_NAME} returned it, with arguments that follow that tool's input schema, ` +
        `and returns that tool's own result. The call is routed, authorised and recorded in the audit trail exactly as a direct call of the tool would be. ` +
        `Only tools this connection may use can be called.`,
      inputSchema: {
        type: 'object',
        properties: {
          name: { type: 'string', description: `The tool's exact name, as ${SEARCH_TOOL_NAME} returned it.` },
          arguments: { type: 'object', description: "The tool's arguments, following its input schema.", additionalProperties: true },
        },
        required: ['name'],
      },
      // The called tool may change anything; these hints describe the worst case, not this tool.
      annotations: { title: 'Call a tool', readOnlyHint: false, destructiveHint: true, openWorldHint: true },
    },
  ];
}

/** A tool error: a result the model reads (isError), never a failed request. */
export function toolError(text: string): CallToolResult {
  return { content: [{ type: 'text', text }], isError: true };
}

export type Parsed<T> = { ok: true; value: T } | { ok: false; error: CallToolResult };

export function parseSearchArguments(args: Record<string, unknown> | undefined): Parsed<{ query: string; limit: number }> {
  const query = args?.query;
  if (typeof query !== 'string')
    return {
      ok: false,
      error: toolError(`${SEARCH_TOOL_NAME} needs a "query": a few words saying what you want to do, for example "list open pull requests".`),
    };
  if (query.trim().length === 0)
    return { ok: false, error: toolError(`The query is empty. Say in a few words what you want to do, for example "list open pull requests".`) };
  if (query.length > MAX_QUERY_CHARACTERS) {
    return {
      ok: false,
      error: toolError(
        `The query is ${query.length} characters long; send at most ${MAX_QUERY_CHARACTERS}: a short description of the task, not the task's data.`,
      ),
    };
  }
  const limit = args?.limit ?? DEFAULT_RESULTS;
  if (typeof limit !== 'number' || !Number.isInteger(limit) || limit < 1 || limit > MAX_RESULTS) {
    return { ok: false, error: toolError(`"limit" must be a whole number from 1 to ${MAX_RESULTS}; leave it out for ${DEFAULT_RESULTS}.`) };
  }
  return { ok: true, value: { query, limit } };
}

export function parseCallArguments(args: Record<string, unknown> | undefined): Parsed<{ name: string; arguments: Record<string, unknown> | undefined }> {
  const name = args?.name;
  if (typeof name !== 'string' || name.length === 0)
    return { ok: false, error: toolError(`${CALL_TOOL_NAME} needs "name": the exact name of the tool to call, as ${SEARCH_TOOL_NAME} returned it.`) };
  if (isMetaToolName(name))
    return { ok: false, error: toolError(`"${name}" is one of Switchboard's own tools: call it directly, not through ${CALL_TOOL_NAME}.`) };
  const toolArguments = args?.arguments;
  if (toolArguments !== undefined && (typeof toolArguments !== 'object' || toolArguments === null || Array.isArray(toolArguments))) {
    return {
      ok: false,
      error: toolError(
        `"arguments" must be an object of the tool's parameters (for example {"owner": "acme"}), not ${Array.isArray(toolArguments) ? 'an array' : typeof toolArguments}.`,
      ),
    };
  }
  return { ok: true, value: { name, arguments: toolArguments as Record<string, unknown> | undefined } };
}

export function unknownToolError(name: string): CallToolResult {
  return toolError(
    `No tool named "${name}" is available to this client. Names are exact (server prefix included): find the tool with ${SEARCH_TOOL_NAME} and use the name it returns.`,
  );
}

/** The search's answer: the definitions as JSON text (what every client shows a model) and as structured content. */
export function searchResult(query: string, found: readonly Tool[], searchable: number): CallToolResult {
  if (found.length === 0) {
    return {
      content: [
        {
          type: 'text',
          text: `No tool matched "${query}" among the ${searchable} tools of this connection. Try other words: the service's name, or what the tool would be called.`,
        },
      ],
      structuredContent: { tools: [] },
    };
  }
  const tools = found.map(({ name, title, description, inputSchema, annotations }) => ({
    name,
    ...(title ? { title } : {}),
    ...(description ? { description } : {}),
    inputSchema,
    ...(annotations ? { annotations } : {}),
  }));
  const text = `${found.length} matching tool${found.length === 1 ? '' : 's'}, best first. Call one with ${CALL_TOOL_NAME} {"name": …, "arguments": {…}}.\n${JSON.stringify(tools, null, 1)}`;
  return { content: [{ type: 'text', text }], structuredContent: { tools } };
}

const validators = new WeakMap<object, ValidateFunction | null>();
let ajv: Ajv2020Type | undefined;

/**
 * Checks arguments against a tool's input schema before the call leaves, so a model learns at once what to fix.
 * Undefined when they pass, or when the schema is one this validator cannot read (the server then judges them).
 */
export function argumentProblems(tool: Tool, args: Record<string, unknown> | undefined): string | undefined {
  const validate = validatorFor(tool.inputSchema);
  if (!validate || validate(args ?? {})) return undefined;
  const problems = (validate.errors ?? []).slice(0, 5).map((error) => {
    const where = error.instancePath ? `"${error.instancePath.slice(1).replace(/\//g, '.')}"` : 'the arguments';
    const detail =
      error.keyword === 'additionalProperties'
        ? ` ("${String((error.params as { additionalProperty?: string }).additionalProperty)}")`
        : error.keyword === 'enum'
          ? ` (${JSON.stringify((error.params as { allowedValues?: unknown }).allowedValues)})`
          : '';
    return `${where} ${error.message ?? 'is not valid'}${detail}`;
  });
  return `The arguments do not fit the input schema of "${tool.name}": ${problems.join('; ')}. Its input schema: ${JSON.stringify(tool.inputSchema)}`;
}

function validatorFor(schema: Tool['inputSchema']): ValidateFunction | undefined {
  const known = validators.get(schema);
  if (known !== undefined) return known ?? undefined;
  let compiled: ValidateFunction | null;
  try {
    // A draft-07 `$schema` would make the 2020-12 validator refuse the schema; the keywords tools use mean the same.
    const { $schema: _dialect, ...rest } = schema as Record<string, unknown>;
    compiled = validatorEngine().compile(rest);
  } catch {
    compiled = null;
  }
  validators.set(schema, compiled);
  return compiled ?? undefined;
}

/** Loaded on the first meta-call, as discovery does: most runs never need a validator. */
function validatorEngine(): Ajv2020Type {
  if (!ajv) {
    const require = createRequire(import.meta.url);
    const { Ajv2020 } = require('ajv/dist/2020.js') as { Ajv2020: typeof Ajv2020Type };
    const addFormats = require('ajv-formats') as { default: (instance: Ajv2020Type) => void };
    ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: true });
    addFormats.default(ajv);
  }
  return ajv;
}

/** The tool a tools/call is about, for its audit record: the tool the meta-call names, so the trail shows the real tool. */
export function auditedToolName(params: { name: string; arguments?: Record<string, unknown> | undefined }): string {
  const named = params.arguments?.name;
  return params.name === CALL_TOOL_NAME && typeof named === 'string' && named.length > 0 ? named : params.name;
}
