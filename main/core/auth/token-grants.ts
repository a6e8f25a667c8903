// The token requests other than the browser flow: refresh, client credentials, RFC 8693 exchange for an ID-JAG, RFC 7523 JWT bearer.
import * as oauth from 'oauth4webapi';
import { SwitchboardError } from '../errors.ts';
import type { TokenRecord } from '../vault/vault.ts';
import { grantError, oauthRequestOptions, type AuthFetch } from './auth-http.ts';
import type { ClientIdentity } from './client-identity.ts';
import { withDpopNonceRetry } from './dpop-proof-key.ts';

export const TOKEN_EXCHANGE_GRANT = 'urn:ietf:params:oauth:grant-type:token-exchange';
export const JWT_BEARER_GRANT = 'urn:ietf:params:oauth:grant-type:jwt-bearer';
export const ID_JAG_TOKEN_TYPE = 'urn:ietf:params:oauth:token-type:id-jag';
export const ID_TOKEN_TYPE = 'urn:ietf:params:oauth:token-type:id_token';
export const ID_JAG_GRANT_PROFILE = 'urn:ietf:params:oauth:grant-profile:id-jag';

/** An ID-JAG response says token_type N_A (RFC 8693 §2.2.1: it is not an access token); that is expected, not an error. */
const ACCEPT_N_A = { recognizedTokenTypes: { n_a: () => undefined } };

export function toTokenRecord(
  tokens: oauth.TokenEndpointResponse,
  context: {
    issuer: string;
    clientId: string;
    resource?: string;
    serverUrl: string;
    grant: TokenRecord['grant'];
    requestedScope?: string;
    previous?: TokenRecord;
  },
  now: number,
): TokenRecord {
  const refreshToken = tokens.refresh_token ?? context.previous?.refreshToken;
  const scope = tokens.scope ?? context.requestedScope ?? context.previous?.scope;
  return {
    accessToken: tokens.access_token,
    ...(refreshToken ? { refreshToken } : {}),
    ...(typeof tokens.expires_in === 'number' ? { expiresAt: now + tokens.expires_in * 1000 } : {}),
    issuedAt: now,
    serverUrl: context.serverUrl,
    ...(scope ? { scope } : {}),
    issuer: context.issuer,
    ...(context.resource ? { resource: context.resource } : {}),
    clientId: context.clientId,
    grant: context.grant,
    // oauth4webapi lowercases token_type; anything but a DPoP-bound token is sent as a bearer token.
    ...(tokens.token_type === 'dpop' ? { tokenType: 'dpop' as const } : {}),
  };
}

/**
 * Refresh resends scope and resource (RFC 8707 §2.2); a rotated refresh token replaces the old one in the record.
 * A DPoP-bound refresh token is bound to the same key (RFC 9449 §5), so the proof comes with it.
 */
export async function refreshGrant(
  as: oauth.AuthorizationServer,
  identity: ClientIdentity,
  record: TokenRecord,
  authFetch: AuthFetch,
  dpop?: oauth.DPoPHandle,
): Promise<oauth.TokenEndpointResponse> {
  try {
    const additionalParameters: Record<string, string> = {};
    if (record.scope) additionalParameters.scope = record.scope;
    if (record.resource) additionalParameters.resource = record.resource;
    return await withDpopNonceRetry(dpop, async () => {
      const response = await oauth.refreshTokenGrantRequest(as, identity.client, identity.clientAuth, record.refreshToken!, {
        additionalParameters,
        ...(dpop ? { DPoP: dpop } : {}),
        ...oauthRequestOptions(as.token_endpoint!, authFetch),
      });
      return oauth.processRefreshTokenResponse(as, identity.client, response);
    });
  } catch (error) {
    throw grantError(error, `refreshing the token at ${as.issuer}`);
  }
}

export async function clientCredentialsGrant(
  as: oauth.AuthorizationServer,
  identity: ClientIdentity,
  options: { scope?: string; resource?: string },
  authFetch: AuthFetch,
  dpop?: oauth.DPoPHandle,
): Promise<oauth.TokenEndpointResponse> {
  try {
    const parameters: Record<string, string> = {};
    if (options.scope) parameters.scope = options.scope;
    if (options.resource) parameters.resource = options.resource;
    return await withDpopNonceRetry(dpop, async () => {
      const response = await oauth.clientCredentialsGrantRequest(as, identity.client, identity.clientAuth, parameters, {
        ...(dpop ? { DPoP: dpop } : {}),
        ...oauthRequestOptions(as.token_endpoint!, authFetch),
      });
      return oauth.processClientCredentialsResponse(as, identity.client, response);
    });
  } catch (error) {
    throw grantError(error, `the client credentials grant at ${as.issuer}`);
  }
}

/** Step 1 of Enterprise-Managed Authorization: the person's ID token for an ID-JAG naming the server's AS and resource. */
export async function exchangeForIdJag(
  idp: oauth.AuthorizationServer,
  identity: ClientIdentity,
  request: { idToken: string; audience: string; resource?: string; scope?: string },
  authFetch: AuthFetch,
): Promise<{ idJag: string; expiresIn?: number }> {
  let tokens: oauth.TokenEndpointResponse;
  try {
    const parameters: Record<string, string> = {
      requested_token_type: ID_JAG_TOKEN_TYPE,
      audience: request.audience,
      subject_token: request.idToken,
      subject_token_type: ID_TOKEN_TYPE,
    };
    if (request.resource) parameters.resource = request.resource;
    if (request.scope) parameters.scope = request.scope;
    const response = await oauth.genericTokenEndpointRequest(
      idp,
      identity.client,
      identity.clientAuth,
      TOKEN_EXCHANGE_GRANT,
      parameters,
      oauthRequestOptions(idp.token_endpoint!, authFetch),
    );
    tokens = await oauth.processGenericTokenEndpointResponse(idp, identity.client, response, ACCEPT_N_A);
  } catch (error) {
    throw grantError(error, `the token exchange for an ID-JAG at ${idp.issuer}`);
  }
  if (tokens.issued_token_type !== ID_JAG_TOKEN_TYPE) {
    throw new SwitchboardError(
      'AUTH_GRANT_FAILED',
      `the identity provider ${idp.issuer} answered the ID-JAG exchange with a ${String(tokens.issued_token_type)} instead of an ID-JAG`,
    );
  }
  return { idJag: tokens.access_token, ...(typeof tokens.expires_in === 'number' ? { expiresIn: tokens.expires_in } : {}) };
}

/** Step 2: the ID-JAG as an RFC 7523 assertion at the server's authorization server, for an access token. No browser. */
export async function jwtBearerGrant(
  as: oauth.AuthorizationServer,
  identity: ClientIdentity,
  assertion: string,
  scope: string | undefined,
  authFetch: AuthFetch,
  dpop?: oauth.DPoPHandle,
): Promise<oauth.TokenEndpointResponse> {
  try {
    const parameters: Record<string, string> = { assertion };
    if (scope) parameters.scope = scope;
    return await withDpopNonceRetry(dpop, async () => {
      const response = await oauth.genericTokenEndpointRequest(as, identity.client, identity.clientAuth, JWT_BEARER_GRANT, parameters, {
        ...(dpop ? { DPoP: dpop } : {}),
        ...oauthRequestOptions(as.token_endpoint!, authFetch),
      });
      return oauth.processGenericTokenEndpointResponse(as, identity.client, response);
    });
  } catch (error) {
    throw grantError(error, `the JWT bearer grant at ${as.issuer}`);
  }
}
