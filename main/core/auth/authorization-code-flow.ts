// The OAuth authorization-code flow with PKCE (S256), state, RFC 8707 resource and RFC 9207 iss, through the person's browser.
import * as oauth from 'oauth4webapi';
import { SwitchboardError } from '../errors.ts';
import type { BrowserOpener } from '../ports.ts';
import { grantError, oauthRequestOptions, type AuthFetch } from './auth-http.ts';
import type { ClientIdentity } from './client-identity.ts';
import { withDpopNonceRetry } from './dpop-proof-key.ts';
import { explainAuthorizationError, type LoopbackRedirect } from './loopback-redirect.ts';

export interface AuthorizationCodeRequest {
  as: oauth.AuthorizationServer;
  identity: ClientIdentity;
  redirect: LoopbackRedirect;
  browser: BrowserOpener;
  scope?: string;
  /** RFC 8707 resource, sent verbatim on both the authorization and the token request. */
  resource?: string;
  extraParams?: Record<string, string>;
  /** OIDC sign-in: send a nonce and require an ID token that carries it. */
  openid?: boolean;
  timeoutMs: number;
  signal?: AbortSignal;
  /** The guarded fetch for the token request. */
  authFetch: AuthFetch;
  /** The server's proof key when its tokens are DPoP-bound (RFC 9449 §5): the code is redeemed with a proof. */
  dpop?: oauth.DPoPHandle;
}

export interface AuthorizationCodeResult {
  tokens: oauth.TokenEndpointResponse;
  idTokenClaims?: oauth.IDToken;
}

export async function runAuthorizationCodeFlow(request: AuthorizationCodeRequest): Promise<AuthorizationCodeResult> {
  const { as, identity, redirect } = request;
  // The spec makes S256 mandatory and says to refuse servers that do not advertise it.
  if (!as.code_challenge_methods_supported?.includes('S256')) {
    throw new SwitchboardError(
      'AUTH_DISCOVERY_FAILED',
      `the authorization server ${as.issuer} does not advertise PKCE S256 (code_challenge_methods_supported); refusing to sign in without it`,
    );
  }
  const codeVerifier = oauth.generateRandomCodeVerifier();
  const state = oauth.generateRandomState();
  const nonce = request.openid ? oauth.generateRandomNonce() : undefined;
  const url = new URL(as.authorization_endpoint!);
  for (const [name, value] of Object.entries(request.extraParams ?? {})) url.searchParams.set(name, value);
  const params: Record<string, string | undefined> = {
    response_type: 'code',
    client_id: identity.client.client_id,
    redirect_uri: redirect.redirectUri,
    scope: request.scope,
    state,
    nonce,
    code_challenge: await oauth.calculatePKCECodeChallenge(codeVerifier),
    code_challenge_method: 'S256',
    resource: request.resource,
  };
  for (const [name, value] of Object.entries(params)) if (value !== undefined) url.searchParams.set(name, value);

  const arrived = redirect.waitForCallback(state, request.timeoutMs, request.signal);
  try {
    await request.browser.open(url.href);
  } catch (error) {
    arrived.catch(() => undefined);
    throw error instanceof SwitchboardError
      ? error
      : new SwitchboardError('AUTH_CALLBACK_FAILED', `could not open the browser for sign-in: ${(error as Error).message}`, { cause: error });
  }
  const callback = await arrived;

  let callbackParams: URLSearchParams;
  try {
    // Checks state, and iss per RFC 9207 (present: must equal the issuer; absent: refused when the AS promised it).
    callbackParams = oauth.validateAuthResponse(as, identity.client, callback, state);
  } catch (error) {
    if (error instanceof oauth.AuthorizationResponseError) {
      throw new SwitchboardError(
        'AUTH_CALLBACK_FAILED',
        `${explainAuthorizationError(error.error)} (${error.error}${error.error_description ? `: ${error.error_description.slice(0, 200)}` : ''})`,
        { cause: error },
      );
    }
    // A mismatched iss may mean a mix-up attack: say so, and show nothing the response carried.
    throw new SwitchboardError(
      'AUTH_CALLBACK_FAILED',
      `the sign-in response did not come from ${as.issuer} as expected (${(error as Error).message}); it was discarded`,
      { cause: error },
    );
  }

  try {
    const { dpop } = request;
    const tokens = await withDpopNonceRetry(dpop, async () => {
      const response = await oauth.authorizationCodeGrantRequest(as, identity.client, identity.clientAuth, callbackParams, redirect.redirectUri, codeVerifier, {
        ...(request.resource ? { additionalParameters: { resource: request.resource } } : {}),
        ...(dpop ? { DPoP: dpop } : {}),
        ...oauthRequestOptions(as.token_endpoint!, request.authFetch),
      });
      return oauth.processAuthorizationCodeResponse(as, identity.client, response, nonce ? { expectedNonce: nonce, requireIdToken: true } : undefined);
    });
    const idTokenClaims = nonce ? oauth.getValidatedIdTokenClaims(tokens) : undefined;
    return { tokens, ...(idTokenClaims ? { idTokenClaims } : {}) };
  } catch (error) {
    throw grantError(error, `the token request at ${as.issuer}`);
  }
}
