// The local error for "only a person can fix this": which server it concerns, and which sign-in would fix it.
import type { ErrorCode } from '../../../shared/error-codes.ts';
import { SwitchboardError } from '../errors.ts';

export class SignInRequiredError extends SwitchboardError {
  /** The server whose request needs the sign-in. */
  readonly serverId: string;
  /** What to sign in to: that server, or `sso` when the company sign-in is what is missing (ID-JAG servers). */
  readonly target: string;
  /** Set when the server asked for more than the person granted (a step-up): the scopes the new sign-in asks for. */
  readonly moreScope: string | undefined;

  constructor(code: ErrorCode, message: string, options: { serverId: string; target: string; moreScope?: string; cause?: unknown }) {
    super(code, message, { cause: options.cause });
    this.serverId = options.serverId;
    this.target = options.target;
    this.moreScope = options.moreScope;
  }
}

/** The sign-in an error asks for, found anywhere in its cause chain (the SDK wraps errors raised in a transport's fetch). */
export function signInRequiredIn(error: unknown): SignInRequiredError | undefined {
  for (let current = error, depth = 0; current !== undefined && depth < 8; current = (current as { cause?: unknown }).cause, depth++) {
    if (current instanceof SignInRequiredError) return current;
  }
  return undefined;
}
