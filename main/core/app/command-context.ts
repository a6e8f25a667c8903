// The use cases' context in a CLI command: no core runs here, so the configuration, the policy, the keychain and the audit database are opened directly.
import { auditDatabasePath } from '../audit/audit-paths.ts';
import { AuditStore } from '../audit/audit-store.ts';
import { configSchema, type SwitchboardConfig } from '../config/config-schema.ts';
import { loadConfigFile } from '../config/load-config.ts';
import { isSwitchboardError } from '../errors.ts';
import { createCompanyPolicyReader } from '../host/company-policy-reader.ts';
import type { Logger } from '../ports.ts';
import { openSecretStore } from '../vault/open-secret-store.ts';
import type { AppContext } from './app-context.ts';

export interface CommandContextOptions {
  dataDir: string;
  configPath: string;
  /** `discover` and `servers add` work before any configuration exists (adding creates the file). */
  configMayBeMissing?: boolean;
  /** The keychain profile when the command names one (`clients --profile`); otherwise the configuration's auth.profile. */
  keychainProfile?: string;
  /** For what goes wrong without failing the command (the audit trail could not record an event). */
  logger: Logger;
}

export interface CommandContext extends AppContext {
  /** Closes the audit database if the command opened it. */
  close(): void;
}

export function commandContext(options: CommandContextOptions): CommandContext {
  const policies = createCompanyPolicyReader();
  let audit: AuditStore | undefined;
  // Read on every use, never kept: a use case that changed the file (enabling a server) reads what it wrote.
  const config = (): Promise<SwitchboardConfig> =>
    loadConfigFile(options.configPath).catch((error: unknown) => {
      if (options.configMayBeMissing && isSwitchboardError(error) && error.code === 'CONFIG_NOT_FOUND') return configSchema.parse({});
      throw error;
    });
  // Reading while serve writes is safe (SQLite in WAL mode); one connection serves the whole command, `audit tail` included.
  const auditStore = () => (audit ??= AuditStore.open(auditDatabasePath(options.dataDir)));
  return {
    actor: 'cli',
    dataDir: options.dataDir,
    configPath: options.configPath,
    logger: options.logger,
    config,
    policy: async () => policies.read(options.configPath, await config()),
    secrets: async () => openSecretStore(options.keychainProfile ?? (await config()).auth.profile, { logger: options.logger }),
    withAuditStore: (use) => use(auditStore()),
    recordSecurityEvent({ method, client, server, details }) {
      try {
        auditStore().append({
          kind: 'security',
          method,
          outcome: 'ok',
          ...(client ? { client } : {}),
          ...(server ? { server } : {}),
          details: { ...details, by: 'cli' },
        });
      } catch (error) {
        options.logger.log('warn', 'audit.record_failed', { method, message: `the audit trail could not record ${method}: ${(error as Error).message}` });
      }
    },
    core: () => undefined,
    configChanged: async () => undefined,
    close() {
      audit?.close();
      audit = undefined;
    },
  };
}
