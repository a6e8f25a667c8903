// The fingerprint a tool is pinned by: SHA-256 over a canonical JSON of what a model reads and relies on (name, title, description, schemas, annotations).
import { createHash } from 'node:crypto';
import type { Tool } from '@modelcontextprotocol/server';

/** The fields a change of which changes what the model is told or may send; `_meta` and icons are presentation. */
const PINNED_FIELDS = ['name', 'title', 'description', 'inputSchema', 'outputSchema', 'annotations'] as const;

/**
 * JSON with every object's keys sorted (UTF-16 code units, as Array.sort does) at every depth, no whitespace, and undefined members left out:
 * two servers (or two runs of one) that send the same definition with keys in another order get the same text.
 * Array order is meaning (enum order, `required`, `anyOf` alternatives), so it is kept.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map((item) => (item === undefined ? 'null' : canonicalJson(item))).join(',')}]`;
  const members = Object.keys(value)
    .filter((key) => (value as Record<string, unknown>)[key] !== undefined)
    .sort()
    .map((key) => `${JSON.stringify(key)}:${canonicalJson((value as Record<string, unknown>)[key])}`);
  return `{${members.join(',')}}`;
}

/** The pinned part of a definition, as the server sent it (hidden content included: a change there is a change). */
export function pinnedPart(tool: Tool): Record<string, unknown> {
  return Object.fromEntries(PINNED_FIELDS.filter((field) => tool[field] !== undefined).map((field) => [field, tool[field]]));
}

/** `sha256:` and 64 hex digits. */
export function toolDigest(tool: Tool): string {
  return `sha256:${createHash('sha256')
    .update(canonicalJson(pinnedPart(tool)))
    .digest('hex')}`;
}
