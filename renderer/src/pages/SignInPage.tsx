// Sign-in: the company SSO session and each server's token state; a sign-in opens the authorization page from here, waits, and says how it ended.
import { Anchor, Badge, Button, Code, Group, Paper, Table, Text, Title } from '@mantine/core';
import { IconExternalLink, IconKey } from '@tabler/icons-react';
import { useEffect, useState } from 'react';
import type { AuthStatusView, ContractRequest } from '../../../shared/contract/schemas.ts';
import { useAppStatus } from '../app-status.ts';
import { invoke } from '../bridge.ts';
import { EmptyState, Notice, PageHead } from '../ui.tsx';
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
      <PageHead
        id="signin-heading"
        title="Sign-in"
        description="Your company account and each server's sign-in. Sign-ins open in your browser; Switchboard keeps the tokens in your keychain."
      />
      {status.error && <Notice kind="problem">{status.error.message}</Notice>}
      {[...waiting.values()].map((pending) => (
        <Paper
          key={pending.target}
          withBorder
          p="md"
          radius="md"
          mb="md"
          className="surface signin-wait"
          role="region"
          aria-label={`Signing in to ${nameOf(pending.target)}`}
        >
          <Text aria-live="polite" fw={500}>
            Waiting for you to finish signing in to {nameOf(pending.target)} in the browser… (until {clock(pending.expiresAt)})
          </Text>
          {linkFor(pending.target) ? (
            <Text size="sm" mt="xs">
              <Anchor className="continue-link" href={linkFor(pending.target)} target="_blank" rel="noopener noreferrer" fw={600} mr="xs">
                Continue sign-in <IconExternalLink size={14} aria-hidden />
              </Anchor>
              No sign-in page opened? Use Continue sign-in.
            </Text>
          ) : (
            <Text size="sm" mt="xs">
              This sign-in was started elsewhere (the tray or the command line). Sign in from here to get its page.
            </Text>
          )}
          <Group gap="xs" mt="sm">
            <Button
              variant="default"
              size="xs"
              disabled={busy === pending.target}
              onClick={() => void cancel(pending.target === SSO ? undefined : pending.target)}
              aria-label={`Cancel the sign-in to ${nameOf(pending.target)}`}
            >
              Cancel
            </Button>
            {!linkFor(pending.target) && (
              <Button size="xs" disabled={busy === pending.target} onClick={() => void signIn(pending.target === SSO ? undefined : pending.target)}>
                Sign in from here
              </Button>
            )}
          </Group>
        </Paper>
      ))}
      {outcomes.map((outcome) => (
        <Notice
          key={`${outcome.target}@${outcome.at}`}
          kind={outcome.outcome === 'failed' ? 'problem' : outcome.outcome === 'signed-in' ? 'ok' : 'info'}
          className={outcome.outcome === 'signed-in' ? 'outcome-ok' : outcome.outcome === 'failed' ? 'error' : ''}
        >
          {outcomeText(outcome)}
        </Notice>
      ))}
      {current.map(([target, note]) => (
        <Notice key={`note-${target}`} kind={note.kind === 'problem' ? 'problem' : 'info'} className={note.kind === 'problem' ? 'error' : ''}>
          {note.text}
        </Notice>
      ))}
      {sso && (
        <Paper withBorder p="md" radius="md" mb="md" className="surface" aria-label="Company sign-in" role="region">
          <Group justify="space-between" mb="xs">
            <Title order={3} size="h4">
              Company sign-in
            </Title>
            {sso.configured && (
              <Badge variant="light" color={sso.signedIn ? 'green' : 'orange'} tt="none">
                {sso.signedIn ? 'Signed in' : 'Not signed in'}
              </Badge>
            )}
          </Group>
          {!sso.configured ? (
            <Text size="sm">
              No company identity provider is configured. Your administrator's policy file or <Code>auth.idp</Code> in the configuration sets one; servers with
              their own sign-in are signed in to one by one below.
            </Text>
          ) : sso.signedIn ? (
            <>
              <Text size="sm">
                Signed in to <Code>{sso.issuer}</Code>
                {sso.subject ? ` as ${sso.subject}` : ''}
                {sso.idTokenExpiresAt ? `, session renews before ${new Date(sso.idTokenExpiresAt).toLocaleString()}` : ''}.
              </Text>
              <Button mt="sm" variant="default" size="xs" disabled={Boolean(busy)} onClick={() => void signOut()}>
                Sign out everywhere
              </Button>
            </>
          ) : waiting.has(SSO) ? (
            <Text size="sm">Not signed in yet: waiting for you in the browser.</Text>
          ) : (
            <>
              <Text size="sm">Not signed in. One sign-in gives you every server that accepts the company sign-in.</Text>
              <Button mt="sm" className="primary" leftSection={<IconKey size={16} aria-hidden />} loading={busy === SSO} onClick={() => void signIn()}>
                Sign in
              </Button>
            </>
          )}
        </Paper>
      )}
      {value && value.servers.length === 0 ? (
        <EmptyState icon={<IconKey size={26} />} title="No server to sign in to">
          Enable a server on the Servers page; those that need a sign-in are listed here with a Sign in button.
        </EmptyState>
      ) : (
        <Paper withBorder radius="md" className="surface" style={{ overflowX: 'auto' }}>
          <Table verticalSpacing="sm">
            <caption className="visually-hidden">Servers</caption>
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">Server</Table.Th>
                <Table.Th scope="col">State</Table.Th>
                <Table.Th scope="col">How</Table.Th>
                <Table.Th scope="col">
                  <span className="visually-hidden">Actions</span>
                </Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {(value?.servers ?? []).map((server) => (
                <Table.Tr key={server.id}>
                  <Table.Th scope="row">{server.id}</Table.Th>
                  <Table.Td>
                    {waiting.has(server.id) ? 'Waiting for you in the browser…' : (STATE_LABEL[server.state] ?? server.state)}
                    {server.code === 'AUTH_SSO_REQUIRED' && !waiting.has(server.id)
                      ? ' — needs the company sign-in first: sign in from here'
                      : server.message && server.state !== 'signed-in' && server.state !== 'not-required'
                        ? ` — ${server.message}`
                        : ''}
                  </Table.Td>
                  <Table.Td>{server.via ?? '—'}</Table.Td>
                  <Table.Td>
                    {waiting.has(server.id) ? null : server.state === 'signed-in' ? (
                      <Button
                        size="xs"
                        variant="default"
                        disabled={busy === server.id}
                        onClick={() => void signOut(server.id)}
                        aria-label={`Sign out of ${server.id}`}
                      >
                        Sign out
                      </Button>
                    ) : server.state !== 'not-required' ? (
                      <Button size="xs" disabled={busy === server.id} onClick={() => void signIn(server.id)} aria-label={`Sign in to ${server.id}`}>
                        {busy === server.id ? 'Starting…' : 'Sign in'}
                      </Button>
                    ) : null}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Paper>
      )}
    </section>
  );
}
