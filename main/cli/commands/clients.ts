// `switchboard clients add|list|remove`: the local AI clients allowed to use the endpoint, each with its own credential.
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { auditDatabasePath, AuditStore, ClientRegistry, clientRegistryPath, defaultPaths, KeytarSecretStore, vaultAccounts } from '../../core/index.ts';
import { reportLocalError } from '../report-error.ts';

interface CommonOptions {
  dataDir?: string;
  json?: boolean;
  profile?: string;
}

/** Adding and removing clients are security events: they go to the same audit trail as the calls. */
function recordClientEvent(options: CommonOptions, method: 'client.added' | 'client.removed', client: string, details?: Record<string, unknown>): void {
  const dataDir = options.dataDir ? resolve(options.dataDir) : defaultPaths().dataDir;
  try {
    const store = AuditStore.open(auditDatabasePath(dataDir));
    try {
      store.append({ kind: 'security', method, client, outcome: 'ok', ...(details ? { details } : {}) });
    } finally {
      store.close();
    }
  } catch (error) {
    process.stderr.write(`switchboard: the audit trail could not record ${method}: ${(error as Error).message}\n`);
  }
}

/** Each client's credential is also kept in the keychain (never in a file), so the app can configure that client later. */
function keychainFor(options: CommonOptions): KeytarSecretStore {
  return new KeytarSecretStore(options.profile ?? 'default');
}

function registryFor(options: CommonOptions): ClientRegistry {
  const dataDir = options.dataDir ? resolve(options.dataDir) : defaultPaths().dataDir;
  return new ClientRegistry(clientRegistryPath(dataDir));
}

function list(value: string): string[] {
  return value.split(',').map((item) => item.trim()).filter(Boolean);
}

export function registerClientsCommand(program: Command): void {
  const clients = program.command('clients').description('Manage the local AI clients allowed to use the endpoint (each gets its own credential).');

  clients
    .command('add <id>')
    .description('Register a client and print its credential (the registry keeps only a hash; the credential itself goes to the OS keychain).')
    .option('-d, --data-dir <dir>', 'Switchboard state folder (as for serve)')
    .option('--servers <ids>', 'comma-separated server ids this client may use (default: all)', list)
    .option('--tools <names>', 'comma-separated exposed tool names this client may use (default: all)', list)
    .option('--profile <name>', 'keychain profile (as auth.profile in the configuration)', 'default')
    .option('--json', 'print JSON')
    .action(async (id: string, options: CommonOptions & { servers?: string[]; tools?: string[] }) => {
      await report(options, async () => {
        const { client, credential } = await registryFor(options).add(id, {
          ...(options.servers ? { servers: options.servers } : {}),
          ...(options.tools ? { tools: options.tools } : {}),
        });
        recordClientEvent(options, 'client.added', client.id, { servers: options.servers ?? 'all', tools: options.tools ?? 'all' });
        const kept = await keychainFor(options)
          .set(vaultAccounts.localClient(client.id), credential)
          .then(() => undefined, (error: { code?: string; message: string }) => `${error.code ?? 'VAULT_UNAVAILABLE'}: ${error.message}`);
        if (kept) process.stderr.write(`switchboard: the credential was not kept in the keychain (${kept}); copy it now, it cannot be shown again\n`);
        return options.json
          ? JSON.stringify({ id: client.id, credential, inKeychain: kept === undefined })
          : `Client "${client.id}" registered. Its credential:\n\n  ${credential}\n\nThe client sends it as "Authorization: Bearer ${credential}".${kept ? '' : '\nIt is kept in the OS keychain; `switchboard clients credential ' + client.id + '` shows it again.'}`;
      });
    });

  clients
    .command('credential <id>')
    .description("Print a client's credential from the OS keychain (to configure that client again).")
    .option('--profile <name>', 'keychain profile (as auth.profile in the configuration)', 'default')
    .option('--json', 'print JSON')
    .action(async (id: string, options: CommonOptions) => {
      await report(options, async () => {
        const credential = await keychainFor(options).get(vaultAccounts.localClient(id));
        if (!credential) {
          process.exitCode = 1;
          return options.json ? JSON.stringify({ id, credential: null }) : `The keychain holds no credential for "${id}"; remove and add the client again for a new one.`;
        }
        return options.json ? JSON.stringify({ id, credential }) : credential;
      });
    });

  clients
    .command('list')
    .description('List registered clients (never their credentials).')
    .option('-d, --data-dir <dir>', 'Switchboard state folder (as for serve)')
    .option('--json', 'print JSON')
    .action(async (options: CommonOptions) => {
      await report(options, async () => {
        const entries = registryFor(options).list().map(({ id, createdAt, servers, tools }) => ({ id, createdAt, servers: servers ?? 'all', tools: tools ?? 'all' }));
        if (options.json) return JSON.stringify(entries);
        if (entries.length === 0) return 'No clients registered. Add one with `switchboard clients add <name>`.';
        return entries.map((entry) => `${entry.id}  created ${entry.createdAt}  servers: ${String(entry.servers)}  tools: ${String(entry.tools)}`).join('\n');
      });
    });

  clients
    .command('remove <id>')
    .description('Remove a client; its credential stops working within a second.')
    .option('-d, --data-dir <dir>', 'Switchboard state folder (as for serve)')
    .option('--json', 'print JSON')
    .option('--profile <name>', 'keychain profile (as auth.profile in the configuration)', 'default')
    .action(async (id: string, options: CommonOptions) => {
      await report(options, async () => {
        // Leaving the registry is what revokes the credential (a running endpoint re-reads it within a second); the
        // keychain copy goes too, so nothing can set a client up with it again.
        const removed = await registryFor(options).remove(id);
        if (removed) recordClientEvent(options, 'client.removed', id);
        const left = await keychainFor(options)
          .delete(vaultAccounts.localClient(id))
          .then(() => undefined, (error: { code?: string; message: string }) => `${error.code ?? 'VAULT_UNAVAILABLE'}: ${error.message}`);
        if (left) process.stderr.write(`switchboard: the old credential of "${id}" could not be deleted from the keychain (${left}); it no longer works, but delete the entry ${vaultAccounts.localClient(id)} yourself\n`);
        if (!removed) {
          process.exitCode = 1;
          return options.json ? JSON.stringify({ id, removed }) : `No client named "${id}".`;
        }
        return options.json ? JSON.stringify({ id, removed }) : `Client "${id}" removed.`;
      });
    });
}

async function report(options: CommonOptions, run: () => Promise<string>): Promise<void> {
  try {
    process.stdout.write(`${await run()}\n`);
  } catch (error) {
    reportLocalError(error);
  }
}
