// `switchboard clients add|list|remove|credential`: the local AI clients allowed to use the endpoint, each with its own credential.
import type { Command } from 'commander';
import { runWithApp } from '../command-app.ts';

interface CommonOptions {
  dataDir?: string;
  json?: boolean;
  profile?: string;
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
    .action(async (id: string, options: CommonOptions & { servers?: string[]; tools?: string[] }) =>
      runWithApp(options, async ({ clients: registry }) => {
        const { client, credential, keychainError } = await registry.register(id, { ...(options.servers ? { servers: options.servers } : {}), ...(options.tools ? { tools: options.tools } : {}) });
        if (keychainError) process.stderr.write(`switchboard: the credential was not kept in the keychain (${keychainError}); copy it now, it cannot be shown again\n`);
        return options.json
          ? JSON.stringify({ id: client.id, credential, inKeychain: keychainError === undefined })
          : `Client "${client.id}" registered. Its credential:\n\n  ${credential}\n\nThe client sends it as "Authorization: Bearer ${credential}".${keychainError ? '' : '\nIt is kept in the OS keychain; `switchboard clients credential ' + client.id + '` shows it again.'}`;
      }),
    );

  clients
    .command('credential <id>')
    .description("Print a client's credential from the OS keychain (to configure that client again).")
    .option('--profile <name>', 'keychain profile (as auth.profile in the configuration)', 'default')
    .option('--json', 'print JSON')
    .action(async (id: string, options: CommonOptions) =>
      runWithApp(options, async ({ clients: registry }) => {
        const credential = await registry.keptCredential(id);
        if (!credential) {
          process.exitCode = 1;
          return options.json ? JSON.stringify({ id, credential: null }) : `The keychain holds no credential for "${id}"; remove and add the client again for a new one.`;
        }
        return options.json ? JSON.stringify({ id, credential }) : credential;
      }),
    );

  clients
    .command('list')
    .description('List registered clients (never their credentials).')
    .option('-d, --data-dir <dir>', 'Switchboard state folder (as for serve)')
    .option('--json', 'print JSON')
    .action(async (options: CommonOptions) =>
      runWithApp(options, async ({ clients: registry }) => {
        const entries = registry.list().map(({ id, createdAt, servers, tools }) => ({ id, createdAt, servers: servers ?? 'all', tools: tools ?? 'all' }));
        if (options.json) return JSON.stringify(entries);
        if (entries.length === 0) return 'No clients registered. Add one with `switchboard clients add <name>`.';
        return entries.map((entry) => `${entry.id}  created ${entry.createdAt}  servers: ${String(entry.servers)}  tools: ${String(entry.tools)}`).join('\n');
      }),
    );

  clients
    .command('remove <id>')
    .description('Remove a client; its credential stops working within a second.')
    .option('-d, --data-dir <dir>', 'Switchboard state folder (as for serve)')
    .option('--json', 'print JSON')
    .option('--profile <name>', 'keychain profile (as auth.profile in the configuration)', 'default')
    .action(async (id: string, options: CommonOptions) =>
      runWithApp(options, async ({ clients: registry }) => {
        const { removed, keychainError, keychainAccount } = await registry.remove(id);
        if (keychainError) process.stderr.write(`switchboard: the old credential of "${id}" could not be deleted from the keychain (${keychainError}); it no longer works, but delete the entry ${keychainAccount} yourself\n`);
        if (!removed) {
          process.exitCode = 1;
          return options.json ? JSON.stringify({ id, removed }) : `No client named "${id}".`;
        }
        return options.json ? JSON.stringify({ id, removed }) : `Client "${id}" removed.`;
      }),
    );
}
