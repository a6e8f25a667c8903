// app:getStatus — the endpoint and every server's state, plus what needs the person's attention.
import type { AppStatus } from '../../../../shared/contract/schemas.ts';
import { SWITCHBOARD_VERSION } from '../../version.ts';
import type { ChannelHandlers, UiServiceDeps } from './ui-deps.ts';

/** Sign-in state reads the keychain, so pushed status refreshes it every few seconds, not on every tick. */
const AUTH_REFRESH_MS = 5000;

export interface StatusSource {
  /** `fresh` re-reads the sign-in state now; otherwise a snapshot up to a few seconds old is used. */
  status(fresh?: boolean): Promise<AppStatus>;
  handlers: ChannelHandlers<'app:getStatus'>;
}

export function statusChannels(deps: UiServiceDeps): StatusSource {
  let authSnapshot: { needs: string[]; signedIn: boolean; at: number } | undefined;

  async function status(fresh = true): Promise<AppStatus> {
    if (fresh || !authSnapshot || Date.now() - authSnapshot.at > AUTH_REFRESH_MS) {
      const auth = await deps.switchboard().auth.status();
      const needs = auth.servers.filter((server) => server.auth.state === 'needs-sign-in' || server.auth.state === 'failed').map((server) => `${server.id}: sign-in needed`);
      authSnapshot = { needs, signedIn: auth.sso.signedIn, at: Date.now() };
    }
    const current = deps.switchboard().status();
    const failing = current.servers.filter((server) => server.state === 'unavailable').map((server) => `${server.id}: ${server.lastError?.message ?? 'unavailable'}`);
    const moved = current.addressChanged
      ? [`Address changed: port ${current.addressChanged.previousPort} was taken by another program, so Switchboard now listens on port ${current.addressChanged.port}. AI clients it set up were updated (restart them); point any other client at ${current.mcpUrl ?? 'the new address'}.`]
      : [];
    return { version: SWITCHBOARD_VERSION, mcpUrl: current.mcpUrl ?? null, servers: current.servers, signedIn: authSnapshot.signedIn, needsAttention: [...moved, ...authSnapshot.needs, ...failing] };
  }

  return { status, handlers: { 'app:getStatus': () => status() } };
}
