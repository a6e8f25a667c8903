// Clients: the AI clients found on this machine, one-click setup with a preview and undo, and what each registered client may see.
import { Badge, Button, Code, Group, Modal, Paper, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { IconPlugConnected, IconUserShield } from '@tabler/icons-react';
import { useState } from 'react';
import type { ContractResponse } from '../../../shared/contract/schemas.ts';
import { invoke } from '../bridge.ts';
import { EmptyState, Notice, PageHead } from '../ui.tsx';
import { useContract } from '../use-contract.ts';

type AiClientId = ContractResponse<'clients:list'>['aiClients'][number]['id'];
type Preview = ContractResponse<'clients:preview'> & { client: AiClientId };

export function ClientsPage() {
  const clients = useContract('clients:list');
  const [preview, setPreview] = useState<Preview>();
  const [message, setMessage] = useState<string>();
  const [error, setError] = useState<string>();

  const showPreview = async (client: AiClientId) => {
    setError(undefined);
    setMessage(undefined);
    const result = await invoke('clients:preview', { client });
    if (result.ok) setPreview({ ...result.value, client });
    else setError(result.error.message);
  };

  const apply = async () => {
    if (!preview) return;
    const result = await invoke('clients:configure', { client: preview.client });
    setPreview(undefined);
    if (result.ok)
      setMessage(
        `Configured: ${result.value.path}${result.value.backupPath ? ` (the previous file is kept as ${result.value.backupPath})` : ''}. Restart the client to use Switchboard.`,
      );
    else setError(result.error.message);
    await clients.reload();
  };

  // A stale entry is Switchboard's own: repairing it re-runs set-up directly (the file keeps a backup as ever).
  const repair = async (client: AiClientId) => {
    setError(undefined);
    setMessage(undefined);
    const result = await invoke('clients:configure', { client });
    if (result.ok)
      setMessage(
        `Repaired: ${result.value.path}${result.value.backupPath ? ` (the previous file is kept as ${result.value.backupPath})` : ''}. Restart the client to use Switchboard.`,
      );
    else setError(result.error.message);
    await clients.reload();
  };

  const undo = async (client: AiClientId) => {
    const result = await invoke('clients:undo', { client });
    if (result.ok)
      setMessage(
        result.value.removed ? `Removed Switchboard from ${result.value.path}; everything else in it is as it was.` : 'Switchboard was not in that file.',
      );
    else setError(result.error.message);
    await clients.reload();
  };

  // The clients found on this machine first, in the order the contract lists them; the rest after.
  const aiClients = [...(clients.value?.aiClients ?? [])].sort((a, b) => Number(b.detected) - Number(a.detected));
  const found = aiClients.filter((client) => client.detected);
  return (
    <section aria-labelledby="clients-heading">
      <PageHead
        id="clients-heading"
        title="AI clients"
        description="Set up the AI clients on this machine to use Switchboard: only a “switchboard” entry is added to each client’s file, with a preview first and undo after."
      />
      {message && <Notice kind="ok">{message}</Notice>}
      {error && <Notice kind="problem">{error}</Notice>}
      {clients.error && <Notice kind="problem">{clients.error.message}</Notice>}
      {clients.value && found.length === 0 && (
        <Notice kind="info" title="No AI client found on this machine">
          Install one (Claude Desktop, Cursor, VS Code…) and come back: it shows up here. Clients without a file take the copy-ready JSON below.
        </Notice>
      )}
      <Paper withBorder radius="md" className="surface" style={{ overflowX: 'auto' }}>
        <Table verticalSpacing="sm" highlightOnHover>
          <caption className="visually-hidden">Clients on this machine</caption>
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">Client</Table.Th>
              <Table.Th scope="col">Found</Table.Th>
              <Table.Th scope="col">Uses Switchboard</Table.Th>
              <Table.Th scope="col">File</Table.Th>
              <Table.Th scope="col">
                <span className="visually-hidden">Actions</span>
              </Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {aiClients.map((client) => (
              <Table.Tr key={client.id}>
                <Table.Th scope="row">{client.name}</Table.Th>
                <Table.Td>
                  <Badge variant="light" color={client.detected ? 'green' : 'gray'} tt="none">
                    {client.detected ? 'Yes' : 'Not found'}
                  </Badge>
                </Table.Td>
                <Table.Td>
                  {client.problem ? (
                    <Text size="sm" c="red">
                      Cannot read its file: {client.problem}
                    </Text>
                  ) : client.configured ? (
                    <Badge variant="light" color="green" tt="none">
                      Yes
                    </Badge>
                  ) : client.stale ? (
                    <Text size="sm" c="orange">
                      Needs repair: {client.staleReason ?? 'the entry no longer works'}
                    </Text>
                  ) : (
                    'No'
                  )}
                </Table.Td>
                <Table.Td>
                  {client.path ? (
                    <Code>{client.path}</Code>
                  ) : (
                    <Text size="sm" c="dimmed">
                      {client.method === 'copy' ? 'its own settings' : 'not on this system'}
                    </Text>
                  )}
                </Table.Td>
                <Table.Td>
                  <Group gap="xs" wrap="nowrap" justify="flex-end">
                    {client.method === 'copy' ? (
                      <Button size="xs" variant="default" onClick={() => void showPreview(client.id)} aria-label={`Show JSON for ${client.name}`}>
                        Show JSON
                      </Button>
                    ) : !client.path ? null : client.stale ? (
                      <Button size="xs" color="orange" onClick={() => void repair(client.id)} aria-label={`Repair ${client.name}`}>
                        Repair
                      </Button>
                    ) : (
                      <Button
                        size="xs"
                        variant={client.configured ? 'default' : 'filled'}
                        onClick={() => void showPreview(client.id)}
                        aria-label={`Set up ${client.name}`}
                      >
                        {client.configured ? 'Update' : 'Set up'}
                      </Button>
                    )}
                    {(client.configured || client.stale) && (
                      <Button size="xs" variant="subtle" color="red" onClick={() => void undo(client.id)} aria-label={`Undo ${client.name}`}>
                        Undo
                      </Button>
                    )}
                  </Group>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Paper>
      <Modal
        opened={preview !== undefined}
        onClose={() => setPreview(undefined)}
        title="Preview of the change"
        size="xl"
        closeButtonProps={{ 'aria-label': 'Close the preview' }}
      >
        {preview && (
          <Stack gap="sm">
            {preview.method === 'copy' ? (
              <>
                <Title order={3} size="h5">
                  Copy-ready JSON
                </Title>
                <Text size="sm">
                  {preview.notes ?? "Paste this into the client's MCP settings."} The credential is left out here;{' '}
                  <Code>switchboard clients setup {preview.client}</Code> prints the JSON with it, in your terminal.
                </Text>
                <pre className="code-block">{preview.entryAfter}</pre>
              </>
            ) : (
              <>
                <Title order={3} size="h5">
                  Change to <Code>{preview.path}</Code>
                </Title>
                <Text size="sm">
                  {preview.method === 'command' ? (
                    <>
                      The client's own command makes the change: <Code>{preview.command}</Code>.{' '}
                    </>
                  ) : null}
                  Only the "switchboard" entry is added or replaced; the rest of the file stays as it is
                  {preview.fileExists ? ', and the old file is kept as a backup' : ''}.
                </Text>
                <Text size="sm">
                  {preview.fileExists
                    ? `The file also holds ${preview.summary}; those are not shown here and are left as they are.`
                    : 'The file does not exist yet and will be created.'}
                </Text>
                <div className="diff">
                  <div>
                    <Text size="sm" fw={600} mb={4}>
                      Switchboard's entry now
                    </Text>
                    <pre>{preview.entryBefore ?? '(none)'}</pre>
                  </div>
                  <div>
                    <Text size="sm" fw={600} mb={4}>
                      After
                    </Text>
                    <pre>{preview.entryAfter}</pre>
                  </div>
                </div>
                {preview.notes && <Text size="sm">{preview.notes}</Text>}
              </>
            )}
            <Group justify="flex-end" gap="xs">
              <Button variant="default" onClick={() => setPreview(undefined)}>
                {preview.method === 'copy' ? 'Close' : 'Cancel'}
              </Button>
              {preview.method !== 'copy' && <Button onClick={() => void apply()}>Apply</Button>}
            </Group>
          </Stack>
        )}
      </Modal>
      <Title order={3} size="h4" mt="xl" mb="sm">
        Registered clients
      </Title>
      {clients.value && clients.value.registered.length === 0 ? (
        <EmptyState icon={<IconUserShield size={26} />} title="No client has a credential yet">
          Set up a client above (<strong>Set up</strong> on its row): it gets its own credential, and you can then limit what it may see here. From a terminal,{' '}
          <Code>switchboard clients add &lt;id&gt;</Code> creates one for any other program.
        </EmptyState>
      ) : (
        <Stack gap="sm" component="ul" style={{ listStyle: 'none', padding: 0, margin: 0 }}>
          {(clients.value?.registered ?? []).map((client) => (
            <RegisteredClient key={client.id} client={client} onSaved={() => void clients.reload()} />
          ))}
        </Stack>
      )}
      {clients.value === undefined && !clients.error && (
        <Group gap="xs" aria-live="polite">
          <IconPlugConnected size={16} aria-hidden /> <Text size="sm">Looking for AI clients on this machine…</Text>
        </Group>
      )}
    </section>
  );
}

function RegisteredClient({ client, onSaved }: { client: ContractResponse<'clients:list'>['registered'][number]; onSaved: () => void }) {
  const [servers, setServers] = useState((client.servers ?? []).join(', '));
  const [tools, setTools] = useState((client.tools ?? []).join(', '));
  const [maxTools, setMaxTools] = useState(client.maxTools === undefined ? '' : String(client.maxTools));
  const [pinned, setPinned] = useState((client.pinnedTools ?? []).join(', '));
  const [note, setNote] = useState<string>();
  const split = (text: string) =>
    text.trim()
      ? text
          .split(',')
          .map((item) => item.trim())
          .filter(Boolean)
      : null;
  const budget = maxTools.trim() ? Number(maxTools) : null;
  return (
    <Paper component="li" withBorder p="md" radius="md" className="surface">
      <form
        onSubmit={(event) => {
          event.preventDefault();
          if (budget !== null && (!Number.isInteger(budget) || budget < 2)) {
            setNote('The tool budget is a whole number of at least 2 (the two search tools need room), or empty for the default.');
            return;
          }
          void invoke('clients:setView', { id: client.id, servers: split(servers), tools: split(tools), maxTools: budget, pinnedTools: split(pinned) }).then(
            (result) => {
              setNote(result.ok ? 'Saved' : result.error.message);
              onSaved();
            },
          );
        }}
      >
        <Group justify="space-between" mb="xs">
          <Text fw={600}>
            {client.id}{' '}
            <Text span size="sm" c="dimmed">
              (since {new Date(client.createdAt).toLocaleDateString()})
            </Text>
          </Text>
        </Group>
        <Group gap="sm" align="flex-end" wrap="wrap">
          <TextInput label="Servers it may see" value={servers} onChange={(event) => setServers(event.currentTarget.value)} placeholder="all" w={200} />
          <TextInput label="Tools it may see" value={tools} onChange={(event) => setTools(event.currentTarget.value)} placeholder="all" w={200} />
          <TextInput
            label="Tools listed directly, at most"
            value={maxTools}
            onChange={(event) => setMaxTools(event.currentTarget.value)}
            placeholder="default"
            inputMode="numeric"
            w={200}
          />
          <TextInput label="Always listed" value={pinned} onChange={(event) => setPinned(event.currentTarget.value)} placeholder="none" w={200} />
          <Button type="submit" variant="light">
            Save
          </Button>
        </Group>
        <ToolListing listing={client.toolListing} />
        {note && (
          <Text size="sm" role="status" mt={4}>
            {note}
          </Text>
        )}
      </form>
    </Paper>
  );
}

const BUDGET_SOURCES = { client: 'its own setting', policy: 'the company policy', 'ai-client': "its AI client's limit", default: 'the default' } as const;

/** What the client saw at its last tool listing: all its tools, or a few plus the search tools that reach the rest. */
function ToolListing({ listing }: { listing: ContractResponse<'clients:list'>['registered'][number]['toolListing'] }) {
  if (!listing)
    return (
      <Text size="sm" c="dimmed" mt="xs">
        It has not listed its tools since Switchboard started.
      </Text>
    );
  const budget = `budget ${listing.maxTools}, from ${BUDGET_SOURCES[listing.source]}`;
  if (listing.mode === 'all')
    return (
      <Text size="sm" c="dimmed" mt="xs">
        Sees all {listing.direct} of its tools directly ({budget}).
      </Text>
    );
  return (
    <Text size="sm" c="dimmed" mt="xs">
      Sees {listing.direct} tools directly and {listing.throughSearch} more through the search tool ({budget}).
    </Text>
  );
}
