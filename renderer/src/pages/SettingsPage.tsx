// Settings: where things are and how they are set; each editable setting saves on its own, managed ones are shown as managed.
import { useState } from 'react';
import type { ContractResponse, EDITABLE_SETTINGS } from '../../../shared/contract/schemas.ts';
import { isManagedSetting } from '../../../shared/managed-settings.ts';
import { invoke } from '../bridge.ts';
import { useContract } from '../use-contract.ts';

type Settings = ContractResponse<'settings:get'>;
type Field = (typeof EDITABLE_SETTINGS)[number];

const list = (text: string) => text.split(',').map((item) => item.trim()).filter(Boolean);

export function SettingsPage() {
  const settings = useContract('settings:get');
  const [note, setNote] = useState<{ field: string; text: string; ok: boolean }>();
  if (settings.error) return <p role="alert">{settings.error.message}</p>;
  if (!settings.value) return <p aria-live="polite">Loading settings…</p>;
  const value = settings.value;
  const isManaged = (field: string) => isManagedSetting(value.locked, field);

  const save = async (field: Field, next: unknown) => {
    const result = await invoke('settings:update', { field, value: next });
    setNote(result.ok ? { field, text: 'Saved; Switchboard restarted with it.', ok: true } : { field, text: result.error.message, ok: false });
    await settings.reload();
  };

  return (
    <section aria-labelledby="settings-heading">
      <h2 id="settings-heading">Settings</h2>
      <p>
        Settings live in <code>{value.configPath}</code>; state in <code>{value.dataDir}</code>. Changes made here are written there (comments kept, the old file
        kept as <code>.bak</code>).
      </p>
      {note && <p role={note.ok ? 'status' : 'alert'}>{`${note.field}: ${note.text}`}</p>}
      <dl className="settings">
        <Setting label="Identity provider" field="auth.idp" managed={isManaged('auth.idp')} shown={value.idp ? `${value.idp.issuer} (client ${value.idp.clientId})` : 'None'}>
          <IdpEditor value={value} onSave={(next) => void save('auth.idp', next)} />
        </Setting>
        <Setting label="Endpoint port" field="gateway.port" managed={isManaged('gateway.port')} shown={String(value.gateway.port)}>
          <TextEditor label="Endpoint port" initial={String(value.gateway.port)} onSave={(text) => void save('gateway.port', Number(text))} hint="0 picks a free port; AI clients must then be set up again" />
        </Setting>
        <Setting label="Browser origins allowed" field="gateway.allowedOrigins" managed={isManaged('gateway.allowedOrigins')} shown={value.gateway.allowedOrigins.join(', ') || 'Only this endpoint’s own'}>
          <TextEditor label="Browser origins allowed" initial={value.gateway.allowedOrigins.join(', ')} onSave={(text) => void save('gateway.allowedOrigins', list(text))} hint="comma-separated, e.g. http://localhost:6274" />
        </Setting>
        <Setting label="Company catalogs" field="discovery" managed shown={value.catalogs.join(', ') || 'None'} />
        <Setting label="MCP Registry" field="discovery.registryUrl" managed={isManaged('discovery.registryUrl')} shown={value.registryUrl ?? 'None'} />
        <Setting label="Record tool arguments" field="audit.capture.arguments" managed={isManaged('audit.capture.arguments')} shown={value.audit.captureArguments ? 'Yes (redacted)' : 'No'}>
          <Toggle label="Record tool arguments" checked={value.audit.captureArguments} onChange={(next) => void save('audit.capture.arguments', next)} />
        </Setting>
        <Setting label="Record tool results" field="audit.capture.results" managed={isManaged('audit.capture.results')} shown={value.audit.captureResults ? 'Yes (redacted)' : 'No'}>
          <Toggle label="Record tool results" checked={value.audit.captureResults} onChange={(next) => void save('audit.capture.results', next)} />
        </Setting>
        <Setting label="Redacted keys" field="audit.capture.redact.keys" managed={isManaged('audit.capture.redact.keys')} shown={value.audit.redactKeys.join(', ') || 'Secrets only (always)'}>
          <TextEditor label="Redacted keys" initial={value.audit.redactKeys.join(', ')} onSave={(text) => void save('audit.capture.redact.keys', list(text))} hint="comma-separated key names, e.g. ssn, email" />
        </Setting>
        <Setting label="Redacted patterns" field="audit.capture.redact.patterns" managed={isManaged('audit.capture.redact.patterns')} shown={value.audit.redactPatterns.join(', ') || 'None'}>
          <TextEditor label="Redacted patterns" initial={value.audit.redactPatterns.join(', ')} onSave={(text) => void save('audit.capture.redact.patterns', list(text))} hint="comma-separated regular expressions" />
        </Setting>
        <Setting label="Audit export" field="audit.sinks" managed={isManaged('audit.sinks')} shown={value.audit.sinks.length ? value.audit.sinks.map((sink) => `${sink.type}: ${sink.target}`).join('; ') : 'None'}>
          <SinksEditor initial={value.audit.sinksJson} onSave={(next) => void save('audit.sinks', next)} />
        </Setting>
      </dl>
    </section>
  );
}

function Setting({ label, field, managed, shown, children }: { label: string; field: string; managed: boolean; shown: string; children?: React.ReactNode }) {
  const [editing, setEditing] = useState(false);
  return (
    <>
      <dt>
        {label}
        {managed && <span className="managed"> (managed by your company)</span>}
      </dt>
      <dd data-field={field}>
        {shown}{' '}
        {!managed && children && (
          <button type="button" onClick={() => setEditing(!editing)} aria-expanded={editing} aria-label={`Change ${label}`}>
            {editing ? 'Close' : 'Change'}
          </button>
        )}
        {editing && children}
      </dd>
    </>
  );
}

function TextEditor({ label, initial, hint, onSave }: { label: string; initial: string; hint: string; onSave: (text: string) => void }) {
  const [text, setText] = useState(initial);
  return (
    <form onSubmit={(event) => { event.preventDefault(); onSave(text); }}>
      <label>
        <span className="visually-hidden">{label}</span>
        <input value={text} onChange={(event) => setText(event.target.value)} aria-describedby={`${label}-hint`} />
      </label>
      <small id={`${label}-hint`}> {hint} </small>
      <button type="submit">Save</button>
    </form>
  );
}

function Toggle({ label, checked, onChange }: { label: string; checked: boolean; onChange: (next: boolean) => void }) {
  return (
    <label>
      <input type="checkbox" checked={checked} onChange={(event) => onChange(event.target.checked)} /> {label}
    </label>
  );
}

function IdpEditor({ value, onSave }: { value: Settings; onSave: (next: { issuer: string; clientId: string } | null) => void }) {
  const [issuer, setIssuer] = useState(value.idp?.issuer ?? '');
  const [clientId, setClientId] = useState(value.idp?.clientId ?? '');
  return (
    <form onSubmit={(event) => { event.preventDefault(); onSave(issuer ? { issuer, clientId } : null); }}>
      <label>Issuer <input value={issuer} onChange={(event) => setIssuer(event.target.value)} placeholder="https://login.example.com" /></label>
      <label>Client id <input value={clientId} onChange={(event) => setClientId(event.target.value)} /></label>
      <button type="submit">Save</button>
    </form>
  );
}

function SinksEditor({ initial, onSave }: { initial: string; onSave: (next: unknown) => void }) {
  const [text, setText] = useState(initial);
  const [problem, setProblem] = useState<string>();
  return (
    <form
      onSubmit={(event) => {
        event.preventDefault();
        try {
          onSave(JSON.parse(text));
          setProblem(undefined);
        } catch {
          setProblem('This is not JSON; nothing was saved.');
        }
      }}
    >
      <label>
        Sinks (JSON, see docs/configuration.md) <textarea rows={6} cols={60} value={text} onChange={(event) => setText(event.target.value)} />
      </label>
      {problem && <span role="alert">{problem}</span>}
      <button type="submit">Save</button>
    </form>
  );
}
