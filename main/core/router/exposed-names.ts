// Maps (server prefix, upstream tool name) to the name clients see: `^[A-Za-z0-9_-]{1,64}$`, deterministic, collision-free.
import { createHash } from 'node:crypto';

export const EXPOSED_NAME_MAX_LENGTH = 64;
const HASH_SUFFIX_LENGTH = 8;

/** Deterministic, so the same server and tool get the same exposed name after every restart. */
export function exposedName(prefix: string, upstreamName: string): string {
  const joined = prefix === '' ? upstreamName : `${prefix}_${upstreamName}`;
  const safe = joined.replace(/[^A-Za-z0-9_-]/g, '_');
  if (safe === joined && safe.length > 0 && safe.length <= EXPOSED_NAME_MAX_LENGTH) return safe;
  // Rewritten or too long: a hash of the original keeps distinct names distinct (e.g. "a.b" vs "a_b").
  const hash = createHash('sha256').update(joined).digest('hex').slice(0, HASH_SUFFIX_LENGTH);
  const head = safe.slice(0, EXPOSED_NAME_MAX_LENGTH - HASH_SUFFIX_LENGTH - 1);
  return `${head}_${hash}`;
}
