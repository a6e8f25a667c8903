// Workload identity federation (SEP-1933): the workload's own JWT, issued by its platform, as an RFC 7523 jwt-bearer assertion for this server's token.
import { readFile } from 'node:fs/promises';
import type * as oauth from 'oauth4webapi';
import type { ServerConfig } from '../config/config-schema.ts';
import { SwitchboardError } from '../errors.ts';
import { vaultAccounts, type Vault } from '../vault/vault.ts';
import type { AuthFetch } from './auth-http.ts';
import type { ClientIdentity } from './client-identity.ts';
import { jwtBearerGrant } from './token-grants.ts';

/**
 * The workload's JWT for this server: read from the file its platform keeps it in (`auth.workloadTokenFile`) when
 * configured, else from the keychain (`workload-assertion:<server>`). Its presence is what selects this grant: a
 * workload has no person to sign in, and its platform, not Switchboard, vouches for it.
 */
export async function workloadAssertionFor(server: Pick<ServerConfig, 'id' | 'auth'>, vault: Vault): Promise<string | undefined> {
  const file = server.auth?.workloadTokenFile;
  if (file) {
    const fromFile = await readFile(file, 'utf8').catch((error: NodeJS.ErrnoException) => {
      throw new SwitchboardError(
        'AUTH_SIGN_IN_REQUIRED',
        `server "${server.id}": could not read the workload token file ${file} (${error.code ?? error.message}); check that the platform mounts it there`,
      );
    });
    if (!fromFile.trim()) throw new SwitchboardError('AUTH_SIGN_IN_REQUIRED', `server "${server.id}": the workload token file ${file} is empty`);
    return fromFile.trim();
  }
  const assertion = (await vault.getSecret(vaultAccounts.workloadAssertion(server.id)).catch(() => undefined))?.trim();
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
