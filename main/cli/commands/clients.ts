// `switchboard clients add|list|remove`: the local AI clients allowed to use the endpoint, each with its own credential.
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { ClientRegistry, clientRegistryPath, defaultPaths, isSwitchboardError } from '../../core/index.ts';

interface CommonOptions {
  dataDir?: string;
  json?: boolean;
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
    .description('Register a client and print its credential (shown once; Switchboard keeps only a hash).')
    .option('-d, --data-dir <dir>', 'Switchboard state folder (as for serve)')
    .option('--servers <ids>', 'comma-separated server ids this client may use (default: all)', list)
    .option('--tools <names>', 'comma-separated exposed tool names this client may use (default: all)', list)
    .option('--json', 'print JSON')
    .action(async (id: string, options: CommonOptions & { servers?: string[]; tools?: string[] }) => {
      await report(options, async () => {
        const { client, credential } = await registryFor(options).add(id, {
          ...(options.servers ? { servers: options.servers } : {}),
          ...(options.tools ? { tools: options.tools } : {}),
        });
        return options.json
          ? JSON.stringify({ id: client.id, credential })
          : `Client "${client.id}" registered. Its credential (shown only now):\n\n  ${credential}\n\nThe client sends it as "Authorization: Bearer ${credential}".`;
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
    .action(async (id: string, options: CommonOptions) => {
      await report(options, async () => {
        const removed = await registryFor(options).remove(id);
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
    if (!isSwitchboardError(error)) throw error;
    process.stderr.write(`switchboard: ${error.code}: ${error.message}\n`);
    process.exitCode = 2;
  }
}
