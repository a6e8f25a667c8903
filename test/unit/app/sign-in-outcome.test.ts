// How a sign-in ended is decided once for the control socket, the UI and the CLI: waited for, then read from the sign-in state.
import { describe, expect, it } from 'vitest';
import { waitForSignInOutcome, type SignInState, type SignInWaiter } from '../../../main/core/app/sign-in-outcome.ts';
import { SignInCancelledError } from '../../../main/core/auth/sign-in-desk.ts';
import type { ServerAuthStatus } from '../../../main/core/auth/server-authorizer.ts';
import { SwitchboardError } from '../../../main/core/errors.ts';

function waiter(crm: ServerAuthStatus, ending: Promise<void> = Promise.resolve(), sso = { configured: true, signedIn: false }): SignInWaiter {
  const state: SignInState = { sso, servers: [{ id: 'crm', auth: crm }], signingIn: [] };
  return {
    status: async () => state,
    awaitSignIn: (_server, signal) =>
      new Promise<void>((resolve, reject) => {
        signal?.addEventListener('abort', () => reject(signal.reason), { once: true });
        ending.then(resolve, reject);
      }),
  };
}

describe('the outcome of a sign-in', () => {
  it('is signed in when the state says so; a token being renewed counts, and so does a server that needs none', async () => {
    for (const state of ['signed-in', 'refreshing', 'not-required'] as const) {
      expect(await waitForSignInOutcome(waiter({ state }), 'crm')).toMatchObject({ outcome: 'signed-in', status: { state } });
    }
    expect(await waitForSignInOutcome(waiter({ state: 'needs-sign-in' }, undefined, { configured: true, signedIn: true }), undefined)).toMatchObject({
      outcome: 'signed-in',
    });
  });

  it('ended without signing in: says so with the server’s own code and reason', async () => {
    const ended = await waitForSignInOutcome(waiter({ state: 'failed', code: 'AUTH_SSO_REQUIRED', reason: 'sign in to your company first' }), 'crm');
    expect(ended.outcome).toBe('not-signed-in');
    expect(ended).toMatchObject({
      error: { code: 'AUTH_SSO_REQUIRED', message: 'the sign-in to "crm" ended without signing in (sign in to your company first); start it again' },
    });
    expect(await waitForSignInOutcome(waiter({ state: 'needs-sign-in' }), undefined)).toMatchObject({
      outcome: 'not-signed-in',
      error: { code: 'AUTH_SIGN_IN_REQUIRED' },
    });
  });

  it('tells a cancel from a failure, and marks a failure that is not a Switchboard error as unexpected', async () => {
    expect(await waitForSignInOutcome(waiter({ state: 'needs-sign-in' }, Promise.reject(new SignInCancelledError('crm'))), 'crm')).toMatchObject({
      outcome: 'cancelled',
    });
    const known = await waitForSignInOutcome(
      waiter({ state: 'needs-sign-in' }, Promise.reject(new SwitchboardError('AUTH_CALLBACK_FAILED', 'the state did not match'))),
      'crm',
    );
    expect(known).toEqual({ outcome: 'failed', error: expect.objectContaining({ message: 'the state did not match' }) });
    const unknown = await waitForSignInOutcome(waiter({ state: 'needs-sign-in' }, Promise.reject(new TypeError('x is undefined'))), 'crm');
    expect(unknown).toMatchObject({
      outcome: 'failed',
      unexpected: true,
      error: { code: 'AUTH_CALLBACK_FAILED', message: 'signing in to "crm" failed: x is undefined' },
    });
  });

  it('a wait that is given up (the caller’s deadline) ends with the reason it was given up for', async () => {
    const controller = new AbortController();
    const pending = waitForSignInOutcome(waiter({ state: 'needs-sign-in' }, new Promise(() => undefined)), 'crm', controller.signal);
    controller.abort(new SwitchboardError('AUTH_CALLBACK_FAILED', 'had not finished after 5 s'));
    expect(await pending).toMatchObject({ outcome: 'failed', error: { message: 'had not finished after 5 s' } });
  });
});
