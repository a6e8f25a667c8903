// The first run's last step: waits, with a deadline and a cancel, for the first tool call one of the person's AI clients makes through Switchboard.
import { Button, Code, Group, Loader, Text } from '@mantine/core';
import { useEffect, useState } from 'react';
import type { AuditRecordView } from '../../../shared/contract/schemas.ts';
import { invoke, subscribe } from '../bridge.ts';
import { Notice } from '../ui.tsx';
import { useContract } from '../use-contract.ts';

/** Long enough to restart a client and ask it something; after that the page stops waiting and says what to check. */
const WAIT_MS = 10 * 60_000;

type Waiting = { state: 'waiting'; until: number } | { state: 'stopped'; why: 'cancelled' | 'deadline' } | { state: 'called'; record: AuditRecordView };

const isClientToolCall = (record: AuditRecordView, since: string) => record.method === 'tools/call' && Boolean(record.client) && record.time >= since;

export function TryItStep({ since, onCalled }: { since: string; onCalled: (called: boolean) => void }) {
  const clients = useContract('clients:list');
  const [waiting, setWaiting] = useState<Waiting>(() => ({ state: 'waiting', until: Date.now() + WAIT_MS }));
  const until = waiting.state === 'waiting' ? waiting.until : undefined;

  useEffect(() => {
    if (until === undefined) return;
    const found = (record: AuditRecordView | undefined) => {
      if (!record) return;
      setWaiting({ state: 'called', record });
      onCalled(true);
    };
    // A call made before this step showed (while the person was still on the clients step) counts too.
    void invoke('audit:query', { from: since, kind: 'request', limit: 100 }).then((answer) => {
      if (answer.ok) found(answer.value.records.find((record) => isClientToolCall(record, since)));
    });
    const stop = subscribe('events:audit', ({ records }) => found(records.find((record) => isClientToolCall(record, since))));
    const deadline = setTimeout(() => setWaiting({ state: 'stopped', why: 'deadline' }), until - Date.now());
    return () => {
      stop();
      clearTimeout(deadline);
    };
  }, [until, since, onCalled]);

  // A client set up here is registered under its target's id (cursor): the person knows it by the target's name (Cursor).
  const nameOf = (id: string | null | undefined) => clients.value?.aiClients.find((client) => client.id === id)?.name ?? id ?? 'A client';
  const names = (clients.value?.registered ?? []).map((client) => nameOf(client.id));
  return (
    <section aria-label="Try it">
      <Text mb="xs">
        {names.length
          ? `Open ${names.length === 1 ? names[0] : `one of ${names.join(', ')}`} (restart it if it was running, so it reads its new settings) and ask it to use a tool from one of your servers.`
          : 'No AI client is set up yet: go back a step to set one up, or connect one to the endpoint above yourself, then ask it to use a tool.'}
      </Text>
      <Text size="sm" c="dimmed" mb="md">
        For example: “Use the tools you have to add 20 and 22” or “Search the wiki for the holiday policy”. The call shows here when it reaches Switchboard.
      </Text>
      {waiting.state === 'waiting' && (
        <Group gap="sm" role="status" aria-live="polite">
          <Loader size="sm" />
          <Text size="sm">
            Waiting for the first tool call from one of your AI clients… (until{' '}
            {new Date(waiting.until).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' })})
          </Text>
          <Button size="xs" variant="default" onClick={() => setWaiting({ state: 'stopped', why: 'cancelled' })}>
            Stop waiting
          </Button>
        </Group>
      )}
      {waiting.state === 'stopped' && (
        <Notice kind="info" title={waiting.why === 'deadline' ? 'No call came in ten minutes' : 'Stopped waiting'}>
          {waiting.why === 'deadline'
            ? 'Check that the client was restarted after it was set up and that its chat can use MCP tools (some need tools switched on per chat). '
            : ''}
          <Button size="compact-xs" variant="subtle" onClick={() => setWaiting({ state: 'waiting', until: Date.now() + WAIT_MS })}>
            Wait again
          </Button>
        </Notice>
      )}
      {waiting.state === 'called' && <FirstCall record={waiting.record} client={nameOf(waiting.record.client)} />}
    </section>
  );
}

function FirstCall({ record, client }: { record: AuditRecordView; client: string }) {
  const at = new Date(record.time).toLocaleTimeString();
  if (record.outcome === 'ok')
    return (
      <Notice kind="ok" title="It works">
        {client} called <Code>{record.target}</Code> on {record.server ?? 'a server'} at {at}
        {record.latencyMs != null ? `, answered in ${Math.round(record.latencyMs)} ms` : ''}. Every call is in Activity.
      </Notice>
    );
  return (
    <Notice kind="problem" title="The call reached Switchboard but did not succeed">
      {client} called <Code>{record.target}</Code> on {record.server ?? 'a server'} at {at}: {record.errorType ?? record.outcome}. The server may need a sign-in
      (the Sign-in step) or be unavailable (its details on the Servers page say why); Activity has the record.
    </Notice>
  );
}
