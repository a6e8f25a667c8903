// The configuration as a person sees it in Settings, and changing one field of it — unless the company's policy manages that field.
import type { EDITABLE_SETTINGS } from '../../../shared/contract/schemas.ts';
import { isManagedSetting } from '../../../shared/managed-settings.ts';
import { ConfigEditor } from '../config/config-editor.ts';
import type { SwitchboardConfig } from '../config/config-schema.ts';
import { SwitchboardError } from '../errors.ts';
import type { AppContext } from './app-context.ts';

export type EditableSetting = (typeof EDITABLE_SETTINGS)[number];

export interface SettingsView {
  configPath: string;
  dataDir: string;
  /** The port the endpoint listens on now (it may have moved from the configured one). */
  gateway: { port: number; allowedOrigins: string[] };
  idp: { issuer: string; clientId: string } | null;
  catalogs: string[];
  registryUrl: string;
  audit: {
    enabled: boolean;
    captureArguments: boolean;
    captureResults: boolean;
    sinks: { type: string; target: string }[];
    redactKeys: string[];
    redactPatterns: string[];
    /** The sinks as the configuration has them (no secrets live there: sink credentials are in the keychain). */
    sinksJson: string;
  };
  /** Settings the company policy manages: shown, not editable. */
  locked: string[];
}

export interface SettingsService {
  get(): Promise<SettingsView>;
  /** Writes the field (null removes it), validated with the whole file; the running core restarts, on the same port unless the port changed. */
  update(field: EditableSetting, value: unknown): Promise<void>;
}

export function createSettingsService(context: AppContext): SettingsService {
  return {
    async get() {
      const [config, policy] = await Promise.all([context.config(), context.policy()]);
      const mcpUrl = context.core()?.status().mcpUrl;
      return {
        configPath: context.configPath,
        dataDir: context.dataDir,
        gateway: { port: mcpUrl ? Number(new URL(mcpUrl).port) : config.gateway.port, allowedOrigins: config.gateway.allowedOrigins },
        idp: config.auth.idp ? { issuer: config.auth.idp.issuer, clientId: config.auth.idp.clientId } : null,
        catalogs: policy.domains,
        registryUrl: config.discovery.registryUrl,
        audit: {
          enabled: config.audit.enabled,
          captureArguments: config.audit.capture.arguments,
          captureResults: config.audit.capture.results,
          sinks: config.audit.sinks.map((sink) => ({ type: sink.type, target: sinkTarget(sink) })),
          redactKeys: config.audit.capture.redact.keys,
          redactPatterns: config.audit.capture.redact.patterns,
          sinksJson: JSON.stringify(config.audit.sinks, null, 2),
        },
        locked: policy.locked,
      };
    },
    async update(field, value) {
      if (isManagedSetting((await context.policy()).locked, field))
        throw new SwitchboardError('POLICY_DENIED', `${field} is managed by your company's policy; ask your administrator to change it`);
      await new ConfigEditor(context.configPath).set(field.split('.'), value ?? undefined);
      context.recordSecurityEvent({ method: 'config.changed', details: { field } });
      await context.configChanged({ keepPort: field !== 'gateway.port' });
    },
  };
}

/** Where a sink sends records, as the settings page names it; an OTLP sink may leave its endpoint to the environment. */
function sinkTarget(sink: SwitchboardConfig['audit']['sinks'][number]): string {
  if (sink.type === 'jsonl') return sink.path;
  if (sink.type === 'syslog') return `${sink.host}:${sink.port}`;
  return sink.url ?? sink.endpoint ?? 'the OTEL_EXPORTER_OTLP_* environment variables';
}
