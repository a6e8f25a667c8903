// How often each client called each tool lately, read from the audit trail now and then: the "most used" of the direct set and the search's prior.
import { existsSync } from 'node:fs';
import Database from 'better-sqlite3';
import { isMetaToolName } from './meta-tools.ts';

/** What the listing and the search ask: a client's use of a tool (0 when never or unknown). */
export interface ToolUsage {
  usesBy(client: string): (tool: string) => number;
}

export const NO_USAGE: ToolUsage = { usesBy: () => () => 0 };

/** The newest records read: recent habits, in a few milliseconds, however long the trail has grown. */
const RECENT_RECORDS = 20_000;
const REFRESH_MS = 10 * 60_000;

/**
 * Reads the audit database through its own read-only connection (the trail's writer is never held up), at most once
 * per REFRESH_MS, and tells `onChange` when the counts moved so listings can be recomputed. With auditing off (no
 * database) every count is 0 and the direct set is only the pinned tools.
 */
export class AuditTrailUsage implements ToolUsage {
  readonly #path: string;
  readonly #onChange: () => void;
  readonly #now: () => number;
  #counts = new Map<string, Map<string, number>>();
  #readAt = -Infinity;
  #signature = '';

  constructor(auditDatabasePath: string, options: { onChange?: () => void; now?: () => number } = {}) {
    this.#path = auditDatabasePath;
    this.#onChange = options.onChange ?? (() => undefined);
    this.#now = options.now ?? Date.now;
  }

  usesBy(client: string): (tool: string) => number {
    this.#refreshIfDue();
    const counts = this.#counts.get(client);
    return (tool) => counts?.get(tool) ?? 0;
  }

  #refreshIfDue(): void {
    if (this.#now() - this.#readAt < REFRESH_MS) return;
    this.#readAt = this.#now();
    const counts = readCounts(this.#path);
    const signature = JSON.stringify([...counts].map(([client, tools]) => [client, [...tools]]));
    const changed = this.#signature !== '' && signature !== this.#signature;
    this.#counts = counts;
    this.#signature = signature;
    // Later, not inside the listing that asked: the change is news for the next listing, and for every other client.
    if (changed) queueMicrotask(this.#onChange);
  }
}

function readCounts(path: string): Map<string, Map<string, number>> {
  const counts = new Map<string, Map<string, number>>();
  if (!existsSync(path)) return counts;
  let db: Database.Database | undefined;
  try {
    db = new Database(path, { readonly: true, fileMustExist: true });
    const rows = db
      .prepare(
        `SELECT client, target, COUNT(*) AS uses FROM records
         WHERE seq > (SELECT COALESCE(MAX(seq), 0) FROM records) - ? AND kind = 'request' AND method = 'tools/call' AND outcome = 'ok' AND client IS NOT NULL AND target IS NOT NULL
         GROUP BY client, target`,
      )
      .all(RECENT_RECORDS) as { client: string; target: string; uses: number }[];
    for (const { client, target, uses } of rows) {
      if (isMetaToolName(target)) continue;
      const tools = counts.get(client) ?? new Map<string, number>();
      tools.set(target, uses);
      counts.set(client, tools);
    }
  } catch {
    // An unreadable or half-created trail only means no prior this time; the next refresh tries again.
  } finally {
    db?.close();
  }
  return counts;
}
