// auth:* — the SSO session and each server's token state, sign in and out; tokens themselves never leave the core.
import type { ChannelHandlers, UiServiceDeps } from './ui-deps.ts';

export function authChannels(deps: UiServiceDeps): ChannelHandlers<'auth:status' | 'auth:signIn' | 'auth:signOut'> {
  async function authStatus() {
    const auth = await deps.switchboard().auth.status();
    const { sso } = auth;
    return {
      sso: { configured: sso.configured, signedIn: sso.signedIn, ...(sso.issuer ? { issuer: sso.issuer } : {}), ...(sso.subject ? { subject: sso.subject } : {}), ...(sso.idTokenExpiresAt ? { idTokenExpiresAt: sso.idTokenExpiresAt } : {}) },
      servers: auth.servers.map(({ id, auth: server }) => ({ id, state: server.state, ...(server.via ? { via: server.via } : {}), ...(server.code ? { code: server.code } : {}), ...(server.reason ? { message: server.reason } : {}) })),
    };
  }

  return {
    'auth:status': () => authStatus(),
    'auth:signIn': async (request) => {
      if (request?.server) await deps.switchboard().auth.signInToServer(request.server);
      else await deps.switchboard().auth.signIn();
      return authStatus();
    },
    'auth:signOut': async (request) => {
      await deps.switchboard().auth.signOut(request?.server);
      return authStatus();
    },
  };
}
