// How the running core's sign-ins ended, for the app's pages and tray: followed whoever started them, told in words, forgotten on sign-out.
import { describe, expect, it, vi } from 'vitest';
import { createSignInHistory } from '../../../main/core/app/sign-in-history.ts';
import type { SignInState } from '../../../main/core/app/sign-in-outcome.ts';
import { SwitchboardError } from '../../../main/core/errors.ts';
import type { Switchboard } from '../../../main/core/switchboard.ts';

/** A core whose sign-ins end when the test says, and whose state the test sets. */
function fakeCore() {
  const endings = new Map<string, { resolve(): void; reject(error: unknown): void }>();
  const state: SignInState = { sso: { configured: true, signedIn: false }, servers: [{ id: 'crm', auth: { state: 'needs-sign-in' } }], signingIn: [] };
  const auth = {
    status: async () => state,
    awaitSignIn: (server?: string) => new Promise<void>((resolve, reject) => endings.set(server ?? 'sso', { resolve, reject })),
  };
  return { core: { auth } as unknown as Switchboard, state, end: (target: string) => endings.get(target)! };
}

describe('the sign-in history', () => {
  it('follows a sign-in started elsewhere and tells how it ended', async () => {
    const { core, state, end } = fakeCore();
    const onChange = vi.fn();
    const history = createSignInHistory(() => core, onChange);
    history.follow([{ target: 'crm' }, { target: 'sso' }]);
    history.follow([{ target: 'crm' }]); // followed once, however often the status is read
    state.servers[0]!.auth = { state: 'signed-in', via: 'authorization_code' };
    end('crm').resolve();
    end('sso').reject(new TypeError('boom'));
    await vi.waitFor(() => expect(history.recent()).toHaveLength(2));
    expect(history.recent()).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ target: 'crm', outcome: 'signed-in' }),
        expect.objectContaining({
          target: 'sso',
          outcome: 'failed',
          message: expect.stringMatching(/^the sign-in stopped unexpectedly \(.*boom\); start it again$/),
        }),
      ]),
    );
    expect(onChange).toHaveBeenCalledTimes(2);
    history.signedOut('crm');
    expect(history.recent().map((ending) => ending.target)).toEqual(['sso']);
  });

  it('a cancel asked for here is told as cancelled, even when the sign-in reports a failure', async () => {
    const { core, end } = fakeCore();
    const history = createSignInHistory(() => core);
    history.follow([{ target: 'crm' }]);
    history.cancelling('crm');
    end('crm').reject(new SwitchboardError('AUTH_CALLBACK_FAILED', 'the browser went away'));
    await vi.waitFor(() =>
      expect(history.recent()).toEqual([expect.objectContaining({ target: 'crm', outcome: 'cancelled', message: 'the browser went away' })]),
    );
  });

  it('a sign-in that ended before it was followed, without signing in, is not news', async () => {
    const { core, end } = fakeCore();
    const onChange = vi.fn();
    const history = createSignInHistory(() => core, onChange);
    history.follow([{ target: 'crm' }]);
    end('crm').resolve();
    await vi.waitFor(() => expect(onChange).toHaveBeenCalledOnce());
    expect(history.recent()).toEqual([]);
    history.started({ target: 'crm', state: 'signed-in' });
    expect(history.recent()).toEqual([expect.objectContaining({ target: 'crm', outcome: 'signed-in' })]);
  });
});
