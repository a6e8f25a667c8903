// The person's one sign-in at the company identity provider (OIDC, PKCE, nonce), kept fresh and used for ID-JAG exchanges.
import * as oauth from 'oauth4webapi';
import type { AuthConfig, IdpConfig } from '../config/config-schema.ts';
import { SwitchboardError } from '../errors.ts';
import type { Clock, Logger } from '../ports.ts';
import { vaultAccounts, type SsoRecord, type Vault } from '../vault/vault.ts';
import { grantError, guardedAuthFetch, oauthRequestOptions, type AuthFetch } from './auth-http.ts';
import { runAuthorizationCodeFlow } from './authorization-code-flow.ts';
import { clientAuthentication, type ClientIdentity } from './client-identity.ts';
import { discoverAuthorizationServer } from './discovery.ts';
import { loopbackRedirectOptions, startLoopbackRedirect } from './loopback-redirect.ts';
import { authGuardFor, type AuthNetworkOptions } from './named-hosts.ts';
import type { SecurityEvent } from './security-event.ts';
import type { PersonPresent } from './sign-in-desk.ts';
import { exchangeForIdJag } from './token-grants.ts';
import { revokeTokens } from './token-revocation.ts';

/** Renew a little before expiry, so a token never expires between being read and being used. */
export const EXPIRY_MARGIN_MS = 60_000;

export interface SsoStatus {
  configured: boolean;
  signedIn: boolean;
  issuer?: string;
  subject?: string;
  email?: string;
  idTokenExpiresAt?: string;
}

export interface SsoSessionDeps {
  idp: IdpConfig;
  auth: AuthConfig;
  vault: Vault;
  logger: Logger;
  clock: Clock;
  onSecurityEvent?: (event: SecurityEvent) => void;
  /** Hosts named beyond the issuer's own (named-hosts.ts); tests add a resolver and a connector spy. */
  network?: AuthNetworkOptions;
}

export class SsoSession {
  readonly #deps: SsoSessionDeps;
  #metadata: Promise<oauth.AuthorizationServer> | undefined;
  #refreshing: Promise<SsoRecord> | undefined;
  /** The IdP's metadata names its endpoints: they are fetched under the address policy like any server's. */
  readonly #fetch: AuthFetch;

  constructor(deps: SsoSessionDeps) {
    this.#deps = deps;
    this.#fetch = guardedAuthFetch(authGuardFor(deps.idp.issuer, deps.network));
  }

  get issuer(): string {
    return this.#deps.idp.issuer;
  }

  /** A person's sign-in at the IdP: the URL goes where they asked from; the ID token (and refresh token) go to the keychain. */
  async signIn(person: PersonPresent): Promise<SsoStatus> {
    const { idp, auth, vault } = this.#deps;
    const as = await this.#discover();
    // The redirect URI exactly as the IdP registered it, when the company set one; any loopback port otherwise.
    const redirect = await startLoopbackRedirect(idp.redirectUri ? loopbackRedirectOptions(idp.redirectUri) : auth.redirectPort);
    try {
      const result = await runAuthorizationCodeFlow({
        as,
        identity: await this.#identity(),
        redirect,
        browser: person.handoff,
        scope: idp.scopes.join(' '),
        extraParams: idp.extraAuthorizationParams,
        openid: true,
        timeoutMs: auth.signInTimeoutMs,
        signal: person.signal,
        authFetch: this.#fetch,
      });
      await vault.write(vaultAccounts.sso(), this.#record(result.tokens, result.idTokenClaims!));
    } finally {
      await redirect.close();
    }
    this.#deps.logger.log('info', 'auth.sso_signed_in', { issuer: idp.issuer });
    this.#deps.onSecurityEvent?.({ method: 'auth.sso_signed_in', outcome: 'ok', details: { issuer: idp.issuer } });
    return this.status();
  }

  /** For ID tokens obtained elsewhere (a company agent, a test harness): checked for issuer, audience and expiry, then stored. */
  async importIdToken(idToken: string): Promise<SsoStatus> {
    const claims = await decodeClaims(idToken);
    if (claims.iss !== this.#deps.idp.issuer)
      throw new SwitchboardError(
        'AUTH_SSO_REQUIRED',
        `the ID token was issued by ${String(claims.iss)}, not by the configured identity provider ${this.#deps.idp.issuer}`,
      );
    const audiences = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
    if (!audiences.includes(this.#deps.idp.clientId))
      throw new SwitchboardError('AUTH_SSO_REQUIRED', `the ID token is not for the client ${this.#deps.idp.clientId}`);
    if (typeof claims.exp !== 'number' || claims.exp * 1000 <= this.#deps.clock.now())
      throw new SwitchboardError('AUTH_SSO_REQUIRED', 'the ID token has expired');
    await this.#deps.vault.write(vaultAccounts.sso(), {
      issuer: this.#deps.idp.issuer,
      idToken,
      idTokenExpiresAt: claims.exp * 1000,
      subject: String(claims.sub),
      ...(typeof claims.email === 'string' ? { email: claims.email } : {}),
    } satisfies SsoRecord);
    return this.status();
  }

  /** Forgets the session and asks the IdP to revoke its refresh token (RFC 7009), so no copy of it works elsewhere. */
  async signOut(): Promise<{ revoked: string[] }> {
    const record = await this.#deps.vault.read<SsoRecord>(vaultAccounts.sso()).catch(() => undefined);
    if (!(await this.#deps.vault.remove(vaultAccounts.sso()))) return { revoked: [] };
    let revoked: string[] = [];
    if (record?.refreshToken && record.issuer === this.#deps.idp.issuer) {
      try {
        revoked = (await revokeTokens(await this.#discover(), await this.#identity(), { refreshToken: record.refreshToken }, this.#deps.logger, this.#fetch))
          .revoked;
      } catch (error) {
        this.#deps.logger.log('warn', 'auth.revocation_failed', { issuer: this.#deps.idp.issuer, message: (error as Error).message });
      }
    }
    this.#deps.onSecurityEvent?.({ method: 'auth.sso_signed_out', outcome: 'ok', details: { issuer: this.#deps.idp.issuer, revoked } });
    return { revoked };
  }

  async status(): Promise<SsoStatus> {
    const record = await this.#deps.vault.read<SsoRecord>(vaultAccounts.sso());
    if (!record || record.issuer !== this.#deps.idp.issuer) return { configured: true, signedIn: false, issuer: this.#deps.idp.issuer };
    return {
      configured: true,
      signedIn: record.idTokenExpiresAt > this.#deps.clock.now() || Boolean(record.refreshToken),
      issuer: record.issuer,
      subject: record.subject,
      ...(record.email ? { email: record.email } : {}),
      idTokenExpiresAt: new Date(record.idTokenExpiresAt).toISOString(),
    };
  }

  /** The person's user id at the IdP, for the audit trail; undefined when nobody is signed in. */
  async subject(): Promise<string | undefined> {
    return (await this.#deps.vault.read<SsoRecord>(vaultAccounts.sso()))?.subject;
  }

  /**
   * An ID-JAG for one authorization server and resource. An expired ID token is refreshed at the IdP first; only when
   * that fails does the person have to sign in again (AUTH_SSO_REQUIRED).
   */
  async idJagFor(audience: string, resource: string | undefined, scope: string | undefined): Promise<string> {
    const request = async (record: SsoRecord) =>
      exchangeForIdJag(
        await this.#discover(),
        await this.#identity(),
        { idToken: record.idToken, audience, ...(resource ? { resource } : {}), ...(scope ? { scope } : {}) },
        this.#fetch,
      );
    const record = await this.#freshRecord();
    try {
      return (await request(record)).idJag;
    } catch (error) {
      // The IdP may consider the ID token stale before its exp (revoked session, clock skew): refresh once and retry.
      if (!record.refreshToken || !(error instanceof SwitchboardError && error.code === 'AUTH_GRANT_FAILED' && /invalid_grant/.test(error.message)))
        throw error;
      return (await request(await this.#refresh(record))).idJag;
    }
  }

  async #freshRecord(): Promise<SsoRecord> {
    const record = await this.#deps.vault.read<SsoRecord>(vaultAccounts.sso());
    if (!record || record.issuer !== this.#deps.idp.issuer)
      throw new SwitchboardError('AUTH_SSO_REQUIRED', `nobody is signed in to ${this.#deps.idp.issuer}; run \`switchboard login\``);
    if (record.idTokenExpiresAt - EXPIRY_MARGIN_MS > this.#deps.clock.now()) return record;
    return this.#refresh(record);
  }

  /** Single-flight: many servers renewing at once cause one refresh at the IdP (rotation-safe). */
  #refresh(record: SsoRecord): Promise<SsoRecord> {
    this.#refreshing ??= (async () => {
      if (!record.refreshToken)
        throw new SwitchboardError('AUTH_SSO_REQUIRED', `the sign-in at ${this.#deps.idp.issuer} has expired; run \`switchboard login\` to sign in again`);
      const as = await this.#discover();
      const identity = await this.#identity();
      let tokens: oauth.TokenEndpointResponse;
      try {
        const response = await oauth.refreshTokenGrantRequest(
          as,
          identity.client,
          identity.clientAuth,
          record.refreshToken,
          oauthRequestOptions(as.token_endpoint!, this.#fetch),
        );
        tokens = await oauth.processRefreshTokenResponse(as, identity.client, response);
      } catch (error) {
        const cause = grantError(error, `refreshing the sign-in at ${this.#deps.idp.issuer}`);
        // The IdP is down, or its metadata names an endpoint the address policy refuses: not the person's fault, so the session stays.
        if ((cause.code === 'AUTH_GRANT_FAILED' && !(error instanceof oauth.ResponseBodyError)) || cause.code === 'AUTH_ADDRESS_REFUSED') throw cause;
        await this.#deps.vault.remove(vaultAccounts.sso());
        this.#deps.onSecurityEvent?.({
          method: 'auth.sso_refresh_failed',
          outcome: 'failure',
          errorType: 'AUTH_SSO_REQUIRED',
          details: { issuer: this.#deps.idp.issuer },
        });
        throw new SwitchboardError(
          'AUTH_SSO_REQUIRED',
          `the sign-in at ${this.#deps.idp.issuer} ended (${cause.message}); run \`switchboard login\` to sign in again`,
          { cause },
        );
      }
      const claims = oauth.getValidatedIdTokenClaims(tokens);
      if (!claims)
        throw new SwitchboardError(
          'AUTH_SSO_REQUIRED',
          `the identity provider ${this.#deps.idp.issuer} refreshed the sign-in without a new ID token; run \`switchboard login\``,
        );
      const refreshed = this.#record(tokens, claims, record.refreshToken);
      await this.#deps.vault.write(vaultAccounts.sso(), refreshed);
      this.#deps.logger.log('info', 'auth.sso_refreshed', { issuer: this.#deps.idp.issuer });
      this.#deps.onSecurityEvent?.({ method: 'auth.sso_refreshed', outcome: 'ok', details: { issuer: this.#deps.idp.issuer } });
      return refreshed;
    })().finally(() => {
      this.#refreshing = undefined;
    });
    return this.#refreshing;
  }

  #record(tokens: oauth.TokenEndpointResponse, claims: oauth.IDToken, previousRefreshToken?: string): SsoRecord {
    const refreshToken = tokens.refresh_token ?? previousRefreshToken;
    return {
      issuer: this.#deps.idp.issuer,
      idToken: tokens.id_token!,
      idTokenExpiresAt: claims.exp * 1000,
      ...(refreshToken ? { refreshToken } : {}),
      subject: claims.sub,
      ...(typeof claims.email === 'string' ? { email: claims.email } : {}),
    };
  }

  #discover(): Promise<oauth.AuthorizationServer> {
    this.#metadata ??= discoverAuthorizationServer(this.#deps.idp.issuer, false, this.#fetch).catch((error: unknown) => {
      this.#metadata = undefined;
      throw error;
    });
    return this.#metadata;
  }

  async #identity(): Promise<ClientIdentity> {
    const { idp, vault } = this.#deps;
    const secret = idp.tokenEndpointAuthMethod === 'none' ? undefined : await vault.getSecret(vaultAccounts.idpClientSecret());
    if (idp.tokenEndpointAuthMethod !== 'none' && !secret)
      throw new SwitchboardError('AUTH_REGISTRATION_FAILED', 'the identity provider needs a client secret; run `switchboard auth set-secret idp`');
    const record = { clientId: idp.clientId, tokenEndpointAuthMethod: idp.tokenEndpointAuthMethod, ...(secret ? { clientSecret: secret } : {}) };
    return {
      client: { client_id: idp.clientId, token_endpoint_auth_method: idp.tokenEndpointAuthMethod },
      clientAuth: await clientAuthentication(record),
      registeredBy: 'pre-registered',
    };
  }
}

/** Reads a JWT's claims without verifying it: used only on a token the person handed us, then checked against config. */
async function decodeClaims(jwt: string): Promise<Record<string, unknown>> {
  // jose is loaded when first needed: most runs never import an ID token, and start-up memory matters on a desktop.
  const { decodeJwt } = await import('jose');
  try {
    return decodeJwt(jwt);
  } catch {
    throw new SwitchboardError('AUTH_SSO_REQUIRED', 'that is not an ID token (a JWT)');
  }
}
