// The window: the endpoint and overall state at the top, then one page per area (servers, sign-in, clients, activity, settings).
import { useEffect, useState } from 'react';
import type { AppStatus } from '../../shared/contract/schemas.ts';
import { summarizeStatus } from '../../shared/status-summary.ts';
import { AppStatusContext } from './app-status.ts';
import { subscribe } from './bridge.ts';
import { ActivityPage } from './pages/ActivityPage.tsx';
import { ClientsPage } from './pages/ClientsPage.tsx';
import { ServersPage } from './pages/ServersPage.tsx';
import { SettingsPage } from './pages/SettingsPage.tsx';
import { SignInPage } from './pages/SignInPage.tsx';
import { useContract } from './use-contract.ts';

const PAGES = [
  { id: 'servers', label: 'Servers', Page: ServersPage },
  { id: 'sign-in', label: 'Sign-in', Page: SignInPage },
  { id: 'clients', label: 'Clients', Page: ClientsPage },
  { id: 'activity', label: 'Activity', Page: ActivityPage },
  { id: 'settings', label: 'Settings', Page: SettingsPage },
] as const;

export function App() {
  const initial = useContract('app:getStatus');
  const [pushed, setPushed] = useState<AppStatus>();
  const [page, setPage] = useState<(typeof PAGES)[number]['id']>('servers');
  const [copied, setCopied] = useState(false);

  useEffect(() => subscribe('events:status', setPushed), []);
  // What the core pushed last, or what the first request answered.
  const status = pushed ?? initial.value;
  const summary = status ? summarizeStatus(status) : undefined;

  const current = PAGES.find((candidate) => candidate.id === page)!;
  return (
    <div className="app">
      <header>
        <h1>
          <img src="favicon.svg" alt="" width={24} height={24} />
          Switchboard
        </h1>
        {initial.error && <p role="alert">{initial.error.message}</p>}
        {status && (
          <div className="endpoint">
            <span>Endpoint: </span>
            {status.mcpUrl ? <code aria-label="Local endpoint URL">{status.mcpUrl}</code> : <span>not running</span>}
            {status.mcpUrl && (
              <button
                type="button"
                onClick={() => {
                  void navigator.clipboard?.writeText(status.mcpUrl!).then(() => setCopied(true));
                }}
              >
                {copied ? 'Copied' : 'Copy'}
              </button>
            )}
            <span className={`badge ${summary!.level}`} role="status" aria-label="Overall state" title={summary!.attention.join('\n')}>
              {summary!.label}
            </span>
          </div>
        )}
        <nav aria-label="Sections">
          {PAGES.map((candidate) => (
            <button key={candidate.id} type="button" aria-current={candidate.id === page ? 'page' : undefined} onClick={() => setPage(candidate.id)}>
              {candidate.label}
            </button>
          ))}
        </nav>
      </header>
      <main aria-label={current.label}>
        <AppStatusContext.Provider value={status}>
          <current.Page />
        </AppStatusContext.Provider>
      </main>
    </div>
  );
}
