// RFC 7009 token revocation: signing out tells the authorization server, where it offers revocation, to forget the tokens.
import * as oauth from 'oauth4webapi';
import type { Logger } from '../ports.ts';
import { oauthRequestOptions, type AuthFetch } from './auth-http.ts';
import type { ClientIdentity } from './client-identity.ts';

export interface RevocableTokens {
  refreshToken?: string;
  accessToken?: string;
}

/**
 * Revokes the refresh token first (RFC 7009 §2.1: servers that support it revoke the access tokens of the same grant
 * too), then the access token. Best effort: an authorization server without a revocation endpoint, or one that is
 * down, does not stop the sign-out, which has already forgotten the tokens locally. Resolves with what was revoked.
 */
export async function revokeTokens(
  as: oauth.AuthorizationServer,
  identity: ClientIdentity,
  tokens: RevocableTokens,
  logger: Logger,
  authFetch: AuthFetch,
): Promise<{ revoked: ('refresh_token' | 'access_token')[] }> {
  const revoked: ('refresh_token' | 'access_token')[] = [];
  if (!as.revocation_endpoint) return { revoked };
  const attempts: ['refresh_token' | 'access_token', string | undefined][] = [
    ['refresh_token', tokens.refreshToken],
    ['access_token', tokens.accessToken],
  ];
  for (const [hint, token] of attempts) {
    if (!token) continue;
    try {
      const response = await oauth.revocationRequest(as, identity.client, identity.clientAuth, token, {
        additionalParameters: { token_type_hint: hint },
        ...oauthRequestOptions(as.revocation_endpoint, authFetch),
      });
      await oauth.processRevocationResponse(response);
      revoked.push(hint);
    } catch (error) {
      // RFC 7009 §2.2.1: a server may not revoke access tokens (self-contained JWTs); that is its answer, not a fault.
      if (error instanceof oauth.ResponseBodyError && error.error === 'unsupported_token_type') {
        logger.log('debug', 'auth.revocation_unsupported', { issuer: as.issuer, tokenType: hint });
        continue;
      }
      logger.log('warn', 'auth.revocation_failed', { issuer: as.issuer, tokenType: hint, message: (error as Error).message });
    }
  }
  return { revoked };
}
