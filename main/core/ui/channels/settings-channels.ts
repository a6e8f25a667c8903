// settings:* — the configuration as the Settings page shows it, and the fields a person may change (unless the company manages them).
import { isManagedSetting } from '../../../../shared/managed-settings.ts';
import { ConfigEditor } from '../../config/config-editor.ts';
import { SwitchboardError } from '../../errors.ts';
import type { ChannelHandlers, UiServiceDeps } from './ui-deps.ts';

export function settingsChannels(deps: UiServiceDeps): ChannelHandlers<'settings:get' | 'settings:update'> {
  const handlers: ChannelHandlers<'settings:get' | 'settings:update'> = {
    'settings:update': async ({ field, value }) => {
      if (isManagedSetting(deps.policy.locked, field)) throw new SwitchboardError('POLICY_DENIED', `${field} is managed by your company's policy; ask your administrator to change it`);
      await new ConfigEditor(deps.configPath).set(field.split('.'), value ?? undefined);
      deps.switchboard().recordSecurityEvent({ method: 'config.changed', details: { field, by: 'app' } });
      await deps.restartCore({ keepPort: field !== 'gateway.port' });
      return handlers['settings:get'](undefined);
    },
    'settings:get': async () => {
      const config = deps.config();
      const status = deps.switchboard().status();
      return {
        configPath: deps.configPath,
        dataDir: deps.dataDir,
        gateway: { port: status.mcpUrl ? Number(new URL(status.mcpUrl).port) : config.gateway.port, allowedOrigins: config.gateway.allowedOrigins },
        idp: config.auth.idp ? { issuer: config.auth.idp.issuer, clientId: config.auth.idp.clientId } : null,
        catalogs: deps.policy.domains,
        registryUrl: config.discovery.registryUrl,
        audit: {
          enabled: config.audit.enabled,
          captureArguments: config.audit.capture.arguments,
          captureResults: config.audit.capture.results,
          sinks: config.audit.sinks.map((sink) => ({ type: sink.type, target: sink.type === 'jsonl' ? sink.path : sink.type === 'otlp' ? sink.url : `${sink.host}:${sink.port}` })),
          redactKeys: config.audit.capture.redact.keys,
          redactPatterns: config.audit.capture.redact.patterns,
          sinksJson: JSON.stringify(config.audit.sinks, null, 2),
        },
        locked: deps.policy.locked,
      };
    },
  };
  return handlers;
}
