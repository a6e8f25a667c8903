// Remembers which server's tool or prompt owns each exposed name, on disk, so a collision resolves the same way after restarts.
import { z } from 'zod';
import { readStateFile, writeStateFile } from '../platform/state-file.ts';
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
    writeStateFile(this.#path, { claims: Object.fromEntries(this.#claims) }, this.#logger, 'router.name_ledger_unwritable');
  }

  #load(): Record<string, string> {
    if (!this.#path) return {};
    return readStateFile(this.#path, ledgerSchema, this.#logger, 'router.name_ledger_ignored')?.claims ?? {};
  }
}
