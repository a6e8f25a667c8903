// Settings: where things are and how they are set; fields the company policy manages are marked as managed.
import { useContract } from '../use-contract.ts';

export function SettingsPage() {
  const settings = useContract('settings:get');
  if (settings.error) return <p role="alert">{settings.error.message}</p>;
  if (!settings.value) return <p aria-live="polite">Loading settings…</p>;
  const value = settings.value;
  const managed = (field: string) => (value.locked.some((locked) => field === locked || field.startsWith(`${locked}.`)) ? <span className="managed"> (managed by your company)</span> : null);
  return (
    <section aria-labelledby="settings-heading">
      <h2 id="settings-heading">Settings</h2>
      <p>
        Settings live in <code>{value.configPath}</code> (edit it, or use <code>switchboard servers …</code>); state in <code>{value.dataDir}</code>.
      </p>
      <dl className="settings">
        <dt>Identity provider{managed('auth.idp')}</dt>
        <dd>{value.idp ? `${value.idp.issuer} (client ${value.idp.clientId})` : 'None'}</dd>
        <dt>Endpoint port{managed('gateway.port')}</dt>
        <dd>{value.gateway.port}</dd>
        <dt>Browser origins allowed{managed('gateway.allowedOrigins')}</dt>
        <dd>{value.gateway.allowedOrigins.join(', ') || 'Only this endpoint’s own'}</dd>
        <dt>Company catalogs{managed('discovery')}</dt>
        <dd>{value.catalogs.join(', ') || 'None'}</dd>
        <dt>MCP Registry{managed('discovery.registryUrl')}</dt>
        <dd>{value.registryUrl ?? 'None'}</dd>
        <dt>Audit trail{managed('audit')}</dt>
        <dd>
          {value.audit.enabled ? 'On' : 'Off'}; arguments {value.audit.captureArguments ? 'recorded (redacted)' : 'not recorded'}; results {value.audit.captureResults ? 'recorded (redacted)' : 'not recorded'}
        </dd>
        <dt>Audit export{managed('audit.sinks')}</dt>
        <dd>{value.audit.sinks.length ? value.audit.sinks.map((sink) => `${sink.type}: ${sink.target}`).join('; ') : 'None'}</dd>
      </dl>
    </section>
  );
}
