// Delivers the audit trail to one external sink: in order, at least once, resuming from its cursor after any outage.
import { SwitchboardError } from '../../errors.ts';
import type { Logger } from '../../ports.ts';
import type { AuditRecord } from '../audit-record.ts';
import type { AuditStore } from '../audit-store.ts';

/** One destination. `send` resolves once the batch is accepted; records carry ids so duplicates are detectable. */
export interface AuditSink {
  name: string;
  /** `signal` aborts when the exporter closes: a receiver that never answers must not hold the process open. */
  send(records: readonly AuditRecord[], signal: AbortSignal): Promise<void>;
  close?(): Promise<void>;
}

const BATCH = 500;
const MIN_BACKOFF_MS = 500;
const MAX_BACKOFF_MS = 60_000;

/**
 * The outbox is the records table: the cursor says what the sink has; only after a batch is accepted does it move.
 * A crash between sending and moving the cursor re-sends that batch (at least once, never a gap). While the sink is
 * down, retries back off exponentially; records wait in the database, so nothing is lost however long it takes.
 */
export class SinkExporter {
  readonly #sink: AuditSink;
  readonly #store: AuditStore;
  readonly #logger: Logger;
  #running: Promise<void> | undefined;
  #again = false;
  #backoff = 0;
  #timer: NodeJS.Timeout | undefined;
  #closed = false;
  #failing = false;
  /** Aborted by close(): whatever is in flight is cut off, the cursor has not moved, so the next start re-sends it. */
  readonly #stopping = new AbortController();

  constructor(sink: AuditSink, store: AuditStore, logger: Logger) {
    this.#sink = sink;
    this.#store = store;
    this.#logger = logger;
  }

  get name(): string {
    return this.#sink.name;
  }

  /** New records were written: deliver soon (coalesced with a run in progress). */
  poke(): void {
    if (this.#closed || this.#timer) return;
    if (this.#running) {
      this.#again = true;
      return;
    }
    this.#running = this.#drain().finally(() => {
      this.#running = undefined;
      if (this.#again && !this.#closed) {
        this.#again = false;
        this.poke();
      }
    });
  }

  /** Delivers everything now (tests, shutdown); rejects when the sink is down. */
  async drain(): Promise<void> {
    await this.#running;
    for (
      let batch = this.#store.after(this.#store.cursor(this.#sink.name), BATCH);
      batch.length;
      batch = this.#store.after(this.#store.cursor(this.#sink.name), BATCH)
    ) {
      this.#stopping.signal.throwIfAborted();
      await this.#sink.send(batch, this.#stopping.signal);
      this.#store.setCursor(this.#sink.name, batch.at(-1)!.seq);
    }
  }

  backlog(): number {
    return this.#store.headSeq() - this.#store.cursor(this.#sink.name);
  }

  async close(): Promise<void> {
    this.#closed = true;
    if (this.#timer) clearTimeout(this.#timer);
    this.#stopping.abort(new SwitchboardError('AUDIT_SINK_FAILED', `delivery to ${this.#sink.name} was stopped; the rest goes after the next start`));
    await this.#running?.catch(() => undefined);
    await this.#sink.close?.();
  }

  async #drain(): Promise<void> {
    try {
      await this.drain();
      if (this.#failing) this.#logger.log('info', 'audit.sink_recovered', { sink: this.#sink.name });
      this.#failing = false;
      this.#backoff = 0;
    } catch (error) {
      // Cut off by close(): not an outage, and no retry; the cursor resumes after the next start.
      if (this.#closed) return;
      this.#backoff = Math.min(MAX_BACKOFF_MS, Math.max(MIN_BACKOFF_MS, this.#backoff * 2));
      if (!this.#failing) this.#logger.log('warn', 'audit.sink_failed', { sink: this.#sink.name, message: (error as Error).message, backlog: this.backlog() });
      this.#failing = true;
      this.#timer = setTimeout(() => {
        this.#timer = undefined;
        this.poke();
      }, this.#backoff);
      this.#timer.unref();
    }
  }
}
