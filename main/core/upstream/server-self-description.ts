// What a connected server says about itself (its initialize answer's serverInfo and instructions), kept as short plain strings a page can show.

export interface ServerSelfDescription {
  name?: string;
  title?: string;
  version?: string;
  description?: string;
  websiteUrl?: string;
  instructions?: string;
}

/** Short fields are names; a description or instructions may be long, but a page shows only so much of a stranger's text. */
const LIMITS = { name: 200, title: 200, version: 100, description: 2_000, websiteUrl: 2_000, instructions: 4_000 } as const;

/**
 * A server's self-description is not trusted to be well-formed: a field is kept only when it is a non-empty string,
 * cut at its limit (with an ellipsis, so a person sees it was cut).
 */
export function readSelfDescription(serverInfo: unknown, instructions: unknown): ServerSelfDescription {
  const info = typeof serverInfo === 'object' && serverInfo !== null ? (serverInfo as Record<string, unknown>) : {};
  const described: ServerSelfDescription = {};
  for (const key of ['name', 'title', 'version', 'description', 'websiteUrl'] as const) {
    const text = bounded(info[key], LIMITS[key]);
    if (text) described[key] = text;
  }
  const told = bounded(instructions, LIMITS.instructions);
  if (told) described.instructions = told;
  return described;
}

function bounded(value: unknown, limit: number): string | undefined {
  if (typeof value !== 'string') return undefined;
  const text = value.trim();
  if (!text) return undefined;
  return text.length > limit ? `${text.slice(0, limit - 1)}…` : text;
}
