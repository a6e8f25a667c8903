// Servers: every server from the configuration, the company catalog and discovery — search, filter (kept while the app is
// open), cards with their state, a details drawer (the names clients see, card against live self-description, sign-in, the last error), on and off.
import {
  Avatar,
  Badge,
  Button,
  Code,
  Drawer,
  Group,
  Loader,
  Modal,
  Paper,
  PasswordInput,
  SegmentedControl,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { IconInfoCircle, IconSearch, IconServer2, IconWorldSearch } from '@tabler/icons-react';
import { useEffect, useMemo, useState } from 'react';
import type { ServerEntry } from '../../../shared/contract/schemas.ts';
import { classifyServer, type ServerCondition } from '../../../shared/status-summary.ts';
import { useAppStatus } from '../app-status.ts';
import { invoke } from '../bridge.ts';
import { ago, EmptyState, Notice, PageHead, useKeptState } from '../ui.tsx';
import { useContract } from '../use-contract.ts';
import { HeldToolsReview } from './HeldToolsReview.tsx';
import { ServerIdentity } from './ServerIdentity.tsx';

/** A server's state in words, from the same reading as the badge (shared/status-summary.ts). */
const CONDITION_LABEL: Record<ServerCondition, string> = {
  ready: 'ready',
  starting: 'connecting',
  'signing-in': 'signing in',
  'needs-sign-in': 'needs sign-in',
  unavailable: 'unavailable',
};
const CONDITION_COLOR: Record<ServerCondition, string> = {
  ready: 'green',
  starting: 'blue',
  'signing-in': 'blue',
  'needs-sign-in': 'orange',
  unavailable: 'red',
};

const AUTH_LABEL: Record<ServerEntry['auth'], string> = {
  none: 'No sign-in',
  oauth: 'Own sign-in (OAuth)',
  'id-jag': 'Company sign-in (ID-JAG)',
  'client-credentials': 'Machine credentials',
  unknown: 'Sign-in unknown until connected',
};

const SOURCE_LABEL: Record<ServerEntry['source'], string> = { config: 'your configuration', company: 'company offer', catalog: 'catalog' };

const TOKEN_LABEL: Record<string, string> = {
  'not-required': 'No sign-in needed',
  'signed-in': 'Signed in',
  'needs-sign-in': 'Needs sign-in',
  refreshing: 'Renewing…',
  failed: 'Sign-in failed',
};

type Show = 'all' | 'enabled' | 'available';

export function ServersPage() {
  const list = useContract('servers:list');
  const app = useAppStatus();
  // The list is read again when the set of servers or their sign-in changes (after a restart, a sign-in); the live
  // state of each server comes from the pushed status, so it never sits at "connecting" after a restart.
  const shape = JSON.stringify([app?.servers.map((server) => server.id), app?.auth.servers.map((server) => `${server.id}:${server.state}`), app?.mcpUrl]);
  const { reload } = list;
  useEffect(() => {
    void reload();
  }, [shape, reload]);
  // Search and filter are as the person left them when they come back to the page.
  const [query, setQuery] = useKeptState('servers.query', '');
  const [filter, setFilter] = useKeptState<Show>('servers.filter', 'all');
  const [busy, setBusy] = useState<string>();
  const [error, setError] = useState<string>();
  const [selected, setSelected] = useState<string>();
  const [target, setTarget] = useState('');
  const [discovering, setDiscovering] = useState(false);
  const [discovered, setDiscovered] = useState<string>();

  const discover = async (event: React.FormEvent) => {
    event.preventDefault();
    setDiscovering(true);
    setDiscovered(undefined);
    const result = await invoke('servers:discover', { target });
    setDiscovering(false);
    if (!result.ok) return setError(result.error.message);
    const problems = result.value.problems.map((problem) => `${problem.code}: ${problem.message}`);
    setDiscovered(
      `Found ${result.value.found} server${result.value.found === 1 ? '' : 's'} at ${target}.${problems.length ? ` Refused: ${problems.join('; ')}` : ''}`,
    );
    await list.reload();
  };

  const all = useMemo(() => {
    const live = (server: ServerEntry): ServerEntry => {
      const status = app?.servers.find((candidate) => candidate.id === server.id);
      return server.enabled && status ? { ...server, status } : server;
    };
    return (list.value?.servers ?? []).map(live);
  }, [list.value, app]);
  const servers = useMemo(() => {
    const text = query.trim().toLowerCase();
    return all.filter(
      (server) =>
        (filter === 'all' || (filter === 'enabled' ? server.enabled : !server.enabled)) &&
        (!text || [server.id, server.title, server.description ?? '', server.url, server.publisher ?? ''].some((field) => field.toLowerCase().includes(text))),
    );
  }, [all, query, filter]);
  const enabledCount = all.filter((server) => server.enabled).length;

  const [asking, setAsking] = useState<string>();

  const toggle = async (server: ServerEntry, values?: Record<string, string>) => {
    // A server that needs values (a templated URL, headers) asks for them first.
    if (!server.enabled && !server.configured && server.inputs?.length && !values) return setAsking(server.id);
    setAsking(undefined);
    setBusy(server.id);
    setError(undefined);
    const result = await invoke('servers:setEnabled', { id: server.id, enabled: !server.enabled, ...(values ? { values } : {}) });
    setBusy(undefined);
    if (!result.ok) setError(result.error.message);
    await list.reload();
  };
  const askingServer = all.find((server) => server.id === asking);
  const selectedServer = all.find((server) => server.id === selected);

  return (
    <section aria-labelledby="servers-heading">
      <PageHead
        id="servers-heading"
        title="Servers"
        description="The MCP servers your AI clients reach through Switchboard's one endpoint: yours, the company's offer and what discovery found."
      />
      <HeldToolsReview />
      <Paper withBorder p="sm" radius="md" mb="md" className="surface">
        <Group gap="sm" align="flex-end" wrap="wrap">
          <TextInput
            type="search"
            label="Search"
            value={query}
            onChange={(event) => setQuery(event.currentTarget.value)}
            placeholder="name, publisher, URL"
            leftSection={<IconSearch size={16} aria-hidden />}
            w={280}
          />
          <div>
            <Text size="sm" fw={500} id="servers-show" mb={4}>
              Show
            </Text>
            <SegmentedControl
              aria-labelledby="servers-show"
              value={filter}
              onChange={(value) => setFilter(value as Show)}
              data={[
                { value: 'all', label: `All (${all.length})` },
                { value: 'enabled', label: `Enabled (${enabledCount})` },
                { value: 'available', label: `Available (${all.length - enabledCount})` },
              ]}
            />
          </div>
          <form onSubmit={(event) => void discover(event)} aria-label="Discover servers" className="discover-form">
            <Group gap="xs" align="flex-end" wrap="nowrap">
              <TextInput
                label="Discover at"
                value={target}
                onChange={(event) => setTarget(event.currentTarget.value)}
                placeholder="example.com or https://…/mcp"
                required
                withAsterisk={false}
                leftSection={<IconWorldSearch size={16} aria-hidden />}
                w={260}
              />
              <Button type="submit" variant="light" loading={discovering} loaderProps={{ type: 'dots' }}>
                Discover
              </Button>
            </Group>
          </form>
        </Group>
        {discovering && (
          <Text size="sm" c="dimmed" mt="xs" aria-live="polite">
            Reading the domain’s catalog and each Server Card; a large catalog takes a moment…
          </Text>
        )}
      </Paper>
      {discovered && <Notice kind="info">{discovered}</Notice>}
      {error && <Notice kind="problem">{error}</Notice>}
      {list.error && <Notice kind="problem">{list.error.message}</Notice>}
      {list.loading && !list.value && (
        <Group gap="xs" aria-live="polite">
          <Loader size="sm" /> <Text>Loading servers…</Text>
        </Group>
      )}
      {list.value && servers.length === 0 && (
        <>
          {all.length === 0 ? (
            <EmptyState icon={<IconServer2 size={26} />} title="No servers yet">
              Type your company’s domain (or a server’s MCP URL) in <strong>Discover at</strong> above to find its servers, or ask your administrator for the
              company catalog. From a terminal, <Code>switchboard servers add &lt;url&gt;</Code> adds one by URL.
            </EmptyState>
          ) : (
            <EmptyState
              icon={<IconSearch size={26} />}
              title="No server matches"
              action={
                <Button
                  variant="light"
                  onClick={() => {
                    setQuery('');
                    setFilter('all');
                  }}
                >
                  Show all servers
                </Button>
              }
            >
              Nothing {filter === 'enabled' ? 'enabled ' : filter === 'available' ? 'available ' : ''}matches {query ? `“${query}”` : 'this filter'}. Clear the
              search to see all {all.length} servers.
            </EmptyState>
          )}
        </>
      )}
      <ul className="cards">
        {servers.map((server) => (
          <ServerCard
            key={server.id}
            server={server}
            app={app}
            busy={busy === server.id}
            onToggle={() => void toggle(server)}
            onDetails={() => setSelected(server.id)}
            detailsOpen={selected === server.id}
          />
        ))}
      </ul>
      <Modal
        opened={askingServer !== undefined}
        onClose={() => setAsking(undefined)}
        title={askingServer ? `Enable ${askingServer.title}` : ''}
        size="lg"
        closeButtonProps={{ 'aria-label': 'Close without enabling' }}
      >
        {askingServer && <InputsForm server={askingServer} onSubmit={(values) => void toggle(askingServer, values)} onCancel={() => setAsking(undefined)} />}
      </Modal>
      <Drawer
        opened={selectedServer !== undefined}
        onClose={() => setSelected(undefined)}
        position="right"
        size="xl"
        title={selectedServer ? `${selectedServer.title}: details` : ''}
        closeButtonProps={{ 'aria-label': 'Close the details' }}
      >
        {selectedServer && <ServerDetail server={selectedServer} app={app} />}
      </Drawer>
    </section>
  );
}

function conditionOf(server: ServerEntry, app: ReturnType<typeof useAppStatus>): ServerCondition | 'off' | 'starting' {
  if (!server.enabled) return 'off';
  if (!server.status) return 'starting';
  return classifyServer(server.status, app?.auth).condition;
}

function StateBadge({ condition }: { condition: ReturnType<typeof conditionOf> }) {
  if (condition === 'off')
    return (
      <Badge className="badge" variant="light" color="gray">
        off
      </Badge>
    );
  return (
    <Badge className="badge" variant="light" color={CONDITION_COLOR[condition]}>
      {condition === 'starting' ? 'starting' : CONDITION_LABEL[condition]}
    </Badge>
  );
}

function ServerCard({
  server,
  app,
  busy,
  onToggle,
  onDetails,
  detailsOpen,
}: {
  server: ServerEntry;
  app: ReturnType<typeof useAppStatus>;
  busy: boolean;
  onToggle: () => void;
  onDetails: () => void;
  detailsOpen: boolean;
}) {
  const condition = conditionOf(server, app);
  const lastError = server.enabled && server.status?.state !== 'ready' ? server.status?.lastError : undefined;
  return (
    <Paper component="li" withBorder p="md" radius="md" className="surface" aria-label={server.title}>
      <Stack gap="sm">
        <Group gap="sm" wrap="nowrap" align="flex-start">
          {server.iconUrl ? (
            <Avatar src={server.iconUrl} alt="" size={36} radius="sm" />
          ) : (
            <Avatar size={36} radius="sm" color="blue" aria-hidden>
              {server.title.slice(0, 1).toUpperCase()}
            </Avatar>
          )}
          <div style={{ flex: 1, minWidth: 0 }}>
            <Title order={3} size="h5" style={{ overflowWrap: 'anywhere' }}>
              {server.title}
            </Title>
            <Text size="xs" c="dimmed" truncate="end">
              {server.id} · {server.url}
            </Text>
          </div>
          <StateBadge condition={condition} />
        </Group>
        {server.description && (
          <Text size="sm" lineClamp={3}>
            {server.description}
          </Text>
        )}
        <dl className="card-facts">
          <dt>Publisher</dt>
          <dd>{server.publisher ?? '—'}</dd>
          <dt>Sign-in</dt>
          <dd>{AUTH_LABEL[server.auth]}</dd>
          <dt>Source</dt>
          <dd>
            {SOURCE_LABEL[server.source]}
            {server.fetchedAt ? ` (fetched ${ago(server.fetchedAt)})` : ''}
          </dd>
          <dt>Tools</dt>
          <dd>{server.status?.toolCount ?? (server.status?.state === 'ready' ? 'counting…' : '—')}</dd>
        </dl>
        {condition === 'needs-sign-in' ? (
          <Text size="sm" c="orange" className="error">
            Sign-in needed: sign in from the Sign-in page.
          </Text>
        ) : (
          lastError && (
            <Text size="sm" c="red" className="error" lineClamp={3}>
              {lastError.message}
            </Text>
          )
        )}
        {server.deniedBy && (
          <Text size="sm" c="dimmed" className="managed">
            Managed by your company: {server.deniedBy}
          </Text>
        )}
        <Group gap="xs">
          <Button
            size="xs"
            variant={server.enabled ? 'default' : 'filled'}
            disabled={busy || (Boolean(server.deniedBy) && !server.enabled)}
            onClick={onToggle}
            aria-label={`${server.enabled ? 'Disable' : 'Enable'} ${server.title}`}
          >
            {busy ? 'Applying…' : server.enabled ? 'Disable' : 'Enable'}
          </Button>
          <Button size="xs" variant="subtle" leftSection={<IconInfoCircle size={14} aria-hidden />} onClick={onDetails} aria-expanded={detailsOpen}>
            Details
          </Button>
        </Group>
      </Stack>
    </Paper>
  );
}

/** The values a templated remote needs; secret ones are typed into password fields and never shown again. */
function InputsForm({ server, onSubmit, onCancel }: { server: ServerEntry; onSubmit: (values: Record<string, string>) => void; onCancel: () => void }) {
  const [values, setValues] = useState<Record<string, string>>(() =>
    Object.fromEntries(
      (server.inputs ?? [])
        .filter((input) => input.default !== undefined)
        .map((input) => [`${input.kind === 'variable' ? 'var' : 'header'}:${input.name}`, input.default!]),
    ),
  );
  return (
    <form
      aria-label={`What ${server.title} needs`}
      onSubmit={(event) => {
        event.preventDefault();
        onSubmit(values);
      }}
    >
      <Stack gap="sm">
        <Text size="sm">{server.title} needs these values before it can be enabled. Secret ones go to your keychain and are never shown again.</Text>
        {(server.inputs ?? []).map((input) => {
          const key = `${input.kind === 'variable' ? 'var' : 'header'}:${input.name}`;
          const Input = input.secret ? PasswordInput : TextInput;
          return (
            <Input
              key={key}
              label={`${input.kind === 'variable' ? input.name : `Header ${input.name}`}${input.required ? ' (required)' : ''}`}
              description={input.description}
              required={input.required}
              withAsterisk={false}
              autoComplete="off"
              value={values[key] ?? ''}
              onChange={(event) => setValues({ ...values, [key]: event.currentTarget.value })}
            />
          );
        })}
        <Group justify="flex-end" gap="xs">
          <Button variant="default" onClick={onCancel}>
            Cancel
          </Button>
          <Button type="submit">Enable</Button>
        </Group>
      </Stack>
    </form>
  );
}

/** The drawer: state and sign-in, the last error with its time, and what the server offers under the names clients see. */
function ServerDetail({ server, app }: { server: ServerEntry; app: ReturnType<typeof useAppStatus> }) {
  const condition = conditionOf(server, app);
  const token = app?.auth.servers.find((candidate) => candidate.id === server.id);
  const lastError = server.status?.lastError;
  return (
    <Stack gap="md">
      <dl className="facts" aria-label={`About ${server.id}`}>
        <dt>State</dt>
        <dd>
          <StateBadge condition={condition} />
        </dd>
        <dt>Sign-in</dt>
        <dd>
          {AUTH_LABEL[server.auth]}
          {token ? ` — ${TOKEN_LABEL[token.state] ?? token.state}` : ''}
        </dd>
        <dt>Address</dt>
        <dd>
          <Code>{server.url}</Code>
        </dd>
        <dt>Source</dt>
        <dd>
          {SOURCE_LABEL[server.source]}
          {server.fetchedAt ? ` (fetched ${new Date(server.fetchedAt).toLocaleString()})` : ''}
        </dd>
        {server.status?.serverName && (
          <>
            <dt>Live</dt>
            <dd>
              The server calls itself <Code>{server.status.serverName}</Code>
              {server.status.serverName !== server.title ? ` (listed here as “${server.title}”)` : ''}
              {server.status.protocolVersion ? `; MCP ${server.status.protocolVersion}` : ''}
              {server.status.era ? (server.status.era === 'modern' ? ', stateless' : ', with sessions') : ''}
            </dd>
          </>
        )}
        {server.description && (
          <>
            <dt>Description</dt>
            <dd>{server.description}</dd>
          </>
        )}
        <dt>Last error</dt>
        <dd>
          {lastError ? (
            <span className="error">
              <time dateTime={lastError.at} title={new Date(lastError.at).toLocaleString()}>
                {new Date(lastError.at).toLocaleString()} ({ago(lastError.at)})
              </time>
              : {lastError.message} <Code>{lastError.code}</Code>
            </span>
          ) : (
            'None'
          )}
        </dd>
      </dl>
      {condition === 'needs-sign-in' || condition === 'signing-in' ? (
        <Notice kind="info">
          {server.title} needs a sign-in before it says what it offers. Sign in on the Sign-in page; its tools then appear here under the names your AI clients
          will see.
        </Notice>
      ) : condition === 'unavailable' ? (
        <Notice kind="info">
          {server.title} is not answering, so what it offers is not known now (its last error is above). Switchboard keeps trying; its tools appear here once it
          is back.
        </Notice>
      ) : server.enabled ? (
        <ServerOffer id={server.id} />
      ) : (
        <Notice kind="info">
          {server.title} is not enabled. Enable it to see its tools, prompts and resources and the names your AI clients will see them under.
        </Notice>
      )}
    </Stack>
  );
}

function ServerOffer({ id }: { id: string }) {
  const detail = useContract('servers:detail', { id });
  if (detail.loading && !detail.value)
    return (
      <Group gap="xs" aria-live="polite">
        <Loader size="sm" /> <Text>Asking the server what it offers…</Text>
      </Group>
    );
  if (detail.error) return <Notice kind="problem">{detail.error.message}</Notice>;
  const value = detail.value!;
  return (
    <Stack gap="md">
      <ServerIdentity id={id} listed={value.listed} live={value.live} />
      <div aria-label={`What ${id} offers`} role="region">
        <Title order={3} size="h5" mb="xs">
          Tools ({value.tools.length})
        </Title>
        <Text size="sm" c="dimmed" mb="xs">
          AI clients see each tool under the name on the left; the server knows it by the name on the right.
        </Text>
        {value.tools.length === 0 ? (
          <Text size="sm">This server offers no tools.</Text>
        ) : (
          <Table striped withTableBorder verticalSpacing={6} fz="sm">
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">Clients see</Table.Th>
                <Table.Th scope="col">Server’s name</Table.Th>
                <Table.Th scope="col">What it does</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {value.tools.map((tool) => (
                <Table.Tr key={tool.name}>
                  <Table.Td>
                    <Code>{tool.exposedName}</Code>
                  </Table.Td>
                  <Table.Td>{tool.name}</Table.Td>
                  <Table.Td>{tool.title ?? tool.description ?? ''}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
        <Title order={3} size="h5" mt="md" mb="xs">
          Prompts ({value.prompts.length})
        </Title>
        {value.prompts.length === 0 ? (
          <Text size="sm">No prompts.</Text>
        ) : (
          <ul>
            {value.prompts.map((prompt) => (
              <li key={prompt.name}>
                <Code>{prompt.exposedName}</Code> {prompt.description}
              </li>
            ))}
          </ul>
        )}
        <Title order={3} size="h5" mt="md" mb="xs">
          Resources ({value.resources.length})
        </Title>
        {value.resources.length === 0 ? (
          <Text size="sm">No resources.</Text>
        ) : (
          <ul>
            {value.resources.map((resource) => (
              <li key={resource.uri}>
                <Code>{resource.uri}</Code> {resource.name}
              </li>
            ))}
          </ul>
        )}
      </div>
    </Stack>
  );
}
