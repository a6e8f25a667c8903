// `switchboard clients add|update|list|remove|credential|targets|setup|unsetup`: the local AI clients allowed to use the endpoint (each with its own credential), and pointing the AI clients on this machine at it.
import { InvalidArgumentError, type Command } from 'commander';
import {
  createClientSetupService,
  pathEnvironmentOfThisProcess,
  systemClientCommands,
  type AiClientListing,
  type App,
  type ThisMachine,
} from '../../core/index.ts';
import { dataDirOf, runWithApp } from '../command-app.ts';
import { CLI_ENTRY } from '../paths.ts';

interface CommonOptions {
  dataDir?: string;
  json?: boolean;
  profile?: string;
}

function list(value: string): string[] {
  return value
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean);
}

/** A tool budget: a whole number of at least 2 (room for the two search tools), or "default" where it may be cleared. */
function toolBudget(value: string): number | 'default' {
  if (value === 'default') return value;
  const budget = Number(value);
  if (!Number.isInteger(budget) || budget < 2) throw new InvalidArgumentError('a whole number of at least 2 (the search tools take two places), or "default"');
  return budget;
}

/** How a budget reads: the number, or where the default comes from (router/tool-search/tool-budget.ts). */
function budgetText(maxTools: number | undefined): string {
  return maxTools === undefined ? 'default' : String(maxTools);
}

export function registerClientsCommand(program: Command): void {
  const clients = program.command('clients').description('Manage the local AI clients allowed to use the endpoint (each gets its own credential).');

  clients
    .command('add <id>')
    .description('Register a client and print its credential (the registry keeps only a hash; the credential itself goes to the OS keychain).')
    .option('-d, --data-dir <dir>', 'Switchboard state folder (as for serve)')
    .option('--servers <ids>', 'comma-separated server ids this client may use (default: all)', list)
    .option('--tools <names>', 'comma-separated exposed tool names this client may use (default: all)', list)
    .option(
      '--max-tools <n>',
      "list at most this many tools directly, the rest through a search tool (default: the AI client's known limit, else 200)",
      toolBudget,
    )
    .option('--pin <names>', 'comma-separated exposed tool names always listed directly when the tools do not all fit', list)
    .option('--profile <name>', 'keychain profile (as auth.profile in the configuration)', 'default')
    .option('--json', 'print JSON')
    .action(async (id: string, options: CommonOptions & { servers?: string[]; tools?: string[]; maxTools?: number | 'default'; pin?: string[] }) =>
      runWithApp(options, async ({ clients: registry }) => {
        const { client, credential, keychainError } = await registry.register(id, {
          ...(options.servers ? { servers: options.servers } : {}),
          ...(options.tools ? { tools: options.tools } : {}),
          ...(typeof options.maxTools === 'number' ? { maxTools: options.maxTools } : {}),
          ...(options.pin ? { pinnedTools: options.pin } : {}),
        });
        if (keychainError)
          process.stderr.write(`switchboard: the credential was not kept in the keychain (${keychainError}); copy it now, it cannot be shown again\n`);
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
          return options.json
            ? JSON.stringify({ id, credential: null })
            : `The keychain holds no credential for "${id}"; remove and add the client again for a new one.`;
        }
        return options.json ? JSON.stringify({ id, credential }) : credential;
      }),
    );

  clients
    .command('update <id>')
    .description("Change a client's tool budget: how many tools it is listed directly before the rest go behind a search tool, and which are always listed.")
    .option('-d, --data-dir <dir>', 'Switchboard state folder (as for serve)')
    .option('--max-tools <n>', 'a number of at least 2, or "default" for the AI client\'s known limit (else 200)', toolBudget)
    .option('--pin <names>', 'comma-separated exposed tool names always listed directly; "" for none', (value: string) => list(value))
    .option('--json', 'print JSON')
    .action(async (id: string, options: CommonOptions & { maxTools?: number | 'default'; pin?: string[] }) =>
      runWithApp(options, async ({ clients: registry }) => {
        if (options.maxTools === undefined && options.pin === undefined) throw new InvalidArgumentError('give --max-tools or --pin (or both)');
        const updated = await registry.setToolBudget(id, {
          ...(options.maxTools !== undefined ? { maxTools: options.maxTools === 'default' ? null : options.maxTools } : {}),
          ...(options.pin !== undefined ? { pinnedTools: options.pin.length ? options.pin : null } : {}),
        });
        if (options.json) return JSON.stringify({ id: updated.id, maxTools: updated.maxTools ?? null, pinnedTools: updated.pinnedTools ?? [] });
        return `Client "${updated.id}": at most ${budgetText(updated.maxTools)} tools listed directly${updated.pinnedTools?.length ? `, always ${updated.pinnedTools.join(', ')}` : ''}. A running Switchboard applies it within a second; the client sees it when it lists its tools again.`;
      }),
    );

  clients
    .command('list')
    .description('List registered clients (never their credentials).')
    .option('-d, --data-dir <dir>', 'Switchboard state folder (as for serve)')
    .option('--json', 'print JSON')
    .action(async (options: CommonOptions) =>
      runWithApp(options, async ({ clients: registry }) => {
        const entries = registry.list().map(({ id, createdAt, servers, tools, maxTools, pinnedTools }) => ({
          id,
          createdAt,
          servers: servers ?? 'all',
          tools: tools ?? 'all',
          maxTools: maxTools ?? 'default',
          pinnedTools: pinnedTools ?? [],
        }));
        if (options.json) return JSON.stringify(entries);
        if (entries.length === 0) return 'No clients registered. Add one with `switchboard clients add <name>`.';
        return entries
          .map(
            (entry) =>
              `${entry.id}  created ${entry.createdAt}  servers: ${String(entry.servers)}  tools: ${String(entry.tools)}  max tools: ${String(entry.maxTools)}`,
          )
          .join('\n');
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
        if (keychainError)
          process.stderr.write(
            `switchboard: the old credential of "${id}" could not be deleted from the keychain (${keychainError}); it no longer works, but delete the entry ${keychainAccount} yourself\n`,
          );
        if (!removed) {
          process.exitCode = 1;
          return options.json ? JSON.stringify({ id, removed }) : `No client named "${id}".`;
        }
        return options.json ? JSON.stringify({ id, removed }) : `Client "${id}" removed.`;
      }),
    );

  clients
    .command('targets')
    .description("List the AI clients Switchboard can set up: each one's file on this system, whether it is installed, and whether it uses today's address.")
    .option('-d, --data-dir <dir>', 'Switchboard state folder (as for serve)')
    .option('--json', 'print JSON')
    .action(async (options: CommonOptions) =>
      runWithApp(options, async (app) => {
        const setup = clientSetup(app, options);
        const [endpoint, targets] = await Promise.all([setup.endpoint(), setup.list()]);
        if (options.json)
          return JSON.stringify({
            mcpUrl: endpoint.mcpUrl ?? null,
            running: endpoint.running,
            clients: targets.map((target) => targetJson(target, endpoint.mcpUrl)),
          });
        const lines = [
          `Endpoint  ${endpoint.mcpUrl ?? 'none yet (start Switchboard once)'}${endpoint.mcpUrl && !endpoint.running ? '  (not running; the address it takes at its next start)' : ''}`,
          '',
        ];
        for (const target of targets)
          lines.push(
            `${target.id.padEnd(24)} ${target.name.padEnd(34)} ${describeState(target).padEnd(22)} ${target.path ?? (target.method === 'copy' ? '(its own settings: copy-ready JSON)' : '(not on this system)')}`,
          );
        return lines.join('\n');
      }),
    );

  clients
    .command('setup <target>')
    .description(
      'Point an AI client at Switchboard: add (or repair) the "switchboard" entry in its own config file, backing the file up first. See `clients targets` for the names.',
    )
    .option('-d, --data-dir <dir>', 'Switchboard state folder (as for serve)')
    .option('--profile <name>', 'keychain profile (as auth.profile in the configuration)', 'default')
    .option('--dry-run', 'show the change (the credential left out) without making it')
    .option('--json', 'print JSON')
    .action(async (id: string, options: CommonOptions & { dryRun?: boolean }) =>
      runWithApp(options, async (app) => {
        const setup = clientSetup(app, options);
        if (options.dryRun) {
          const preview = await setup.preview(id);
          if (options.json) return JSON.stringify(preview);
          const where =
            preview.method === 'copy'
              ? "Paste into the client's settings (nothing is written):"
              : `${preview.fileExists ? 'Would change' : 'Would create'} ${preview.path}${preview.method === 'command' ? `, by running:\n  ${preview.command ?? ''}` : ''}`;
          const rest = preview.fileExists ? `\nThe file also holds ${preview.summary}; they stay as they are.` : '';
          return `${where}\n\n${preview.entryBefore ? `Switchboard's entry now:\n${preview.entryBefore}\n\nAfter:\n` : ''}${preview.entryAfter}${rest}${preview.notes ? `\n\n${preview.notes}` : ''}`;
        }
        const target = setup.target(id);
        if (target.method === 'copy') {
          // The JSON goes to stdout alone, so it can be piped to the clipboard; the how-to goes to stderr.
          process.stderr.write(`switchboard: ${target.notes ?? "paste this JSON into the client's MCP settings"}\n`);
          return setup.copyReadyJson(id);
        }
        const result = await setup.configure(id);
        if (options.json) return JSON.stringify(result);
        return `Set up ${target.name}: ${result.path}${result.via === 'command' ? " (through the client's own command)" : ''}${result.backupPath ? `\nThe previous file is kept as ${result.backupPath}.` : ''}\nRestart the client to use Switchboard.`;
      }),
    );

  clients
    .command('unsetup <target>')
    .description('Remove the "switchboard" entry from an AI client\'s config file (nothing else in it changes) and revoke the credential made for it.')
    .option('-d, --data-dir <dir>', 'Switchboard state folder (as for serve)')
    .option('--profile <name>', 'keychain profile (as auth.profile in the configuration)', 'default')
    .option('--json', 'print JSON')
    .action(async (id: string, options: CommonOptions) =>
      runWithApp(options, async (app) => {
        const result = await clientSetup(app, options).undo(id);
        if (options.json) return JSON.stringify(result);
        return result.removed
          ? `Removed Switchboard from ${result.path}; everything else in it is as it was.`
          : `Switchboard was not set up in ${result.path || id}; its credential (if any) is revoked.`;
      }),
    );
}

/** The same use case the app's Clients page runs, over this command's context and this process's view of the machine. */
function clientSetup(app: App, options: CommonOptions) {
  const machine: ThisMachine = {
    pathEnvironment: pathEnvironmentOfThisProcess(),
    bridgeCommand: { command: process.execPath, args: [CLI_ENTRY, 'stdio', ...(options.dataDir ? ['--data-dir', dataDirOf(options)] : [])] },
    commands: systemClientCommands(),
  };
  return createClientSetupService(app.context, app.clients, machine);
}

function describeState(target: AiClientListing): string {
  if (target.problem) return 'file unreadable';
  if (target.configured) return 'configured';
  if (target.stale) return `needs repair (${target.stale})`;
  if (target.method === 'copy') return 'copy-ready JSON';
  return target.detected ? 'found' : target.path ? 'not found' : 'not on this system';
}

function targetJson(target: AiClientListing, mcpUrl: string | undefined) {
  return {
    id: target.id,
    name: target.name,
    file: target.path,
    format: target.format,
    method: target.method,
    found: target.detected,
    configured: target.configured,
    // The stdio bridge asks the running Switchboard for its address, so it always points at today's.
    pointsAtTodaysUrl: target.transport === 'stdio-bridge' ? target.configured : target.url !== undefined && target.url === mcpUrl,
    ...(target.url ? { url: target.url } : {}),
    ...(target.stale ? { stale: target.stale, staleReason: target.staleReason } : {}),
    ...(target.problem ? { problem: target.problem } : {}),
    ...(target.notes ? { notes: target.notes } : {}),
    source: target.source,
  };
}
