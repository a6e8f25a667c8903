// `switchboard status`: what the running Switchboard is doing — endpoint, clients, and each server's era, health and tools.
import type { Command } from 'commander';
import { runningSwitchboard, type SwitchboardStatus } from '../../core/index.ts';
import { dataDirOf } from '../command-app.ts';
import { reportLocalError } from '../report-error.ts';
import { toolListingLines } from '../tool-listing-lines.ts';

export function registerStatusCommand(program: Command): void {
  program
    .command('status')
    .description('Show the running Switchboard: endpoint URL, clients, and per server its protocol era, health, tool count and last error.')
    .option('-d, --data-dir <dir>', 'the data folder the running Switchboard uses (as for serve)')
    .option('--json', 'print JSON')
    .action(async (options: { dataDir?: string; json?: boolean }) => {
      try {
        const status = await runningSwitchboard(dataDirOf(options)).status();
        process.stdout.write(`${options.json ? JSON.stringify(status) : render(status)}\n`);
      } catch (error) {
        reportLocalError(error);
      }
    });
}

function render(status: SwitchboardStatus): string {
  const lines = [`Endpoint  ${status.mcpUrl ?? 'not running'}${status.anonymousAllowed ? '  (ANONYMOUS ACCESS ON)' : ''}`];
  if (status.addressChanged) {
    const { previousPort, port } = status.addressChanged;
    lines.push(
      `          ! The address changed: port ${previousPort} was taken by another program, so Switchboard now listens on port ${port} and keeps it from now on.`,
      `            AI clients set up by Switchboard were updated; restart them. Point any client you set up by hand at ${status.mcpUrl ?? `port ${port}`}.`,
    );
  }
  lines.push('');
  lines.push(
    `Clients   ${status.clients.length === 0 ? 'none registered (switchboard clients add <name>)' : status.clients.map((client) => client.id).join(', ')}`,
  );
  lines.push(`Sessions  ${status.legacySessions} open 2025-era session(s)`, '', 'Servers');
  for (const server of status.servers) {
    const era = server.protocolVersion ? `${server.era ?? ''} ${server.protocolVersion}` : '—';
    const tools = server.toolCount === undefined ? '' : `  ${server.toolCount} tools`;
    lines.push(`  ${server.id.padEnd(16)} ${server.state.padEnd(11)} ${era.padEnd(18)}${tools}`);
    if (server.auth && server.auth.state !== 'not-required')
      lines.push(
        `    sign-in: ${server.auth.state}${server.auth.via ? ` via ${server.auth.via}` : ''}${server.auth.expiresAt ? ` until ${server.auth.expiresAt}` : ''}${server.auth.reason ? ` (${server.auth.reason})` : ''}`,
      );
    if (server.lastError && server.state !== 'ready') lines.push(`    last error: ${server.lastError.code}: ${server.lastError.message}`);
  }
  if (status.servers.length === 0) lines.push('  none enabled');
  const toolLines = toolListingLines(status);
  if (toolLines.length) lines.push('', ...toolLines);
  for (const collision of status.collisions)
    lines.push(`  ! ${collision.kind} name "${collision.name}" is taken by ${collision.kept}; ${collision.dropped} is hidden (give one server a prefix)`);
  return lines.join('\n');
}
