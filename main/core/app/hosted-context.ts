// The use cases' context in serve and the app: the running core's configuration, keychain and audit trail; a changed file restarts it.
import { SwitchboardError } from '../errors.ts';
import { createCompanyPolicyReader } from '../host/company-policy-reader.ts';
import type { CoreHost } from '../host/core-host.ts';
import type { Logger } from '../ports.ts';
import type { AppContext } from './app-context.ts';

/** What the context needs of the host; tests give a core they started themselves. */
export type RunningCore = Pick<CoreHost, 'configPath' | 'dataDir' | 'switchboard' | 'config' | 'restart'>;

export function hostedContext(host: RunningCore, logger: Logger): AppContext {
  const policies = createCompanyPolicyReader();
  return {
    actor: 'app',
    dataDir: host.dataDir,
    configPath: host.configPath,
    logger,
    config: async () => host.config(),
    policy: () => policies.read(host.configPath, host.config()),
    // The core's own keychain (its profile, or the store a test gave it), looked up anew: a restart may change it.
    secrets: async () => {
      const vault = host.switchboard().auth.vault;
      return {
        get: (account) => vault.getSecret(account),
        set: (account, secret) => vault.setSecret(account, secret),
        delete: (account) => vault.remove(account),
      };
    },
    withAuditStore(use) {
      const store = host.switchboard().audit();
      if (!store) throw new SwitchboardError('AUDIT_UNAVAILABLE', 'the audit trail is off (audit.enabled is false in the configuration)');
      return use(store);
    },
    recordSecurityEvent: ({ details, ...event }) => host.switchboard().recordSecurityEvent({ ...event, details: { ...details, by: 'app' } }),
    core: () => host.switchboard(),
    configChanged: (options) => host.restart(options),
  };
}
