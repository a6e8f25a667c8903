// How every command ends on a local error: its stable code and message on stderr and an exit code; anything else is a bug and propagates.
import { isSwitchboardError } from '../core/index.ts';

/** Reports a SwitchboardError (code: message) and sets the exit code; rethrows anything else. */
export function reportLocalError(error: unknown, exitCode = 2): void {
  if (!isSwitchboardError(error)) throw error;
  process.stderr.write(`switchboard: ${error.code}: ${error.message}\n`);
  process.exitCode = exitCode;
}
