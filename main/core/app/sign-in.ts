// Signing in and out — to the company IdP (no server) or one server — wherever the sign-in runs: the core in this process, or the running Switchboard.
import { isErrorCode } from '../../../shared/error-codes.ts';
import type { SsoStatus } from '../auth/enterprise-sso.ts';
import type { ServerAuthStatus } from '../auth/server-authorizer.ts';
import { runningSwitchboard } from '../control/control-client.ts';
import { isSwitchboardError, SwitchboardError } from '../errors.ts';
import { createBrowserOpener } from '../platform/system-browser.ts';
import { createSwitchboard, type SignInStart, type Switchboard } from '../switchboard.ts';
import { vaultAccounts } from '../vault/vault.ts';
import type { AppContext } from './app-context.ts';
import { waitForSignInOutcome, type SignInOutcome, type SignInState } from './sign-in-outcome.ts';

/** The sign-in operations of one core; without a server id each means the company SSO session. */
export interface SignInSession {
  status(): Promise<SignInState>;
  /** Starts the sign-in (or joins the one in progress); resolves as soon as it is done silently or waits for the person at a URL. */
  begin(serverId?: string): Promise<SignInStart>;
  /** Waits for the sign-in in progress to end, at most `waitMs`, and says how it went. */
  outcome(serverId: string | undefined, options: { waitMs: number; signal?: AbortSignal }): Promise<SignInOutcome>;
  /** False when none was in progress. */
  cancel(serverId?: string): Promise<boolean>;
  /** Forgets the SSO session and every server token (or one server's), revoking them where the issuer allows. */
  signOut(serverId?: string): Promise<void>;
}

export interface SignInService {
  /**
   * Where sign-ins happen: in the core of this process (the app, serve), else in the Switchboard running with this
   * data folder — it holds the tokens in memory and may use another keychain — else, when none runs, in this process.
   */
  session(): Promise<{ where: 'this-process' | 'running'; session: SignInSession }>;
  /** Signs in to the company IdP with an ID token it issued (instead of a browser); in this process, into the keychain. */
  importIdToken(idToken: string): Promise<SsoStatus>;
  /** A client secret (or private key) for a server, or for the IdP with `idp`, into the keychain. */
  storeClientSecret(owner: string, secret: string): Promise<void>;
  /** Opens a sign-in URL as the core would: auth.browserCommand, or the system's browser. */
  openInBrowser(url: string): Promise<void>;
}

/** The sign-in operations of a core in this process. */
export function coreSignInSession(core: () => Switchboard): SignInSession {
  return {
    status: () => core().auth.status(),
    begin: (serverId) => core().auth.beginSignIn(serverId),
    async outcome(serverId, { waitMs, signal }) {
      const deadline = AbortSignal.timeout(waitMs);
      return waitForSignInOutcome(core().auth, serverId, signal ? AbortSignal.any([signal, deadline]) : deadline);
    },
    cancel: async (serverId) => core().auth.cancelSignIn(serverId),
    signOut: (serverId) => core().auth.signOut(serverId),
  };
}

/** The sign-in operations of the Switchboard running with a data folder, through its control socket. */
export function runningSignInSession(dataDir: string): SignInSession {
  const running = runningSwitchboard(dataDir);
  return {
    status: () => running.signInStatus(),
    begin: async (serverId) => ({ target: serverId ?? 'sso', ...(await running.beginSignIn(serverId)) }),
    async outcome(serverId, { waitMs, signal }) {
      const answer = await running.waitForSignIn(serverId, waitMs, signal);
      if (answer.ok) return { outcome: 'signed-in', status: answer.status as SsoStatus | ServerAuthStatus | undefined };
      return {
        outcome: 'failed',
        error: new SwitchboardError(isErrorCode(answer.error.code) ? answer.error.code : 'AUTH_CALLBACK_FAILED', answer.error.message),
      };
    },
    cancel: (serverId) => running.cancelSignIn(serverId),
    signOut: (serverId) => running.signOut(serverId),
  };
}

export function createSignInService(context: AppContext): SignInService {
  let inThisProcess: Switchboard | undefined;
  /** A core that is never started (no endpoint, no control socket): only its sign-in is used. */
  async function ownCore(): Promise<Switchboard> {
    const hosted = context.core();
    if (hosted) return hosted;
    inThisProcess ??= createSwitchboard({ config: await context.config(), logger: context.logger, paths: { dataDir: context.dataDir } });
    return inThisProcess;
  }

  return {
    async session() {
      const hosted = context.core();
      if (hosted) return { where: 'this-process', session: coreSignInSession(() => hosted) };
      try {
        await runningSwitchboard(context.dataDir).status();
        return { where: 'running', session: runningSignInSession(context.dataDir) };
      } catch (error) {
        if (!(isSwitchboardError(error) && error.code === 'GATEWAY_NOT_RUNNING')) throw error;
      }
      const core = await ownCore();
      return { where: 'this-process', session: coreSignInSession(() => core) };
    },
    importIdToken: async (idToken) => (await ownCore()).auth.importIdToken(idToken),
    async storeClientSecret(owner, secret) {
      await (await context.secrets()).set(owner === 'idp' ? vaultAccounts.idpClientSecret() : vaultAccounts.serverClientSecret(owner), secret);
    },
    openInBrowser: async (url) => createBrowserOpener((await context.config()).auth.browserCommand).open(url),
  };
}
