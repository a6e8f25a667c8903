// Local errors: a SwitchboardError carries a stable code, a message a person can act on, and a hidden cause.
import type { ErrorCode } from '../../shared/error-codes.ts';

export class SwitchboardError extends Error {
  readonly code: ErrorCode;
  // The cause may hold raw HTTP responses or secrets; keep it off JSON and enumeration so it is never logged by accident.
  declare readonly cause: unknown;

  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message);
    this.name = 'SwitchboardError';
    this.code = code;
    Object.defineProperty(this, 'cause', { value: options?.cause, enumerable: false, writable: false });
  }

  toJSON(): { code: ErrorCode; message: string } {
    return { code: this.code, message: this.message };
  }
}

export function isSwitchboardError(value: unknown): value is SwitchboardError {
  return value instanceof SwitchboardError;
}

/** Wraps anything thrown into a SwitchboardError, keeping a known one as it is. */
export function toSwitchboardError(error: unknown, fallbackCode: ErrorCode, context: string): SwitchboardError {
  if (error instanceof SwitchboardError) return error;
  const detail = error instanceof Error ? error.message : String(error);
  return new SwitchboardError(fallbackCode, `${context}: ${detail}`, { cause: error });
}
