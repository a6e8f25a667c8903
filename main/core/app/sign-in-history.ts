// How the sign-ins of the running core ended lately, whoever started them (the page, the tray, the CLI), so the app can say it in words.
import type { Switchboard } from '../switchboard.ts';
import { waitForSignInOutcome } from './sign-in-outcome.ts';

export interface SignInEnding {
  /** A server id, or `sso`. */
  target: string;
  outcome: 'signed-in' | 'failed' | 'cancelled';
  message?: string;
  at: string;
}

export interface SignInHistory {
  /** Follows the sign-ins in progress to their end; call it with every status read. */
  follow(signingIn: readonly { target: string }[]): void;
  /** A sign-in just started here: one done silently is an outcome already. */
  started(start: { target: string; state: string }): void;
  /** A cancel asked for from here: the sign-in's end is then told as cancelled, not failed. */
  cancelling(target: string): void;
  cancelRefused(target: string): void;
  /** Signing out makes earlier outcomes old news: one server's, or all. */
  signedOut(serverId?: string): void;
  /** The outcomes still worth telling, one per target, newest. */
  recent(): SignInEnding[];
}

/** Outcomes older than this are history, not news. */
const OUTCOME_TTL_MS = 10 * 60_000;

/** `onChange` runs whenever a sign-in starts or ends, so pushed status can show it now instead of at the next refresh. */
export function createSignInHistory(core: () => Switchboard, onChange: () => void = () => undefined): SignInHistory {
  const outcomes = new Map<string, SignInEnding>();
  // Per running core: a restart ends its sign-ins, and the new core's are followed anew.
  const followed = new WeakMap<Switchboard, Set<string>>();
  const cancelled = new Set<string>();
  const serverOf = (target: string) => (target === 'sso' ? undefined : target);

  function record(target: string, outcome: SignInEnding['outcome'], message?: string): void {
    outcomes.set(target, { target, outcome, ...(message ? { message } : {}), at: new Date().toISOString() });
    onChange();
  }

  function follow(signingIn: readonly { target: string }[]): void {
    const current = core();
    const targets = followed.get(current) ?? new Set<string>();
    followed.set(current, targets);
    for (const { target } of signingIn) {
      if (targets.has(target)) continue;
      targets.add(target);
      outcomes.delete(target);
      cancelled.delete(target);
      void waitForSignInOutcome(current.auth, serverOf(target))
        .then((ended) => {
          const cancelledHere = cancelled.delete(target);
          if (ended.outcome === 'signed-in') return record(target, 'signed-in');
          // Ended before it was followed, without signing in: say only what is known.
          if (ended.outcome === 'not-signed-in') return cancelledHere ? record(target, 'cancelled', 'the sign-in was cancelled') : onChange();
          const message =
            ended.outcome === 'failed' && ended.unexpected
              ? `the sign-in stopped unexpectedly (${ended.error.message.slice(0, 200)}); start it again`
              : ended.error.message;
          // A cancel from here, or one the core reports as such (Ctrl-C in `login`, a restart), is not a failure.
          record(target, cancelledHere || ended.outcome === 'cancelled' ? 'cancelled' : 'failed', message);
        })
        .finally(() => targets.delete(target));
    }
  }

  return {
    follow,
    started(start) {
      if (start.state === 'signed-in') record(start.target, 'signed-in');
      else onChange();
    },
    cancelling: (target) => void cancelled.add(target),
    cancelRefused: (target) => void cancelled.delete(target),
    signedOut(serverId) {
      if (serverId) outcomes.delete(serverId);
      else outcomes.clear();
      onChange();
    },
    recent() {
      const now = Date.now();
      for (const [target, outcome] of outcomes) if (now - Date.parse(outcome.at) > OUTCOME_TTL_MS) outcomes.delete(target);
      return [...outcomes.values()];
    },
  };
}
