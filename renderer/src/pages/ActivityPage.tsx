// Activity: the audit trail — a live tail, filters, a detail view, export, verification, and charts of calls, errors and latency.
import { useEffect, useState } from 'react';
import type { AuditRecordView, ContractRequest } from '../../../shared/contract/schemas.ts';
import { invoke, subscribe } from '../bridge.ts';
import { useContract } from '../use-contract.ts';

type Filter = ContractRequest<'audit:query'>;

export function ActivityPage() {
  const [filter, setFilter] = useState<Filter>({ limit: 100 });
  const [draft, setDraft] = useState({ server: '', client: '', text: '', outcome: '' });
  const page = useContract('audit:query', filter);
  const summary = useContract('audit:summary', { ...filter, limit: undefined });
  // Records pushed while watching, kept per filter: a new filter starts a fresh list without resetting state in an effect.
  const filterKey = JSON.stringify(filter);
  const [pushed, setPushed] = useState<{ key: string; records: AuditRecordView[] }>({ key: filterKey, records: [] });
  const [selected, setSelected] = useState<AuditRecordView>();
  const [verdict, setVerdict] = useState<string>();

  useEffect(
    () =>
      subscribe('events:audit', (event) =>
        setPushed((previous) => ({
          key: filterKey,
          records: [...[...event.records].reverse(), ...(previous.key === filterKey ? previous.records : [])].slice(0, 200),
        })),
      ),
    [filterKey],
  );
  const newest = page.value?.records[0]?.seq ?? 0;
  // Only what the page does not show yet, and only unfiltered: a filter is applied by the core, not guessed here.
  const live = pushed.key === filterKey && Object.keys(filter).every((name) => name === 'limit') ? pushed.records.filter((record) => record.seq > newest) : [];

  const records = [...live, ...(page.value?.records ?? [])];
  const apply = (event: React.FormEvent) => {
    event.preventDefault();
    setFilter({
      limit: 100,
      ...(draft.server ? { server: draft.server } : {}),
      ...(draft.client ? { client: draft.client } : {}),
      ...(draft.text ? { text: draft.text } : {}),
      ...(draft.outcome ? { outcome: draft.outcome as NonNullable<Filter['outcome']> } : {}),
    });
  };

  // What an export holds, said before and after: every record the applied filter matches, not only the page shown.
  const { limit: _page, beforeSeq: _older, ...matching } = filter;
  const scope = describeFilter(matching);
  const exportRecords = async () => {
    const result = await invoke('audit:export', matching);
    if (!result.ok) return setVerdict(result.error.message);
    const count = result.value.text.split('\n').filter((line) => line.trim()).length;
    const link = document.createElement('a');
    link.href = URL.createObjectURL(new Blob([result.value.text], { type: 'application/x-ndjson' }));
    link.download = result.value.fileName;
    link.click();
    setVerdict(
      `Exported ${count.toLocaleString()} ${count === 1 ? 'record' : 'records'} ${scope ? `matching: ${scope}` : '(everything, no filter)'} to ${result.value.fileName}`,
    );
  };

  return (
    <section aria-labelledby="activity-heading">
      <h2 id="activity-heading">Activity</h2>
      <form className="toolbar" onSubmit={apply} aria-label="Filter the audit trail">
        {(['server', 'client', 'text'] as const).map((field) => (
          <label key={field}>
            {field === 'text' ? 'Contains' : field[0]!.toUpperCase() + field.slice(1)}{' '}
            <input value={draft[field]} onChange={(event) => setDraft({ ...draft, [field]: event.target.value })} />
          </label>
        ))}
        <label>
          Outcome{' '}
          <select value={draft.outcome} onChange={(event) => setDraft({ ...draft, outcome: event.target.value })}>
            <option value="">Any</option>
            <option value="ok">ok</option>
            <option value="tool_error">tool error</option>
            <option value="error">JSON-RPC error</option>
            <option value="transport_error">transport error</option>
            <option value="failure">failure</option>
          </select>
        </label>
        <button type="submit">Apply</button>
        <button
          type="button"
          onClick={() =>
            void invoke('audit:verify').then((result) =>
              setVerdict(
                result.ok ? (result.value.ok ? `Verified: ${result.value.message}` : `Tampering found: ${result.value.message}`) : result.error.message,
              ),
            )
          }
        >
          Verify the trail
        </button>
        <button type="button" onClick={() => void exportRecords()} aria-describedby="export-scope">
          Export (JSONL)
        </button>
        <small id="export-scope">{scope ? `Exports every record matching: ${scope}` : 'Exports every record (no filter applied)'}</small>
      </form>
      {verdict && <p role="status">{verdict}</p>}
      {page.error && <p role="alert">{page.error.message}</p>}
      {/* The summary counts calls; a filter that matches only app events (a failure, a setting changed) has none to chart. */}
      {summary.value && summary.value.total > 0 && <Charts summary={summary.value} />}
      {records.length === 0 && !page.loading && <p>No activity yet. Calls through the local endpoint appear here as they happen.</p>}
      <div className={selected ? 'activity-body with-detail' : 'activity-body'}>
        <div className="activity-list">
          <table>
            <caption>Newest first{live.length ? ` (${live.length} new while watching)` : ''}</caption>
            <thead>
              <tr>
                <th scope="col">Time</th>
                <th scope="col">Client</th>
                <th scope="col">Server</th>
                <th scope="col">Method</th>
                <th scope="col">Target</th>
                <th scope="col">Outcome</th>
                <th scope="col">ms</th>
              </tr>
            </thead>
            <tbody>
              {records.map((record) => (
                <tr
                  key={record.seq}
                  tabIndex={0}
                  onClick={() => setSelected(record)}
                  onKeyDown={(event) => event.key === 'Enter' && setSelected(record)}
                  aria-selected={selected?.seq === record.seq}
                >
                  <td>{new Date(record.time).toLocaleTimeString()}</td>
                  <td>{record.client ?? '—'}</td>
                  <td>{record.server ?? '—'}</td>
                  <td>{record.method}</td>
                  <td>{record.target ?? ''}</td>
                  <td className={record.outcome === 'ok' ? '' : 'error'}>{record.outcome}</td>
                  <td>{record.latencyMs ?? ''}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {page.value?.nextBeforeSeq && (
            <button type="button" onClick={() => setFilter({ ...filter, beforeSeq: page.value!.nextBeforeSeq })}>
              Older
            </button>
          )}
        </div>
        {selected && (
          <aside className="card record-detail" role="dialog" aria-label={`Record ${selected.seq}`}>
            <h3>Record {selected.seq}</h3>
            <dl>
              <dt>Time</dt>
              <dd>{new Date(selected.time).toLocaleString()}</dd>
              <dt>Method</dt>
              <dd>{selected.method}</dd>
              {selected.target && (
                <>
                  <dt>Target</dt>
                  <dd>{selected.target}</dd>
                </>
              )}
              <dt>Outcome</dt>
              <dd className={selected.outcome === 'ok' ? '' : 'error'}>{selected.outcome}</dd>
            </dl>
            <pre>{JSON.stringify({ ...selected, details: selected.details ? JSON.parse(selected.details) : null }, null, 2)}</pre>
            <button type="button" onClick={() => setSelected(undefined)}>
              Close
            </button>
          </aside>
        )}
      </div>
    </section>
  );
}

/** The applied filter in words, e.g. "server=wiki, outcome=failure"; empty when nothing is filtered. */
function describeFilter(filter: Omit<Filter, 'limit' | 'beforeSeq'> & object): string {
  return Object.entries(filter)
    .filter(([, value]) => value !== undefined && value !== '')
    .map(([name, value]) => `${name === 'text' ? 'contains' : name}=${String(value)}`)
    .join(', ');
}

function Charts({ summary }: { summary: NonNullable<ReturnType<typeof useContract<'audit:summary'>>['value']> }) {
  const max = Math.max(1, ...summary.timeline.map((bucket) => bucket.calls));
  const width = Math.max(1, summary.timeline.length) * 14;
  return (
    <figure className="charts">
      <svg
        width={width}
        height={80}
        role="img"
        aria-label={`Calls per hour: ${summary.total} in all, ${summary.timeline.reduce((sum, bucket) => sum + bucket.errors, 0)} errors`}
      >
        {summary.timeline.map((bucket, index) => (
          <g key={bucket.bucket}>
            <rect x={index * 14} y={80 - (bucket.calls / max) * 78} width={10} height={(bucket.calls / max) * 78} className="bar-calls" />
            <rect x={index * 14} y={80 - (bucket.errors / max) * 78} width={10} height={(bucket.errors / max) * 78} className="bar-errors" />
          </g>
        ))}
      </svg>
      <figcaption>
        {summary.total.toLocaleString()} {summary.total === 1 ? 'call' : 'calls'}; latency p50 {summary.latencyMs.p50 ?? '—'} ms, p95{' '}
        {summary.latencyMs.p95 ?? '—'} ms, p99 {summary.latencyMs.p99 ?? '—'} ms;{' '}
        {Object.entries(summary.byOutcome)
          .map(([outcome, count]) => `${outcome} ${count}`)
          .join(', ')}
      </figcaption>
    </figure>
  );
}
