// Turns a tool definition and a search request into the words the search index compares: names split, parameters read, stop words dropped.
import type { Tool } from '@modelcontextprotocol/server';

/** The text of one tool, by the field it came from: the index weighs the fields differently. */
export interface ToolText {
  name: string;
  description: string;
  server: string;
  parameters: string;
}

/** Which analysis steps run; every one is on in the product, and the benchmark turns them off one by one to measure each. */
export interface TextSteps {
  /** `create_pull_request`, `getFileContents` → "create pull request", "get file contents". */
  splitNames: boolean;
  /** Parameter names (split) and their descriptions, as a field of their own. */
  parameters: boolean;
  /** Words like "the", "me", "please" are left out of a query: they match everywhere and rank nothing. */
  stopWords: boolean;
  /** A request's codes of letters then digits ("AS13335") are searched as their parts too ("as", "13335"). */
  splitCodes: boolean;
}

export const ALL_TEXT_STEPS: TextSteps = { splitNames: true, parameters: true, stopWords: true, splitCodes: true };

/** The longest query the index reads; a longer one is cut here (the meta-tool refuses one far past it first). */
export const MAX_QUERY_WORDS = 32;

/** Splits snake_case, kebab-case, dotted and camelCase identifiers into lower-case words ("HTTPServer2Go" → "http server 2 go"). */
export function splitIdentifier(identifier: string): string {
  return identifier
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .replace(/([A-Za-z])([0-9])/g, '$1 $2')
    .replace(/[_\-.:/]+/g, ' ')
    .toLowerCase()
    .trim();
}

/** Identifiers inside prose ("use `find_projects()` first") are split too, so they match the words a person types. */
function splitIdentifiersIn(text: string): string {
  return text.replace(/[A-Za-z][A-Za-z0-9]*(?:[_\-.][A-Za-z0-9]+|[a-z0-9][A-Z][A-Za-z0-9]*)+/g, (identifier) => `${identifier} ${splitIdentifier(identifier)}`);
}

export function toolText(tool: Pick<Tool, 'name' | 'description' | 'title' | 'inputSchema'>, server: string, steps: TextSteps = ALL_TEXT_STEPS): ToolText {
  const title = typeof tool.title === 'string' ? tool.title : '';
  const description = [title, tool.description ?? ''].filter(Boolean).join('. ');
  return {
    name: steps.splitNames ? splitIdentifier(tool.name) : tool.name,
    description: steps.splitNames ? splitIdentifiersIn(description) : description,
    server: steps.splitNames ? splitIdentifier(server) : server,
    parameters: steps.parameters ? parameterText(tool.inputSchema, steps.splitNames) : '',
  };
}

/** Names and descriptions of the top-level parameters (and enum values, which often name the operation: "merge", "squash"). */
function parameterText(schema: unknown, split: boolean): string {
  const properties = (schema as { properties?: Record<string, unknown> } | undefined)?.properties;
  if (!properties || typeof properties !== 'object') return '';
  const parts: string[] = [];
  for (const [name, value] of Object.entries(properties)) {
    parts.push(split ? splitIdentifier(name) : name);
    const property = value as { description?: unknown; enum?: unknown } | undefined;
    if (typeof property?.description === 'string') parts.push(split ? splitIdentifiersIn(property.description) : property.description);
    if (Array.isArray(property?.enum)) parts.push(property.enum.filter((entry) => typeof entry === 'string').join(' '));
  }
  return parts.join('. ');
}

/**
 * The words of a search request, lower-case, de-duplicated, at most MAX_QUERY_WORDS. Punctuation is dropped, so
 * nothing a person or model types can reach the FTS5 query syntax: each word is quoted when the query is built.
 */
export function queryWords(query: string, steps: TextSteps = ALL_TEXT_STEPS): string[] {
  const text = steps.splitNames ? splitIdentifiersIn(query) : query;
  const words = text
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .flatMap((word) => {
      // A code of letters then digits ("AS13335", "PR12") is searched as itself and as its parts, kept even when the
      // letters are a stop word ("as"): they name a kind of thing there.
      const code = steps.splitCodes ? /^(\p{L}+)(\p{N}+)$/u.exec(word) : null;
      return code ? [word, code[1]!, code[2]!] : word.length > 0 && !(steps.stopWords && STOP_WORDS.has(word)) ? [word] : [];
    });
  return [...new Set(words)].slice(0, MAX_QUERY_WORDS);
}

/** Function words and the filler of requests ("please show me…"): common in queries, meaningless for picking a tool. */
const STOP_WORDS = new Set(
  (
    'a an the and or but if then so of to in on at by for from with into onto over under about as is are was were be been being am ' +
    'i me my mine we us our you your it its this that these those there here what which who whom whose when where why how ' +
    'do does did can could would should will shall may might must please want need like just also some any ' +
    'very too again tell let thing things'
  ).split(' '),
);

/** Whether a word (or its stem: a stop word's stem is itself) is one a request leaves out. */
export function isStopWord(word: string): boolean {
  return STOP_WORDS.has(word);
}
