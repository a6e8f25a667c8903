// Self-tests of the sandbox IdP and authorization servers, driven by oauth4webapi exactly as the app will drive them.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { decodeJwt, decodeProtectedHeader } from 'jose';
import * as oauth from 'oauth4webapi';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAuthorizationServer, JWT_BEARER_GRANT, ID_JAG_GRANT_PROFILE, type AuthorizationServer } from './authorization-server.ts';
import { ID_JAG_TOKEN_TYPE, ID_TOKEN_TYPE, startIdentityProvider, TOKEN_EXCHANGE_GRANT, type IdentityProvider } from './identity-provider.ts';
import { startMcpServer, type SandboxMcpServer } from './mcp-servers.ts';
import { visitAuthorizationUrl } from './scripted-browser.ts';

const insecure = { [oauth.allowInsecureRequests]: true } as const;
/** ID-JAG responses say token_type N_A (RFC 8693); tell oauth4webapi that is expected. */
const idJagTokenType = { recognizedTokenTypes: { n_a: () => undefined } };

async function discover(issuer: string, algorithm: 'oidc' | 'oauth2'): Promise<oauth.AuthorizationServer> {
  const url = new URL(issuer);
  return oauth.processDiscoveryResponse(url, await oauth.discoveryRequest(url, { algorithm, ...insecure }));
}

/** A loopback listener like the app's: any free port, answering the browser once it lands there. */
async function startCallbackListener(): Promise<{ redirectUri: string; server: Server }> {
  const server = createServer((_request, response) => response.writeHead(200, { 'content-type': 'text/plain' }).end('You can close this window.'));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return { redirectUri: `http://127.0.0.1:${(server.address() as AddressInfo).port}/callback`, server };
}

/** An authorization request with fresh PKCE (S256) and state, to the given server, for the callback listener. */
async function authorizationRequest(as: oauth.AuthorizationServer, params: Record<string, string>): Promise<{ url: URL; codeVerifier: string; state: string }> {
  const codeVerifier = oauth.generateRandomCodeVerifier();
  const state = oauth.generateRandomState();
  const url = new URL(as.authorization_endpoint!);
  url.search = new URLSearchParams({
    response_type: 'code',
    code_challenge: await oauth.calculatePKCECodeChallenge(codeVerifier),
    code_challenge_method: 'S256',
    state,
    ...params,
  }).toString();
  return { url, codeVerifier, state };
}

async function expectOAuthError(promise: Promise<unknown>, error: string): Promise<void> {
  await expect(promise).rejects.toSatisfy((thrown: unknown) => thrown instanceof oauth.ResponseBodyError && thrown.error === error);
}

describe('sandbox identity provider and authorization servers', () => {
  let idp: IdentityProvider;
  let as: AuthorizationServer;
  let otherAs: AuthorizationServer;
  let mcp: SandboxMcpServer;
  let callback: { redirectUri: string; server: Server };
  let idpMetadata: oauth.AuthorizationServer;
  let asMetadata: oauth.AuthorizationServer;
  const desktopAtAs = { client_id: 'switchboard-at-crm', client_secret: 'crm-secret-for-tests' };

  beforeAll(async () => {
    idp = await startIdentityProvider();
    const idpTrust = { issuer: idp.issuer, jwksUri: idp.jwksUri };
    as = await startAuthorizationServer({
      scopesSupported: ['read', 'admin'],
      trustedIdp: idpTrust,
      clients: [{ ...desktopAtAs, grant_types: [JWT_BEARER_GRANT], redirect_uris: [], response_types: [], token_endpoint_auth_method: 'client_secret_basic' }],
    });
    otherAs = await startAuthorizationServer({ scopesSupported: ['read'], trustedIdp: idpTrust });
    mcp = await startMcpServer({
      name: 'crm',
      era: 'modern',
      auth: { verifyAccessToken: (token) => as.verifyAccessToken(token), authorizationServers: [as.issuer], scopesSupported: ['read', 'admin'] },
    });
    as.setResource(mcp.url);
    otherAs.setResource('http://127.0.0.1:1/other');
    idp.trustAuthorizationServer({ issuer: as.issuer, clientIdAtAs: desktopAtAs.client_id, resources: [mcp.url] });
    callback = await startCallbackListener();
    idpMetadata = await discover(idp.issuer, 'oidc');
    asMetadata = await discover(as.issuer, 'oauth2');
  });

  afterAll(async () => {
    callback?.server.close();
    await Promise.all([mcp?.close(), as?.close(), otherAs?.close(), idp?.close()]);
  });

  const desktopClient = (): oauth.Client => ({ client_id: idp.clientId });
  const desktopAuth = (): oauth.ClientAuth => oauth.ClientSecretBasic(idp.clientSecret);

  /** One SSO sign-in at the IdP through the scripted browser; returns the token response. */
  async function signIn(): Promise<oauth.TokenEndpointResponse> {
    const nonce = oauth.generateRandomNonce();
    const { url, codeVerifier, state } = await authorizationRequest(idpMetadata, {
      client_id: idp.clientId,
      redirect_uri: callback.redirectUri,
      // oidc-provider drops offline_access unless consent is prompted for (OIDC Core §11).
      scope: 'openid email profile offline_access',
      prompt: 'consent',
      nonce,
    });
    const visit = await visitAuthorizationUrl(url);
    expect(visit.delivered?.status).toBe(200);
    const params = oauth.validateAuthResponse(idpMetadata, desktopClient(), visit.callbackUrl, state);
    const response = await oauth.authorizationCodeGrantRequest(
      idpMetadata,
      desktopClient(),
      desktopAuth(),
      params,
      callback.redirectUri,
      codeVerifier,
      insecure,
    );
    // Returned as is: oauth4webapi remembers validated responses by identity (getValidatedIdTokenClaims).
    return oauth.processAuthorizationCodeResponse(idpMetadata, desktopClient(), response, { expectedNonce: nonce, requireIdToken: true });
  }

  async function exchangeForIdJag(idToken: string, audience: string, resource?: string): Promise<oauth.TokenEndpointResponse> {
    const response = await oauth.genericTokenEndpointRequest(
      idpMetadata,
      desktopClient(),
      desktopAuth(),
      TOKEN_EXCHANGE_GRANT,
      {
        requested_token_type: ID_JAG_TOKEN_TYPE,
        subject_token: idToken,
        subject_token_type: ID_TOKEN_TYPE,
        audience,
        ...(resource ? { resource } : {}),
        scope: 'read admin',
      },
      insecure,
    );
    return oauth.processGenericTokenEndpointResponse(idpMetadata, desktopClient(), response, idJagTokenType);
  }

  async function jwtBearer(assertion: string, target: oauth.AuthorizationServer = asMetadata, scope = 'read'): Promise<oauth.TokenEndpointResponse> {
    const client = { client_id: desktopAtAs.client_id };
    const response = await oauth.genericTokenEndpointRequest(
      target,
      client,
      oauth.ClientSecretBasic(desktopAtAs.client_secret),
      JWT_BEARER_GRANT,
      { assertion, scope },
      insecure,
    );
    return oauth.processGenericTokenEndpointResponse(target, client, response);
  }

  it('signs in with authorization code + PKCE on any loopback port and issues an ID token and a refresh token', async () => {
    const tokens = await signIn();
    const claims = oauth.getValidatedIdTokenClaims(tokens)!;
    expect(claims).toMatchObject({ iss: idp.issuer, sub: 'alice', aud: idp.clientId });
    expect(tokens.refresh_token).toEqual(expect.any(String));
  });

  it('rotates refresh tokens, and a used or revoked refresh token is invalid_grant', async () => {
    const { refresh_token: first } = await signIn();
    const refreshed = await oauth.processRefreshTokenResponse(
      idpMetadata,
      desktopClient(),
      await oauth.refreshTokenGrantRequest(idpMetadata, desktopClient(), desktopAuth(), first!, insecure),
    );
    expect(refreshed.refresh_token).not.toBe(first);
    await expectOAuthError(
      oauth
        .refreshTokenGrantRequest(idpMetadata, desktopClient(), desktopAuth(), first!, insecure)
        .then((r) => oauth.processRefreshTokenResponse(idpMetadata, desktopClient(), r)),
      'invalid_grant',
    );
    expect(await idp.revokeRefreshTokens('alice')).toBeGreaterThan(0);
    await expectOAuthError(
      oauth
        .refreshTokenGrantRequest(idpMetadata, desktopClient(), desktopAuth(), refreshed.refresh_token!, insecure)
        .then((r) => oauth.processRefreshTokenResponse(idpMetadata, desktopClient(), r)),
      'invalid_grant',
    );
  });

  it('reports a declined consent as access_denied on the callback', async () => {
    idp.denyNextConsent();
    const { url, state } = await authorizationRequest(idpMetadata, { client_id: idp.clientId, redirect_uri: callback.redirectUri, scope: 'openid' });
    const visit = await visitAuthorizationUrl(url, { deliver: false });
    expect(() => oauth.validateAuthResponse(idpMetadata, desktopClient(), visit.callbackUrl, state)).toThrow(
      expect.objectContaining({ error: 'access_denied' }) as Error,
    );
  });

  it('exchanges the ID token for an ID-JAG (RFC 8693), then the ID-JAG for an audience-bound token (RFC 7523)', async () => {
    expect(asMetadata).toMatchObject({ authorization_grant_profiles_supported: [ID_JAG_GRANT_PROFILE], code_challenge_methods_supported: ['S256'] });
    const { id_token: idToken } = await signIn();
    const exchanged = await exchangeForIdJag(idToken!, as.issuer, mcp.url);
    expect(exchanged).toMatchObject({ issued_token_type: ID_JAG_TOKEN_TYPE, token_type: 'n_a', expires_in: 300 });
    const idJag = exchanged.access_token;
    expect(decodeProtectedHeader(idJag).typ).toBe('oauth-id-jag+jwt');
    expect(decodeJwt(idJag)).toMatchObject({
      iss: idp.issuer,
      sub: 'alice',
      aud: as.issuer,
      resource: mcp.url,
      client_id: desktopAtAs.client_id,
      scope: 'read admin',
    });

    const access = await jwtBearer(idJag, asMetadata, 'read');
    expect(access.scope).toBe('read');
    expect(decodeJwt(access.access_token).aud).toBe(mcp.url);
    await expect(as.verifyAccessToken(access.access_token)).resolves.toMatchObject({ sub: 'alice', clientId: desktopAtAs.client_id, scopes: ['read'] });

    // The token works against the real protected MCP server, and only there.
    const client = new Client({ name: 'auth-sandbox-test', version: '1.0.0' }, { versionNegotiation: { mode: 'auto' } });
    await client.connect(new StreamableHTTPClientTransport(new URL(mcp.url), { requestInit: { headers: { authorization: `Bearer ${access.access_token}` } } }));
    const whoami = await client.callTool({ name: 'whoami', arguments: {} });
    const [first] = whoami.content;
    expect(JSON.parse(first?.type === 'text' ? first.text : '{}')).toMatchObject({ sub: 'alice', clientId: desktopAtAs.client_id });
    await client.close();

    // An ID-JAG is single-use.
    await expectOAuthError(jwtBearer(idJag), 'invalid_grant');
  });

  it('refuses an ID-JAG minted for another authorization server, and an untrusted audience at the IdP', async () => {
    idp.trustAuthorizationServer({ issuer: otherAs.issuer, clientIdAtAs: desktopAtAs.client_id });
    const { id_token: idToken } = await signIn();
    const forOther = await exchangeForIdJag(idToken!, otherAs.issuer);
    await expectOAuthError(jwtBearer(forOther.access_token), 'invalid_grant');
    await expectOAuthError(exchangeForIdJag(idToken!, 'http://127.0.0.1:1/unknown-as'), 'invalid_target');
    await expectOAuthError(exchangeForIdJag('not-a-jwt', as.issuer), 'invalid_grant');
  });

  it('runs the standard MCP flow at the AS: DCR as a native app, code + PKCE with resource, audience-bound token, refresh', async () => {
    const registered = await oauth.processDynamicClientRegistrationResponse(
      await oauth.dynamicClientRegistrationRequest(
        asMetadata,
        {
          client_name: 'Switchboard',
          application_type: 'native',
          redirect_uris: [callback.redirectUri],
          grant_types: ['authorization_code', 'refresh_token'],
          token_endpoint_auth_method: 'none',
        },
        insecure,
      ),
    );
    const client: oauth.Client = { client_id: registered.client_id };
    const { url, codeVerifier, state } = await authorizationRequest(asMetadata, {
      client_id: client.client_id,
      redirect_uri: callback.redirectUri,
      scope: 'read',
      resource: mcp.url,
    });
    const visit = await visitAuthorizationUrl(url);
    expect(visit.callbackUrl.searchParams.get('iss')).toBe(as.issuer);
    const params = oauth.validateAuthResponse(asMetadata, client, visit.callbackUrl, state);
    const tokens = await oauth.processAuthorizationCodeResponse(
      asMetadata,
      client,
      await oauth.authorizationCodeGrantRequest(asMetadata, client, oauth.None(), params, callback.redirectUri, codeVerifier, {
        ...insecure,
        additionalParameters: { resource: mcp.url },
      }),
    );
    expect(decodeJwt(tokens.access_token)).toMatchObject({ aud: mcp.url, iss: as.issuer, scope: 'read' });
    await expect(as.verifyAccessToken(tokens.access_token)).resolves.toMatchObject({ sub: 'alice', scopes: ['read'] });
    const refreshed = await oauth.processRefreshTokenResponse(
      asMetadata,
      client,
      await oauth.refreshTokenGrantRequest(asMetadata, client, oauth.None(), tokens.refresh_token!, {
        ...insecure,
        additionalParameters: { resource: mcp.url },
      }),
    );
    expect(decodeJwt(refreshed.access_token).aud).toBe(mcp.url);
    await expect(as.verifyAccessToken('eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.')).rejects.toThrow();
  });
});
