// One server's token: kept for the server it was issued for, renewed before expiry, obtained silently (ID-JAG, client credentials) or in a sign-in a person started.
import { CLIENT_CAPABILITIES_META_KEY, CLIENT_INFO_META_KEY, extractWWWAuthenticateParams, PROTOCOL_VERSION_META_KEY } from '@modelcontextprotocol/client';
import * as oauth from 'oauth4webapi';
import type { AuthConfig, ServerConfig } from '../config/config-schema.ts';
import { SwitchboardError } from '../errors.ts';
import { SWITCHBOARD_IMPLEMENTATION } from '../version.ts';
import type { Clock, Logger } from '../ports.ts';
import { vaultAccounts, type TokenRecord, type Vault } from '../vault/vault.ts';
import { guardedAuthFetch, type AuthFetch } from './auth-http.ts';
import { runAuthorizationCodeFlow } from './authorization-code-flow.ts';
import { resolveClientIdentity, type ClientIdentity } from './client-identity.ts';
import { dpopHandleFor, wantsDpop } from './dpop-proof-key.ts';
import { discoverAuthorizationServer, discoverProtectedResource, type ProtectedResource } from './discovery.ts';
import type { SsoSession } from './enterprise-sso.ts';
import { startLoopbackRedirect } from './loopback-redirect.ts';
import { authGuardFor, type AuthNetworkOptions } from './named-hosts.ts';
import type { SecurityEvent } from './security-event.ts';
import type { PersonPresent } from './sign-in-desk.ts';
import { SignInRequiredError } from './sign-in-required.ts';
import { tokenFreshness } from './renewal-time.ts';
import { clientCredentialsGrant, ID_JAG_GRANT_PROFILE, JWT_BEARER_GRANT, jwtBearerGrant, refreshGrant, toTokenRecord } from './token-grants.ts';
import { revokeTokens } from './token-revocation.ts';
import { workloadAssertionFor, workloadIdentityGrant } from './workload-identity.ts';

/** What a person sees per server. */
export interface ServerAuthStatus {
  state: 'not-required' | 'signed-in' | 'needs-sign-in' | 'refreshing' | 'failed';
  via?: TokenRecord['grant'];
  expiresAt?: string;
  scope?: string;
  reason?: string;
  code?: string;
}

/** The server's WWW-Authenticate challenge, as far as the flows need it. */
export interface AuthChallenge {
  resourceMetadataUrl?: string;
  scope?: string;
}

// Kept importable from here for callers written before the event had its own module.
export type { SecurityEvent } from './security-event.ts';

export interface ServerAuthorizerDeps {
  auth: AuthConfig;
  vault: Vault;
  sso: SsoSession | undefined;
  logger: Logger;
  clock: Clock;
  /** Called after a new token was obtained (e.g. a sign-in finished in the background), so lists can be refreshed. */
  onTokenObtained?: () => void;
  /** Security events for the audit trail (token obtained or refreshed, failures, sign-out); never carries a secret. */
  onSecurityEvent?: (event: SecurityEvent) => void;
  /** Hosts named beyond this server's own (named-hosts.ts); tests add a resolver and a connector spy. */
  network?: AuthNetworkOptions;
}

/**
 * The extension's signal is the ID-JAG grant profile in the AS metadata; authorization servers that predate that field
 * only list the JWT bearer grant, which with a configured IdP is taken as the same offer.
 */
function offersIdJag(as: oauth.AuthorizationServer): boolean {
  const profiles = as.authorization_grant_profiles_supported;
  if (Array.isArray(profiles) && profiles.includes(ID_JAG_GRANT_PROFILE)) return true;
  return Boolean(as.grant_types_supported?.includes(JWT_BEARER_GRANT));
}

/** The revision the sign-in probe speaks; a 2025-era server answers its 401 before it looks at the version. */
const PROBE_PROTOCOL_VERSION = '2026-07-28';

/**
 * A well-formed 2026-07-28 ping: the version header, SEP-2243's method header and SEP-2575's per-request `_meta` are
 * required of every request at that revision, and a strict server refuses one without them before it says whether a
 * token is needed.
 */
const PROBE_BODY = JSON.stringify({
  jsonrpc: '2.0',
  id: 0,
  method: 'ping',
  params: {
    _meta: {
      [PROTOCOL_VERSION_META_KEY]: PROBE_PROTOCOL_VERSION,
      [CLIENT_INFO_META_KEY]: SWITCHBOARD_IMPLEMENTATION,
      [CLIENT_CAPABILITIES_META_KEY]: {},
    },
  },
});

/** An unauthenticated request to the MCP endpoint: its 401 challenge, or undefined when the server lets it through. */
async function probeChallenge(serverUrl: string): Promise<AuthChallenge | undefined> {
  const response = await fetch(serverUrl, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
      'mcp-protocol-version': PROBE_PROTOCOL_VERSION,
      'mcp-method': 'ping',
    },
    body: PROBE_BODY,
    signal: AbortSignal.timeout(15_000),
  }).catch((error: unknown) => {
    throw new SwitchboardError('UPSTREAM_UNAVAILABLE', `could not reach ${serverUrl} to sign in: ${(error as Error).message}`, { cause: error });
  });
  await response.body?.cancel();
  if (response.status !== 401) return undefined;
  const { resourceMetadataUrl, scope } = extractWWWAuthenticateParams(response);
  return { ...(resourceMetadataUrl ? { resourceMetadataUrl: resourceMetadataUrl.href } : {}), ...(scope ? { scope } : {}) };
}

/** Repeated 403s asking for scopes a sign-in did not grant end here instead of looping (the spec asks for a limit). */
const MAX_FAILED_STEP_UPS = 2;

/** How a person's sign-in went: they may have found the server needs none, or been signed in silently. */
export type SignInOutcome = 'not-required' | 'signed-in';

/** What an upstream request carries: the token, and for a DPoP-bound one the proof key every request must be signed with. */
export interface UpstreamCredential {
  token: string;
  dpop?: oauth.DPoPHandle;
}

export class ServerAuthorizer {
  readonly #server: ServerConfig;
  readonly #deps: ServerAuthorizerDeps;
  #record: TokenRecord | undefined;
  #loaded = false;
  #status: ServerAuthStatus = { state: 'not-required' };
  /** The silent grant or renewal in flight: bounded by HTTP deadlines, so requests may join it. A person's sign-in is never here. */
  #pending: Promise<void> | undefined;
  #context: { prm: ProtectedResource; as: oauth.AuthorizationServer } | undefined;
  #failedStepUps = 0;
  /** Scopes a server asked for in a 403 that only a person's sign-in can grant: the next one asks for them. */
  #wantedScope: string | undefined;
  /** Every request this server's metadata leads to goes through it: the address policy decides before any socket opens. */
  readonly #fetch: AuthFetch;
  /** This server's DPoP proof key, read from (or made in) the keychain once; it also keeps each origin's latest nonce. */
  #proofKey: Promise<oauth.DPoPHandle> | undefined;

  constructor(server: ServerConfig, deps: ServerAuthorizerDeps) {
    this.#server = server;
    this.#deps = deps;
    this.#fetch = deps.network?.inProcessFetch ?? guardedAuthFetch(authGuardFor(server.url, deps.network, [deps.auth.idp?.issuer]));
  }

  get serverId(): string {
    return this.#server.id;
  }

  status(): ServerAuthStatus {
    return { ...this.#status };
  }

  /** The status after reading the keychain, so a server that holds a token says so before its first request. */
  async currentStatus(): Promise<ServerAuthStatus> {
    await this.#load();
    return this.status();
  }

  /**
   * The token to send now. Past three quarters of its lifetime it is renewed in the background while it still
   * works; only an expired token makes the request wait, for a renewal bounded by HTTP deadlines.
   */
  async accessToken(): Promise<string | undefined> {
    const record = await this.#current();
    // A DPoP-bound token is useless without a proof and must not travel as a bearer token (RFC 9449 §7.1).
    if (record?.tokenType === 'dpop')
      throw new SwitchboardError('AUTH_PROOF_REQUIRED', `the token for "${this.#server.id}" is DPoP-bound and is only sent with a proof`);
    return record?.accessToken;
  }

  /** The token to send now, with the proof key when it is DPoP-bound (authorized-fetch.ts signs each request with it). */
  async credential(): Promise<UpstreamCredential | undefined> {
    const record = await this.#current();
    if (!record) return undefined;
    return record.tokenType === 'dpop' ? { token: record.accessToken, dpop: await this.#dpop() } : { token: record.accessToken };
  }

  async #current(): Promise<TokenRecord | undefined> {
    const record = await this.#load();
    if (!record) return undefined;
    const freshness = tokenFreshness(record, this.#deps.clock.now());
    if (freshness === 'fresh') return record;
    const renewal = this.#singleFlight(() => this.#renew(record));
    renewal.catch(() => undefined);
    if (freshness === 'renew-soon') return record;
    await renewal.catch(() => undefined);
    return this.#record;
  }

  #dpop(): Promise<oauth.DPoPHandle> {
    this.#proofKey ??= dpopHandleFor(this.#server.id, this.#deps.vault);
    // A keychain that failed once is asked again next time, not remembered as failed.
    this.#proofKey.catch(() => (this.#proofKey = undefined));
    return this.#proofKey;
  }

  /** Proofs at the token endpoint when this server's tokens are (or are to be) DPoP-bound. */
  async #dpopFor(as: oauth.AuthorizationServer, prm: ProtectedResource | undefined, record?: TokenRecord): Promise<oauth.DPoPHandle | undefined> {
    return record?.tokenType === 'dpop' || wantsDpop(as, prm) ? this.#dpop() : undefined;
  }

  /**
   * The server answered 401: get a token silently (another process's, ID-JAG, client credentials), once for all
   * waiting requests. Never opens a browser and never waits for a person: when only a person can sign in, this
   * fails at once with AUTH_SIGN_IN_REQUIRED (or AUTH_SSO_REQUIRED) and the caller tells its client how to sign in.
   * `refusedToken` is the token the refused request carried, if any.
   */
  async authorize(challenge: AuthChallenge, refusedToken?: string): Promise<void> {
    // A newer token arrived while the refused request was on its way (a person just signed in): retry with it.
    if (this.#record && this.#record.accessToken !== refusedToken && tokenFreshness(this.#record, this.#deps.clock.now()) !== 'expired') return;
    await this.#singleFlight(() => this.#obtain(challenge, undefined));
  }

  /** The server answered 403 insufficient_scope: authorize again with the union of what we had and what it asks. */
  async stepUp(challenge: AuthChallenge): Promise<void> {
    if (this.#failedStepUps >= MAX_FAILED_STEP_UPS) {
      throw new SwitchboardError(
        'AUTH_INSUFFICIENT_SCOPE',
        `server "${this.#server.id}" still refuses the token after ${MAX_FAILED_STEP_UPS} sign-ins with more scopes (it asks for "${challenge.scope ?? ''}"); check with its administrator what your account may do`,
      );
    }
    this.#failedStepUps++;
    const scopes = new Set([...(this.#record?.scope?.split(' ') ?? []), ...(challenge.scope?.split(' ') ?? [])].filter(Boolean));
    this.#wantedScope = [...scopes].join(' ');
    await this.#singleFlight(() => this.#obtain(challenge, { scope: this.#wantedScope }));
  }

  /** A request went through with the current token: the step-up budget starts over. */
  succeeded(): void {
    this.#failedStepUps = 0;
  }

  /**
   * A person asked to sign in to this server (a click, `switchboard login <server>`, a sign-in link). The server is
   * asked first, as a client request would, so the flow starts from its own 401 challenge; one that answers without
   * a challenge needs no sign-in. Silent grants are tried before the browser.
   */
  async signInPerson(person: PersonPresent): Promise<SignInOutcome> {
    const challenge = await probeChallenge(this.#server.url);
    if (!challenge) {
      this.#status = { state: 'not-required' };
      return 'not-required';
    }
    const scope = this.#wantedScope ? { scope: this.#wantedScope } : {};
    // Silent means first, joined with any request already trying them (a grant made twice at once may be refused);
    // only what truly needs the person goes on to the browser.
    try {
      await this.#singleFlight(() => this.#obtain(challenge, scope));
      return 'signed-in';
    } catch (error) {
      if (!(error instanceof SwitchboardError && error.code === 'AUTH_SIGN_IN_REQUIRED')) throw error;
    }
    await this.#obtain(challenge, { ...scope, person });
    return 'signed-in';
  }

  /** Forgets the token here and in the keychain, and asks the authorization server to revoke it (RFC 7009) where it can. */
  async signOut(): Promise<{ revoked: string[] }> {
    const record = (await this.#load()) ?? (await this.#deps.vault.read<TokenRecord>(vaultAccounts.token(this.#server.id)).catch(() => undefined));
    this.#record = undefined;
    this.#loaded = true;
    const removed = await this.#deps.vault.remove(vaultAccounts.token(this.#server.id));
    // The proof key goes with the tokens bound to it: the next sign-in gets a new one, unlinkable to the old.
    this.#proofKey = undefined;
    await this.#deps.vault.remove(vaultAccounts.dpopKey(this.#server.id)).catch(() => false);
    if (this.#status.state !== 'not-required') this.#status = { state: 'needs-sign-in', reason: 'signed out' };
    let revoked: string[] = [];
    if (record) {
      revoked = (await this.#revoke(record)).revoked;
      this.#deps.onSecurityEvent?.({ method: 'auth.signed_out', server: this.#server.id, outcome: 'ok', details: { revoked } });
    } else if (removed) {
      this.#deps.onSecurityEvent?.({ method: 'auth.signed_out', server: this.#server.id, outcome: 'ok' });
    }
    return { revoked };
  }

  async #revoke(record: TokenRecord): Promise<{ revoked: string[] }> {
    try {
      const { as } = await this.#discovered({});
      if (as.issuer !== record.issuer) return { revoked: [] };
      return await revokeTokens(
        as,
        await this.#identity(as, undefined),
        { ...(record.refreshToken ? { refreshToken: record.refreshToken } : {}), accessToken: record.accessToken },
        this.#deps.logger,
        this.#fetch,
      );
    } catch (error) {
      this.#deps.logger.log('warn', 'auth.revocation_failed', { server: this.#server.id, message: (error as Error).message });
      return { revoked: [] };
    }
  }

  async #load(): Promise<TokenRecord | undefined> {
    if (!this.#loaded) {
      // A server that never asks for a token must keep working without a keychain; one that does gets VAULT_UNAVAILABLE then.
      const stored = await this.#deps.vault.read<TokenRecord>(vaultAccounts.token(this.#server.id)).catch(() => undefined);
      this.#loaded = true;
      this.#record = stored && (await this.#keepIfBound(stored));
      if (this.#record) this.#status = this.#signedIn(this.#record);
    }
    return this.#record;
  }

  /**
   * A token is only ever sent to the server it was issued for: a server id reused for another URL (or a record from
   * before the URL was kept, whose RFC 8707 resource names another server) is discarded, not sent.
   */
  async #keepIfBound(record: TokenRecord): Promise<TokenRecord | undefined> {
    const boundTo = record.serverUrl ?? record.resource;
    if (boundTo !== undefined && sameResource(boundTo, this.#server.url)) return record;
    await this.#deps.vault.remove(vaultAccounts.token(this.#server.id)).catch(() => false);
    this.#deps.logger.log('warn', 'auth.token_discarded', { server: this.#server.id, reason: 'issued for another server URL' });
    this.#deps.onSecurityEvent?.({
      method: 'auth.token_discarded',
      server: this.#server.id,
      outcome: 'ok',
      details: { reason: 'issued for another server URL' },
    });
    return undefined;
  }

  #singleFlight(operation: () => Promise<void>): Promise<void> {
    this.#pending ??= operation().finally(() => {
      this.#pending = undefined;
    });
    return this.#pending;
  }

  /**
   * Refresh where a refresh token exists; silent grants are simply run again; failing that, the next 401 decides.
   * A token that still works is kept when the renewal fails for a passing reason (the authorization server is down).
   */
  async #renew(record: TokenRecord): Promise<void> {
    this.#status = { ...this.#status, state: 'refreshing' };
    try {
      const { as, prm } = await this.#discovered({});
      if (record.refreshToken) {
        const identity = await this.#identity(as, undefined);
        const context = {
          issuer: as.issuer,
          clientId: record.clientId,
          serverUrl: this.#server.url,
          ...(record.resource ? { resource: record.resource } : {}),
          grant: record.grant,
          previous: record,
        };
        const tokens = await refreshGrant(as, identity, record, this.#fetch, await this.#dpopFor(as, prm, record));
        await this.#store(toTokenRecord(tokens, context, this.#deps.clock.now()), 'auth.token_refreshed');
      } else if (record.grant !== 'authorization_code') {
        await this.#obtain({}, { ...(record.scope ? { scope: record.scope } : {}), renewal: true });
      } else {
        throw new SwitchboardError('AUTH_SIGN_IN_REQUIRED', `the token for "${this.#server.id}" expired and cannot be refreshed; sign in again`);
      }
    } catch (error) {
      const stillValid = tokenFreshness(record, this.#deps.clock.now()) !== 'expired';
      // The authorization server said no (invalid_grant, a revoked grant) or only a person can help: the record is dead.
      const refused =
        (error as { cause?: unknown }).cause instanceof oauth.ResponseBodyError ||
        (error instanceof SwitchboardError && (error.code === 'AUTH_SIGN_IN_REQUIRED' || error.code === 'AUTH_SSO_REQUIRED'));
      if (stillValid && !refused) {
        this.#status = this.#signedIn(record);
        this.#deps.logger.log('warn', 'auth.renewal_deferred', { server: this.#server.id, message: (error as Error).message });
        throw error;
      }
      // The refresh token may be revoked or rotated away: forget the record so the next 401 starts a clean sign-in.
      this.#record = undefined;
      await this.#deps.vault.remove(vaultAccounts.token(this.#server.id)).catch(() => false);
      this.#fail(error, 'needs-sign-in');
      throw error;
    }
  }

  /**
   * Gets a token by whatever means this server allows. Without a person present only silent means are tried; with
   * one, the authorization-code flow runs as the last resort, its URL handed to wherever the person asked from.
   */
  async #obtain(challenge: AuthChallenge, options: { scope?: string; person?: PersonPresent; renewal?: boolean } | undefined): Promise<void> {
    const { scope: stepUpScope, person } = options ?? {};
    const tokenBefore = this.#record?.accessToken;
    const event = options?.renewal ? 'auth.token_refreshed' : 'auth.token_obtained';
    try {
      // Another Switchboard process (e.g. `switchboard login`) may have stored a newer token meanwhile: use it first.
      const stored = stepUpScope || person ? undefined : await this.#deps.vault.read<TokenRecord>(vaultAccounts.token(this.#server.id));
      const usable = stored && stored.accessToken !== this.#record?.accessToken ? await this.#keepIfBound(stored) : undefined;
      if (usable && tokenFreshness(usable, this.#deps.clock.now()) !== 'expired') {
        this.#record = usable;
        this.#status = this.#signedIn(usable);
        return;
      }
      const { prm, as } = await this.#discovered(challenge);
      const scope = stepUpScope ?? this.#initialScope(challenge, prm, as);
      const resource = this.#server.auth?.sendResource === false ? undefined : prm.resource;
      const context = { issuer: as.issuer, serverUrl: this.#server.url, ...(resource ? { resource } : {}), ...(scope ? { requestedScope: scope } : {}) };
      const now = () => this.#deps.clock.now();
      const dpop = await this.#dpopFor(as, prm);

      if (this.#server.auth?.grant === 'client_credentials') {
        const identity = await this.#identity(as, undefined);
        const tokens = await clientCredentialsGrant(as, identity, { ...(scope ? { scope } : {}), ...(resource ? { resource } : {}) }, this.#fetch, dpop);
        return await this.#store(toTokenRecord(tokens, { ...context, clientId: identity.client.client_id, grant: 'client_credentials' }, now()), event);
      }
      const workloadJwt = await workloadAssertionFor(this.#server, this.#deps.vault);
      if (workloadJwt) {
        const identity = await this.#identity(as, undefined);
        const tokens = await workloadIdentityGrant(as, identity, workloadJwt, scope, this.#fetch, dpop);
        return await this.#store(toTokenRecord(tokens, { ...context, clientId: identity.client.client_id, grant: 'workload-identity' }, now()), event);
      }
      const sso = this.#deps.sso;
      if (sso && offersIdJag(as)) {
        // Enterprise-Managed Authorization: no browser, ever (the extension tells clients not to send the person there).
        const idJag = await sso.idJagFor(as.issuer, resource, scope);
        const identity = await this.#identity(as, undefined);
        const tokens = await jwtBearerGrant(as, identity, idJag, scope, this.#fetch, dpop);
        return await this.#store(toTokenRecord(tokens, { ...context, clientId: identity.client.client_id, grant: 'id-jag' }, now()), event);
      }
      if (!person) {
        const more = stepUpScope ? ` with more permissions (${stepUpScope})` : '';
        throw new SwitchboardError(
          'AUTH_SIGN_IN_REQUIRED',
          `server "${this.#server.id}" needs you to sign in${more}: open the sign-in link, click Sign in next to it in Switchboard, or run \`switchboard login ${this.#server.id}\``,
        );
      }
      this.#status = { state: 'needs-sign-in', reason: 'waiting for you to finish signing in in the browser' };
      const redirect = await startLoopbackRedirect(this.#deps.auth.redirectPort);
      try {
        const identity = await this.#identity(as, redirect.redirectUri);
        const { tokens } = await runAuthorizationCodeFlow({
          as,
          identity,
          redirect,
          browser: person.handoff,
          ...(scope ? { scope } : {}),
          ...(resource ? { resource } : {}),
          extraParams: this.#server.auth?.extraAuthorizationParams ?? {},
          timeoutMs: this.#deps.auth.signInTimeoutMs,
          signal: person.signal,
          authFetch: this.#fetch,
          ...(dpop ? { dpop } : {}),
        });
        this.#wantedScope = undefined;
        await this.#store(toTokenRecord(tokens, { ...context, clientId: identity.client.client_id, grant: 'authorization_code' }, now()));
      } finally {
        await redirect.close();
      }
    } catch (error) {
      const code = error instanceof SwitchboardError ? error.code : 'AUTH_GRANT_FAILED';
      // The person finished a sign-in while this silent attempt ran: their token stands, and the caller retries with it.
      if (!person && this.#record && this.#record.accessToken !== tokenBefore) return;
      this.#fail(error, code === 'AUTH_SIGN_IN_REQUIRED' || code === 'AUTH_SSO_REQUIRED' || code === 'AUTH_CALLBACK_FAILED' ? 'needs-sign-in' : 'failed');
      // Say which sign-in would help, so the gateway can hand the client a link to it.
      if (
        !person &&
        error instanceof SwitchboardError &&
        (code === 'AUTH_SIGN_IN_REQUIRED' || code === 'AUTH_SSO_REQUIRED') &&
        !(error instanceof SignInRequiredError)
      ) {
        throw new SignInRequiredError(error.code, error.message, {
          serverId: this.#server.id,
          target: code === 'AUTH_SSO_REQUIRED' ? 'sso' : this.#server.id,
          ...(stepUpScope && code === 'AUTH_SIGN_IN_REQUIRED' ? { moreScope: stepUpScope } : {}),
          cause: error,
        });
      }
      throw error;
    }
  }

  /** The spec's order: the challenge's scope, else everything the PRM lists, else the configured default, else none. */
  #initialScope(challenge: AuthChallenge, prm: ProtectedResource, as: oauth.AuthorizationServer): string | undefined {
    const base = challenge.scope ?? prm.scopesSupported?.join(' ') ?? this.#server.auth?.scopes?.join(' ');
    // A refresh token needs offline_access at authorization servers that define it; ask only where it is listed.
    const wantsOffline = this.#server.auth?.grant !== 'client_credentials' && as.scopes_supported?.includes('offline_access');
    const scopes = new Set([...(base?.split(' ') ?? []), ...(wantsOffline ? ['offline_access'] : [])].filter(Boolean));
    return scopes.size ? [...scopes].join(' ') : undefined;
  }

  async #discovered(challenge: AuthChallenge): Promise<{ prm: ProtectedResource; as: oauth.AuthorizationServer }> {
    if (this.#context && !challenge.resourceMetadataUrl) return this.#context;
    const prm = await discoverProtectedResource(new URL(this.#server.url), challenge.resourceMetadataUrl, this.#fetch);
    const as = await discoverAuthorizationServer(prm.authorizationServers[0]!, prm.legacyFallback === true, this.#fetch);
    this.#context = { prm, as };
    // The server now names another authorization server: a token from the old one is not sent to it.
    if (this.#record && this.#record.issuer !== as.issuer) {
      this.#deps.logger.log('warn', 'auth.token_discarded', { server: this.#server.id, reason: 'the server changed authorization server' });
      this.#record = undefined;
      await this.#deps.vault.remove(vaultAccounts.token(this.#server.id)).catch(() => false);
    }
    return this.#context;
  }

  #identity(as: oauth.AuthorizationServer, redirectUri: string | undefined): Promise<ClientIdentity> {
    return resolveClientIdentity({
      as,
      serverId: this.#server.id,
      serverAuth: this.#server.auth,
      vault: this.#deps.vault,
      authFetch: this.#fetch,
      ...(redirectUri ? { redirectUri } : {}),
      ...(this.#deps.auth.clientMetadataUrl ? { clientMetadataUrl: this.#deps.auth.clientMetadataUrl } : {}),
    });
  }

  async #store(record: TokenRecord, event: 'auth.token_obtained' | 'auth.token_refreshed' = 'auth.token_obtained'): Promise<void> {
    await this.#deps.vault.write(vaultAccounts.token(this.#server.id), record);
    this.#record = record;
    this.#loaded = true;
    this.#status = this.#signedIn(record);
    this.#deps.logger.log('info', event, { server: this.#server.id, via: record.grant, scope: record.scope });
    this.#deps.onSecurityEvent?.({
      method: event,
      server: this.#server.id,
      outcome: 'ok',
      details: { via: record.grant, ...(record.scope ? { scope: record.scope } : {}) },
    });
    // A renewal changes nothing a client sees; a new token may show more of the server.
    if (event === 'auth.token_obtained') this.#deps.onTokenObtained?.();
  }

  #signedIn(record: TokenRecord): ServerAuthStatus {
    return {
      state: 'signed-in',
      via: record.grant,
      ...(record.expiresAt ? { expiresAt: new Date(record.expiresAt).toISOString() } : {}),
      ...(record.scope ? { scope: record.scope } : {}),
    };
  }

  #fail(error: unknown, state: 'needs-sign-in' | 'failed'): void {
    const code = error instanceof SwitchboardError ? error.code : 'AUTH_GRANT_FAILED';
    const reason = (error as Error).message;
    const repeated = this.#status.state === state && this.#status.code === code;
    this.#status = { state, code, reason };
    // A server that needs a person is asked on every request until they sign in: say so once, not per call.
    if (repeated && state === 'needs-sign-in') return;
    this.#deps.logger.log('warn', 'auth.failed', { server: this.#server.id, code, reason });
    this.#deps.onSecurityEvent?.({ method: 'auth.failed', server: this.#server.id, outcome: 'failure', errorType: code, details: { reason } });
  }
}

/** Two URLs name the same resource when they match after normalisation (case of scheme and host, a trailing slash). */
function sameResource(a: string, b: string): boolean {
  const normal = (value: string) => {
    const url = URL.parse(value);
    return url ? `${url.protocol}//${url.host}${url.pathname.replace(/\/+$/, '')}${url.search}` : value;
  };
  return normal(a) === normal(b);
}
