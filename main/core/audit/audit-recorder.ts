// Records calls and security events: written to the store before the client gets its response, held in memory while the store cannot write.
import type { Logger } from '../ports.ts';
import type { AuditEntry } from './audit-record.ts';
import type { AuditStore } from './audit-store.ts';

/** What the gateway and the auth paths see of the audit trail. */
export interface AuditTrail {
  /** Resolves once the record is committed (the gateway waits for that before answering) or held for a retry. */
  record(entry: AuditEntry): Promise<void>;
}

const RETRY_MS = 1000;
const GROUP_WINDOW_MS = 1;
/** Far above any outage a person would not notice; past it the oldest waiting records are counted as lost, loudly. */
const MAX_PENDING = 1_000_000;

/**
 * Group commit: the records that arrive within one turn of the event loop are written in one transaction (a
 * transaction per record would cap the rate at what one commit costs), and each caller's promise resolves once its
 * record is committed — so once a call's response leaves, its record is on disk and survives the process being
 * killed. When the database cannot write (disk full, read-only), records wait here in order, callers are released
 * at once (recording never holds a call hostage), and the records are written first as soon as it can again.
 */
export class AuditRecorder implements AuditTrail {
  readonly #store: AuditStore;
  readonly #logger: Logger;
  readonly #user: () => string | undefined;
  readonly #onWritten: () => void;
  #pending: AuditEntry[] = [];
  /** One promise per group commit, shared by every record in it. */
  #batch: Promise<void> | undefined;
  #releaseBatch: (() => void) | undefined;
  #retry: NodeJS.Timeout | undefined;
  #lost = 0;
  /** When the last commit happened: records arriving faster than this window are grouped, others written at once. */
  #lastCommitAt = 0;

  constructor(store: AuditStore, options: { logger: Logger; user?: () => string | undefined; onWritten?: () => void }) {
    this.#store = store;
    this.#logger = options.logger;
    this.#user = options.user ?? (() => undefined);
    this.#onWritten = options.onWritten ?? (() => undefined);
  }

  get pending(): number {
    return this.#pending.length;
  }

  record(entry: AuditEntry): Promise<void> {
    const user = entry.user ?? this.#user();
    this.#pending.push(user ? { ...entry, user } : entry);
    if (this.#pending.length > MAX_PENDING) {
      this.#pending.shift();
      this.#lost++;
    }
    if (this.#retry) return Promise.resolve();
    // A quiet trail writes at once (no extra turn of the event loop on the call's path); a busy one groups records.
    if (!this.#batch && performance.now() - this.#lastCommitAt > GROUP_WINDOW_MS) {
      this.#flush();
      return Promise.resolve();
    }
    if (!this.#batch) {
      this.#batch = new Promise<void>((resolve) => (this.#releaseBatch = resolve));
      setImmediate(() => this.#flush());
    }
    return this.#batch;
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
    const release = this.#releaseBatch;
    this.#batch = undefined;
    this.#releaseBatch = undefined;
    try {
      if (this.#pending.length) this.#store.appendMany(this.#pending);
    } catch (error) {
      release?.();
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
    const wrote = this.#pending.length > 0;
    this.#pending = [];
    this.#lastCommitAt = performance.now();
    release?.();
    if (wrote) this.#onWritten();
    return true;
  }
}
