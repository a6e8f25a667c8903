// Remembers which server's tool or prompt owns each exposed name, on disk, so a collision resolves the same way after restarts.
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { z } from 'zod';
import type { Logger } from '../ports.ts';

const ledgerSchema = z.object({ claims: z.record(z.string(), z.string()) });

/**
 * Without a ledger, whichever server listed first would win a contested name, and a server that was down at start
 * would lose its names to another until the next restart. The first owner keeps a name for as long as it offers it.
 */
export class NameLedger {
  readonly #path: string | undefined;
  readonly #logger: Logger;
  readonly #claims: Map<string, string>;
  #dirty = false;

  /** With no path (tests, embedded use) claims live in memory only. */
  constructor(path: string | undefined, logger: Logger) {
    this.#path = path;
    this.#logger = logger;
    this.#claims = new Map(Object.entries(this.#load()));
  }

  /** Who owns `name`: its recorded owner when that owner still offers it, otherwise the first of `candidates`. */
  owner(name: string, candidates: readonly string[]): string {
    const recorded = this.#claims.get(name);
    if (recorded !== undefined && candidates.includes(recorded)) return recorded;
    const chosen = candidates[0]!;
    if (recorded !== chosen) {
      this.#claims.set(name, chosen);
      this.#dirty = true;
    }
    return chosen;
  }

  /** Writes new claims, if any; called after a listing, so a burst of claims costs one write. */
  flush(): void {
    if (!this.#dirty || !this.#path) return;
    this.#dirty = false;
    try {
      mkdirSync(dirname(this.#path), { recursive: true, mode: 0o700 });
      const temporary = `${this.#path}.${process.pid}.tmp`;
      writeFileSync(temporary, `${JSON.stringify({ claims: Object.fromEntries(this.#claims) }, null, 2)}\n`, { mode: 0o600 });
      renameSync(temporary, this.#path);
    } catch (error) {
      this.#logger.log('warn', 'router.name_ledger_unwritable', { path: this.#path, message: (error as Error).message });
    }
  }

  #load(): Record<string, string> {
    if (!this.#path) return {};
    try {
      const parsed = ledgerSchema.safeParse(JSON.parse(readFileSync(this.#path, 'utf8')));
      if (parsed.success) return parsed.data.claims;
      this.#logger.log('warn', 'router.name_ledger_invalid', { path: this.#path });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') this.#logger.log('warn', 'router.name_ledger_unreadable', { path: this.#path, message: (error as Error).message });
    }
    return {};
  }
}
