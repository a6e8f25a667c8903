// Settings: where things are and how they are set; each editable setting saves on its own, managed ones are shown as managed.
import { Badge, Button, Checkbox, Code, CopyButton, Group, Loader, Paper, SegmentedControl, Text, Textarea, TextInput, Title } from '@mantine/core';
import { IconLock, IconRefresh } from '@tabler/icons-react';
import { useState } from 'react';
import type { ContractResponse, EDITABLE_SETTINGS } from '../../../shared/contract/schemas.ts';
import { isManagedSetting } from '../../../shared/managed-settings.ts';
import { invoke } from '../bridge.ts';
import { Notice, PageHead } from '../ui.tsx';
import { useContract } from '../use-contract.ts';

type Settings = ContractResponse<'settings:get'>;
type Field = (typeof EDITABLE_SETTINGS)[number];

const list = (text: string) =>
  text
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean);

/** The name a person sees for each setting, in messages too (never the key in the file). */
const LABELS: Record<Field, string> = {
  'auth.idp': 'Identity provider',
  'gateway.port': 'Endpoint port',
  'gateway.allowedOrigins': 'Browser origins allowed',
  'audit.capture.arguments': 'Record tool arguments',
  'audit.capture.results': 'Record tool results',
  'audit.capture.redact.keys': 'Redacted keys',
  'audit.capture.redact.patterns': 'Redacted patterns',
  'audit.sinks': 'Audit export',
};

/** A refusal in words from its error code: what happened and what to do, never "see the log" (the person cannot see it from here). */
function refusal(error: { code: string; message: string }): string {
  switch (error.code) {
    case 'CONFIG_INVALID': {
      // The core names the file and the key path ("… invalid at audit.capture.redact.patterns.0: must be …"); the person needs only what is wrong, and which entry.
      const found = /invalid at (\S+): (.+)$/.exec(error.message);
      const entry = found && /\.(\d+)$/.exec(found[1]!);
      return `Not saved: ${found ? `${entry ? `entry ${Number(entry[1]) + 1} ` : ''}${found[2]}` : error.message}. The file was left as it was.`;
    }
    case 'POLICY_DENIED':
      return 'Not saved: your company manages this setting; ask your administrator to change it.';
    case 'CONFIG_UNREADABLE':
      return `Not saved: the settings file could not be read. ${error.message}.`;
    case 'GATEWAY_NOT_RUNNING':
      return 'Not saved: Switchboard is not answering. Start it again, then retry.';
    case 'INTERNAL':
      return 'Not saved: Switchboard could not apply this change. Check the value and try again; if it keeps failing, restart Switchboard.';
    default:
      return `Not saved: ${error.message}`;
  }
}

/** The endpoint port as typed: a whole number from 0 to 65535, or what is wrong with it. */
function parsePort(text: string): { ok: true; port: number } | { ok: false; message: string } {
  const trimmed = text.trim();
  if (!/^\d+$/.test(trimmed)) return { ok: false, message: 'Enter the port as a whole number from 0 to 65535 (0 picks a free one).' };
  const port = Number(trimmed);
  return port <= 65535 ? { ok: true, port } : { ok: false, message: 'A port goes up to 65535; enter a number from 0 to 65535.' };
}

type Note = { field: Field; text: string; ok: boolean };
type Pending = { field: Field; value: unknown };

export function SettingsPage() {
  const settings = useContract('settings:get');
  const [note, setNote] = useState<Note>();
  // A change waits here until the person confirms it: every saved setting restarts the core, which drops calls in flight.
  const [pending, setPending] = useState<Pending>();
  const [saving, setSaving] = useState(false);
  if (settings.error) return <Notice kind="problem">{refusal(settings.error)}</Notice>;
  if (!settings.value)
    return (
      <Group gap="xs" aria-live="polite">
        <Loader size="sm" /> <Text>Loading settings…</Text>
      </Group>
    );
  const value = settings.value;
  const isManaged = (field: string) => isManagedSetting(value.locked, field);

  const request = (field: Field, next: unknown) => {
    setNote(undefined);
    setPending({ field, value: next });
  };
  const confirm = async () => {
    if (!pending) return;
    setSaving(true);
    const result = await invoke('settings:update', { field: pending.field, value: pending.value });
    setSaving(false);
    setPending(undefined);
    setNote(
      result.ok
        ? { field: pending.field, text: `${LABELS[pending.field]}: saved; Switchboard restarted with it.`, ok: true }
        : { field: pending.field, text: `${LABELS[pending.field]}: ${refusal(result.error)}`, ok: false },
    );
    await settings.reload();
  };
  const shared = { pending, note, saving, onConfirm: () => void confirm(), onCancel: () => setPending(undefined) };

  return (
    <section aria-labelledby="settings-heading">
      <PageHead
        id="settings-heading"
        title="Settings"
        description={
          <>
            Settings live in <Code>{value.configPath}</Code>; state in <Code>{value.dataDir}</Code>. Changes made here are written there (comments kept, the old
            file kept as <Code>.bak</Code>), and Switchboard restarts its endpoint to apply them, after you confirm.
          </>
        }
      />
      <Paper withBorder radius="md" className="surface" style={{ overflow: 'hidden' }}>
        <dl className="settings">
          <Setting
            {...shared}
            field="auth.idp"
            managed={isManaged('auth.idp')}
            shown={value.idp ? `${value.idp.issuer} (client ${value.idp.clientId})` : 'None'}
          >
            <IdpEditor value={value} onSave={(next) => request('auth.idp', next)} />
          </Setting>
          <Setting {...shared} field="gateway.port" managed={isManaged('gateway.port')} shown={String(value.gateway.port)}>
            <TextEditor
              label="Endpoint port"
              initial={String(value.gateway.port)}
              check={(text) => {
                const parsed = parsePort(text);
                return parsed.ok ? undefined : parsed.message;
              }}
              onSave={(text) => request('gateway.port', Number(text.trim()))}
              hint="0 picks a free port; AI clients must then be set up again"
            />
          </Setting>
          <Setting
            {...shared}
            field="gateway.allowedOrigins"
            managed={isManaged('gateway.allowedOrigins')}
            shown={value.gateway.allowedOrigins.join(', ') || 'Only this endpoint’s own'}
          >
            <TextEditor
              label="Browser origins allowed"
              initial={value.gateway.allowedOrigins.join(', ')}
              onSave={(text) => request('gateway.allowedOrigins', list(text))}
              hint="comma-separated, e.g. http://localhost:6274"
            />
          </Setting>
          <Setting {...shared} label="Company catalogs" field="discovery" managed shown={value.catalogs.join(', ') || 'None'} />
          <Setting
            {...shared}
            label="MCP Registry"
            field="discovery.registryUrl"
            managed={isManaged('discovery.registryUrl')}
            shown={value.registryUrl ?? 'None'}
          />
          <Setting
            {...shared}
            field="audit.capture.arguments"
            managed={isManaged('audit.capture.arguments')}
            shown={value.audit.captureArguments ? 'Yes (redacted)' : 'No'}
          >
            <Toggle
              label="Record tool arguments"
              checked={pending?.field === 'audit.capture.arguments' ? Boolean(pending.value) : value.audit.captureArguments}
              onChange={(next) => request('audit.capture.arguments', next)}
            />
          </Setting>
          <Setting
            {...shared}
            field="audit.capture.results"
            managed={isManaged('audit.capture.results')}
            shown={value.audit.captureResults ? 'Yes (redacted)' : 'No'}
          >
            <Toggle
              label="Record tool results"
              checked={pending?.field === 'audit.capture.results' ? Boolean(pending.value) : value.audit.captureResults}
              onChange={(next) => request('audit.capture.results', next)}
            />
          </Setting>
          <Setting
            {...shared}
            field="audit.capture.redact.keys"
            managed={isManaged('audit.capture.redact.keys')}
            shown={value.audit.redactKeys.join(', ') || 'Secrets only (always)'}
          >
            <TextEditor
              label="Redacted keys"
              initial={value.audit.redactKeys.join(', ')}
              onSave={(text) => request('audit.capture.redact.keys', list(text))}
              hint="comma-separated key names, e.g. ssn, email"
            />
          </Setting>
          <Setting
            {...shared}
            field="audit.capture.redact.patterns"
            managed={isManaged('audit.capture.redact.patterns')}
            shown={value.audit.redactPatterns.join(', ') || 'None'}
          >
            <TextEditor
              label="Redacted patterns"
              initial={value.audit.redactPatterns.join(', ')}
              onSave={(text) => request('audit.capture.redact.patterns', list(text))}
              hint="comma-separated regular expressions"
            />
          </Setting>
          <Setting
            {...shared}
            field="audit.sinks"
            managed={isManaged('audit.sinks')}
            shown={value.audit.sinks.length ? value.audit.sinks.map((sink) => `${sink.type}: ${sink.target}`).join('; ') : 'None'}
          >
            <SinksEditor initial={value.audit.sinksJson} onSave={(next) => request('audit.sinks', next)} />
          </Setting>
        </dl>
      </Paper>
      <RecentLog />
    </section>
  );
}

function Setting({
  label: given,
  field,
  managed,
  shown,
  children,
  pending,
  note,
  saving,
  onConfirm,
  onCancel,
}: {
  label?: string;
  field: string;
  managed: boolean;
  shown: string;
  children?: React.ReactNode;
  pending: Pending | undefined;
  note: Note | undefined;
  saving: boolean;
  onConfirm: () => void;
  onCancel: () => void;
}) {
  const [editing, setEditing] = useState(false);
  const label = given ?? LABELS[field as Field];
  return (
    <>
      <dt>
        {label}
        {managed && (
          <span className="managed">
            {' '}
            <span className="visually-hidden">(managed by your company)</span>
            <Badge component="span" variant="light" color="gray" size="sm" tt="none" leftSection={<IconLock size={12} aria-hidden />} aria-hidden>
              managed by your company
            </Badge>
          </span>
        )}
      </dt>
      <dd data-field={field}>
        <Group gap="sm" wrap="nowrap" align="flex-start" justify="space-between">
          <Text size="sm" style={{ overflowWrap: 'anywhere' }}>
            {shown}
          </Text>
          {!managed && children && (
            <Button size="xs" variant="default" onClick={() => setEditing(!editing)} aria-expanded={editing} aria-label={`Change ${label}`}>
              {editing ? 'Close' : 'Change'}
            </Button>
          )}
        </Group>
        {editing && <div style={{ marginTop: 8 }}>{children}</div>}
        {pending?.field === field && (
          <Paper withBorder p="sm" mt="sm" radius="md" className="confirm" role="group" aria-label={`Confirm ${label}`}>
            <Text size="sm">Saving restarts Switchboard’s endpoint: AI clients reconnect, and calls in progress may fail.</Text>
            <Group gap="xs" mt="xs">
              <Button size="xs" className="primary" onClick={onConfirm} loading={saving}>
                Save and restart
              </Button>
              <Button size="xs" variant="default" onClick={onCancel} disabled={saving}>
                Cancel
              </Button>
            </Group>
          </Paper>
        )}
        {note?.field === field && (
          <Text
            size="sm"
            mt="xs"
            c={note.ok ? 'green' : 'red'}
            className={note.ok ? 'field-message outcome-ok' : 'field-message error'}
            role={note.ok ? 'status' : 'alert'}
          >
            {note.text}
          </Text>
        )}
      </dd>
    </>
  );
}

function TextEditor({
  label,
  initial,
  hint,
  check,
  onSave,
}: {
  label: string;
  initial: string;
  hint: string;
  check?: (text: string) => string | undefined;
  onSave: (text: string) => void;
}) {
  const [text, setText] = useState(initial);
  const [problem, setProblem] = useState<string>();
  const id = label.replace(/\W+/g, '-').toLowerCase();
  return (
    <form
      noValidate
      onSubmit={(event) => {
        event.preventDefault();
        const wrong = check?.(text);
        setProblem(wrong);
        if (!wrong) onSave(text);
      }}
    >
      <Group gap="xs" align="flex-start" wrap="nowrap">
        <TextInput
          aria-label={label}
          value={text}
          onChange={(event) => setText(event.currentTarget.value)}
          aria-describedby={`${id}-hint${problem ? ` ${id}-problem` : ''}`}
          error={Boolean(problem)}
          aria-invalid={problem ? true : undefined}
          style={{ flex: 1, maxWidth: 420 }}
        />
        <Button type="submit" variant="light">
          Save
        </Button>
      </Group>
      <Text size="xs" c="dimmed" id={`${id}-hint`} mt={4}>
        {hint}
      </Text>
      {problem && (
        <Text size="sm" c="red" id={`${id}-problem`} className="field-message error" role="alert" mt={4}>
          {problem}
        </Text>
      )}
    </form>
  );
}

function Toggle({ label, checked, onChange }: { label: string; checked: boolean; onChange: (next: boolean) => void }) {
  return <Checkbox label={label} checked={checked} onChange={(event) => onChange(event.currentTarget.checked)} />;
}

function IdpEditor({ value, onSave }: { value: Settings; onSave: (next: { issuer: string; clientId: string } | null) => void }) {
  const [issuer, setIssuer] = useState(value.idp?.issuer ?? '');
  const [clientId, setClientId] = useState(value.idp?.clientId ?? '');
  return (
    <form
      onSubmit={(event) => {
        event.preventDefault();
        onSave(issuer ? { issuer, clientId } : null);
      }}
    >
      <Group gap="xs" align="flex-end" wrap="wrap">
        <TextInput label="Issuer" value={issuer} onChange={(event) => setIssuer(event.currentTarget.value)} placeholder="https://login.example.com" w={280} />
        <TextInput label="Client id" value={clientId} onChange={(event) => setClientId(event.currentTarget.value)} w={200} />
        <Button type="submit" variant="light">
          Save
        </Button>
      </Group>
    </form>
  );
}

type Sink = Record<string, unknown> & { type?: unknown };

const SINK_KINDS = {
  jsonl: { label: 'JSON lines file', add: 'Add a JSON lines file', make: (): Sink => ({ type: 'jsonl', path: '' }) },
  otlp: {
    label: 'OpenTelemetry collector (OTLP/HTTP)',
    add: 'Add an OpenTelemetry collector',
    make: (): Sink => ({ type: 'otlp', endpoint: 'http://127.0.0.1:4318' }),
  },
  syslog: { label: 'Syslog server', add: 'Add a syslog server', make: (): Sink => ({ type: 'syslog', host: '', port: 6514, tls: {} }) },
} as const;
type SinkKind = keyof typeof SINK_KINDS;
const isKind = (type: unknown): type is SinkKind => typeof type === 'string' && type in SINK_KINDS;

/** What is wrong with a sink before it is sent (the core checks it all again): a missing path, host or port. */
function sinkProblem(sink: Sink, index: number): string | undefined {
  const entry = `Export ${index + 1}`;
  if (sink.type === 'jsonl' && !String(sink.path ?? '').trim()) return `${entry}: enter the file to write to.`;
  if (sink.type === 'syslog' && !String(sink.host ?? '').trim()) return `${entry}: enter the syslog server's host name.`;
  if (sink.type === 'syslog' && !(Number.isInteger(sink.port) && (sink.port as number) >= 1 && (sink.port as number) <= 65535))
    return `${entry}: the port is a whole number from 1 to 65535.`;
  if (sink.type === 'otlp' && !String(sink.endpoint ?? sink.url ?? '').trim()) return `${entry}: enter the collector's address.`;
  return undefined;
}

/**
 * The audit exports as a form: one block per export with the fields a person sets (a file, a collector, a syslog server);
 * fields the form does not show (headers, rotation details, TLS files) are kept as they are. "Edit as JSON" is there for the rest.
 */
function SinksEditor({ initial, onSave }: { initial: string; onSave: (next: unknown) => void }) {
  const parsed = (() => {
    try {
      const value = JSON.parse(initial) as unknown;
      return Array.isArray(value) && value.every((item) => typeof item === 'object' && item !== null) ? (value as Sink[]) : undefined;
    } catch {
      return undefined;
    }
  })();
  const [sinks, setSinks] = useState<Sink[]>(parsed ?? []);
  const [asJson, setAsJson] = useState(parsed === undefined);
  const [text, setText] = useState(initial);
  const [problem, setProblem] = useState<string>();
  const update = (index: number, change: Partial<Sink>) =>
    setSinks(
      sinks.map((sink, at) => (at === index ? Object.fromEntries(Object.entries({ ...sink, ...change }).filter(([, value]) => value !== undefined)) : sink)),
    );
  return (
    <form
      noValidate
      aria-label="Audit exports"
      onSubmit={(event) => {
        event.preventDefault();
        if (asJson) {
          try {
            onSave(JSON.parse(text));
            setProblem(undefined);
          } catch {
            setProblem('This is not JSON; nothing was saved.');
          }
          return;
        }
        const wrong = sinks.map(sinkProblem).find(Boolean);
        setProblem(wrong);
        if (!wrong) onSave(sinks);
      }}
    >
      {asJson ? (
        <Textarea
          label="Audit exports (JSON, see docs/configuration.md)"
          autosize
          minRows={4}
          maxRows={14}
          value={text}
          onChange={(event) => setText(event.currentTarget.value)}
          styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)' } }}
        />
      ) : (
        <>
          {sinks.length === 0 && (
            <Text size="sm" c="dimmed" mb="xs">
              No export yet: records stay in Switchboard’s own trail only. Add one to copy every record to a file, a collector or a syslog server as it is
              written.
            </Text>
          )}
          {sinks.map((sink, index) => (
            <Paper key={index} withBorder p="sm" radius="md" mb="xs" role="group" aria-label={`Export ${index + 1}`}>
              <Group justify="space-between" mb="xs">
                <Text fw={600} size="sm">
                  {index + 1}. {isKind(sink.type) ? SINK_KINDS[sink.type].label : `“${String(sink.type)}”`}
                </Text>
                <Button size="compact-xs" variant="subtle" color="red" onClick={() => setSinks(sinks.filter((_, at) => at !== index))}>
                  Remove export {index + 1}
                </Button>
              </Group>
              {sink.type === 'jsonl' && (
                <Group gap="xs" align="flex-end" wrap="wrap">
                  <TextInput
                    label="File"
                    description="Records are appended; it rotates by size"
                    value={String(sink.path ?? '')}
                    onChange={(event) => update(index, { path: event.currentTarget.value })}
                    placeholder="/var/log/switchboard/audit.jsonl"
                    w={360}
                  />
                  <TextInput
                    label="Files kept"
                    inputMode="numeric"
                    value={sink.maxFiles === undefined ? '' : String(sink.maxFiles)}
                    onChange={(event) => update(index, { maxFiles: event.currentTarget.value ? Number(event.currentTarget.value) : undefined })}
                    placeholder="5"
                    w={110}
                  />
                </Group>
              )}
              {sink.type === 'otlp' && (
                <Group gap="md" align="flex-end" wrap="wrap">
                  <TextInput
                    label="Collector address"
                    value={String(sink.endpoint ?? sink.url ?? '')}
                    onChange={(event) =>
                      update(
                        index,
                        sink.url !== undefined && sink.endpoint === undefined ? { url: event.currentTarget.value } : { endpoint: event.currentTarget.value },
                      )
                    }
                    placeholder="http://127.0.0.1:4318"
                    w={320}
                  />
                  <Checkbox.Group
                    label="Send"
                    value={Array.isArray(sink.signals) ? (sink.signals as string[]) : ['logs', 'traces', 'metrics']}
                    onChange={(value) => update(index, { signals: value.length === 3 || value.length === 0 ? undefined : value })}
                  >
                    <Group gap="sm" mt={6}>
                      <Checkbox value="logs" label="Logs" />
                      <Checkbox value="traces" label="Traces" />
                      <Checkbox value="metrics" label="Metrics" />
                    </Group>
                  </Checkbox.Group>
                </Group>
              )}
              {sink.type === 'syslog' && (
                <Group gap="xs" align="flex-end" wrap="wrap">
                  <TextInput label="Host" value={String(sink.host ?? '')} onChange={(event) => update(index, { host: event.currentTarget.value })} w={240} />
                  <TextInput
                    label="Port"
                    inputMode="numeric"
                    value={sink.port === undefined ? '' : String(sink.port)}
                    onChange={(event) => update(index, { port: event.currentTarget.value ? Number(event.currentTarget.value) : undefined })}
                    w={100}
                  />
                  <Checkbox
                    label="Over TLS (RFC 5425)"
                    checked={sink.tls !== undefined}
                    onChange={(event) => update(index, { tls: event.currentTarget.checked ? ((sink.tls as object | undefined) ?? {}) : undefined })}
                    mb={8}
                  />
                </Group>
              )}
              {!isKind(sink.type) && (
                <Text size="sm" c="dimmed">
                  An export this form does not know; it is kept as it is. Edit it as JSON.
                </Text>
              )}
            </Paper>
          ))}
          <Group gap="xs" mt="xs">
            {(Object.keys(SINK_KINDS) as SinkKind[]).map((kind) => (
              <Button key={kind} size="xs" variant="default" onClick={() => setSinks([...sinks, SINK_KINDS[kind].make()])}>
                {SINK_KINDS[kind].add}
              </Button>
            ))}
          </Group>
        </>
      )}
      {problem && (
        <Text size="sm" c="red" className="field-message error" role="alert" mt={4}>
          {problem}
        </Text>
      )}
      <Group gap="xs" mt="sm">
        <Button type="submit" variant="light">
          Save
        </Button>
        <Button
          size="xs"
          variant="subtle"
          onClick={() => {
            if (!asJson) setText(JSON.stringify(sinks, null, 2));
            else {
              try {
                const value = JSON.parse(text) as unknown;
                if (Array.isArray(value)) setSinks(value as Sink[]);
              } catch {
                return setProblem('This is not JSON; fix it before going back to the form.');
              }
            }
            setProblem(undefined);
            setAsJson(!asJson);
          }}
        >
          {asJson ? 'Back to the form' : 'Edit as JSON'}
        </Button>
      </Group>
    </form>
  );
}

type LogLevel = 'debug' | 'info' | 'warn' | 'error';
const LEVEL_COLOR: Record<string, string> = { debug: 'gray', info: 'blue', warn: 'orange', error: 'red' };

/** The log's last lines as the host keeps them (never a secret: the logger redacts before it keeps a line), and where the full log is. */
function RecentLog() {
  const [minLevel, setMinLevel] = useState<LogLevel>('info');
  const log = useContract('logs:recent', { limit: 200, minLevel });
  const lines = [...(log.value?.lines ?? [])].reverse();
  const [openProblem, setOpenProblem] = useState<string>();
  return (
    <Paper component="section" withBorder p="md" radius="md" mt="xl" className="surface" aria-labelledby="log-heading">
      <Group justify="space-between" mb="xs" wrap="wrap">
        <Title order={3} size="h4" id="log-heading">
          Recent log
        </Title>
        <Group gap="xs">
          <SegmentedControl
            size="xs"
            aria-label="Lowest level shown"
            value={minLevel}
            onChange={(value) => setMinLevel(value as LogLevel)}
            data={[
              { value: 'debug', label: 'Debug' },
              { value: 'info', label: 'Info' },
              { value: 'warn', label: 'Warnings' },
              { value: 'error', label: 'Errors' },
            ]}
          />
          <Button size="xs" variant="default" leftSection={<IconRefresh size={14} aria-hidden />} onClick={() => void log.reload()}>
            Refresh
          </Button>
        </Group>
      </Group>
      <Text size="sm" c="dimmed" mb="sm">
        {log.value?.file ? (
          <>
            The full log is in <Code>{log.value.file}</Code> {log.value.canOpen && <OpenLogFileButton onProblem={setOpenProblem} />}
            <CopyButton value={log.value.file}>
              {({ copied, copy }) => (
                <Button size="compact-xs" variant="subtle" onClick={copy}>
                  {copied ? 'Copied' : 'Copy the path'}
                </Button>
              )}
            </CopyButton>
          </>
        ) : (
          'This Switchboard writes its full log to the terminal it was started from; the newest lines are below.'
        )}
      </Text>
      {log.error && <Notice kind="problem">{log.error.message}</Notice>}
      {openProblem && <Notice kind="problem">{openProblem}</Notice>}
      {log.value && lines.length === 0 ? (
        <Text size="sm">Nothing at this level yet.</Text>
      ) : (
        <div className="log-lines" role="log" aria-label="Recent log lines, newest first" tabIndex={0}>
          {lines.map((line, index) => (
            <div key={`${line.time}-${index}`} className="log-line">
              <Text span size="xs" c="dimmed" className="log-time">
                {new Date(line.time).toLocaleTimeString()}
              </Text>
              <Badge size="xs" variant="light" color={LEVEL_COLOR[line.level] ?? 'gray'} tt="none" className="log-level">
                {line.level}
              </Badge>
              <Text span size="xs" className="log-text">
                {line.message || line.event}
              </Text>
            </div>
          ))}
        </div>
      )}
    </Paper>
  );
}

/** Opens the whole log in the desktop's own viewer (the app only: a browser page cannot open files on the machine). */
function OpenLogFileButton({ onProblem }: { onProblem: (message: string | undefined) => void }) {
  const [opening, setOpening] = useState(false);
  return (
    <Button
      size="compact-xs"
      variant="subtle"
      loading={opening}
      onClick={() => {
        setOpening(true);
        onProblem(undefined);
        void invoke('logs:open', undefined)
          .then((answer) => {
            if (!answer.ok) onProblem(answer.error.message);
          })
          .finally(() => setOpening(false));
      }}
    >
      Open the log file
    </Button>
  );
}
