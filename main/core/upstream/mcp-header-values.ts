// SEP-2243 request headers a 2026-07-28 server reads without parsing the body: the value encoding, and the Mcp-Param-* headers mirrored from a tool's arguments.

const SENTINEL = /^=\?base64\?.*\?=$/s;
/** An RFC 9110 token: what a header name may be made of. */
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
/** Keywords whose subschemas are not reached through a chain of `properties`: a declaration under them is invalid. */
const UNREACHABLE_KEYWORDS = [
  'items',
  'prefixItems',
  'contains',
  'additionalProperties',
  'unevaluatedProperties',
  'unevaluatedItems',
  'propertyNames',
  'patternProperties',
  'dependentSchemas',
  'oneOf',
  'anyOf',
  'allOf',
  'not',
  'if',
  'then',
  'else',
  '$defs',
  'definitions',
] as const;
/** Keywords whose value maps names to subschemas rather than being one subschema or a list of them. */
const NAMED_SUBSCHEMAS = new Set(['patternProperties', 'dependentSchemas', '$defs', 'definitions']);
/** The declared types a header can carry; `number` is tolerated because servers in the wild annotate it (its value is sent as written). */
const HEADER_TYPES = new Set(['string', 'integer', 'boolean', 'number']);

/**
 * A value as an HTTP field carries it: as written when it is visible ASCII with no surrounding whitespace, otherwise
 * (non-ASCII, control characters including tab, edge whitespace, or text that looks like the sentinel itself) Base64 of
 * its UTF-8 bytes inside the `=?base64?…?=` sentinel, so no value can smuggle a line break or be misread.
 */
export function encodeHeaderValue(value: string): string {
  const plain = /^[\x20-\x7e]*$/.test(value) && value.trim() === value && !SENTINEL.test(value);
  return plain ? value : `=?base64?${Buffer.from(value, 'utf8').toString('base64')}?=`;
}

export interface HeaderDeclaration {
  /** Property names from the schema's root to the declaring property. */
  path: string[];
  header: string;
}

/**
 * The `x-mcp-header` declarations of a tool's input schema, or undefined when the schema declares one the spec forbids
 * (not reached through `properties` alone, not a token, a non-primitive type, or a name repeated in another case):
 * such a tool gets no mirrored headers, and the server is the one to say what it makes of the call.
 */
export function headerDeclarations(inputSchema: unknown): HeaderDeclaration[] | undefined {
  const declarations: HeaderDeclaration[] = [];
  const seen = new Set<string>();
  const visit = (node: unknown, path: string[], reachable: boolean): boolean => {
    if (typeof node !== 'object' || node === null) return true;
    const schema = node as Record<string, unknown>;
    if ('x-mcp-header' in schema) {
      const header = schema['x-mcp-header'];
      if (!reachable || path.length === 0 || typeof header !== 'string' || !TOKEN.test(header)) return false;
      if (typeof schema.type !== 'string' || !HEADER_TYPES.has(schema.type) || seen.has(header.toLowerCase())) return false;
      seen.add(header.toLowerCase());
      declarations.push({ path, header });
    }
    if (typeof schema.properties === 'object' && schema.properties !== null)
      for (const [key, child] of Object.entries(schema.properties)) if (!visit(child, [...path, key], reachable)) return false;
    for (const keyword of UNREACHABLE_KEYWORDS) {
      const sub = schema[keyword];
      if (sub === undefined) continue;
      const branches = Array.isArray(sub) ? sub : NAMED_SUBSCHEMAS.has(keyword) && typeof sub === 'object' && sub !== null ? Object.values(sub) : [sub];
      for (const branch of branches) if (!visit(branch, [...path, `<${keyword}>`], false)) return false;
    }
    return true;
  };
  return visit(inputSchema, [], true) ? declarations : undefined;
}

/**
 * The `Mcp-Param-{Name}` headers for one call (its tool's declarations, see headerDeclarations): each declared argument
 * that is present and a primitive, encoded; a null or missing one is left out, as is a number JSON cannot write exactly.
 */
export function mirroredParamHeaders(declarations: readonly HeaderDeclaration[], args: unknown): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const { path, header } of declarations) {
    let value: unknown = args;
    for (const key of path) value = typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[key] : undefined;
    const text =
      typeof value === 'string'
        ? value
        : typeof value === 'boolean'
          ? String(value)
          : typeof value === 'number' && Number.isFinite(value) && (!Number.isInteger(value) || Number.isSafeInteger(value))
            ? String(value)
            : undefined;
    if (text !== undefined) headers[`mcp-param-${header.toLowerCase()}`] = encodeHeaderValue(text);
  }
  return headers;
}

/** Per tool name, the declarations of the tools that have any: read once per listing, so a call costs a lookup. */
export function declarationsByTool(tools: readonly { name: string; inputSchema?: unknown }[]): Map<string, HeaderDeclaration[]> {
  const byTool = new Map<string, HeaderDeclaration[]>();
  for (const tool of tools) {
    const declarations = headerDeclarations(tool.inputSchema);
    if (declarations?.length) byTool.set(tool.name, declarations);
  }
  return byTool;
}
