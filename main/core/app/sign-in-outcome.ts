// How a sign-in ended, decided one way for the UI, the tray and the CLI: wait for it, then let the sign-in state say whether it worked.
import { isErrorCode } from '../../../shared/error-codes.ts';
import type { SsoStatus } from '../auth/enterprise-sso.ts';
import type { ServerAuthStatus } from '../auth/server-authorizer.ts';
import { SignInCancelledError } from '../auth/sign-in-desk.ts';
import { isSwitchboardError, SwitchboardError, toSwitchboardError } from '../errors.ts';

/** The sign-in state of a core: the SSO session, each server's token, and the sign-ins waiting for the person. */
export interface SignInState {
  sso: SsoStatus;
  servers: { id: string; auth: ServerAuthStatus }[];
  signingIn: { target: string; expiresAt: string }[];
}

/** What waiting needs of a core; its `auth` has this shape (the control socket gets nothing more). */
export interface SignInWaiter {
  status(): Promise<SignInState>;
  awaitSignIn(serverId?: string, signal?: AbortSignal): Promise<void>;
}

export type SignInOutcome =
  | { outcome: 'signed-in'; status: SsoStatus | ServerAuthStatus | undefined }
  /** Ended before it was waited for, and the state shows no sign-in: how it ended is not known here. */
  | { outcome: 'not-signed-in'; error: SwitchboardError }
  | { outcome: 'cancelled'; error: SwitchboardError }
  /** `unexpected`: not a Switchboard error, so its message is for the log rather than a person. */
  | { outcome: 'failed'; error: SwitchboardError; unexpected?: boolean };

export function describeSignInTarget(serverId: string | undefined): string {
  return serverId ? `"${serverId}"` : 'the company identity provider';
}

/**
 * Signed in means: the SSO session is there, or the server needs no token or has one (renewing it counts). A server
 * that needs a sign-in or whose sign-in failed is not signed in.
 */
export function isSignedIn(status: SsoStatus | ServerAuthStatus | undefined): boolean {
  if (!status) return false;
  if ('signedIn' in status) return status.signedIn;
  return status.state !== 'needs-sign-in' && status.state !== 'failed';
}

/** Waits (until the signal aborts) for the sign-in in progress for a target; the abort's reason is the outcome's error. */
export async function waitForSignInOutcome(auth: SignInWaiter, serverId: string | undefined, signal?: AbortSignal): Promise<SignInOutcome> {
  const target = describeSignInTarget(serverId);
  let status: SsoStatus | ServerAuthStatus | undefined;
  try {
    await auth.awaitSignIn(serverId, signal);
    const all = await auth.status();
    status = serverId ? all.servers.find((entry) => entry.id === serverId)?.auth : all.sso;
  } catch (error) {
    const reason: unknown = signal?.aborted ? signal.reason : error;
    if (reason instanceof SignInCancelledError) return { outcome: 'cancelled', error: reason };
    return {
      outcome: 'failed',
      error: toSwitchboardError(reason, 'AUTH_CALLBACK_FAILED', `signing in to ${target} failed`),
      ...(isSwitchboardError(reason) ? {} : { unexpected: true }),
    };
  }
  if (isSignedIn(status)) return { outcome: 'signed-in', status };
  const server = status && 'state' in status ? status : undefined;
  const code = isErrorCode(server?.code) ? server.code : 'AUTH_SIGN_IN_REQUIRED';
  return {
    outcome: 'not-signed-in',
    error: new SwitchboardError(code, `the sign-in to ${target} ended without signing in${server?.reason ? ` (${server.reason})` : ''}; start it again`),
  };
}
