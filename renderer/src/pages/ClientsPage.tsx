// Clients: the AI clients found on this machine, one-click setup with a preview and undo, and what each registered client may see.
import { useState } from 'react';
import type { ContractResponse } from '../../../shared/contract/schemas.ts';
import { invoke } from '../bridge.ts';
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

  return (
    <section aria-labelledby="clients-heading">
      <h2 id="clients-heading">AI clients</h2>
      {message && <p role="status">{message}</p>}
      {error && <p role="alert">{error}</p>}
      {clients.error && <p role="alert">{clients.error.message}</p>}
      <table>
        <caption>Clients on this machine</caption>
        <thead>
          <tr>
            <th scope="col">Client</th>
            <th scope="col">Found</th>
            <th scope="col">Uses Switchboard</th>
            <th scope="col">File</th>
            <th scope="col">
              <span className="visually-hidden">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {(clients.value?.aiClients ?? []).map((client) => (
            <tr key={client.id}>
              <th scope="row">{client.name}</th>
              <td>{client.detected ? 'Yes' : 'Not found'}</td>
              <td>
                {client.problem
                  ? `Cannot read its file: ${client.problem}`
                  : client.configured
                    ? 'Yes'
                    : client.stale
                      ? `Needs repair: ${client.staleReason ?? 'the entry no longer works'}`
                      : 'No'}
              </td>
              <td>{client.path ? <code>{client.path}</code> : client.method === 'copy' ? 'its own settings' : 'not on this system'}</td>
              <td>
                {client.method === 'copy' ? (
                  <button type="button" onClick={() => void showPreview(client.id)} aria-label={`Show JSON for ${client.name}`}>
                    Show JSON
                  </button>
                ) : !client.path ? null : client.stale ? (
                  <button type="button" onClick={() => void repair(client.id)} aria-label={`Repair ${client.name}`}>
                    Repair
                  </button>
                ) : (
                  <button type="button" onClick={() => void showPreview(client.id)} aria-label={`Set up ${client.name}`}>
                    {client.configured ? 'Update' : 'Set up'}
                  </button>
                )}
                {(client.configured || client.stale) && (
                  <button type="button" onClick={() => void undo(client.id)} aria-label={`Undo ${client.name}`}>
                    Undo
                  </button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {preview && (
        <div className="card" role="dialog" aria-label="Preview of the change">
          {preview.method === 'copy' ? (
            <>
              <h3>Copy-ready JSON</h3>
              <p>
                {preview.notes ?? "Paste this into the client's MCP settings."} The credential is left out here;{' '}
                <code>switchboard clients setup {preview.client}</code> prints the JSON with it, in your terminal.
              </p>
              <pre>{preview.entryAfter}</pre>
            </>
          ) : (
            <>
              <h3>Change to {preview.path}</h3>
              <p>
                {preview.method === 'command' ? (
                  <>
                    The client's own command makes the change: <code>{preview.command}</code>.{' '}
                  </>
                ) : null}
                Only the "switchboard" entry is added or replaced; the rest of the file stays as it is
                {preview.fileExists ? ', and the old file is kept as a backup' : ''}.
              </p>
              <p>
                {preview.fileExists
                  ? `The file also holds ${preview.summary}; those are not shown here and are left as they are.`
                  : 'The file does not exist yet and will be created.'}
              </p>
              <div className="diff">
                <div>
                  <h4>Switchboard's entry now</h4>
                  <pre>{preview.entryBefore ?? '(none)'}</pre>
                </div>
                <div>
                  <h4>After</h4>
                  <pre>{preview.entryAfter}</pre>
                </div>
              </div>
              {preview.notes && <p>{preview.notes}</p>}
              <button type="button" onClick={() => void apply()}>
                Apply
              </button>
            </>
          )}
          <button type="button" onClick={() => setPreview(undefined)}>
            {preview.method === 'copy' ? 'Close' : 'Cancel'}
          </button>
        </div>
      )}
      <h3>Registered clients</h3>
      {clients.value && clients.value.registered.length === 0 ? (
        <p>No client has a credential yet. Setting up a client above creates one for it.</p>
      ) : (
        <ul>
          {(clients.value?.registered ?? []).map((client) => (
            <RegisteredClient key={client.id} client={client} onSaved={() => void clients.reload()} />
          ))}
        </ul>
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
    <li>
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
        <strong>{client.id}</strong> (since {new Date(client.createdAt).toLocaleDateString()})
        <label>
          Servers it may see <input value={servers} onChange={(event) => setServers(event.target.value)} placeholder="all" />
        </label>
        <label>
          Tools it may see <input value={tools} onChange={(event) => setTools(event.target.value)} placeholder="all" />
        </label>
        <label>
          Tools listed directly, at most{' '}
          <input value={maxTools} onChange={(event) => setMaxTools(event.target.value)} placeholder="default" inputMode="numeric" size={8} />
        </label>
        <label>
          Always listed <input value={pinned} onChange={(event) => setPinned(event.target.value)} placeholder="none" />
        </label>
        <ToolListing listing={client.toolListing} />
        <button type="submit">Save</button> {note && <span role="status">{note}</span>}
      </form>
    </li>
  );
}

const BUDGET_SOURCES = { client: 'its own setting', policy: 'the company policy', 'ai-client': "its AI client's limit", default: 'the default' } as const;

/** What the client saw at its last tool listing: all its tools, or a few plus the search tools that reach the rest. */
function ToolListing({ listing }: { listing: ContractResponse<'clients:list'>['registered'][number]['toolListing'] }) {
  if (!listing) return <p>It has not listed its tools since Switchboard started.</p>;
  const budget = `budget ${listing.maxTools}, from ${BUDGET_SOURCES[listing.source]}`;
  if (listing.mode === 'all')
    return (
      <p>
        Sees all {listing.direct} of its tools directly ({budget}).
      </p>
    );
  return (
    <p>
      Sees {listing.direct} tools directly and {listing.throughSearch} more through the search tool ({budget}).
    </p>
  );
}
