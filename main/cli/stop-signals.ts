// How a long-running command stops on SIGINT/SIGTERM: a graceful stop bounded by a deadline; a second signal forces the exit.
import { constants } from 'node:os';
import type { Logger } from '../core/index.ts';

/** The promise made to people and supervisors: gone within 2 s of the signal. The rest of the 2 s is for exiting. */
export const STOP_DEADLINE_MS = 1_500;

const FORCE_HINT = 'stopping… press Ctrl-C again to force';
/**
 * Under `npm run`, one Ctrl-C arrives twice: from the terminal and forwarded by npm. Two signals this close together
 * are one press, not a request to force; a person's second press comes later than this.
 */
const SAME_PRESS_MS = 200;

export interface StopSignals {
  /** Resolves with the first SIGINT or SIGTERM. */
  requested: Promise<NodeJS.Signals>;
}

/**
 * Listens from now on (before announcing readiness: a supervisor may signal the moment it reads the ready line).
 * The first signal starts the graceful stop and says how to force it; the second exits at once with 128 + the
 * signal's number, as a shell reports a process killed by it.
 */
export function listenForStopSignals(logger: Logger): StopSignals {
  let first: { signal: NodeJS.Signals; at: number } | undefined;
  const requested = new Promise<NodeJS.Signals>((resolve) => {
    const onSignal = (signal: NodeJS.Signals) => {
      if (first && performance.now() - first.at < SAME_PRESS_MS) return;
      if (first) {
        logger.log('warn', 'switchboard.stop_forced', { signal, message: `${signal} again: exiting without finishing the stop` });
        if (process.stderr.isTTY) process.stderr.write('switchboard: forced to stop\n');
        process.exit(128 + constants.signals[signal]);
      }
      first = { signal, at: performance.now() };
      logger.log('info', 'switchboard.stopping', { signal, message: FORCE_HINT });
      // The JSON log line is for machines; a person at a terminal gets the hint in plain words too.
      if (process.stderr.isTTY) process.stderr.write(`switchboard: ${FORCE_HINT}\n`);
      resolve(signal);
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  });
  return { requested };
}

/**
 * Runs `stop`, and makes sure the process is gone by the deadline whatever is still pending (an upstream call, a
 * sign-in waiting for a browser, an audit receiver that never answers). When something outlives it, the log names
 * what kept the process alive, so the leak can be found and fixed rather than waited out.
 */
export async function stopWithin(stop: () => Promise<void>, options: { logger: Logger; deadlineMs?: number; exitCode: () => number }): Promise<void> {
  const deadlineMs = options.deadlineMs ?? STOP_DEADLINE_MS;
  let stopped = false;
  const deadline = setTimeout(() => {
    options.logger.log('warn', 'switchboard.stop_deadline', {
      deadlineMs,
      stopFinished: stopped,
      stillOpen: process.getActiveResourcesInfo().filter((type) => type !== 'TTYWrap'),
      message: stopped ? 'stopped, but something was still open; exiting anyway' : `the stop did not finish within ${deadlineMs} ms; exiting anyway`,
    });
    process.exit(options.exitCode());
  }, deadlineMs);
  // The deadline must not itself be what keeps the process alive once everything else has let go.
  deadline.unref();
  await stop();
  stopped = true;
}
