// auth:* — the SSO session and each server's token state, sign in (handed to the page as a URL), cancel and sign out; tokens never leave the core.
import type { AuthStatusView } from '../../../../shared/contract/schemas.ts';
import type { ChannelHandlers, UiServiceDeps } from './ui-deps.ts';

export function authChannels({ app }: UiServiceDeps): ChannelHandlers<'auth:status' | 'auth:signIn' | 'auth:cancelSignIn' | 'auth:signOut'> {
  const history = app.signInHistory;
  const session = async () => (await app.signIn.session()).session;

  async function authStatus(): Promise<AuthStatusView> {
    const { sso, servers, signingIn } = await (await session()).status();
    history.follow(signingIn);
    return {
      sso: {
        configured: sso.configured,
        signedIn: sso.signedIn,
        ...(sso.issuer ? { issuer: sso.issuer } : {}),
        ...(sso.subject ? { subject: sso.subject } : {}),
        ...(sso.idTokenExpiresAt ? { idTokenExpiresAt: sso.idTokenExpiresAt } : {}),
      },
      servers: servers.map(({ id, auth: server }) => ({
        id,
        state: server.state,
        ...(server.via ? { via: server.via } : {}),
        ...(server.code ? { code: server.code } : {}),
        ...(server.reason ? { message: server.reason } : {}),
      })),
      signingIn,
      outcomes: history.recent(),
    };
  }

  return {
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
  };
}
