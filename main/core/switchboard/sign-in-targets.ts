// The names a sign-in goes by in the sign-in desk, the sign-in links and the control routes: a server id, or `sso`.

/** The company sign-in (SSO) as a target; a server's sign-in goes by the server's id. */
export const SSO_TARGET = 'sso';

/** The target of a sign-in asked for by server id, where no id means the company sign-in. */
export function signInTargetOf(serverId: string | undefined): string {
  return serverId ?? SSO_TARGET;
}

/** The server id a target stands for; undefined for the company sign-in. */
export function serverIdOfTarget(target: string): string | undefined {
  return target === SSO_TARGET ? undefined : target;
}

/** What the sign-in page and a client's sign-in hint call a target. */
export function signInTargetLabel(target: string, ssoIssuer: string | undefined): string {
  return target === SSO_TARGET ? `your company account (${ssoIssuer ?? 'single sign-on'})` : `"${target}"`;
}
