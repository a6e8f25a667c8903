// An AppContext for unit tests of the use cases: real files in a temporary folder, the keychain in memory, events and restarts recorded.
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AppContext, SecurityEventInput } from '../../main/core/app/app-context.ts';
import { auditDatabasePath } from '../../main/core/audit/audit-paths.ts';
import { AuditStore } from '../../main/core/audit/audit-store.ts';
import { loadConfigFile } from '../../main/core/config/load-config.ts';
import { createCompanyPolicyReader } from '../../main/core/host/company-policy-reader.ts';
import { silentLogger } from '../../main/core/logging/json-logger.ts';
import type { Switchboard } from '../../main/core/switchboard.ts';
import { MemorySecretStore } from './memory-secret-store.ts';

export { MemorySecretStore };

export interface TestContext extends AppContext {
  events: SecurityEventInput[];
  restarts: { keepPort?: boolean }[];
  secretStore: MemorySecretStore;
  /** Writes the company policy file the configuration names (policy.json next to it). */
  writePolicy(policy: object): Promise<void>;
  close(): void;
}

/** The configuration file is read anew on every use, as a command would; `core` stands in for a running one. */
export async function createTestContext(options: { config?: object; core?: Switchboard } = {}): Promise<TestContext> {
  const dir = await mkdtemp(join(tmpdir(), 'switchboard-app-'));
  const dataDir = join(dir, 'data');
  const configPath = join(dir, 'config.json');
  await writeFile(configPath, JSON.stringify({ servers: [], discovery: { policyFile: 'policy.json' }, ...options.config }));
  await writeFile(join(dir, 'policy.json'), '{}');
  const policies = createCompanyPolicyReader();
  const secretStore = new MemorySecretStore();
  let audit: AuditStore | undefined;
  const events: SecurityEventInput[] = [];
  const restarts: { keepPort?: boolean }[] = [];
  const config = () => loadConfigFile(configPath);
  return {
    actor: 'cli',
    dataDir,
    configPath,
    logger: silentLogger,
    config,
    policy: async () => policies.read(configPath, await config()),
    secrets: async () => secretStore,
    withAuditStore: (use) => use((audit ??= AuditStore.open(auditDatabasePath(dataDir)))),
    recordSecurityEvent: (event) => void events.push(event),
    core: () => options.core,
    configChanged: async (change = {}) => void restarts.push(change),
    events,
    restarts,
    secretStore,
    writePolicy: (policy) => writeFile(join(dir, 'policy.json'), JSON.stringify(policy)),
    close: () => audit?.close(),
  };
}
