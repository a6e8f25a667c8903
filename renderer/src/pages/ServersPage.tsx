// Servers: every server from the configuration, the company catalog and discovery — search, filter, details, on and off.
import { useEffect, useMemo, useState } from 'react';
import type { ServerEntry } from '../../../shared/contract/schemas.ts';
import { classifyServer, type ServerCondition } from '../../../shared/status-summary.ts';
import { useAppStatus } from '../app-status.ts';
import { invoke } from '../bridge.ts';
import { useContract } from '../use-contract.ts';
import { HeldToolsReview } from './HeldToolsReview.tsx';

/** A server's state in words, from the same reading as the badge (shared/status-summary.ts). */
const CONDITION_LABEL: Record<ServerCondition, string> = {
  ready: 'ready',
  starting: 'connecting',
  'signing-in': 'signing in',
  'needs-sign-in': 'needs sign-in',
  unavailable: 'unavailable',
};
const CONDITION_CLASS: Record<ServerCondition, string> = {
  ready: 'ok',
  starting: 'busy',
  'signing-in': 'busy',
  'needs-sign-in': 'attention',
  unavailable: 'problem',
};

const AUTH_LABEL: Record<ServerEntry['auth'], string> = {
  none: 'No sign-in',
  oauth: 'Own sign-in (OAuth)',
  'id-jag': 'Company sign-in (ID-JAG)',
  'client-credentials': 'Machine credentials',
  unknown: 'Sign-in unknown until connected',
};

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
  const [query, setQuery] = useState('');
  const [filter, setFilter] = useState<'all' | 'enabled' | 'available'>('all');
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

  const servers = useMemo(() => {
    const text = query.trim().toLowerCase();
    const live = (server: ServerEntry): ServerEntry => {
      const status = app?.servers.find((candidate) => candidate.id === server.id);
      return server.enabled && status ? { ...server, status } : server;
    };
    return (list.value?.servers ?? [])
      .map(live)
      .filter(
        (server) =>
          (filter === 'all' || (filter === 'enabled' ? server.enabled : !server.enabled)) &&
          (!text ||
            [server.id, server.title, server.description ?? '', server.url, server.publisher ?? ''].some((field) => field.toLowerCase().includes(text))),
      );
  }, [list.value, query, filter, app]);

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

  return (
    <section aria-labelledby="servers-heading">
      <h2 id="servers-heading">Servers</h2>
      <HeldToolsReview />
      <div className="toolbar">
        <label>
          Search <input type="search" value={query} onChange={(event) => setQuery(event.target.value)} placeholder="name, publisher, URL" />
        </label>
        <label>
          Show{' '}
          <select value={filter} onChange={(event) => setFilter(event.target.value as typeof filter)}>
            <option value="all">All</option>
            <option value="enabled">Enabled</option>
            <option value="available">Available, not enabled</option>
          </select>
        </label>
      </div>
      <form className="toolbar" onSubmit={(event) => void discover(event)} aria-label="Discover servers">
        <label>
          Discover at <input value={target} onChange={(event) => setTarget(event.target.value)} placeholder="example.com or https://…/mcp" required />
        </label>
        <button type="submit" disabled={discovering}>
          {discovering ? 'Discovering…' : 'Discover'}
        </button>
        {discovering && <span aria-live="polite">Reading the domain’s catalog and each Server Card; a large catalog takes a moment…</span>}
      </form>
      {discovered && <p role="status">{discovered}</p>}
      {error && <p role="alert">{error}</p>}
      {list.error && <p role="alert">{list.error.message}</p>}
      {list.loading && !list.value && <p aria-live="polite">Loading servers…</p>}
      {list.value && servers.length === 0 && (
        <p>
          {list.value.servers.length === 0
            ? 'No servers yet. Run `switchboard discover <domain>` or ask your administrator for the company catalog.'
            : 'No server matches this search.'}
        </p>
      )}
      <ul className="cards">
        {servers.map((server) => (
          <li key={server.id} className="card" aria-label={server.title}>
            <div className="card-head">
              {server.iconUrl ? (
                <img src={server.iconUrl} alt="" width={24} height={24} />
              ) : (
                <span className="icon" aria-hidden="true">
                  {server.title.slice(0, 1)}
                </span>
              )}
              <h3>{server.title}</h3>
              {(() => {
                if (!server.enabled) return <span className="badge">off</span>;
                if (!server.status) return <span className="badge busy">starting</span>;
                const { condition } = classifyServer(server.status, app?.auth);
                return <span className={`badge ${CONDITION_CLASS[condition]}`}>{CONDITION_LABEL[condition]}</span>;
              })()}
            </div>
            {server.description && <p>{server.description}</p>}
            <dl>
              <dt>Publisher</dt>
              <dd>{server.publisher ?? '—'}</dd>
              <dt>Sign-in</dt>
              <dd>{AUTH_LABEL[server.auth]}</dd>
              <dt>Source</dt>
              <dd>
                {server.source}
                {server.fetchedAt ? ` (fetched ${new Date(server.fetchedAt).toLocaleString()})` : ''}
              </dd>
              <dt>Tools</dt>
              <dd>{server.status?.toolCount ?? (server.status?.state === 'ready' ? 'counting…' : '—')}</dd>
            </dl>
            {server.enabled && server.status && classifyServer(server.status, app?.auth).condition === 'needs-sign-in' ? (
              <p className="error">Sign-in needed: sign in from the Sign-in page.</p>
            ) : (
              server.enabled && server.status?.lastError && server.status.state !== 'ready' && <p className="error">{server.status.lastError.message}</p>
            )}
            {server.deniedBy && <p className="managed">Managed by your company: {server.deniedBy}</p>}
            <div className="actions">
              <button
                type="button"
                disabled={busy === server.id || (Boolean(server.deniedBy) && !server.enabled)}
                onClick={() => void toggle(server)}
                aria-label={`${server.enabled ? 'Disable' : 'Enable'} ${server.title}`}
              >
                {busy === server.id ? 'Applying…' : server.enabled ? 'Disable' : 'Enable'}
              </button>
              {server.enabled && (
                <button type="button" onClick={() => setSelected(selected === server.id ? undefined : server.id)} aria-expanded={selected === server.id}>
                  Details
                </button>
              )}
            </div>
            {asking === server.id && <InputsForm server={server} onSubmit={(values) => void toggle(server, values)} onCancel={() => setAsking(undefined)} />}
            {selected === server.id && <ServerDetail id={server.id} />}
          </li>
        ))}
      </ul>
    </section>
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
      className="detail"
      aria-label={`What ${server.title} needs`}
      onSubmit={(event) => {
        event.preventDefault();
        onSubmit(values);
      }}
    >
      <p>{server.title} needs these values before it can be enabled. Secret ones go to your keychain.</p>
      {(server.inputs ?? []).map((input) => {
        const key = `${input.kind === 'variable' ? 'var' : 'header'}:${input.name}`;
        return (
          <label key={key} className="input-row">
            {input.kind === 'variable' ? input.name : `Header ${input.name}`}
            {input.required ? ' (required)' : ''}
            <input
              type={input.secret ? 'password' : 'text'}
              required={input.required}
              autoComplete="off"
              value={values[key] ?? ''}
              onChange={(event) => setValues({ ...values, [key]: event.target.value })}
              aria-describedby={input.description ? `${server.id}-${key}-hint` : undefined}
            />
            {input.description && <small id={`${server.id}-${key}-hint`}> {input.description}</small>}
          </label>
        );
      })}
      <button type="submit">Enable</button>
      <button type="button" onClick={onCancel}>
        Cancel
      </button>
    </form>
  );
}

function ServerDetail({ id }: { id: string }) {
  const detail = useContract('servers:detail', { id });
  if (detail.loading && !detail.value) return <p aria-live="polite">Asking the server what it offers…</p>;
  if (detail.error) return <p role="alert">{detail.error.message}</p>;
  const value = detail.value!;
  return (
    <div className="detail" aria-label={`What ${id} offers`}>
      <h4>Tools ({value.tools.length})</h4>
      <ul>
        {value.tools.map((tool) => (
          <li key={tool.name}>
            <code>{tool.name}</code> {tool.description}
          </li>
        ))}
      </ul>
      <h4>Prompts ({value.prompts.length})</h4>
      <ul>
        {value.prompts.map((prompt) => (
          <li key={prompt.name}>
            <code>{prompt.name}</code> {prompt.description}
          </li>
        ))}
      </ul>
      <h4>Resources ({value.resources.length})</h4>
      <ul>
        {value.resources.map((resource) => (
          <li key={resource.uri}>
            <code>{resource.uri}</code> {resource.name}
          </li>
        ))}
      </ul>
    </div>
  );
}
