// A tool definition as clients may see it: hidden content removed from its title, description and every description or title nested in its schemas.
import type { Tool } from '@modelcontextprotocol/server';
import { cleanText, type HiddenKind } from './text-sanitiser.ts';

/** One field that had hidden content: a path such as `description` or `inputSchema.properties.query.description`. */
export interface SanitisedField {
  field: string;
  removed: HiddenKind[];
}

export interface SanitisedTool {
  tool: Tool;
  /** Empty when the definition was clean; the tool is then the very object given. */
  findings: SanitisedField[];
}

/** The words in a schema a model reads as instructions; enum values and defaults are data, and left alone. */
const PROSE_KEYS = new Set(['description', 'title']);

/**
 * The name is never rewritten here: clients see the exposed name (router/exposed-names.ts), which allows only
 * [A-Za-z0-9_-], and the server must still be called by its own. A name with hidden content is reported all the same.
 */
export function sanitiseTool(tool: Tool): SanitisedTool {
  const findings: SanitisedField[] = [];
  const clean = (field: string, text: string): string => {
    const result = cleanText(text);
    if (result.removed.length) findings.push({ field, removed: result.removed });
    return result.text;
  };
  const nameCheck = cleanText(tool.name);
  if (nameCheck.removed.length) findings.push({ field: 'name', removed: nameCheck.removed });
  const changed: Partial<Tool> = {};
  if (typeof tool.title === 'string') changed.title = clean('title', tool.title);
  if (typeof tool.description === 'string') changed.description = clean('description', tool.description);
  if (tool.annotations && typeof tool.annotations.title === 'string')
    changed.annotations = { ...tool.annotations, title: clean('annotations.title', tool.annotations.title) };
  changed.inputSchema = cleanSchema(tool.inputSchema, 'inputSchema', clean) as Tool['inputSchema'];
  if (tool.outputSchema !== undefined) changed.outputSchema = cleanSchema(tool.outputSchema, 'outputSchema', clean) as Tool['outputSchema'];
  // Only the name can be the sole finding: nothing was rewritten, so the original object keeps routes cached.
  if (findings.every(({ field }) => field === 'name')) return { tool, findings };
  return { tool: { ...tool, ...changed }, findings };
}

/** Walks a JSON Schema (any nesting: properties, items, $defs, anyOf…), cleaning the string value of every prose key. */
function cleanSchema(value: unknown, path: string, clean: (field: string, text: string) => string): unknown {
  if (Array.isArray(value)) return value.map((item, index) => cleanSchema(item, `${path}.${index}`, clean));
  if (typeof value !== 'object' || value === null) return value;
  const entries = Object.entries(value as Record<string, unknown>).map(([key, child]) => {
    const childPath = `${path}.${key}`;
    // A property may itself be called "description": its value is then a schema (an object), walked like any other.
    return [key, PROSE_KEYS.has(key) && typeof child === 'string' ? clean(childPath, child) : cleanSchema(child, childPath, clean)] as const;
  });
  return Object.fromEntries(entries);
}
