// The interactive sign-ins people started: one per target at a time, each with a deadline and a cancel, none holding anything else.
import { SwitchboardError } from '../errors.ts';
import type { BrowserOpener } from '../ports.ts';

/** One sign-in waiting for a person; joining it is fine, nothing else ever waits on it. */
export interface PendingSignIn {
  /** A server id, or `sso` for the company identity provider. */
  readonly target: string;
  readonly startedAt: number;
  readonly expiresAt: number;
  /** Resolves with the authorization URL once the flow reaches the browser step; never resolves for a silent sign-in. */
  readonly authorizationUrl: Promise<string>;
  /** Settles when the sign-in ends: fulfilled when signed in, rejected with a SwitchboardError otherwise. */
  readonly done: Promise<void>;
}

/** What a person's sign-in needs: where the authorization URL goes, and the signal that cancels it. */
export interface PersonPresent {
  handoff: BrowserOpener;
  signal: AbortSignal;
}

/**
 * A flow gets a browser that only hands the URL over: whoever asked decides where it opens (the system browser for
 * the CLI and tray, the page itself in the UI, an HTTP redirect for a sign-in link).
 */
export type SignInRun = (person: PersonPresent) => Promise<void>;

/** A sign-in that ended because someone cancelled it (not a failure to report as one); its code stays the callback's. */
export class SignInCancelledError extends SwitchboardError {
  constructor(target: string) {
    super('AUTH_CALLBACK_FAILED', `the sign-in to ${describe(target)} was cancelled`);
  }
}

interface Entry extends PendingSignIn {
  readonly controller: AbortController;
}

export class SignInDesk {
  readonly #pending = new Map<string, Entry>();
  readonly #timeoutMs: number;
  readonly #now: () => number;
  readonly #onChange: (() => void) | undefined;

  constructor(options: { timeoutMs: number; now?: () => number; onChange?: () => void }) {
    this.#timeoutMs = options.timeoutMs;
    this.#now = options.now ?? Date.now;
    this.#onChange = options.onChange;
  }

  /** Joins the sign-in in progress for the target, or starts one with `run`. */
  begin(target: string, run: SignInRun): PendingSignIn {
    const existing = this.#pending.get(target);
    if (existing) return existing;
    const controller = new AbortController();
    let handOver: (url: string) => void = () => undefined;
    const authorizationUrl = new Promise<string>((resolve) => (handOver = resolve));
    const startedAt = this.#now();
    // The deadline is the desk's own, so a flow that forgets its timer still ends; unref'd so it never keeps the process up.
    const deadline = setTimeout(
      () =>
        controller.abort(
          new SwitchboardError(
            'AUTH_CALLBACK_FAILED',
            `nobody finished signing in to ${describe(target)} within ${Math.round(this.#timeoutMs / 1000)} s; start the sign-in again`,
          ),
        ),
      this.#timeoutMs,
    );
    deadline.unref();
    const handoff: BrowserOpener = {
      open: async (url) => handOver(url),
    };
    const done = Promise.resolve()
      .then(() => run({ handoff, signal: controller.signal }))
      .catch((error: unknown) => {
        // A cancel or the deadline aborts the flow; report why it stopped rather than whatever the flow said.
        if (controller.signal.aborted && controller.signal.reason instanceof SwitchboardError) throw controller.signal.reason;
        throw error;
      })
      .finally(() => {
        clearTimeout(deadline);
        if (this.#pending.get(target) === entry) this.#pending.delete(target);
        this.#onChange?.();
      });
    // Callers that only started the sign-in must not see an unhandled rejection when nobody awaits the outcome.
    done.catch(() => undefined);
    const entry: Entry = { target, startedAt, expiresAt: startedAt + this.#timeoutMs, authorizationUrl, done, controller };
    this.#pending.set(target, entry);
    this.#onChange?.();
    return entry;
  }

  get(target: string): PendingSignIn | undefined {
    return this.#pending.get(target);
  }

  list(): PendingSignIn[] {
    return [...this.#pending.values()];
  }

  /** Ends the sign-in for the target (a click on Cancel, Ctrl-C in `login`); false when none was in progress. */
  cancel(target: string): boolean {
    const entry = this.#pending.get(target);
    if (!entry) return false;
    entry.controller.abort(new SignInCancelledError(target));
    return true;
  }

  /** Switchboard is stopping: every sign-in ends now. */
  cancelAll(): void {
    for (const target of [...this.#pending.keys()]) this.cancel(target);
  }
}

function describe(target: string): string {
  return target === 'sso' ? 'the company identity provider' : `"${target}"`;
}
