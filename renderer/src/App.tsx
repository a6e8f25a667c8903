// The window: the endpoint and overall state at the top, the sections on the left, one page per area (servers, sign-in, clients, activity, settings), or the guided first run.
import { ActionIcon, Badge, Button, Code, CopyButton, Loader, NavLink, Text, Tooltip } from '@mantine/core';
import { IconActivity, IconCheck, IconCopy, IconKey, IconPlugConnected, IconRoute, IconServer2, IconSettings } from '@tabler/icons-react';
import { lazy, Suspense, useEffect, useRef, useState } from 'react';
import type { AppStatus } from '../../shared/contract/schemas.ts';
import { summarizeStatus } from '../../shared/status-summary.ts';
import { AppStatusContext } from './app-status.ts';
import { invoke, subscribe } from './bridge.ts';
import { FirstRun } from './first-run/FirstRun.tsx';
import { ClientsPage } from './pages/ClientsPage.tsx';
import { ServersPage } from './pages/ServersPage.tsx';
import { SettingsPage } from './pages/SettingsPage.tsx';
import { SignInPage } from './pages/SignInPage.tsx';
import { Notice, useKeptState } from './ui.tsx';
import { useContract } from './use-contract.ts';

// Activity alone draws charts: the chart library (about half the bundle) loads when the page is first opened.
const ActivityPage = lazy(async () => ({ default: (await import('./pages/ActivityPage.tsx')).ActivityPage }));

const PAGES = [
  { id: 'servers', label: 'Servers', Page: ServersPage, Icon: IconServer2 },
  { id: 'sign-in', label: 'Sign-in', Page: SignInPage, Icon: IconKey },
  { id: 'clients', label: 'Clients', Page: ClientsPage, Icon: IconPlugConnected },
  { id: 'activity', label: 'Activity', Page: ActivityPage, Icon: IconActivity },
  { id: 'settings', label: 'Settings', Page: SettingsPage, Icon: IconSettings },
] as const;

const LEVEL_COLOR = { ok: 'green', busy: 'blue', attention: 'orange', problem: 'red' } as const;

export function App() {
  const initial = useContract('app:getStatus');
  const [pushed, setPushed] = useState<AppStatus>();
  const [page, setPage] = useKeptState<(typeof PAGES)[number]['id']>('page', 'servers');

  // The guided first run opens by itself only on a machine where nothing is set up and the person has not finished or
  // skipped it before; the header's button opens it at any time.
  const [guide, setGuide] = useState(false);
  // A person who already chose a section before the answer came is not pulled away from it.
  const chose = useRef(false);
  useEffect(() => {
    void invoke('firstRun:get').then((answer) => {
      if (answer.ok && answer.value.state === 'new' && answer.value.nothingSetUp && !chose.current) setGuide(true);
    });
  }, []);

  useEffect(() => subscribe('events:status', setPushed), []);
  // What the core pushed last, or what the first request answered.
  const status = pushed ?? initial.value;
  const summary = status ? summarizeStatus(status) : undefined;

  const current = PAGES.find((candidate) => candidate.id === page) ?? PAGES[0];
  return (
    <div className="shell">
      <header className="shell-header">
        <h1 className="shell-brand">
          <img src="favicon.svg" alt="" width={24} height={24} />
          Switchboard
        </h1>
        {!guide && (
          <Button size="compact-sm" variant="subtle" leftSection={<IconRoute size={16} aria-hidden />} onClick={() => setGuide(true)}>
            Guided setup
          </Button>
        )}
        {status && (
          <div className="shell-endpoint">
            <Text size="sm" c="dimmed" component="span">
              Endpoint
            </Text>
            {status.mcpUrl ? (
              <Tooltip label={status.mcpUrl} openDelay={400}>
                <Code aria-label="Local endpoint URL">{status.mcpUrl}</Code>
              </Tooltip>
            ) : (
              <Text size="sm" component="span">
                not running
              </Text>
            )}
            {status.mcpUrl && (
              <CopyButton value={status.mcpUrl}>
                {({ copied, copy }) => (
                  <ActionIcon variant="subtle" color={copied ? 'green' : 'gray'} onClick={copy} aria-label={copied ? 'Copied' : 'Copy the endpoint URL'}>
                    {copied ? <IconCheck size={16} aria-hidden /> : <IconCopy size={16} aria-hidden />}
                  </ActionIcon>
                )}
              </CopyButton>
            )}
            <Badge
              className={`badge ${summary!.level}`}
              color={summary!.servers.length === 0 ? 'gray' : (LEVEL_COLOR[summary!.level as keyof typeof LEVEL_COLOR] ?? 'gray')}
              variant="light"
              size="lg"
              role="status"
              aria-label="Overall state"
              title={summary!.attention.join('\n')}
            >
              {summary!.label}
            </Badge>
          </div>
        )}
      </header>
      <nav className="shell-nav" aria-label="Sections">
        <div className="shell-nav-inner">
          {PAGES.map((candidate) => (
            <NavLink
              key={candidate.id}
              component="button"
              type="button"
              active={!guide && candidate.id === current.id}
              aria-current={!guide && candidate.id === current.id ? 'page' : undefined}
              aria-label={candidate.label}
              label={<span className="nav-label">{candidate.label}</span>}
              leftSection={<candidate.Icon size={20} stroke={1.6} aria-hidden />}
              onClick={() => {
                chose.current = true;
                setGuide(false);
                setPage(candidate.id);
              }}
            />
          ))}
        </div>
      </nav>
      <main className="shell-main" aria-label={guide ? 'Guided setup' : current.label}>
        {initial.error && <Notice kind="problem">{initial.error.message}</Notice>}
        <AppStatusContext.Provider value={status}>
          {guide ? (
            <FirstRun onLeave={() => setGuide(false)} />
          ) : (
            <Suspense fallback={<Loader size="sm" aria-label="Loading the page" />}>
              <current.Page />
            </Suspense>
          )}
        </AppStatusContext.Provider>
      </main>
    </div>
  );
}
