// Sign-in: the company SSO session and each server's token state, with sign in and out; tokens themselves never reach the page.
import { useState } from 'react';
import { invoke } from '../bridge.ts';
import { useContract } from '../use-contract.ts';

const STATE_LABEL: Record<string, string> = { 'not-required': 'No sign-in needed', 'signed-in': 'Signed in', 'needs-sign-in': 'Needs sign-in', refreshing: 'Renewing…', failed: 'Failed' };

export function SignInPage() {
  const status = useContract('auth:status');
  const [waiting, setWaiting] = useState<string>();
  const [error, setError] = useState<string>();

  const run = async (what: string, action: () => Promise<{ ok: boolean; error?: { message: string } }>) => {
    setWaiting(what);
    setError(undefined);
    const result = await action();
    setWaiting(undefined);
    if (!result.ok) setError(result.error!.message);
    await status.reload();
  };

  const sso = status.value?.sso;
  return (
    <section aria-labelledby="signin-heading">
      <h2 id="signin-heading">Sign-in</h2>
      {error && <p role="alert">{error}</p>}
      {status.error && <p role="alert">{status.error.message}</p>}
      {waiting && <p aria-live="polite">{waiting} — finish in your browser if it opened.</p>}
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
              <button type="button" disabled={Boolean(waiting)} onClick={() => void run('Signing out', () => invoke('auth:signOut'))}>Sign out everywhere</button>
            </>
          ) : (
            <>
              <p>Not signed in. One sign-in gives you every server that accepts the company sign-in.</p>
              <button type="button" disabled={Boolean(waiting)} onClick={() => void run('Waiting for the company sign-in', () => invoke('auth:signIn'))}>Sign in</button>
            </>
          )}
        </div>
      )}
      <table>
        <caption>Servers</caption>
        <thead>
          <tr><th scope="col">Server</th><th scope="col">State</th><th scope="col">How</th><th scope="col"><span className="visually-hidden">Actions</span></th></tr>
        </thead>
        <tbody>
          {(status.value?.servers ?? []).map((server) => (
            <tr key={server.id}>
              <th scope="row">{server.id}</th>
              <td>{STATE_LABEL[server.state] ?? server.state}{server.message ? ` — ${server.message}` : ''}</td>
              <td>{server.via ?? '—'}</td>
              <td>
                {server.state === 'signed-in' ? (
                  <button type="button" disabled={Boolean(waiting)} onClick={() => void run(`Signing out of ${server.id}`, () => invoke('auth:signOut', { server: server.id }))} aria-label={`Sign out of ${server.id}`}>Sign out</button>
                ) : server.state !== 'not-required' ? (
                  <button type="button" disabled={Boolean(waiting)} onClick={() => void run(`Signing in to ${server.id}`, () => invoke('auth:signIn', { server: server.id }))} aria-label={`Sign in to ${server.id}`}>Sign in</button>
                ) : null}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
