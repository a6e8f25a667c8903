// The sign-in façade the CLI and the UI use: the company SSO session and each server's token, started, awaited, cancelled and ended.
import type { SsoSession, SsoStatus } from '../auth/enterprise-sso.ts';
import type { ServerAuthStatus } from '../auth/server-authorizer.ts';
import type { PendingSignIn, SignInDesk } from '../auth/sign-in-desk.ts';
import { SwitchboardError } from '../errors.ts';
import type { BrowserOpener } from '../ports.ts';
import type { Vault } from '../vault/vault.ts';
import { signInTargetOf, SSO_TARGET } from './sign-in-targets.ts';
import type { SignedInUser } from './signed-in-user.ts';
import { findUpstream, refreshAndReconnect, type Upstream } from './upstreams.ts';

/** A sign-in a person asked for: done already (silently), or waiting for them at authorizationUrl until expiresAt. */
export interface SignInStart {
  /** A server id, or `sso` for the company identity provider. */
  target: string;
  state: 'signed-in' | 'not-required' | 'waiting';
  authorizationUrl?: string;
  expiresAt?: string;
}

/** Sign-in for the CLI and the UI: the SSO session and each server's token. */
export interface SwitchboardAuth {
  status(): Promise<{ sso: SsoStatus; servers: { id: string; auth: ServerAuthStatus }[]; signingIn: { target: string; expiresAt: string }[] }>;
  /**
   * Starts the sign-in a person asked for (no server: the company SSO), or joins the one in progress. Resolves as soon
   * as it is done silently or waits for the person in a browser — never later; whoever asked opens the URL.
   */
  beginSignIn(serverId?: string): Promise<SignInStart>;
  /** Waits (until the signal aborts) for the sign-in in progress for the target to end; rejects with why it failed. */
  awaitSignIn(serverId?: string, signal?: AbortSignal): Promise<void>;
  /** Ends the sign-in in progress for the target; false when there was none. */
  cancelSignIn(serverId?: string): boolean;
  /** Signs in to the company IdP (SSO) in the system browser and waits for it (the in-process CLI). */
  signIn(): Promise<SsoStatus>;
  /** Signs in to one server now, silently (ID-JAG, client credentials) or in the system browser, and waits for it. */
  signInToServer(serverId: string): Promise<ServerAuthStatus>;
  importIdToken(idToken: string): Promise<SsoStatus>;
  /** Forgets the SSO session and every server token (or one server's), revoking them where the issuer allows. */
  signOut(serverId?: string): Promise<void>;
  vault: Vault;
}

export interface SwitchboardAuthDeps {
  vault: Vault;
  /** Undefined without an identity provider in the configuration: the company sign-in then fails with CONFIG_INVALID. */
  sso: SsoSession | undefined;
  /** Where sign-ins a person runs wait for them: one per target, with a deadline and a cancel. */
  desk: SignInDesk;
  upstreams: readonly Upstream[];
  /** Read again after every company sign-in, so audit records name the new person. */
  user: SignedInUser;
  /** Opens the sign-in page for sign-ins run from this process (the CLI without a running Switchboard). */
  browser: BrowserOpener;
}

export function createSwitchboardAuth({ vault, sso, desk, upstreams, user, browser }: SwitchboardAuthDeps): SwitchboardAuth {
  const authorizerOf = (serverId: string) => {
    const found = findUpstream(upstreams, serverId);
    if (!found) throw new SwitchboardError('CONFIG_INVALID', `no enabled server has the id "${serverId}"`);
    return found.authorizer;
  };
  const requireSso = (): SsoSession => {
    if (sso) return sso;
    throw new SwitchboardError('CONFIG_INVALID', 'no identity provider is configured (auth.idp in the configuration file)');
  };

  /**
   * The sign-in a person started for a target. A server whose token comes from the company SSO (ID-JAG) and finds
   * nobody signed in there turns into the SSO sign-in first, then gets its token silently.
   */
  function startSignIn(serverId: string | undefined): PendingSignIn {
    if (!serverId) {
      const session = requireSso();
      return desk.begin(SSO_TARGET, async (person) => {
        await session.signIn(person);
        user.refresh();
        // Every server waiting for the company sign-in can now get its token without anyone.
        for (const { connection, authorizer } of upstreams) {
          if (authorizer.status().code === 'AUTH_SSO_REQUIRED' || connection.status().lastError?.code === 'AUTH_SSO_REQUIRED') {
            refreshAndReconnect(connection);
          }
        }
      });
    }
    const authorizer = authorizerOf(serverId);
    return desk.begin(serverId, async (person) => {
      try {
        await authorizer.signInPerson(person);
      } catch (error) {
        if (!(sso && error instanceof SwitchboardError && error.code === 'AUTH_SSO_REQUIRED')) throw error;
        await sso.signIn(person);
        user.refresh();
        await authorizer.signInPerson(person);
      }
    });
  }

  async function beginSignIn(serverId: string | undefined): Promise<SignInStart> {
    const target = signInTargetOf(serverId);
    const pending = startSignIn(serverId);
    const outcome = await Promise.race([pending.authorizationUrl.then((url) => ({ url })), pending.done.then(() => ({ url: undefined }))]);
    if (outcome.url) return { target, state: 'waiting', authorizationUrl: outcome.url, expiresAt: new Date(pending.expiresAt).toISOString() };
    const notRequired = serverId !== undefined && authorizerOf(serverId).status().state === 'not-required';
    return { target, state: notRequired ? 'not-required' : 'signed-in' };
  }

  /** Sign-ins run from this process (the CLI without a running Switchboard): the system browser, and wait. */
  async function signInHere(serverId: string | undefined): Promise<void> {
    const started = await beginSignIn(serverId);
    if (started.state !== 'waiting') return;
    await browser.open(started.authorizationUrl!);
    await desk.get(started.target)?.done;
  }

  return {
    vault,
    async status() {
      return {
        sso: sso ? await sso.status() : { configured: false, signedIn: false },
        servers: await Promise.all(upstreams.map(async ({ connection, authorizer }) => ({ id: connection.id, auth: await authorizer.currentStatus() }))),
        signingIn: desk.list().map(({ target, expiresAt }) => ({ target, expiresAt: new Date(expiresAt).toISOString() })),
      };
    },
    beginSignIn: (serverId) => beginSignIn(serverId),
    async awaitSignIn(serverId, signal) {
      const pending = desk.get(signInTargetOf(serverId));
      if (!pending) return;
      signal?.throwIfAborted();
      await new Promise<void>((resolve, reject) => {
        const onAbort = () => reject(signal!.reason);
        signal?.addEventListener('abort', onAbort, { once: true });
        pending.done.then(resolve, reject).finally(() => signal?.removeEventListener('abort', onAbort));
      });
    },
    cancelSignIn: (serverId) => desk.cancel(signInTargetOf(serverId)),
    async signIn() {
      await signInHere(undefined);
      return requireSso().status();
    },
    async importIdToken(idToken) {
      const status = await requireSso().importIdToken(idToken);
      user.refresh();
      return status;
    },
    async signInToServer(serverId) {
      await signInHere(serverId);
      return authorizerOf(serverId).status();
    },
    async signOut(serverId) {
      if (serverId) {
        desk.cancel(serverId);
        await authorizerOf(serverId).signOut();
      } else {
        desk.cancelAll();
        await Promise.all([sso?.signOut(), ...upstreams.map(({ authorizer }) => authorizer.signOut())]);
      }
      // The servers' surfaces may shrink (and their next requests must sign in): clients hear it now.
      for (const { connection } of upstreams) if (!serverId || connection.id === serverId) connection.refreshSurface();
    },
  };
}
