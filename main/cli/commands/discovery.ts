// `switchboard discover`, `registry search` and `servers list|add|enable|disable|remove|set-header`: finding servers and choosing them.
import type { Command } from 'commander';
import { SwitchboardError, type App } from '../../core/index.ts';
import { runWithApp, type LocationOptions } from '../command-app.ts';
import { ExitCode } from '../exit-codes.ts';
import { withProgress } from '../progress.ts';

interface CommonOptions extends LocationOptions {
  json?: boolean;
}

export function registerDiscoveryCommands(program: Command): void {
  common(program.command('discover <target>'))
    .description('Find MCP servers by domain (its AI catalog) or by MCP URL (its Server Card, older well-known paths, or a live connection).')
    .option('--live', 'also describe the server from a live connection, even when it has a card')
    .action(async (target: string, options: CommonOptions & { live?: boolean }) =>
      run(options, async ({ discovery }) => {
        const { description, ...result } = await withProgress(`Discovering ${target}…`, () =>
          discovery.discover(target, { ...(options.live ? { live: true } : {}) }),
        );
        // Finding nothing is not success: 3 when there is nothing there (no such host, no catalog or card), 1 when something failed.
        if (result.cards.length === 0 && !description)
          process.exitCode = result.problems.every((problem) => /ENOTFOUND/.test(problem.message)) ? ExitCode.notFound : ExitCode.failure;
        if (options.json) return JSON.stringify({ ...result, ...(description ? { description } : {}) });
        const lines = result.cards.map(
          ({ card, source, from }) =>
            `${(card.title ?? card.name).padEnd(28)} ${card.name}  v${card.version}  ${card.remotes?.[0]?.url ?? '(no remote)'}  [${source}: ${from}]`,
        );
        if (description)
          lines.push(
            `live: ${description.title ?? description.name ?? target} v${description.version ?? '?'} — ${description.live?.tools.length ?? 0} tools${description.disagreements.length ? ` (the card disagrees on ${description.disagreements.join(', ')}; the live values win)` : ''}`,
          );
        for (const problem of result.problems) lines.push(`! ${problem.code}: ${problem.message}`);
        return lines.length ? lines.join('\n') : `Nothing found at ${target}.`;
      }),
    );

  common(program.command('registry').command('search [text]'))
    .description('Search the MCP Registry (discovery.registryUrl); remote servers can be added, package-only ones are marked.')
    .option('--cursor <cursor>', 'the next page, as printed by the previous one')
    .action(async (text: string | undefined, options: CommonOptions & { cursor?: string }) =>
      run(options, async ({ discovery }) => {
        const page = await withProgress('Searching the MCP Registry…', () =>
          discovery.searchRegistry({ ...(text ? { text } : {}), ...(options.cursor ? { cursor: options.cursor } : {}) }),
        );
        if (options.json) return JSON.stringify(page);
        const lines = page.servers.map(
          (server) =>
            `${server.name.padEnd(40)} v${server.version.padEnd(10)} ${server.runnable ? server.remotes[0]!.url : '(package only: not runnable by Switchboard)'}`,
        );
        if (page.nextCursor) lines.push(`(more: --cursor ${page.nextCursor})`);
        return lines.join('\n') || 'No servers found.';
      }),
    );

  const servers = program.command('servers').description('The servers Switchboard connects to (the configuration file), and those it has discovered.');
  common(servers.command('list'))
    .description("Configured servers, then those offered but not yet added — the company's and discovered ones (with how old that knowledge is).")
    .action(async (options: CommonOptions) =>
      run(options, async ({ servers }) => {
        const listed = await servers.list();
        const configured = listed.filter((server) => server.configured).map(({ id, url, enabled, title }) => ({ id, url, enabled, title }));
        const offered = listed
          .filter((server) => !server.configured)
          .map(({ id, title, url, source, fetchedAt }) => ({
            id,
            title,
            url,
            source,
            ...(fetchedAt !== undefined ? { ageSeconds: Math.round((Date.now() - fetchedAt) / 1000) } : {}),
          }));
        if (options.json) return JSON.stringify({ configured, discovered: offered });
        const lines = ['Configured', ...configured.map((server) => `  ${server.id.padEnd(16)} ${server.enabled ? 'enabled ' : 'disabled'} ${server.url}`)];
        // The id is what `servers enable <id>` takes to add an offered server.
        lines.push(
          'Offered',
          ...offered.map(
            (entry) =>
              `  ${entry.id.padEnd(16)} ${entry.title.padEnd(28)} ${entry.url}  [${entry.source}${entry.ageSeconds !== undefined ? `, ${formatAge(entry.ageSeconds)} old` : ''}]`,
          ),
        );
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
      run(options, async ({ servers }) => {
        const values: Record<string, string> = {};
        for (const [name, value] of Object.entries(pairs(options.var, '--var'))) values[`var:${name}`] = value;
        for (const [name, value] of Object.entries(pairs(options.header, '--header'))) values[`header:${name}`] = value;
        const missing = servers.missingVariables(url, values)[0];
        if (missing !== undefined) throw new SwitchboardError('CONFIG_INVALID', `the URL template needs --var ${missing}=…`);
        const remote = await servers.prepareAdd(url, values);
        // Secret header values come on standard input, one line per --secret-header (or per secret header the card lists).
        const secretNames = [...new Set([...options.secretHeader, ...remote.secretHeaders])];
        if (secretNames.length) {
          const lines = (await readStdin()).split('\n');
          for (const [index, name] of secretNames.entries()) {
            const value = lines[index]?.trim();
            if (!value) throw new SwitchboardError('CONFIG_INVALID', `the secret header ${name} needs a value on line ${index + 1} of standard input`);
            values[options.secretHeader.includes(name) ? `secret-header:${name}` : `header:${name}`] = value;
          }
        }
        const { id } = await servers.add(remote, { values, ...(options.id ? { id: options.id } : {}), ...(options.title ? { title: options.title } : {}) });
        return options.json
          ? JSON.stringify({ added: id, url: remote.resolvedUrl })
          : `Added "${id}" (${remote.resolvedUrl}). A running Switchboard picks it up when restarted.`;
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
        run(options, async ({ servers }) => {
          if (verb !== 'remove') {
            await servers.setEnabled(id, verb === 'enable');
            return options.json ? JSON.stringify({ [verb === 'enable' ? 'enabled' : 'disabled']: id }) : `${id}: ${verb}d.`;
          }
          const { keychainEntriesDeleted: forgotten } = await servers.remove(id);
          return options.json
            ? JSON.stringify({ removed: id, keychainEntriesDeleted: forgotten })
            : `${id}: removed${forgotten.length ? `, with its ${forgotten.length} keychain entr${forgotten.length === 1 ? 'y' : 'ies'} (${forgotten.join(', ')})` : ''}.`;
        }),
      );
  }

  common(servers.command('set-header <id> <name>'))
    .description("Store the value of a server's secret header (read from standard input) in the keychain.")
    .action(async (id: string, name: string, options: CommonOptions) =>
      run(options, async ({ servers }) => {
        const value = (await readStdin()).trim();
        if (!value) throw new SwitchboardError('CONFIG_INVALID', 'nothing was given on standard input');
        await servers.setSecretHeader(id, name, value);
        return options.json ? JSON.stringify({ stored: `${id}:${name}` }) : `Stored ${name} for ${id} in the keychain.`;
      }),
    );
}

function common(command: Command): Command {
  return command
    .option('-c, --config <file>', 'the configuration file (as for serve)')
    .option('-d, --data-dir <dir>', 'the data folder (as for serve)')
    .option('--json', 'print JSON');
}

/** `discover` and `servers add` work before any configuration exists (adding creates the file). */
function run(options: CommonOptions, command: (app: App) => Promise<string>): Promise<void> {
  return runWithApp(options, command, { configMayBeMissing: true });
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
