// Sign-in: the company SSO session and each server's token state; a sign-in opens the authorization page from here, waits, and says how it ended.
import { useEffect, useState } from 'react';
import type { AuthStatusView, ContractRequest } from '../../../shared/contract/schemas.ts';
import { useAppStatus } from '../app-status.ts';
import { invoke } from '../bridge.ts';
import { useContract } from '../use-contract.ts';

const STATE_LABEL: Record<string, string> = {
  'not-required': 'No sign-in needed',
  'signed-in': 'Signed in',
  'needs-sign-in': 'Needs sign-in',
  refreshing: 'Renewing…',
  failed: 'Failed',
};

/** The company sign-in goes by this target; servers by their id. */
const SSO = 'sso';

const nameOf = (target: string) => (target === SSO ? 'your company account' : target);
const clock = (iso: string) => new Date(iso).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });

type Outcome = AuthStatusView['outcomes'][number];
interface Note {
  text: string;
  kind: 'problem' | 'note';
  at: number;
}

function outcomeText(outcome: Outcome): string {
  if (outcome.outcome === 'signed-in') return `Signed in to ${nameOf(outcome.target)}.`;
  if (outcome.outcome === 'cancelled') return `The sign-in to ${nameOf(outcome.target)} was cancelled. Sign in from here when you are ready.`;
  return `The sign-in to ${nameOf(outcome.target)} did not finish: ${outcome.message ?? 'no reason was given'}. Sign in from here to try again.`;
}

export function SignInPage() {
  const status = useContract('auth:status');
  const app = useAppStatus();
  // Where each sign-in this page started waits for the person (with its deadline, to tell it from a later one elsewhere).
  const [links, setLinks] = useState<Record<string, { url: string; expiresAt: string | undefined }>>({});
  // What the page has to say per target (a problem starting or cancelling, a note); an outcome newer than it replaces it.
  const [notes, setNotes] = useState<Record<string, Note>>({});
  const [busy, setBusy] = useState<string>();

  // The pushed status says when a sign-in starts or ends (from here, the tray or the CLI): read the details again then.
  const authKey = JSON.stringify(app?.auth ?? null);
  const { reload } = status;
  useEffect(() => {
    if (app) void reload();
  }, [authKey, reload, app === undefined]); // eslint-disable-line react-hooks/exhaustive-deps

  const value = status.value;
  const waiting = new Map((value?.signingIn ?? []).map((pending) => [pending.target, pending]));
  const outcomes = (value?.outcomes ?? []).filter((outcome) => !waiting.has(outcome.target));
  const settledAt = (target: string) =>
    Math.max(...outcomes.filter((outcome) => outcome.target === target).map((outcome) => Date.parse(outcome.at)), -Infinity);
  // Once a sign-in has an outcome, what the page said about that target before is out of date.
  const current = Object.entries(notes).filter(([target, note]) => note.at > settledAt(target));
  const linkFor = (target: string) => {
    const link = links[target];
    return link && link.expiresAt === waiting.get(target)?.expiresAt ? link.url : undefined;
  };

  const say = (target: string, text: string, kind: Note['kind']) => setNotes((previous) => ({ ...previous, [target]: { text, kind, at: Date.now() } }));
  const forget = (target: string) => setNotes((previous) => Object.fromEntries(Object.entries(previous).filter(([key]) => key !== target)));

  /** One action on a target: busy while the core answers; a refusal is said in words. Undefined when it was refused. */
  const act = async <C extends 'auth:signIn' | 'auth:cancelSignIn' | 'auth:signOut'>(channel: C, server: string | undefined, refused: string) => {
    const target = server ?? SSO;
    setBusy(target);
    // The three channels take the same request: an optional server (none means the company sign-in).
    const result = await invoke(channel, (server ? { server } : undefined) as ContractRequest<C>);
    setBusy(undefined);
    if (result.ok) return result.value;
    say(target, `${refused}: ${result.error.message}`, 'problem');
    return undefined;
  };

  const signIn = async (server?: string) => {
    const target = server ?? SSO;
    forget(target);
    const answer = await act('auth:signIn', server, `Could not sign in to ${nameOf(target)}`);
    if (!answer) return;
    const { started } = answer;
    if (started.state === 'waiting' && started.authorizationUrl) {
      const url = started.authorizationUrl;
      setLinks((previous) => ({ ...previous, [target]: { url, expiresAt: started.expiresAt } }));
      // The page opens the authorization page itself, still in the click's continuation so it counts as the
      // person's own action. With noopener the browser never says whether it opened (it returns null either way),
      // so the "Continue sign-in" link stays on screen while the sign-in waits.
      try {
        window.open(url, '_blank', 'noopener');
      } catch {
        // A refused popup is not an error for the person: the link below does the same.
      }
    } else if (started.state === 'not-required') {
      say(target, `${nameOf(target)} needs no sign-in.`, 'note');
    }
    await reload();
  };

  const cancel = async (server?: string) => {
    await act('auth:cancelSignIn', server, `Could not cancel the sign-in to ${nameOf(server ?? SSO)}`);
    await reload();
  };

  const signOut = async (server?: string) => {
    const target = server ?? SSO;
    forget(target);
    if (await act('auth:signOut', server, `Could not sign out of ${nameOf(target)}`))
      say(target, server ? `Signed out of ${server}.` : 'Signed out everywhere.', 'note');
    await reload();
  };

  const sso = value?.sso;
  return (
    <section aria-labelledby="signin-heading">
      <h2 id="signin-heading">Sign-in</h2>
      {status.error && <p role="alert">{status.error.message}</p>}
      {[...waiting.values()].map((pending) => (
        <div key={pending.target} className="signin-wait" role="region" aria-label={`Signing in to ${nameOf(pending.target)}`}>
          <p aria-live="polite">
            Waiting for you to finish signing in to {nameOf(pending.target)} in the browser… (until {clock(pending.expiresAt)})
          </p>
          {linkFor(pending.target) ? (
            <p>
              <a className="continue-link" href={linkFor(pending.target)} target="_blank" rel="noopener noreferrer">
                Continue sign-in
              </a>
              No sign-in page opened? Use Continue sign-in.
            </p>
          ) : (
            <p>This sign-in was started elsewhere (the tray or the command line). Sign in from here to get its page.</p>
          )}
          <button
            type="button"
            disabled={busy === pending.target}
            onClick={() => void cancel(pending.target === SSO ? undefined : pending.target)}
            aria-label={`Cancel the sign-in to ${nameOf(pending.target)}`}
          >
            Cancel
          </button>
          {!linkFor(pending.target) && (
            <button type="button" disabled={busy === pending.target} onClick={() => void signIn(pending.target === SSO ? undefined : pending.target)}>
              Sign in from here
            </button>
          )}
        </div>
      ))}
      {outcomes.map((outcome) => (
        <p
          key={`${outcome.target}@${outcome.at}`}
          role={outcome.outcome === 'failed' ? 'alert' : 'status'}
          className={outcome.outcome === 'signed-in' ? 'outcome-ok' : outcome.outcome === 'failed' ? 'error' : ''}
        >
          {outcomeText(outcome)}
        </p>
      ))}
      {current.map(([target, note]) => (
        <p key={`note-${target}`} role={note.kind === 'problem' ? 'alert' : 'status'} className={note.kind === 'problem' ? 'error' : ''}>
          {note.text}
        </p>
      ))}
      {sso && (
        <div className="card" aria-label="Company sign-in">
          <h3>Company sign-in</h3>
          {!sso.configured ? (
            <p>No company identity provider is configured. Your administrator's policy file or `auth.idp` in the configuration sets one.</p>
          ) : sso.signedIn ? (
            <>
              <p>
                Signed in to <code>{sso.issuer}</code>
                {sso.subject ? ` as ${sso.subject}` : ''}
                {sso.idTokenExpiresAt ? `, session renews before ${new Date(sso.idTokenExpiresAt).toLocaleString()}` : ''}.
              </p>
              <button type="button" disabled={Boolean(busy)} onClick={() => void signOut()}>
                Sign out everywhere
              </button>
            </>
          ) : waiting.has(SSO) ? (
            <p>Not signed in yet: waiting for you in the browser.</p>
          ) : (
            <>
              <p>Not signed in. One sign-in gives you every server that accepts the company sign-in.</p>
              <button type="button" className="primary" disabled={busy === SSO} onClick={() => void signIn()}>
                {busy === SSO ? 'Starting…' : 'Sign in'}
              </button>
            </>
          )}
        </div>
      )}
      <table>
        <caption>Servers</caption>
        <thead>
          <tr>
            <th scope="col">Server</th>
            <th scope="col">State</th>
            <th scope="col">How</th>
            <th scope="col">
              <span className="visually-hidden">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {(value?.servers ?? []).map((server) => (
            <tr key={server.id}>
              <th scope="row">{server.id}</th>
              <td>
                {waiting.has(server.id) ? 'Waiting for you in the browser…' : (STATE_LABEL[server.state] ?? server.state)}
                {server.code === 'AUTH_SSO_REQUIRED' && !waiting.has(server.id)
                  ? ' — needs the company sign-in first: sign in from here'
                  : server.message && server.state !== 'signed-in' && server.state !== 'not-required'
                    ? ` — ${server.message}`
                    : ''}
              </td>
              <td>{server.via ?? '—'}</td>
              <td>
                {waiting.has(server.id) ? null : server.state === 'signed-in' ? (
                  <button type="button" disabled={busy === server.id} onClick={() => void signOut(server.id)} aria-label={`Sign out of ${server.id}`}>
                    Sign out
                  </button>
                ) : server.state !== 'not-required' ? (
                  <button type="button" disabled={busy === server.id} onClick={() => void signIn(server.id)} aria-label={`Sign in to ${server.id}`}>
                    {busy === server.id ? 'Starting…' : 'Sign in'}
                  </button>
                ) : null}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
