// `switchboard tools review|approve`: the tools held back because their definition changed (or appeared) after their server was approved.
import type { Command } from 'commander';
import type { App } from '../../core/index.ts';
import { runWithApp } from '../command-app.ts';

interface CommonOptions {
  dataDir?: string;
  json?: boolean;
}

type HeldTool = Awaited<ReturnType<App['tools']['review']>>[number];
type Definition = HeldTool['new'];
type CleanedTool = Awaited<ReturnType<App['tools']['cleaned']>>[number];

export function registerToolsCommand(program: Command): void {
  const tools = program
    .command('tools')
    .description('Tools held for review: a server changed (or added) a tool after you approved it, and clients do not see it until you approve it.');

  tools
    .command('review [server]')
    .description(
      'Show each held tool: what changed, old against new (hidden characters shown as ⟨U+XXXX⟩), and how to approve it; then the approved tools whose hidden characters Switchboard removes.',
    )
    .option('-d, --data-dir <dir>', 'Switchboard state folder (as for serve)')
    .option('--json', 'print JSON')
    .action(async (server: string | undefined, options: CommonOptions) =>
      runWithApp(options, async (app) => {
        const [held, cleaned] = await Promise.all([app.tools.review(server), app.tools.cleaned(server)]);
        if (options.json) return JSON.stringify({ held, cleaned });
        const summary = held.length ? renderReview(held) : server ? `No tool of "${server}" is held for review.` : 'No tool is held for review.';
        return cleaned.length ? `${summary}\n\n${renderCleaned(cleaned)}` : summary;
      }),
    );

  tools
    .command('approve <server> [tools...]')
    .description("Approve the held definitions of a server's tools (all held ones unless named); clients of a running Switchboard see them within a second.")
    .option('-d, --data-dir <dir>', 'Switchboard state folder (as for serve)')
    .option('--json', 'print JSON')
    .action(async (server: string, names: string[], options: CommonOptions) =>
      runWithApp(options, async (app) => {
        const approved = await app.tools.approve(server, names);
        if (options.json) return JSON.stringify({ approved });
        if (!approved.length) return `No tool of "${server}" was held for review; nothing to approve.`;
        return approved
          .map(({ tool, oldDigest, newDigest }) => `Approved ${server} / ${tool}: ${oldDigest ? `${oldDigest} -> ` : 'new, '}${newDigest}`)
          .join('\n');
      }),
    );
}

function renderReview(held: HeldTool[]): string {
  const blocks = held.map((entry) => {
    const lines = [
      `${entry.server} / ${entry.tool}: ${entry.change === 'new' ? 'new since you approved the server' : 'changed since you approved it'} (first seen ${entry.seenAt})`,
      `  digest: ${entry.old ? `${entry.old.digest} -> ` : ''}${entry.new.digest}`,
    ];
    for (const field of entry.changedFields as (keyof Definition)[]) {
      lines.push(`  ${field}:`);
      if (entry.old) lines.push(indent(`- ${entry.old[field] ?? '(none)'}`, '    '));
      lines.push(indent(`+ ${entry.new[field] ?? '(none)'}`, '    '));
    }
    if (entry.hidden.length) {
      lines.push(
        `  hidden content (removed before any client sees it): ${entry.hidden.map(({ field, removed }) => `${field} (${removed.join(', ')})`).join('; ')}`,
      );
    }
    lines.push(`  approve: switchboard tools approve ${entry.server} ${entry.tool}`);
    return lines.join('\n');
  });
  const count = `${held.length} tool${held.length === 1 ? ' is' : 's are'} held for review; clients do not see ${held.length === 1 ? 'it' : 'them'} until approved.`;
  return [count, ...blocks].join('\n\n');
}

/** Approved tools that came with hidden content: clients never see it, but a server that sends it deserves a second look. */
function renderCleaned(cleaned: CleanedTool[]): string {
  const lines = cleaned.map(
    ({ server, tool, hidden }) => `  ${server} / ${tool}: ${hidden.map(({ field, removed }) => `${field} (${removed.join(', ')})`).join('; ')}`,
  );
  return ['Approved tools whose hidden characters Switchboard removes before clients see them:', ...lines].join('\n');
}

/** Every line of a multi-line value (a schema) indented under its field. */
function indent(text: string, prefix: string): string {
  return text
    .split('\n')
    .map((line) => `${prefix}${line}`)
    .join('\n');
}
