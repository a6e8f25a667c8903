// Asking the client's own model to reorder the search's best candidates (MCP sampling), when the client declared sampling and the setting asks for it.
import { CLIENT_CAPABILITIES_META_KEY, type ClientCapabilities, type Server, type ServerContext, type Tool } from '@modelcontextprotocol/server';

/** How a client can be asked to sample: a request over its 2025 session, or an input_required result (2026-07-28). */
export type ClientSampling = 'request' | 'input-required';

/** The key of the sampling request in an input_required result, and of its answer on the retry. */
export const RERANK_INPUT_KEY = 'switchboard_tool_rerank';
/** The candidates the model sees: enough to rescue a right tool BM25 ranked low, few enough for a short prompt. */
export const RERANK_CANDIDATES = 15;
/** A 2025 client's model answers within this, or the search keeps its own order. */
export const RERANK_TIMEOUT_MS = 15_000;

/** Whether and how this request's client can sample: declared on the request (2026-07-28) or at initialize (2025). */
export function clientSampling(server: Server, context: ServerContext): ClientSampling | undefined {
  const envelope = context.mcpReq.envelope as Record<string, ClientCapabilities | undefined> | undefined;
  const capabilities = envelope ? envelope[CLIENT_CAPABILITIES_META_KEY] : server.getClientCapabilities();
  if (!capabilities?.sampling) return undefined;
  return envelope ? 'input-required' : 'request';
}

/** The sampling request: the task and each candidate's name and first sentence; the answer is names, best first. */
export function rerankRequest(query: string, candidates: readonly Tool[]): { method: 'sampling/createMessage'; params: Record<string, unknown> } {
  const lines = candidates.map((tool) => `- ${tool.name}: ${firstSentence(tool.description ?? tool.title ?? '')}`);
  const text =
    `An assistant is looking for a tool to do this: "${query}"\n\nCandidate tools:\n${lines.join('\n')}\n\n` +
    'Reply with the names of the tools that fit the task, best first, one name per line, and nothing else. Reply with nothing if none fits.';
  return {
    method: 'sampling/createMessage',
    params: {
      messages: [{ role: 'user', content: { type: 'text', text } }],
      systemPrompt: 'You pick software tools for a task. You answer only with tool names from the list you are given.',
      maxTokens: 300,
      includeContext: 'none',
      modelPreferences: { speedPriority: 0.8, costPriority: 0.6, intelligencePriority: 0.3 },
    },
  };
}

/**
 * The candidates in the model's order: the names it gave (candidates only, each once), then the rest in the
 * search's own order. Undefined when the answer names none of them (or is not an answer), so the search order stands.
 */
export function rerankedNames(answer: unknown, candidates: readonly string[]): string[] | undefined {
  const text = answerText(answer);
  if (!text) return undefined;
  const known = new Set(candidates);
  const chosen: string[] = [];
  for (const token of text.split(/[\s,;`'"*\-•]+/)) {
    const name = token.replace(/[().:]+$/, '');
    if (known.has(name) && !chosen.includes(name)) chosen.push(name);
  }
  if (chosen.length === 0) return undefined;
  return [...chosen, ...candidates.filter((name) => !chosen.includes(name))];
}

/** The text of a sampling result: its content block, or its blocks (2026-07-28 allows a list). */
function answerText(answer: unknown): string | undefined {
  const content = (answer as { content?: unknown } | undefined)?.content;
  const blocks = Array.isArray(content) ? content : [content];
  const texts = blocks
    .map((block) => ((block as { type?: unknown } | undefined)?.type === 'text' ? (block as { text?: unknown }).text : undefined))
    .filter((text): text is string => typeof text === 'string');
  return texts.length ? texts.join('\n') : undefined;
}

function firstSentence(text: string): string {
  const line = text.split('\n')[0] ?? '';
  const end = line.search(/\.\s/);
  return (end > 0 ? line.slice(0, end + 1) : line).slice(0, 200);
}
