// Tools held for review, on the Servers page: what changed (old against new, hidden characters shown as markers) and a button to approve it.
import { Badge, Button, Code, Paper, Text, Title } from '@mantine/core';
import { useEffect, useState } from 'react';
import type { HeldToolView } from '../../../shared/contract/schemas.ts';
import { invoke } from '../bridge.ts';
import { Notice } from '../ui.tsx';
import { useContract } from '../use-contract.ts';

/** A tool is held when a server changes it, whoever looks: asked again this often while the page is open. */
const REFRESH_MS = 5000;

type Field = keyof HeldToolView['new'];

export function HeldToolsReview() {
  const review = useContract('tools:review', {});
  const { reload } = review;
  useEffect(() => {
    const timer = setInterval(() => void reload(), REFRESH_MS);
    return () => clearInterval(timer);
  }, [reload]);
  const [busy, setBusy] = useState<string>();
  const [message, setMessage] = useState<string>();
  const [error, setError] = useState<string>();

  const held = review.value?.held ?? [];
  const cleaned = review.value?.cleaned ?? [];
  if (!held.length && !cleaned.length && !message && !error) return null;

  const approve = async (server: string, tools?: string[]) => {
    setBusy(`${server}/${tools?.join(',') ?? '*'}`);
    setError(undefined);
    const result = await invoke('tools:approve', { server, ...(tools ? { tools } : {}) });
    setBusy(undefined);
    if (!result.ok) return setError(result.error.message);
    setMessage(
      `Approved ${result.value.approved.map((tool) => `${tool.server} / ${tool.tool}`).join(', ')}. Clients see ${result.value.approved.length === 1 ? 'it' : 'them'} again.`,
    );
    await reload();
  };
  const servers = [...new Set(held.map((tool) => tool.server))];

  return (
    <Paper component="section" withBorder p="md" radius="md" mb="md" className="surface" aria-labelledby="held-tools-heading">
      <Title order={3} size="h4" id="held-tools-heading">
        {held.length ? `Tools held for review (${held.length})` : 'Tool review'}
      </Title>
      {message && <Notice kind="ok">{message}</Notice>}
      {error && <Notice kind="problem">{error}</Notice>}
      {held.length > 0 && (
        <p>
          These tools changed (or appeared) after you approved their server. AI clients do not see them until you approve them: read what changed, as a server
          can slip instructions to the model into a tool's description.
        </p>
      )}
      {servers.map((server) => (
        <div key={server}>
          {held
            .filter((tool) => tool.server === server)
            .map((tool) => (
              <HeldTool key={tool.tool} tool={tool} busy={busy === `${server}/${tool.tool}`} onApprove={() => void approve(server, [tool.tool])} />
            ))}
          {held.filter((tool) => tool.server === server).length > 1 && (
            <Button variant="light" disabled={busy !== undefined} onClick={() => void approve(server)}>
              Approve all of {server}
            </Button>
          )}
        </div>
      ))}
      {cleaned.length > 0 && (
        <>
          <h4>Hidden characters removed</h4>
          <p>
            These approved tools came with characters a person cannot see; AI clients get them without. A server that sends such text deserves a second look.
          </p>
          <ul aria-label="Tools with hidden characters removed">
            {cleaned.map((tool) => (
              <li key={`${tool.server}/${tool.tool}`}>
                {tool.server} / <code>{tool.tool}</code>: {tool.hidden.map(({ field, removed }) => `${field} (${removed.join(', ')})`).join('; ')}
              </li>
            ))}
          </ul>
        </>
      )}
    </Paper>
  );
}

function HeldTool({ tool, busy, onApprove }: { tool: HeldToolView; busy: boolean; onApprove: () => void }) {
  return (
    <Paper component="article" withBorder p="sm" radius="md" my="sm" aria-label={`${tool.server} / ${tool.tool}`}>
      <Title order={4} size="h5" mb="xs">
        {tool.server} / <Code>{tool.tool}</Code>{' '}
        <Badge className="badge attention" variant="light" color="orange" tt="none">
          {tool.change === 'new' ? 'new' : 'changed'}
        </Badge>
      </Title>
      {tool.changedFields.map((field) => (
        <div key={field}>
          <strong>{field}</strong>
          <div className="diff">
            <pre aria-label={`${field} before`}>{tool.old?.[field as Field] ?? '(none)'}</pre>
            <pre aria-label={`${field} now`}>{tool.new[field as Field] ?? '(none)'}</pre>
          </div>
        </div>
      ))}
      {tool.hidden.length > 0 && (
        <Text size="sm" c="red" className="error" my="xs">
          Hidden characters (shown above as ⟨U+…⟩, removed before any AI client sees them):{' '}
          {tool.hidden.map(({ field, removed }) => `${field} (${removed.join(', ')})`).join('; ')}
        </Text>
      )}
      <Button size="xs" mt="xs" loading={busy} onClick={onApprove} aria-label={`Approve ${tool.server} / ${tool.tool}`}>
        Approve
      </Button>
    </Paper>
  );
}
