// The app's status: the endpoint, every server's state with its tool count, the sign-in state, and what needs the person's attention.
import type { AppStatus } from '../../../shared/contract/schemas.ts';
import { summarizeStatus } from '../../../shared/status-summary.ts';
import type { Switchboard } from '../switchboard.ts';
import { SWITCHBOARD_VERSION } from '../version.ts';

/** Sign-in state reads the keychain, so pushed status refreshes it every few seconds, not on every tick. */
const AUTH_REFRESH_MS = 5000;
/** A tool listing that failed is asked again after this long, not on every tick. */
const COUNT_RETRY_MS = 30_000;

export interface StatusService {
  /** `fresh` re-reads the sign-in state now; otherwise a snapshot up to a few seconds old is used (the pushed status). */
  status(fresh?: boolean): Promise<AppStatus>;
  /** Something about sign-in changed (started, ended, signed out): the next status reads it anew. */
  invalidate(): void;
}

/** `onSigningIn` hears of every sign-in in progress the status sees (from the tray, the CLI), so its outcome can be followed. */
export function createStatusService(
  core: () => Switchboard,
  onSigningIn: (signingIn: AppStatus['auth']['signingIn']) => void = () => undefined,
): StatusService {
  let authSnapshot: { auth: AppStatus['auth']; at: number } | undefined;
  // Per running core: a restart starts over, since its connections (and their tools) are new.
  const toolCounts = new WeakMap<Switchboard, Map<string, { count?: number; failedAt?: number; pending?: boolean }>>();

  /**
   * A ready server's tool count before any client listed its tools: asked once per core and server, in the
   * background (the answer shows in the next status), never on the status path itself.
   */
  function toolCountOf(running: Switchboard, id: string): number | undefined {
    const counts = toolCounts.get(running) ?? new Map<string, { count?: number; failedAt?: number; pending?: boolean }>();
    toolCounts.set(running, counts);
    const known = counts.get(id);
    if (known?.count !== undefined || known?.pending || (known?.failedAt && Date.now() - known.failedAt < COUNT_RETRY_MS)) return known?.count;
    counts.set(id, { pending: true });
    running.describeServer(id).then(
      (offer) => counts.set(id, { count: offer.tools.length }),
      () => counts.set(id, { failedAt: Date.now() }),
    );
    return undefined;
  }

  async function status(fresh = true): Promise<AppStatus> {
    const current = core();
    if (fresh || !authSnapshot || Date.now() - authSnapshot.at > AUTH_REFRESH_MS) {
      const auth = await current.auth.status();
      onSigningIn(auth.signingIn);
      authSnapshot = {
        auth: {
          sso: { configured: auth.sso.configured, signedIn: auth.sso.signedIn },
          servers: auth.servers.map(({ id, auth: server }) => ({ id, state: server.state, ...(server.code ? { code: server.code } : {}) })),
          signingIn: auth.signingIn,
        },
        at: Date.now(),
      };
    }
    const now = current.status();
    const servers = now.servers.map((server) => {
      if (server.state !== 'ready' || server.toolCount !== undefined) return server;
      const count = toolCountOf(current, server.id);
      return count === undefined ? server : { ...server, toolCount: count };
    });
    const notices = now.addressChanged
      ? [
          `Address changed: port ${now.addressChanged.previousPort} was taken by another program, so Switchboard now listens on port ${now.addressChanged.port}. AI clients it set up were updated (restart them); point any other client at ${now.mcpUrl ?? 'the new address'}.`,
        ]
      : [];
    const mcpUrl = now.mcpUrl ?? null;
    const summary = summarizeStatus({ mcpUrl, servers, auth: authSnapshot.auth, notices });
    return {
      version: SWITCHBOARD_VERSION,
      mcpUrl,
      servers,
      signedIn: authSnapshot.auth.sso.signedIn,
      needsAttention: summary.attention,
      auth: authSnapshot.auth,
      notices,
    };
  }

  return {
    status,
    invalidate: () => {
      authSnapshot = undefined;
    },
  };
}
