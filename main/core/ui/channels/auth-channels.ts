// auth:* — the SSO session and each server's token state, sign in (handed to the page as a URL), cancel and sign out; tokens never leave the core.
import type { AuthStatusView } from '../../../../shared/contract/schemas.ts';
import { createSignInHistory } from '../../app/sign-in-history.ts';
import type { ChannelHandlers, UiServiceDeps } from './ui-deps.ts';

export interface AuthSource {
  handlers: ChannelHandlers<'auth:status' | 'auth:signIn' | 'auth:cancelSignIn' | 'auth:signOut'>;
  /** Follows sign-ins in progress (whoever started them: the page, the tray, the CLI) so their outcome can be told. */
  follow(signingIn: readonly { target: string }[]): void;
}

/** `onChange` runs whenever a sign-in starts or ends, so pushed status shows it now instead of at the next refresh. */
export function authChannels({ app }: UiServiceDeps, onChange: () => void = () => undefined): AuthSource {
  const history = createSignInHistory(() => app.core(), onChange);
  const session = async () => (await app.signIn.session()).session;

  async function authStatus(): Promise<AuthStatusView> {
    const { sso, servers, signingIn } = await (await session()).status();
    history.follow(signingIn);
    return {
      sso: { configured: sso.configured, signedIn: sso.signedIn, ...(sso.issuer ? { issuer: sso.issuer } : {}), ...(sso.subject ? { subject: sso.subject } : {}), ...(sso.idTokenExpiresAt ? { idTokenExpiresAt: sso.idTokenExpiresAt } : {}) },
      servers: servers.map(({ id, auth: server }) => ({ id, state: server.state, ...(server.via ? { via: server.via } : {}), ...(server.code ? { code: server.code } : {}), ...(server.reason ? { message: server.reason } : {}) })),
      signingIn,
      outcomes: history.recent(),
    };
  }

  return {
    follow: (signingIn) => history.follow(signingIn),
    handlers: {
      'auth:status': () => authStatus(),
      'auth:signIn': async (request) => {
        // Never waits for the person: the page (or tray) opens the URL; the outcome arrives with the status.
        const started = await (await session()).begin(request?.server);
        history.started(started);
        return { ...(await authStatus()), started };
      },
      'auth:cancelSignIn': async (request) => {
        const target = request?.server ?? 'sso';
        history.cancelling(target);
        const wasPending = await (await session()).cancel(request?.server);
        if (!wasPending) history.cancelRefused(target);
        return { ...(await authStatus()), cancelled: wasPending };
      },
      'auth:signOut': async (request) => {
        await (await session()).signOut(request?.server);
        history.signedOut(request?.server);
        return authStatus();
      },
    },
  };
}
