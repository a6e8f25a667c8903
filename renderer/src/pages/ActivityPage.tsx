// Activity: the audit trail at a glance — calls and errors over time per server or client, latency percentiles over time,
// filters as chips, the live list with the selected record beside it, export that says what it exports, and verification.
import { AreaChart, LineChart } from '@mantine/charts';
import { Autocomplete, Badge, Button, Chip, CloseButton, Code, Group, Paper, SegmentedControl, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { IconActivity, IconDownload, IconFilter, IconFilterOff, IconShieldCheck } from '@tabler/icons-react';
import { useEffect, useRef, useState } from 'react';
import type { AuditRecordView, AuditTimeseriesView, ContractRequest, ContractResponse } from '../../../shared/contract/schemas.ts';
import { invoke, subscribe } from '../bridge.ts';
import { EmptyState, Notice, PageHead, useKeptState } from '../ui.tsx';
import { useContract } from '../use-contract.ts';

type Filter = ContractRequest<'audit:query'>;
type Outcome = NonNullable<Filter['outcome']>;
type By = 'server' | 'client';

const OUTCOMES: { value: Outcome; label: string }[] = [
  { value: 'ok', label: 'ok' },
  { value: 'tool_error', label: 'tool error' },
  { value: 'error', label: 'JSON-RPC error' },
  { value: 'transport_error', label: 'transport error' },
  { value: 'failure', label: 'failure' },
];
const SERIES_COLORS = ['blue.6', 'teal.6', 'violet.6', 'orange.6', 'cyan.6', 'grape.6'];
/** The chart and totals are read again at most this often while records arrive. */
const LIVE_REFRESH_MS = 2000;

export function ActivityPage() {
  const [filter, setFilter] = useKeptState<Filter>('activity.filter', { limit: 100 });
  const [draft, setDraft] = useState({ server: '', client: '', text: '' });
  const [by, setBy] = useKeptState<By>('activity.by', 'server');
  const page = useContract('audit:query', filter);
  const { limit: _page, beforeSeq: _older, ...matching } = filter;
  const summary = useContract('audit:summary', matching);
  const series = useContract('audit:timeseries', { ...matching, by });
  // Records pushed while watching, kept per filter: a new filter starts a fresh list without resetting state in an effect.
  const filterKey = JSON.stringify(filter);
  const [pushed, setPushed] = useState<{ key: string; records: AuditRecordView[] }>({ key: filterKey, records: [] });
  const [selected, setSelected] = useState<AuditRecordView>();
  const [verdict, setVerdict] = useState<{ text: string; ok: boolean }>();

  // New records also move the chart and the totals: read again, at most every LIVE_REFRESH_MS.
  const refresh = useRef<ReturnType<typeof setTimeout>>(undefined);
  const { reload: reloadSummary } = summary;
  const { reload: reloadSeries } = series;
  useEffect(
    () =>
      subscribe('events:audit', (event) => {
        setPushed((previous) => ({
          key: filterKey,
          records: [...[...event.records].reverse(), ...(previous.key === filterKey ? previous.records : [])].slice(0, 200),
        }));
        refresh.current ??= setTimeout(() => {
          refresh.current = undefined;
          void reloadSummary();
          void reloadSeries();
        }, LIVE_REFRESH_MS);
      }),
    [filterKey, reloadSummary, reloadSeries],
  );
  useEffect(() => () => clearTimeout(refresh.current), []);
  const newest = page.value?.records[0]?.seq ?? 0;
  // Only what the page does not show yet, and only unfiltered: a filter is applied by the core, not guessed here.
  const live = pushed.key === filterKey && Object.keys(filter).every((name) => name === 'limit') ? pushed.records.filter((record) => record.seq > newest) : [];
  const records = [...live, ...(page.value?.records ?? [])];

  const change = (next: Omit<Filter, 'limit' | 'beforeSeq'>) => {
    setSelected(undefined);
    setFilter({ limit: 100, ...Object.fromEntries(Object.entries(next).filter(([, value]) => value !== undefined && value !== '')) });
  };
  const addFilters = (event: React.FormEvent) => {
    event.preventDefault();
    change({
      ...matching,
      ...(draft.server.trim() ? { server: draft.server.trim() } : {}),
      ...(draft.client.trim() ? { client: draft.client.trim() } : {}),
      ...(draft.text.trim() ? { text: draft.text.trim() } : {}),
    });
    setDraft({ server: '', client: '', text: '' });
  };
  const remove = (name: keyof typeof matching) => change({ ...matching, [name]: undefined });

  // What an export holds, said before and after: every record the applied filter matches, not only the page shown.
  const scope = describeFilter(matching);
  const exportRecords = async () => {
    const result = await invoke('audit:export', matching);
    if (!result.ok) return setVerdict({ text: result.error.message, ok: false });
    const count = result.value.text.split('\n').filter((line) => line.trim()).length;
    const link = document.createElement('a');
    link.href = URL.createObjectURL(new Blob([result.value.text], { type: 'application/x-ndjson' }));
    link.download = result.value.fileName;
    link.click();
    setVerdict({
      text: `Exported ${count.toLocaleString()} ${count === 1 ? 'record' : 'records'} ${scope ? `matching: ${scope}` : '(everything, no filter)'} to ${result.value.fileName}`,
      ok: true,
    });
  };
  const verify = async () => {
    const result = await invoke('audit:verify');
    setVerdict(
      result.ok
        ? { text: result.value.ok ? `Verified: ${result.value.message}` : `Tampering found: ${result.value.message}`, ok: result.value.ok }
        : { text: result.error.message, ok: false },
    );
  };

  const chips = Object.entries(matching).filter(([, value]) => value !== undefined && value !== '') as [keyof typeof matching, string][];
  const nothingYet = !page.loading && records.length === 0 && chips.length === 0;

  return (
    <section aria-labelledby="activity-heading">
      <PageHead id="activity-heading" title="Activity" description="Every call through the local endpoint and what you changed in the app, as it happens.">
        <Group gap="xs" align="flex-start">
          <Button variant="default" leftSection={<IconShieldCheck size={16} aria-hidden />} onClick={() => void verify()}>
            Verify the trail
          </Button>
          <Stack gap={2} align="flex-end">
            <Button leftSection={<IconDownload size={16} aria-hidden />} onClick={() => void exportRecords()} aria-describedby="export-scope">
              Export (JSONL)
            </Button>
            <Text size="xs" c="dimmed" id="export-scope" maw={320} ta="right">
              {scope ? `Exports every record matching: ${scope}` : 'Exports every record (no filter applied)'}
            </Text>
          </Stack>
        </Group>
      </PageHead>
      {verdict && <Notice kind={verdict.ok ? 'ok' : 'problem'}>{verdict.text}</Notice>}

      <Paper withBorder p="sm" radius="md" mb="md" className="surface">
        <form onSubmit={addFilters} aria-label="Filter the audit trail">
          <Group gap="sm" align="flex-end" wrap="wrap">
            {/* The servers the trail has calls for are offered as the person types; any other name can be typed too. */}
            <Autocomplete
              label="Server"
              value={draft.server}
              onChange={(value) => setDraft({ ...draft, server: value })}
              data={(summary.value?.byServer ?? []).map((entry) => entry.server)}
              placeholder="e.g. wiki"
              w={170}
            />
            {(['client', 'text'] as const).map((field) => (
              <TextInput
                key={field}
                label={field === 'text' ? 'Contains' : 'Client'}
                value={draft[field]}
                onChange={(event) => setDraft({ ...draft, [field]: event.currentTarget.value })}
                placeholder={field === 'client' ? 'e.g. cursor' : 'tool, method, text'}
                w={170}
              />
            ))}
            <Button type="submit" variant="light" leftSection={<IconFilter size={16} aria-hidden />}>
              Apply
            </Button>
          </Group>
          <Group gap="xs" mt="sm" wrap="wrap" role="group" aria-label="Outcome">
            <Text size="sm" fw={500} component="span">
              Outcome
            </Text>
            <Chip.Group
              multiple={false}
              value={filter.outcome ?? 'any'}
              onChange={(value) => change({ ...matching, outcome: value === 'any' ? undefined : (value as Outcome) })}
            >
              <Chip value="any" size="xs" variant="outline">
                Any
              </Chip>
              {OUTCOMES.map((outcome) => (
                <Chip key={outcome.value} value={outcome.value} size="xs" variant="outline" color={outcome.value === 'ok' ? 'green' : 'red'}>
                  {outcome.label}
                </Chip>
              ))}
            </Chip.Group>
          </Group>
        </form>
        {chips.length > 0 && (
          <Group gap="xs" mt="sm" aria-label="Filters applied" role="list">
            {chips.map(([name, value]) => (
              <Badge
                key={name}
                role="listitem"
                size="lg"
                variant="light"
                tt="none"
                rightSection={
                  <CloseButton size="xs" variant="transparent" aria-label={`Remove the filter ${labelOf(name)}=${value}`} onClick={() => remove(name)} />
                }
              >
                {labelOf(name)}: {name === 'outcome' ? (OUTCOMES.find((outcome) => outcome.value === value)?.label ?? value) : value}
              </Badge>
            ))}
            <Button size="compact-sm" variant="subtle" leftSection={<IconFilterOff size={14} aria-hidden />} onClick={() => change({})}>
              Clear filters
            </Button>
          </Group>
        )}
      </Paper>

      {page.error && <Notice kind="problem">{page.error.message}</Notice>}
      {nothingYet ? (
        <EmptyState icon={<IconActivity size={26} />} title="No activity yet">
          Calls appear here as they happen. Set up an AI client on the Clients page (or point one at the endpoint above), enable a server on the Servers page,
          and ask the client to use one of its tools.
        </EmptyState>
      ) : (
        <>
          {summary.value?.total === 0 && chips.length === 0 ? (
            // Only what Switchboard itself did so far (started, a setting changed): no call to count or chart yet.
            <EmptyState icon={<IconActivity size={26} />} title="No calls yet">
              Once an AI client uses a tool through the endpoint, its calls, errors and latency are charted here. Set up a client on the Clients page, then ask
              it to use one of your servers’ tools. What Switchboard itself did is listed below.
            </EmptyState>
          ) : (
            summary.value && <Totals summary={summary.value} />
          )}
          {/* The summary counts calls; a filter that matches only app events (a failure, a setting changed) has none to chart. */}
          {series.value && series.value.points.length > 0 && <Charts series={series.value} by={by} onBy={setBy} />}
          {records.length === 0 && !page.loading ? (
            <EmptyState
              icon={<IconFilterOff size={26} />}
              title="Nothing matches these filters"
              action={
                <Button variant="light" onClick={() => change({})}>
                  Clear filters
                </Button>
              }
            >
              No record matches {scope}. Remove a filter above, or clear them all.
            </EmptyState>
          ) : (
            <div className={selected ? 'activity-body with-detail' : 'activity-body'}>
              <div className="activity-list">
                <Table highlightOnHover stickyHeader verticalSpacing={6} fz="sm" miw={620}>
                  <caption className="visually-hidden">Newest first{live.length ? ` (${live.length} new while watching)` : ''}</caption>
                  <Table.Thead>
                    <Table.Tr>
                      <Table.Th scope="col">Time</Table.Th>
                      <Table.Th scope="col">Client</Table.Th>
                      <Table.Th scope="col">Server</Table.Th>
                      <Table.Th scope="col">Method</Table.Th>
                      <Table.Th scope="col">Target</Table.Th>
                      <Table.Th scope="col">Outcome</Table.Th>
                      <Table.Th scope="col" ta="right">
                        ms
                      </Table.Th>
                    </Table.Tr>
                  </Table.Thead>
                  <Table.Tbody>
                    {records.map((record) => (
                      <Table.Tr
                        key={record.seq}
                        tabIndex={0}
                        onClick={() => setSelected(record)}
                        onKeyDown={(event) => event.key === 'Enter' && setSelected(record)}
                        aria-selected={selected?.seq === record.seq}
                      >
                        <Table.Td style={{ whiteSpace: 'nowrap' }}>{new Date(record.time).toLocaleTimeString()}</Table.Td>
                        <Table.Td>{record.client ?? '—'}</Table.Td>
                        <Table.Td>{record.server ?? '—'}</Table.Td>
                        <Table.Td>{record.method}</Table.Td>
                        <Table.Td>{record.target ?? ''}</Table.Td>
                        <Table.Td>
                          <OutcomeBadge outcome={record.outcome} />
                        </Table.Td>
                        <Table.Td ta="right" style={{ whiteSpace: 'nowrap' }}>
                          {record.latencyMs === undefined || record.latencyMs === null ? '' : round(record.latencyMs)}
                        </Table.Td>
                      </Table.Tr>
                    ))}
                  </Table.Tbody>
                </Table>
                <Group justify="space-between" p="xs">
                  <Text size="xs" c="dimmed">
                    Newest first{live.length ? ` · ${live.length} new while watching` : ''}
                  </Text>
                  {page.value?.nextBeforeSeq && (
                    <Button size="compact-sm" variant="subtle" onClick={() => setFilter({ ...filter, beforeSeq: page.value!.nextBeforeSeq })}>
                      Older
                    </Button>
                  )}
                </Group>
              </div>
              {selected && <RecordDetail record={selected} onClose={() => setSelected(undefined)} />}
            </div>
          )}
        </>
      )}
    </section>
  );
}

const labelOf = (name: string) => (name === 'text' ? 'contains' : name);

/** The applied filter in words, e.g. "server=wiki, outcome=failure"; empty when nothing is filtered. */
function describeFilter(filter: Omit<Filter, 'limit' | 'beforeSeq'> & object): string {
  return Object.entries(filter)
    .filter(([, value]) => value !== undefined && value !== '')
    .map(([name, value]) => `${labelOf(name)}=${String(value)}`)
    .join(', ');
}

function OutcomeBadge({ outcome }: { outcome: string }) {
  return (
    <Badge size="sm" variant="light" color={outcome === 'ok' ? 'green' : 'red'} tt="none" className={outcome === 'ok' ? '' : 'error'}>
      {outcome}
    </Badge>
  );
}

function RecordDetail({ record, onClose }: { record: AuditRecordView; onClose: () => void }) {
  const details = record.details ? (JSON.parse(record.details) as unknown) : null;
  return (
    <Paper component="aside" withBorder p="md" radius="md" className="surface record-detail" role="dialog" aria-label={`Record ${record.seq}`}>
      <Group justify="space-between" mb="sm" wrap="nowrap">
        <Title order={3} size="h4">
          Record {record.seq}
        </Title>
        <CloseButton onClick={onClose} aria-label="Close" />
      </Group>
      <dl className="facts">
        <dt>Time</dt>
        <dd>{new Date(record.time).toLocaleString()}</dd>
        <dt>Method</dt>
        <dd>{record.method}</dd>
        {record.target && (
          <>
            <dt>Target</dt>
            <dd>{record.target}</dd>
          </>
        )}
        <dt>Client</dt>
        <dd>{record.client ?? '—'}</dd>
        <dt>Server</dt>
        <dd>{record.server ?? '—'}</dd>
        <dt>Outcome</dt>
        <dd>
          <OutcomeBadge outcome={record.outcome} />
        </dd>
        {record.latencyMs !== undefined && record.latencyMs !== null && (
          <>
            <dt>Latency</dt>
            <dd>{ms(record.latencyMs)}</dd>
          </>
        )}
      </dl>
      <Text size="sm" fw={600} mt="md" mb={4}>
        The whole record
      </Text>
      <Code block className="code-block">
        {JSON.stringify({ ...record, details }, null, 2)}
      </Code>
    </Paper>
  );
}

function Totals({ summary }: { summary: ContractResponse<'audit:summary'> }) {
  const errors = Object.entries(summary.byOutcome).reduce((sum, [outcome, count]) => sum + (outcome === 'ok' ? 0 : count), 0);
  const stats = [
    { label: 'Calls', value: summary.total.toLocaleString() },
    { label: 'Errors', value: `${errors.toLocaleString()}${summary.total ? ` (${Math.round((errors / summary.total) * 100)}%)` : ''}` },
    { label: 'Latency p50', value: ms(summary.latencyMs.p50) },
    { label: 'Latency p95', value: ms(summary.latencyMs.p95) },
    { label: 'Latency p99', value: ms(summary.latencyMs.p99) },
  ];
  return (
    <div className="stats" role="list" aria-label="Totals for the filter">
      {stats.map((stat) => (
        <Paper key={stat.label} withBorder p="sm" radius="md" className="surface" role="listitem">
          <Text size="xs" c="dimmed" tt="uppercase" fw={600}>
            {stat.label}
          </Text>
          <Text size="xl" fw={700}>
            {stat.value}
          </Text>
        </Paper>
      ))}
    </div>
  );
}

/** Latency as a person reads it: whole milliseconds, with one decimal under 10 ms. */
const round = (value: number) => (value < 10 ? Math.round(value * 10) / 10 : Math.round(value));
const ms = (value: number | null) => (value === null ? '—' : `${round(value).toLocaleString()} ms`);
/** A chart shows at least this many buckets, so a few minutes of calls read as a line over time, not a lone dot. */
const MIN_BUCKETS = 30;
const BUCKET_MS = { minute: 60_000, hour: 3_600_000, day: 86_400_000 } as const;

/** The points with empty buckets before the first, up to MIN_BUCKETS in all. */
function padded(series: AuditTimeseriesView): AuditTimeseriesView['points'] {
  const missing = MIN_BUCKETS - series.points.length;
  if (missing <= 0 || series.points.length === 0) return series.points;
  const first = Date.parse(series.points[0]!.time);
  const before = Array.from({ length: missing }, (_, index) => ({
    time: new Date(first - (missing - index) * BUCKET_MS[series.bucket]).toISOString(),
    calls: 0,
    errors: 0,
    latencyMs: { p50: null, p95: null, p99: null },
    split: {},
  }));
  return [...before, ...series.points];
}

function Charts({ series, by, onBy }: { series: AuditTimeseriesView; by: By; onBy: (by: By) => void }) {
  const label = (iso: string) =>
    series.bucket === 'day'
      ? new Date(iso).toLocaleDateString([], { month: 'short', day: 'numeric' })
      : new Date(iso).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
  const points = padded(series);
  const calls = points.map((point) => ({
    time: label(point.time),
    ...Object.fromEntries(series.names.map((name) => [name, point.split[name]?.calls ?? 0])),
    Errors: point.errors,
  }));
  const latency = points.map((point) => ({
    time: label(point.time),
    p50: point.latencyMs.p50 === null ? null : round(point.latencyMs.p50),
    p95: point.latencyMs.p95 === null ? null : round(point.latencyMs.p95),
    p99: point.latencyMs.p99 === null ? null : round(point.latencyMs.p99),
  }));
  const totalCalls = series.points.reduce((sum, point) => sum + point.calls, 0);
  const totalErrors = series.points.reduce((sum, point) => sum + point.errors, 0);
  const busiest = series.points.reduce((best, point) => (point.calls > best.calls ? point : best), series.points[0]!);
  const worstP95 = round(Math.max(0, ...series.points.map((point) => point.latencyMs.p95 ?? 0)));
  const per = { minute: 'minute', hour: 'hour', day: 'day' }[series.bucket];
  return (
    <div className="charts">
      <Paper component="figure" withBorder p="md" radius="md" className="surface" m={0} aria-labelledby="calls-chart-title" data-testid="calls-chart">
        <Group justify="space-between" mb="sm" wrap="wrap">
          <Title order={3} size="h5" id="calls-chart-title">
            Calls and errors per {per}, by {by}
          </Title>
          <SegmentedControl
            size="xs"
            value={by}
            onChange={(value) => onBy(value as By)}
            aria-label="Split the calls by"
            data={[
              { value: 'server', label: 'By server' },
              { value: 'client', label: 'By client' },
            ]}
          />
        </Group>
        <AreaChart
          h={220}
          data={calls}
          dataKey="time"
          series={[
            ...series.names.map((name, index) => ({
              name,
              label: name === '(none)' ? `no ${by}` : name,
              color: SERIES_COLORS[index % SERIES_COLORS.length]!,
            })),
            { name: 'Errors', color: 'red.7', strokeDasharray: '5 4' },
          ]}
          curveType="monotone"
          withLegend
          legendProps={{ verticalAlign: 'bottom', height: 56 }}
          withDots={false}
          fillOpacity={0.15}
          tooltipAnimationDuration={150}
          yAxisProps={{ allowDecimals: false, width: 40 }}
          gridAxis="y"
        />
        <figcaption className="visually-hidden">
          {totalCalls} calls and {totalErrors} errors from {label(series.points[0]!.time)} to {label(series.points.at(-1)!.time)}, per {per}, split by {by}:{' '}
          {series.names.join(', ')}. The busiest {per} was {label(busiest.time)} with {busiest.calls} calls.
        </figcaption>
      </Paper>
      <Paper component="figure" withBorder p="md" radius="md" className="surface" m={0} aria-labelledby="latency-chart-title" data-testid="latency-chart">
        <Group justify="space-between" mb="sm" style={{ minHeight: 30 }}>
          <Title order={3} size="h5" id="latency-chart-title">
            Latency per {per} (p50, p95, p99)
          </Title>
        </Group>
        <LineChart
          h={220}
          data={latency}
          dataKey="time"
          unit=" ms"
          series={[
            { name: 'p50', color: 'teal.6' },
            { name: 'p95', color: 'orange.6' },
            { name: 'p99', color: 'red.7', strokeDasharray: '5 4' },
          ]}
          curveType="monotone"
          connectNulls
          withLegend
          legendProps={{ verticalAlign: 'bottom', height: 40 }}
          // Dots: a minute with calls after quiet ones is one point, which a line alone would not show.
          dotProps={{ r: 2.5, strokeWidth: 1 }}
          tooltipAnimationDuration={150}
          yAxisProps={{ width: 64 }}
          gridAxis="y"
        />
        <figcaption className="visually-hidden">
          Latency percentiles per {per}; the highest p95 was {worstP95} ms.
        </figcaption>
      </Paper>
    </div>
  );
}
