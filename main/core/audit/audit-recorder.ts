// Records calls and security events: written to the store before the client gets its response, held in memory while the store cannot write.
import type { Logger } from '../ports.ts';
import type { AuditEntry } from './audit-record.ts';
import type { AuditStore } from './audit-store.ts';

/** What the gateway and the auth paths see of the audit trail. */
export interface AuditTrail {
  record(entry: AuditEntry): void;
}

const RETRY_MS = 1000;
/** Far above any outage a person would not notice; past it the oldest waiting records are counted as lost, loudly. */
const MAX_PENDING = 1_000_000;

/**
 * A write is synchronous (better-sqlite3, WAL): once the call's response leaves, its record is on disk and survives
 * the process being killed. When the database cannot write (disk full, read-only), records wait here in order and
 * are written first as soon as it can again, so none is lost and the chain keeps its order.
 */
export class AuditRecorder implements AuditTrail {
  readonly #store: AuditStore;
  readonly #logger: Logger;
  readonly #user: () => string | undefined;
  readonly #onWritten: () => void;
  #pending: AuditEntry[] = [];
  #retry: NodeJS.Timeout | undefined;
  #lost = 0;

  constructor(store: AuditStore, options: { logger: Logger; user?: () => string | undefined; onWritten?: () => void }) {
    this.#store = store;
    this.#logger = options.logger;
    this.#user = options.user ?? (() => undefined);
    this.#onWritten = options.onWritten ?? (() => undefined);
  }

  get pending(): number {
    return this.#pending.length;
  }

  record(entry: AuditEntry): void {
    const user = entry.user ?? this.#user();
    this.#pending.push(user ? { ...entry, user } : entry);
    if (this.#pending.length > MAX_PENDING) {
      this.#pending.shift();
      this.#lost++;
    }
    this.#flush();
  }

  /** Writes what is still waiting (used at shutdown, and by the retry timer). */
  flush(): boolean {
    return this.#flush();
  }

  close(): void {
    if (this.#retry) clearTimeout(this.#retry);
    this.#retry = undefined;
    this.#flush();
  }

  #flush(): boolean {
    if (this.#pending.length === 0) return true;
    try {
      this.#store.appendMany(this.#pending);
    } catch (error) {
      if (!this.#retry) {
        this.#logger.log('error', 'audit.write_failed', { message: (error as Error).message, waiting: this.#pending.length, lost: this.#lost });
        this.#retry = setTimeout(() => {
          this.#retry = undefined;
          if (this.#flush() && this.#lost === 0) this.#logger.log('info', 'audit.write_recovered', {});
        }, RETRY_MS);
        this.#retry.unref();
      }
      return false;
    }
    this.#pending = [];
    this.#onWritten();
    return true;
  }
}
