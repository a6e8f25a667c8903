// `switchboard discover`, `registry search` and `servers list|add|enable|disable|remove|set-header`: finding servers and choosing them.
import { resolve } from 'node:path';
import type { Command } from 'commander';
import {
  CatalogStore,
  catalogDatabasePath,
  ConfigEditor,
  configSchema,
  defaultPaths,
  discoverCards,
  discoverIntoCatalog,
  addRemoteServer,
  remoteInputs,
  EMPTY_POLICY,
  forgetServerSecrets,
  isSwitchboardError,
  KeytarSecretStore,
  loadCompanyPolicy,
  loadConfigFile,
  searchRegistry,
  SwitchboardError,
  vaultAccounts,
  type CatalogEntryRecord,
  type CompanyPolicy,
  type SwitchboardConfig,
} from '../../core/index.ts';
import { reportLocalError } from '../report-error.ts';

interface CommonOptions {
  config?: string;
  dataDir?: string;
  json?: boolean;
}

export function registerDiscoveryCommands(program: Command): void {
  common(program.command('discover <target>'))
    .description('Find MCP servers by domain (its AI catalog) or by MCP URL (its Server Card, older well-known paths, or a live connection).')
    .option('--live', 'also describe the server from a live connection, even when it has a card')
    .action(async (target: string, options: CommonOptions & { live?: boolean }) =>
      run(options, async ({ policy, cache }) => {
        const { description, ...result } = await discoverIntoCatalog(target, { privateHosts: policy.privateHosts, cache, ...(options.live ? { live: true } : {}) });
        if (options.json) return JSON.stringify({ ...result, ...(description ? { description } : {}) });
        const lines = result.cards.map(({ card, source, from }) => `${(card.title ?? card.name).padEnd(28)} ${card.name}  v${card.version}  ${card.remotes?.[0]?.url ?? '(no remote)'}  [${source}: ${from}]`);
        if (description) lines.push(`live: ${description.title ?? description.name ?? target} v${description.version ?? '?'} — ${description.live?.tools.length ?? 0} tools${description.disagreements.length ? ` (the card disagrees on ${description.disagreements.join(', ')}; the live values win)` : ''}`);
        for (const problem of result.problems) lines.push(`! ${problem.code}: ${problem.message}`);
        return lines.length ? lines.join('\n') : `Nothing found at ${target}.`;
      }),
    );

  common(program.command('registry').command('search [text]'))
    .description('Search the MCP Registry (discovery.registryUrl); remote servers can be added, package-only ones are marked.')
    .option('--cursor <cursor>', 'the next page, as printed by the previous one')
    .action(async (text: string | undefined, options: CommonOptions & { cursor?: string }) =>
      run(options, async ({ config, policy, cache }) => {
        const page = await searchRegistry({ baseUrl: config.discovery.registryUrl, policy: { privateHosts: new Set(policy.privateHosts) } }, { ...(text ? { search: text } : {}), ...(options.cursor ? { cursor: options.cursor } : {}) });
        for (const server of page.servers) {
          cache.saveEntry({ key: server.name, source: 'registry', name: server.name, version: server.version, ...(server.title ? { title: server.title } : {}), ...(server.description ? { description: server.description } : {}), ...(server.remotes[0] ? { mcpUrl: server.remotes[0].url } : {}), document: JSON.stringify(server), runnable: server.runnable, discoveredAt: Date.now() });
        }
        if (options.json) return JSON.stringify(page);
        const lines = page.servers.map((server) => `${server.name.padEnd(40)} v${server.version.padEnd(10)} ${server.runnable ? server.remotes[0]!.url : '(package only: not runnable by Switchboard)'}`);
        if (page.nextCursor) lines.push(`(more: --cursor ${page.nextCursor})`);
        return lines.join('\n') || 'No servers found.';
      }),
    );

  const servers = program.command('servers').description('The servers Switchboard connects to (the configuration file), and those it has discovered.');
  common(servers.command('list'))
    .description('Configured servers, then discovered ones not yet added (with how old that knowledge is).')
    .action(async (options: CommonOptions) =>
      run(options, async ({ config, cache, policy }) => {
        const configured = config.servers.map((server) => ({ id: server.id, url: server.url, enabled: server.enabled, title: server.title }));
        const company: (CatalogEntryRecord & { ageSeconds: number })[] = policy.servers.map((server) => ({ key: server.id, source: 'company', mcpUrl: server.url, ...(server.title ? { title: server.title } : {}), runnable: true, discoveredAt: Date.now(), ageSeconds: 0 }));
        const discovered = [...company, ...cache.entries()].filter((entry) => !config.servers.some((server) => server.url === entry.mcpUrl));
        if (options.json) return JSON.stringify({ configured, discovered });
        const lines = ['Configured', ...configured.map((server) => `  ${server.id.padEnd(16)} ${server.enabled ? 'enabled ' : 'disabled'} ${server.url}`)];
        lines.push('Discovered', ...discovered.map((entry) => `  ${(entry.title ?? entry.name ?? entry.key).padEnd(28)} ${entry.runnable ? (entry.mcpUrl ?? '') : '(not runnable)'}  [${entry.source}, ${formatAge(entry.ageSeconds)} old]`));
        return lines.join('\n');
      }),
    );

  common(servers.command('add <url>'))
    .description('Add a server by its MCP URL (a template such as https://{tenant}.example.com/mcp takes --var); its Server Card fills in the rest.')
    .option('--id <id>', 'the server id (default: from its card or host name)')
    .option('--title <title>', 'display name')
    .option('--var <name=value>', 'a value for a URL template variable (repeatable)', collect, [])
    .option('--header <name=value>', 'a header the server needs (repeatable)', collect, [])
    .option('--secret-header <name>', 'a header whose value is a secret: read from standard input (one line per header) into the keychain', collect, [])
    .action(async (url: string, options: CommonOptions & { id?: string; title?: string; var: string[]; header: string[]; secretHeader: string[] }) =>
      run(options, async ({ config, policy, configPath }) => {
        const values: Record<string, string> = {};
        for (const [name, value] of Object.entries(pairs(options.var, '--var'))) values[`var:${name}`] = value;
        for (const [name, value] of Object.entries(pairs(options.header, '--header'))) values[`header:${name}`] = value;
        // Secret header values come on standard input, one line per --secret-header (or per secret header the card lists).
        const resolved = url.replace(/\{([^}]+)\}/g, (_match, name: string) => {
          if (values[`var:${name}`] === undefined) throw new SwitchboardError('CONFIG_INVALID', `the URL template needs --var ${name}=…`);
          return encodeURIComponent(values[`var:${name}`]!);
        });
        const found = await discoverCards(resolved, { policy: { privateHosts: new Set(policy.privateHosts) } }).catch(() => undefined);
        const card = found?.cards[0];
        const secretNames = [...new Set([...options.secretHeader, ...remoteInputs(card?.card, url).filter((input) => input.kind === 'header' && input.secret && input.required).map((input) => input.name)])];
        if (secretNames.length) {
          const lines = (await readStdin()).split('\n');
          for (const [index, name] of secretNames.entries()) {
            const value = lines[index]?.trim();
            if (!value) throw new SwitchboardError('CONFIG_INVALID', `the secret header ${name} needs a value on line ${index + 1} of standard input`);
            values[options.secretHeader.includes(name) ? `secret-header:${name}` : `header:${name}`] = value;
          }
        }
        const store = new KeytarSecretStore(config.auth.profile);
        const { id } = await addRemoteServer(
          { url, values, ...(options.id ? { id: options.id } : {}), ...(options.title ? { title: options.title } : {}) },
          { configPath, config, policy, setSecret: (account, value) => store.set(account, value), findCard: async () => (card ? { card: card.card, from: card.from } : undefined) },
        );
        return options.json ? JSON.stringify({ added: id, url: resolved }) : `Added "${id}" (${resolved}). A running Switchboard picks it up when restarted.`;
      }),
    );

  for (const [verb, description] of [
    ['enable', 'Turn a configured server on.'],
    ['disable', 'Turn a configured server off (it is kept in the file).'],
    ['remove', 'Remove a configured server from the file, and its token, client secret and secret headers from the keychain.'],
  ] as const) {
    common(servers.command(`${verb} <id>`))
      .description(description)
      .action(async (id: string, options: CommonOptions) =>
        run(options, async ({ config, configPath }) => {
          const editor = new ConfigEditor(configPath);
          if (verb !== 'remove') {
            await editor.setServerField(id, 'enabled', verb === 'enable');
            return options.json ? JSON.stringify({ [verb === 'enable' ? 'enabled' : 'disabled']: id }) : `${id}: ${verb}d.`;
          }
          // Its secrets go first: if the keychain is locked the server stays in the file and the command can be run again.
          const entry = config.servers.find((server) => server.id === id);
          const forgotten = entry ? await forgetServerSecrets(new KeytarSecretStore(config.auth.profile), entry) : [];
          await editor.removeServer(id);
          return options.json ? JSON.stringify({ removed: id, keychainEntriesDeleted: forgotten }) : `${id}: removed${forgotten.length ? `, with its ${forgotten.length} keychain entr${forgotten.length === 1 ? 'y' : 'ies'} (${forgotten.join(', ')})` : ''}.`;
        }),
      );
  }

  common(servers.command('set-header <id> <name>'))
    .description("Store the value of a server's secret header (read from standard input) in the keychain.")
    .action(async (id: string, name: string, options: CommonOptions) =>
      run(options, async ({ config }) => {
        const value = (await readStdin()).trim();
        if (!value) throw new SwitchboardError('CONFIG_INVALID', 'nothing was given on standard input');
        await new KeytarSecretStore(config.auth.profile).set(vaultAccounts.serverHeader(id, name), value);
        return options.json ? JSON.stringify({ stored: `${id}:${name}` }) : `Stored ${name} for ${id} in the keychain.`;
      }),
    );
}

function common(command: Command): Command {
  return command.option('-c, --config <file>', 'the configuration file (as for serve)').option('-d, --data-dir <dir>', 'the data folder (as for serve)').option('--json', 'print JSON');
}

async function run(
  options: CommonOptions,
  operation: (context: { config: SwitchboardConfig; configPath: string; policy: CompanyPolicy; cache: CatalogStore }) => Promise<string>,
): Promise<void> {
  const dataDir = options.dataDir ? resolve(options.dataDir) : defaultPaths().dataDir;
  let cache: CatalogStore | undefined;
  try {
    const configPath = resolve(options.config ?? resolve(dataDir, 'config.json'));
    const config = await loadConfigFile(configPath).catch(async (error: unknown) => {
      // `discover` and `servers add` work before any configuration exists (add creates the file).
      if (isSwitchboardError(error) && error.code === 'CONFIG_NOT_FOUND') return configSchema.parse({});
      throw error;
    });
    // Like every path in the configuration, the policy file is relative to the configuration file.
    const policy = config.discovery.policyFile ? await loadCompanyPolicy(resolve(configPath, '..', config.discovery.policyFile)) : EMPTY_POLICY;
    cache = new CatalogStore(catalogDatabasePath(dataDir));
    process.stdout.write(`${await operation({ config, configPath, policy, cache })}\n`);
  } catch (error) {
    reportLocalError(error);
  } finally {
    cache?.close();
  }
}





function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

function pairs(values: string[], option: string): Record<string, string> {
  return Object.fromEntries(
    values.map((value) => {
      const separator = value.indexOf('=');
      if (separator <= 0) throw new SwitchboardError('CONFIG_INVALID', `${option} takes name=value, not "${value}"`);
      return [value.slice(0, separator), value.slice(separator + 1)];
    }),
  );
}

function formatAge(seconds: number): string {
  if (seconds < 120) return `${seconds} s`;
  if (seconds < 7200) return `${Math.round(seconds / 60)} min`;
  if (seconds < 172_800) return `${Math.round(seconds / 3600)} h`;
  return `${Math.round(seconds / 86_400)} d`;
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
