// What every use case stands on: the configuration, the company policy, the keychain, the audit trail and, in serve and the app, the running core.
import type { AuditStore } from '../audit/audit-store.ts';
import type { SwitchboardConfig } from '../config/config-schema.ts';
import type { CompanyPolicy } from '../discovery/company-policy.ts';
import type { Logger, SecretStore } from '../ports.ts';
import type { Switchboard } from '../switchboard.ts';

/** A security event a person caused (a client added, a server enabled); who acted is added from the context. */
export interface SecurityEventInput {
  method: string;
  client?: string;
  server?: string;
  details?: Record<string, unknown>;
}

/**
 * Two implementations: hosted-context.ts over the core that serve and the app run, and command-context.ts for a CLI
 * command, which runs no core and reads the files (and the audit database) directly. The use cases cannot tell which.
 */
export interface AppContext {
  /** Who acts, recorded with each security event: the app's pages and tray, or a CLI command. */
  readonly actor: 'app' | 'cli';
  readonly dataDir: string;
  readonly configPath: string;
  readonly logger: Logger;
  /** The configuration in force: the running core's, or the file as it is now. */
  config(): Promise<SwitchboardConfig>;
  /** The company policy as its file says now: read when used, so an edited policy counts without a restart. */
  policy(): Promise<CompanyPolicy>;
  /** The keychain (under the configuration's profile, or the one a command names). */
  secrets(): Promise<SecretStore>;
  /** Runs a read or an append on the audit trail: the running core's store, or the database opened for this command. */
  withAuditStore<T>(use: (store: AuditStore) => T): T;
  recordSecurityEvent(event: SecurityEventInput): void;
  /** The core running in this process; undefined in a CLI command (which reaches a running one through its socket). */
  core(): Switchboard | undefined;
  /** A changed configuration file takes effect: the running core restarts (on the same port unless told otherwise); a command has nothing to restart. */
  configChanged(options?: { keepPort?: boolean }): Promise<void>;
}
