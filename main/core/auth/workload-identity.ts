// Workload identity federation (SEP-1933): the workload's own JWT, issued by its platform, as an RFC 7523 jwt-bearer assertion for this server's token.
import type * as oauth from 'oauth4webapi';
import { vaultAccounts, type Vault } from '../vault/vault.ts';
import type { AuthFetch } from './auth-http.ts';
import type { ClientIdentity } from './client-identity.ts';
import { jwtBearerGrant } from './token-grants.ts';

/**
 * The workload's JWT for this server, when one was put in the keychain (`workload-assertion:<server>`). Its presence is
 * what selects this grant: a workload has no person to sign in, and its platform, not Switchboard, vouches for it.
 */
export async function workloadAssertionFor(serverId: string, vault: Vault): Promise<string | undefined> {
  const assertion = (await vault.getSecret(vaultAccounts.workloadAssertion(serverId)).catch(() => undefined))?.trim();
  return assertion || undefined;
}

/**
 * One token request, no retry and no other grant after a refusal: the AS's invalid_grant, invalid_scope or
 * unauthorized_client says the workload's identity or rights are wrong, which asking again or otherwise cannot mend.
 */
export function workloadIdentityGrant(
  as: oauth.AuthorizationServer,
  identity: ClientIdentity,
  assertion: string,
  scope: string | undefined,
  authFetch: AuthFetch,
  dpop?: oauth.DPoPHandle,
): Promise<oauth.TokenEndpointResponse> {
  return jwtBearerGrant(as, identity, assertion, scope, authFetch, dpop);
}
