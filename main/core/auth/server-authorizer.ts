// One server's token: kept, renewed before expiry, obtained silently (ID-JAG, client credentials) or through the browser, stepped up.
import { extractWWWAuthenticateParams } from '@modelcontextprotocol/client';
import type * as oauth from 'oauth4webapi';
import type { AuthConfig, ServerConfig } from '../config/config-schema.ts';
import { SwitchboardError } from '../errors.ts';
import type { BrowserOpener, Clock, Logger } from '../ports.ts';
import { vaultAccounts, type TokenRecord, type Vault } from '../vault/vault.ts';
import { runAuthorizationCodeFlow } from './authorization-code-flow.ts';
import { resolveClientIdentity, type ClientIdentity } from './client-identity.ts';
import { discoverAuthorizationServer, discoverProtectedResource, type ProtectedResource } from './discovery.ts';
import { EXPIRY_MARGIN_MS, type SsoSession } from './enterprise-sso.ts';
import { startLoopbackRedirect } from './loopback-redirect.ts';
import { signInPolicy } from './sign-in-policy.ts';
import { clientCredentialsGrant, ID_JAG_GRANT_PROFILE, JWT_BEARER_GRANT, jwtBearerGrant, refreshGrant, toTokenRecord } from './token-grants.ts';

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

export interface ServerAuthorizerDeps {
  auth: AuthConfig;
  vault: Vault;
  browser: BrowserOpener;
  sso: SsoSession | undefined;
  logger: Logger;
  clock: Clock;
  /** Called after a new token was obtained (e.g. a sign-in finished in the background), so lists can be refreshed. */
  onTokenObtained?: () => void;
  /** Security events for the audit trail (token obtained or refreshed, failures, sign-out); never carries a secret. */
  onSecurityEvent?: (event: SecurityEvent) => void;
}

export interface SecurityEvent {
  method: string;
  server?: string;
  outcome: 'ok' | 'failure';
  errorType?: string;
  details?: Record<string, unknown>;
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

/** An unauthenticated request to the MCP endpoint: its 401 challenge, or undefined when the server lets it through. */
async function probeChallenge(serverUrl: string): Promise<AuthChallenge | undefined> {
  const response = await fetch(serverUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
    body: JSON.stringify({ jsonrpc: '2.0', id: 0, method: 'ping' }),
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

export class ServerAuthorizer {
  readonly #server: ServerConfig;
  readonly #deps: ServerAuthorizerDeps;
  #record: TokenRecord | undefined;
  #loaded = false;
  #status: ServerAuthStatus = { state: 'not-required' };
  #pending: Promise<void> | undefined;
  #context: { prm: ProtectedResource; as: oauth.AuthorizationServer } | undefined;
  #failedStepUps = 0;
  /** Resolved when the flow in flight turns to the browser, so a `start` caller can stop waiting. */
  #wentInteractive: (() => void) | undefined;

  constructor(server: ServerConfig, deps: ServerAuthorizerDeps) {
    this.#server = server;
    this.#deps = deps;
  }

  get serverId(): string {
    return this.#server.id;
  }

  status(): ServerAuthStatus {
    return { ...this.#status };
  }

  /** The token to send now, renewed first when it is about to expire; undefined while the server has not asked for one. */
  async accessToken(): Promise<string | undefined> {
    if (this.#pending) await this.#pending.catch(() => undefined);
    const record = await this.#load();
    if (!record) return undefined;
    if (record.expiresAt === undefined || record.expiresAt - EXPIRY_MARGIN_MS > this.#deps.clock.now()) return record.accessToken;
    await this.#singleFlight(() => this.#renew(record)).catch(() => undefined);
    return this.#record?.accessToken;
  }

  /**
   * The server answered 401: get a token by whatever means this server allows, once for all waiting requests. Whether
   * the browser may be used, and whether to wait for it, follows the request's sign-in policy (see sign-in-policy.ts).
   */
  async authorize(challenge: AuthChallenge, options: { interactive?: boolean } = {}): Promise<void> {
    const policy = options.interactive ? 'wait' : (signInPolicy.getStore() ?? 'never');
    const interactive = options.interactive ?? (this.#deps.auth.interactive === 'on-demand' && policy !== 'never');
    const wentInteractive = new Promise<'interactive'>((resolve) => (this.#wentInteractive = () => resolve('interactive')));
    const flight = this.#singleFlight(() => this.#obtain(challenge, undefined, interactive));
    if (policy !== 'start') return flight;
    flight.catch(() => undefined);
    if ((await Promise.race([flight.then(() => 'done' as const), wentInteractive])) === 'interactive') {
      throw new SwitchboardError('AUTH_SIGN_IN_REQUIRED', `server "${this.#server.id}" needs you to sign in: finish the sign-in in the browser window that opened; its tools appear once you are signed in`);
    }
  }

  /** The server answered 403 insufficient_scope: authorize again with the union of what we had and what it asks. */
  async stepUp(challenge: AuthChallenge): Promise<void> {
    if (this.#failedStepUps >= MAX_FAILED_STEP_UPS) {
      throw new SwitchboardError('AUTH_INSUFFICIENT_SCOPE', `server "${this.#server.id}" still refuses the token after ${MAX_FAILED_STEP_UPS} sign-ins with more scopes (it asks for "${challenge.scope ?? ''}"); check with its administrator what your account may do`);
    }
    this.#failedStepUps++;
    const scopes = new Set([...(this.#record?.scope?.split(' ') ?? []), ...(challenge.scope?.split(' ') ?? [])].filter(Boolean));
    await this.#singleFlight(() => this.#obtain(challenge, [...scopes].join(' '), this.#deps.auth.interactive === 'on-demand'));
  }

  /** A request went through with the current token: the step-up budget starts over. */
  succeeded(): void {
    this.#failedStepUps = 0;
  }

  /**
   * `switchboard login <server>`: asks the server first, as a client request would, so the flow starts from its own
   * 401 challenge (its resource_metadata and scope); a server that answers without one needs no sign-in.
   */
  async signIn(): Promise<void> {
    const challenge = await probeChallenge(this.#server.url);
    if (!challenge) {
      this.#status = { state: 'not-required' };
      return;
    }
    await this.#singleFlight(() => this.#obtain(challenge, undefined, true, true));
  }

  async signOut(): Promise<void> {
    this.#record = undefined;
    this.#loaded = true;
    if (await this.#deps.vault.remove(vaultAccounts.token(this.#server.id))) this.#deps.onSecurityEvent?.({ method: 'auth.signed_out', server: this.#server.id, outcome: 'ok' });
    if (this.#status.state !== 'not-required') this.#status = { state: 'needs-sign-in', reason: 'signed out' };
  }

  async #load(): Promise<TokenRecord | undefined> {
    if (!this.#loaded) {
      // A server that never asks for a token must keep working without a keychain; one that does gets VAULT_UNAVAILABLE then.
      this.#record = await this.#deps.vault.read<TokenRecord>(vaultAccounts.token(this.#server.id)).catch(() => undefined);
      this.#loaded = true;
      if (this.#record) this.#status = this.#signedIn(this.#record);
    }
    return this.#record;
  }

  #singleFlight(operation: () => Promise<void>): Promise<void> {
    this.#pending ??= operation().finally(() => {
      this.#pending = undefined;
    });
    return this.#pending;
  }

  /** Refresh where a refresh token exists; silent grants are simply run again; failing that, the next 401 decides. */
  async #renew(record: TokenRecord): Promise<void> {
    this.#status = { ...this.#status, state: 'refreshing' };
    try {
      const { as } = await this.#discovered({});
      if (record.refreshToken) {
        const identity = await this.#identity(as, undefined);
        await this.#store(toTokenRecord(await refreshGrant(as, identity, record), { issuer: as.issuer, clientId: record.clientId, ...(record.resource ? { resource: record.resource } : {}), grant: record.grant, previous: record }, this.#deps.clock.now()));
      } else if (record.grant !== 'authorization_code') {
        await this.#obtain({}, record.scope, false);
      } else {
        throw new SwitchboardError('AUTH_SIGN_IN_REQUIRED', `the token for "${this.#server.id}" expired and cannot be refreshed`);
      }
    } catch (error) {
      // The refresh token may be revoked or rotated away: forget the record so the next 401 starts a clean sign-in.
      this.#record = undefined;
      await this.#deps.vault.remove(vaultAccounts.token(this.#server.id)).catch(() => false);
      this.#fail(error, 'needs-sign-in');
      throw error;
    }
  }

  async #obtain(challenge: AuthChallenge, stepUpScope: string | undefined, interactive: boolean, fresh = false): Promise<void> {
    try {
      // Another Switchboard process (e.g. `switchboard login`) may have stored a newer token meanwhile: use it first.
      const stored = stepUpScope || fresh ? undefined : await this.#deps.vault.read<TokenRecord>(vaultAccounts.token(this.#server.id));
      if (stored && stored.accessToken !== this.#record?.accessToken) {
        this.#record = stored;
        this.#status = this.#signedIn(stored);
        return;
      }
      const { prm, as } = await this.#discovered(challenge);
      const scope = stepUpScope ?? this.#initialScope(challenge, prm, as);
      const resource = this.#server.auth?.sendResource === false ? undefined : prm.resource;
      const context = { issuer: as.issuer, ...(resource ? { resource } : {}), ...(scope ? { requestedScope: scope } : {}) };
      const now = () => this.#deps.clock.now();

      if (this.#server.auth?.grant === 'client_credentials') {
        const identity = await this.#identity(as, undefined);
        const tokens = await clientCredentialsGrant(as, identity, { ...(scope ? { scope } : {}), ...(resource ? { resource } : {}) });
        return await this.#store(toTokenRecord(tokens, { ...context, clientId: identity.client.client_id, grant: 'client_credentials' }, now()));
      }
      const sso = this.#deps.sso;
      if (sso && offersIdJag(as)) {
        // Enterprise-Managed Authorization: no browser, ever (the extension tells clients not to send the person there).
        const idJag = await sso.idJagFor(as.issuer, resource, scope);
        const identity = await this.#identity(as, undefined);
        const tokens = await jwtBearerGrant(as, identity, idJag, scope);
        return await this.#store(toTokenRecord(tokens, { ...context, clientId: identity.client.client_id, grant: 'id-jag' }, now()));
      }
      if (!interactive) {
        throw new SwitchboardError('AUTH_SIGN_IN_REQUIRED', `server "${this.#server.id}" needs you to sign in; run \`switchboard login ${this.#server.id}\` or sign in from the Switchboard window`);
      }
      this.#status = { state: 'needs-sign-in', reason: 'waiting for the browser sign-in' };
      this.#wentInteractive?.();
      const redirect = await startLoopbackRedirect(this.#deps.auth.redirectPort);
      try {
        const identity = await this.#identity(as, redirect.redirectUri);
        const { tokens } = await runAuthorizationCodeFlow({
          as,
          identity,
          redirect,
          browser: this.#deps.browser,
          ...(scope ? { scope } : {}),
          ...(resource ? { resource } : {}),
          extraParams: this.#server.auth?.extraAuthorizationParams ?? {},
          timeoutMs: this.#deps.auth.signInTimeoutMs,
        });
        await this.#store(toTokenRecord(tokens, { ...context, clientId: identity.client.client_id, grant: 'authorization_code' }, now()));
      } finally {
        await redirect.close();
      }
    } catch (error) {
      const code = error instanceof SwitchboardError ? error.code : 'AUTH_GRANT_FAILED';
      this.#fail(error, code === 'AUTH_SIGN_IN_REQUIRED' || code === 'AUTH_SSO_REQUIRED' ? 'needs-sign-in' : 'failed');
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
    const prm = await discoverProtectedResource(new URL(this.#server.url), challenge.resourceMetadataUrl);
    const as = await discoverAuthorizationServer(prm.authorizationServers[0]!, prm.legacyFallback === true);
    this.#context = { prm, as };
    return this.#context;
  }

  #identity(as: oauth.AuthorizationServer, redirectUri: string | undefined): Promise<ClientIdentity> {
    return resolveClientIdentity({
      as,
      serverId: this.#server.id,
      serverAuth: this.#server.auth,
      vault: this.#deps.vault,
      ...(redirectUri ? { redirectUri } : {}),
      ...(this.#deps.auth.clientMetadataUrl ? { clientMetadataUrl: this.#deps.auth.clientMetadataUrl } : {}),
    });
  }

  async #store(record: TokenRecord): Promise<void> {
    await this.#deps.vault.write(vaultAccounts.token(this.#server.id), record);
    this.#record = record;
    this.#loaded = true;
    this.#status = this.#signedIn(record);
    this.#deps.logger.log('info', 'auth.token_obtained', { server: this.#server.id, via: record.grant, scope: record.scope });
    this.#deps.onSecurityEvent?.({ method: 'auth.token_obtained', server: this.#server.id, outcome: 'ok', details: { via: record.grant, ...(record.scope ? { scope: record.scope } : {}) } });
    this.#deps.onTokenObtained?.();
  }

  #signedIn(record: TokenRecord): ServerAuthStatus {
    return { state: 'signed-in', via: record.grant, ...(record.expiresAt ? { expiresAt: new Date(record.expiresAt).toISOString() } : {}), ...(record.scope ? { scope: record.scope } : {}) };
  }

  #fail(error: unknown, state: 'needs-sign-in' | 'failed'): void {
    const code = error instanceof SwitchboardError ? error.code : 'AUTH_GRANT_FAILED';
    const reason = (error as Error).message;
    this.#status = { state, code, reason };
    this.#deps.logger.log('warn', 'auth.failed', { server: this.#server.id, code, reason });
    this.#deps.onSecurityEvent?.({ method: 'auth.failed', server: this.#server.id, outcome: 'failure', errorType: code, details: { reason } });
  }
}
