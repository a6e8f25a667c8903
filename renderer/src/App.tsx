// The first screen: the local endpoint's URL and each server's state.
import { useEffect, useState } from 'react';
import type { AppStatus } from '../../shared/contract/schemas.ts';
import type { ContractError } from '../../shared/result.ts';
import { invoke } from './bridge.ts';

export function App() {
  const [status, setStatus] = useState<AppStatus>();
  const [error, setError] = useState<ContractError>();

  useEffect(() => {
    let cancelled = false;
    const refresh = async () => {
      const result = await invoke('app:getStatus');
      if (cancelled) return;
      if (result.ok) {
        setStatus(result.value);
        setError(undefined);
      } else {
        setError(result.error);
      }
    };
    void refresh();
    const timer = setInterval(() => void refresh(), 2000);
    return () => {
      cancelled = true;
      clearInterval(timer);
    };
  }, []);

  return (
    <main>
      <h1>Switchboard</h1>
      {error && <p role="alert">{error.message}</p>}
      {status && (
        <>
          <section aria-labelledby="endpoint-heading">
            <h2 id="endpoint-heading">Local endpoint</h2>
            <p>{status.mcpUrl ? <code>{status.mcpUrl}</code> : 'Not running'}</p>
          </section>
          <section aria-labelledby="servers-heading">
            <h2 id="servers-heading">Servers</h2>
            {status.servers.length === 0 ? (
              <p>No servers are configured yet. Add one to the configuration file, or ask your administrator for the company catalog.</p>
            ) : (
              <table>
                <thead>
                  <tr><th scope="col">Server</th><th scope="col">State</th><th scope="col">Protocol</th><th scope="col">Tools</th></tr>
                </thead>
                <tbody>
                  {status.servers.map((server) => (
                    <tr key={server.id}>
                      <th scope="row">{server.id}</th>
                      <td>{server.state}{server.lastError ? ` — ${server.lastError.message}` : ''}</td>
                      <td>{server.protocolVersion ?? '—'}</td>
                      <td>{server.toolCount ?? '—'}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </section>
        </>
      )}
    </main>
  );
}
