// auth:* — the SSO session and each server's token state, sign in (handed to the page as a URL), cancel and sign out; tokens never leave the core.
import type { AuthStatusView } from '../../../../shared/contract/schemas.ts';
import { SignInCancelledError } from '../../auth/sign-in-desk.ts';
import { isSwitchboardError } from '../../errors.ts';
import type { Switchboard } from '../../switchboard.ts';
import type { ChannelHandlers, UiServiceDeps } from './ui-deps.ts';

type Outcome = AuthStatusView['outcomes'][number];

/** Outcomes older than this are history, not news: the page stops showing them. */
const OUTCOME_TTL_MS = 10 * 60_000;

export interface AuthSource {
  handlers: ChannelHandlers<'auth:status' | 'auth:signIn' | 'auth:cancelSignIn' | 'auth:signOut'>;
  /** Follows sign-ins in progress (whoever started them: the page, the tray, the CLI) so their outcome can be told. */
  watch(signingIn: { target: string }[]): void;
}

/** `onChange` runs whenever a sign-in starts or ends, so pushed status shows it now instead of at the next refresh. */
export function authChannels(deps: UiServiceDeps, onChange: () => void = () => undefined): AuthSource {
  const outcomes = new Map<string, Outcome>();
  const watched = new WeakMap<Switchboard, Set<string>>();
  const cancelled = new Set<string>();

  const serverOf = (target: string) => (target === 'sso' ? undefined : target);

  function record(target: string, outcome: Outcome['outcome'], message?: string): void {
    outcomes.set(target, { target, outcome, ...(message ? { message } : {}), at: new Date().toISOString() });
    onChange();
  }

  function watch(signingIn: { target: string }[]): void {
    const core = deps.switchboard();
    const targets = watched.get(core) ?? new Set<string>();
    watched.set(core, targets);
    for (const { target } of signingIn) {
      if (targets.has(target)) continue;
      targets.add(target);
      outcomes.delete(target);
      cancelled.delete(target);
      void core.auth
        .awaitSignIn(serverOf(target))
        .then(
          async () => {
            // awaitSignIn also returns at once when the sign-in ended before it was asked: say only what the state shows.
            const after = await core.auth.status();
            const signedIn = target === 'sso' ? after.sso.signedIn : after.servers.some(({ id, auth }) => id === target && (auth.state === 'signed-in' || auth.state === 'not-required'));
            if (signedIn) record(target, 'signed-in');
            else if (cancelled.delete(target)) record(target, 'cancelled', 'the sign-in was cancelled');
            else onChange();
          },
          (error: unknown) => {
            const message = isSwitchboardError(error) ? error.message : 'the sign-in stopped; see the Switchboard log';
            // A cancel from here, or one the core reports as such (Ctrl-C in `login`, a restart), is not a failure.
            const wasCancelled = cancelled.delete(target) || error instanceof SignInCancelledError;
            record(target, wasCancelled ? 'cancelled' : 'failed', message);
          },
        )
        .finally(() => targets.delete(target));
    }
  }

  async function authStatus(): Promise<AuthStatusView> {
    const auth = await deps.switchboard().auth.status();
    watch(auth.signingIn);
    const { sso } = auth;
    const now = Date.now();
    for (const [target, outcome] of outcomes) if (now - Date.parse(outcome.at) > OUTCOME_TTL_MS) outcomes.delete(target);
    return {
      sso: { configured: sso.configured, signedIn: sso.signedIn, ...(sso.issuer ? { issuer: sso.issuer } : {}), ...(sso.subject ? { subject: sso.subject } : {}), ...(sso.idTokenExpiresAt ? { idTokenExpiresAt: sso.idTokenExpiresAt } : {}) },
      servers: auth.servers.map(({ id, auth: server }) => ({ id, state: server.state, ...(server.via ? { via: server.via } : {}), ...(server.code ? { code: server.code } : {}), ...(server.reason ? { message: server.reason } : {}) })),
      signingIn: auth.signingIn,
      outcomes: [...outcomes.values()],
    };
  }

  return {
    watch,
    handlers: {
      'auth:status': () => authStatus(),
      'auth:signIn': async (request) => {
        // Never waits for the person: the page (or tray) opens the URL; the outcome arrives with the status.
        const started = await deps.switchboard().auth.beginSignIn(request?.server);
        if (started.state === 'signed-in') record(started.target, 'signed-in');
        else onChange();
        return { ...(await authStatus()), started };
      },
      'auth:cancelSignIn': async (request) => {
        const target = request?.server ?? 'sso';
        cancelled.add(target);
        const wasPending = deps.switchboard().auth.cancelSignIn(request?.server);
        if (!wasPending) cancelled.delete(target);
        return { ...(await authStatus()), cancelled: wasPending };
      },
      'auth:signOut': async (request) => {
        await deps.switchboard().auth.signOut(request?.server);
        if (request?.server) outcomes.delete(request.server);
        else outcomes.clear();
        onChange();
        return authStatus();
      },
    },
  };
}
