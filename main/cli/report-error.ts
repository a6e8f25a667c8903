// How every command ends on a local error: its stable code and message on stderr and an exit code; anything else is a bug and propagates.
import { isSwitchboardError } from '../core/index.ts';
import { exitCodeOfError } from './exit-codes.ts';

/** Reports a SwitchboardError (code: message) and sets the exit code (3 when what was named is not there, else 1); rethrows anything else. */
export function reportLocalError(error: unknown, exitCode = exitCodeOfError(error)): void {
  if (!isSwitchboardError(error)) throw error;
  process.stderr.write(`switchboard: ${error.code}: ${error.message}\n`);
  process.exitCode = exitCode;
}
