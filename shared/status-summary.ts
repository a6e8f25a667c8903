// The one reading of the app status that the badge, the pages and the tray all show: each server counted once, the worst state wins.

/** What the summary needs of a server's connection (the contract's server status fits). */
export interface SummaryServer {
  id: string;
  state: 'idle' | 'connecting' | 'ready' | 'unavailable' | 'closed';
  lastError?: { code: string; message: string } | undefined;
}

/** What the summary needs of the sign-in state (the contract's app status `auth` block fits). */
export interface SummaryAuth {
  sso: { configured: boolean; signedIn: boolean };
  servers: { id: string; state: string; code?: string | undefined }[];
  signingIn: { target: string; expiresAt: string }[];
}

export interface SummaryInput {
  mcpUrl: string | null;
  servers: SummaryServer[];
  auth?: SummaryAuth | undefined;
  /** Things to know that are not about one server (the address moved, …). */
  notices?: string[] | undefined;
}

/** One server's condition, worst first. */
export type ServerCondition = 'unavailable' | 'needs-sign-in' | 'signing-in' | 'starting' | 'ready';

export interface ServerVerdict {
  id: string;
  condition: ServerCondition;
  /** In words, for lists (the tray's, "needs attention"). */
  message: string;
}

export interface StatusSummary {
  /** ok: everything works; busy: on its way (connecting, signing in); attention: a person must act; problem: something is broken; stopped: not running. */
  level: 'ok' | 'busy' | 'attention' | 'problem' | 'stopped';
  /** The badge's words: "All good", "2 need sign-in", "1 unavailable, 1 needs sign-in", … */
  label: string;
  servers: ServerVerdict[];
  counts: Record<ServerCondition, number>;
  /** The company sign-in is configured and nobody is signed in there. */
  ssoNeeded: boolean;
  /** Each line once: every server that is not ready, and every notice. */
  attention: string[];
}

/** Error codes that mean "a person has to sign in", not "the server is broken". */
const SIGN_IN_CODES = new Set(['AUTH_SIGN_IN_REQUIRED', 'AUTH_SSO_REQUIRED', 'AUTH_INSUFFICIENT_SCOPE']);
const ORDER: readonly ServerCondition[] = ['unavailable', 'needs-sign-in', 'signing-in', 'starting', 'ready'];

export function classifyServer(server: SummaryServer, auth: SummaryAuth | undefined): ServerVerdict {
  const token = auth?.servers.find((candidate) => candidate.id === server.id);
  const signingIn = auth?.signingIn.some(
    (pending) =>
      pending.target === server.id || (pending.target === 'sso' && (token?.code === 'AUTH_SSO_REQUIRED' || server.lastError?.code === 'AUTH_SSO_REQUIRED')),
  );
  const wantsSignIn =
    token?.state === 'needs-sign-in' ||
    token?.state === 'failed' ||
    (server.lastError !== undefined && SIGN_IN_CODES.has(server.lastError.code) && server.state !== 'ready');
  if (wantsSignIn)
    return signingIn
      ? { id: server.id, condition: 'signing-in', message: `${server.id}: signing in` }
      : { id: server.id, condition: 'needs-sign-in', message: `${server.id}: sign-in needed` };
  if (server.state === 'unavailable')
    return { id: server.id, condition: 'unavailable', message: `${server.id}: ${server.lastError?.message ?? 'unavailable'}` };
  if (signingIn) return { id: server.id, condition: 'signing-in', message: `${server.id}: signing in` };
  if (server.state === 'ready') return { id: server.id, condition: 'ready', message: `${server.id}: ready` };
  return { id: server.id, condition: 'starting', message: `${server.id}: connecting` };
}

export function summarizeStatus(status: SummaryInput): StatusSummary {
  const counts: Record<ServerCondition, number> = { unavailable: 0, 'needs-sign-in': 0, 'signing-in': 0, starting: 0, ready: 0 };
  // One verdict per server id, even if a list ever names one twice.
  const byId = new Map<string, ServerVerdict>();
  for (const server of status.servers) {
    const verdict = classifyServer(server, status.auth);
    const previous = byId.get(server.id);
    if (!previous || ORDER.indexOf(verdict.condition) < ORDER.indexOf(previous.condition)) byId.set(server.id, verdict);
  }
  const servers = [...byId.values()];
  for (const verdict of servers) counts[verdict.condition]++;
  const sso = status.auth?.sso;
  const ssoSigningIn = status.auth?.signingIn.some((pending) => pending.target === 'sso') ?? false;
  const ssoNeeded = Boolean(sso?.configured && !sso.signedIn);
  const notices = status.notices ?? [];
  const attention = [
    ...notices,
    ...(ssoNeeded && !ssoSigningIn ? ['company sign-in: not signed in'] : []),
    ...servers.filter((verdict) => verdict.condition !== 'ready').map((verdict) => verdict.message),
  ];

  if (status.mcpUrl === null) return { level: 'stopped', label: 'Not running', servers, counts, ssoNeeded, attention };
  const parts: string[] = [];
  if (counts.unavailable) parts.push(`${counts.unavailable} unavailable`);
  if (counts['needs-sign-in']) parts.push(`${counts['needs-sign-in']} ${counts['needs-sign-in'] === 1 ? 'needs' : 'need'} sign-in`);
  if (!counts['needs-sign-in'] && ssoNeeded && !ssoSigningIn) parts.push('Company sign-in needed');
  if (notices.length) parts.push(`${notices.length} ${notices.length === 1 ? 'notice' : 'notices'}`);
  if (parts.length) return { level: counts.unavailable ? 'problem' : 'attention', label: parts.join(', '), servers, counts, ssoNeeded, attention };
  if (counts['signing-in'] || ssoSigningIn) return { level: 'busy', label: 'Signing in…', servers, counts, ssoNeeded, attention };
  if (counts.starting) return { level: 'busy', label: `${counts.starting} connecting…`, servers, counts, ssoNeeded, attention };
  return { level: 'ok', label: servers.length ? 'All good' : 'No servers enabled', servers, counts, ssoNeeded, attention };
}
