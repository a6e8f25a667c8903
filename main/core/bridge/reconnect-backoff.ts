// Exponential backoff with jitter for the bridge's retries: reopening the event stream, and a call waiting out a restart.
import type { ReconnectionScheduler, StreamableHTTPReconnectionOptions } from '@modelcontextprotocol/client';

export interface BackoffPolicy {
  initialDelayMs: number;
  maxDelayMs: number;
  growFactor: number;
  /** A number in [0, 1); tests pass a fixed one. */
  random?: () => number;
}

/** The GET event stream: the first retry within a second, then slower, never more often than every 30 s once it has failed for a while. */
export const EVENT_STREAM_BACKOFF: BackoffPolicy = { initialDelayMs: 1000, maxDelayMs: 30_000, growFactor: 2 };

/** A call that found nobody listening retries quickly: a restarting Switchboard is back within a second or two. */
export const UNREACHABLE_RETRY_BACKOFF: BackoffPolicy = { initialDelayMs: 100, maxDelayMs: 1000, growFactor: 2 };

/**
 * The delay before retry number `attempt` (0 for the first): the exponential step, capped, then "equal jitter" — a
 * random point in its upper half. Jitter spreads the bridges of several clients apart after a restart; keeping the
 * lower half out means each delay is at least the previous one's maximum, so the backoff never shrinks.
 */
export function backoffDelay(policy: BackoffPolicy, attempt: number): number {
  const step = Math.min(policy.initialDelayMs * policy.growFactor ** attempt, policy.maxDelayMs);
  return step / 2 + (step / 2) * (policy.random ?? Math.random)();
}

/**
 * What the SDK's client transport is given for its GET stream. The transport's own delay has no jitter, and a server's
 * SSE `retry:` replaces it outright (one constant delay for ever), so the scheduler computes the delay itself. The
 * transport is told to wait 0 ms: whatever it suggests beyond that is the server's `retry:`, honoured as a floor.
 * `maxRetries` is unbounded: on this machine a failing stream means Switchboard is stopped or restarting, and the stream
 * must come back by itself when Switchboard does. `stopped()` ends the retries of a transport the bridge has retired.
 */
export function eventStreamReconnection(
  policy: BackoffPolicy,
  stopped: () => boolean,
): { reconnectionOptions: StreamableHTTPReconnectionOptions; reconnectionScheduler: ReconnectionScheduler } {
  return {
    reconnectionOptions: { initialReconnectionDelay: 0, maxReconnectionDelay: 0, reconnectionDelayGrowFactor: 1, maxRetries: Number.POSITIVE_INFINITY },
    reconnectionScheduler: (reconnect, serverRetryMs, attempt) => {
      if (stopped()) return;
      const delay = Math.max(backoffDelay(policy, attempt), Math.min(serverRetryMs, policy.maxDelayMs));
      // Checked again when the timer fires: the transport may have been retired while it waited.
      const timer = setTimeout(() => stopped() || reconnect(), delay);
      // A pending reconnection alone must never keep the process alive after stdin has ended.
      timer.unref();
      return () => clearTimeout(timer);
    },
  };
}
