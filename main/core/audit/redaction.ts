// What of a call's arguments and results may enter the audit trail: redacted by key, JSON pointer and pattern, capped in size.
import canonicalize from 'canonicalize';

export interface RedactionRules {
  /** Object keys whose values are replaced, compared case-insensitively (e.g. "password"). */
  keys: readonly string[];
  /** RFC 6901 JSON pointers whose values are replaced (e.g. "/arguments/ssn"). */
  pointers: readonly string[];
  /** Regular expressions; matching parts of string values are replaced. */
  patterns: readonly string[];
}

export const REDACTED = '[REDACTED]';

/** Always redacted, whatever the configuration says: secrets must never reach the audit trail. */
export const ALWAYS_REDACTED_KEYS = [
  'authorization',
  'password',
  'passwd',
  'secret',
  'client_secret',
  'token',
  'access_token',
  'refresh_token',
  'id_token',
  'assertion',
  'subject_token',
  'api_key',
  'apikey',
  'cookie',
  'set-cookie',
  'private_key',
];

const ALWAYS_REDACTED_PATTERNS = [
  // JWTs (access tokens, ID tokens, ID-JAGs).
  /eyJ[\w-]{4,}\.eyJ[\w-]{4,}\.[\w-]+/g,
  // Bearer credentials, and Switchboard's own client credentials.
  /Bearer\s+[\w.~+/=-]{8,}/gi,
  /sbc_[\w-]{8,}/g,
];

/**
 * Returns a redacted copy: configured and built-in keys, pointers and patterns are replaced, then the whole is capped
 * at `maxBytes` of canonical JSON (a longer value becomes `{ truncated: true, bytes, preview }`).
 */
export function redact(value: unknown, rules: RedactionRules, maxBytes: number): unknown {
  const keys = new Set([...ALWAYS_REDACTED_KEYS, ...rules.keys].map((key) => key.toLowerCase()));
  const patterns = [...ALWAYS_REDACTED_PATTERNS, ...rules.patterns.map((pattern) => new RegExp(pattern, 'g'))];
  const pointers = new Set(rules.pointers);
  const walk = (node: unknown, pointer: string): unknown => {
    if (pointers.has(pointer)) return REDACTED;
    if (typeof node === 'string') return patterns.reduce((text, pattern) => text.replace(pattern, REDACTED), node);
    if (Array.isArray(node)) return node.map((item, index) => walk(item, `${pointer}/${index}`));
    if (node && typeof node === 'object') {
      return Object.fromEntries(
        Object.entries(node).map(([key, item]) => [
          key,
          keys.has(key.toLowerCase()) ? REDACTED : walk(item, `${pointer}/${key.replaceAll('~', '~0').replaceAll('/', '~1')}`),
        ]),
      );
    }
    return node;
  };
  const redacted = walk(value, '');
  const text = canonicalize(redacted) ?? 'null';
  const bytes = Buffer.byteLength(text);
  if (bytes <= maxBytes) return redacted;
  return { truncated: true, bytes, preview: Buffer.from(text).subarray(0, maxBytes).toString('utf8') };
}
