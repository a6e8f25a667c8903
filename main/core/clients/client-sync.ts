// Keeps the AI clients Switchboard set up pointing at today's endpoint: rewrites the URL of each entry whose credential this Switchboard accepts.
import type { Logger } from '../ports.ts';
import { applySetup, clientTargetsFor, readEntry } from './ai-client-setup.ts';
import { configFile, entryCredential, entryUrl, entryWithUrl, type AiClientId, type AiClientTarget, type PathEnvironment } from './ai-client-targets.ts';
import type { ClientCommands } from './client-commands.ts';

export interface ClientSyncOptions {
  mcpUrl: string;
  pathEnvironment: PathEnvironment;
  /** This Switchboard's client registry: an entry whose credential it does not know belongs to another Switchboard (another data folder) and is left alone. */
  accepts: (credential: string) => boolean;
  logger: Logger;
  targets?: readonly AiClientTarget[];
  /** The clients' own CLIs (Claude Code's), used as setup uses them; without it files are edited directly. */
  commands?: ClientCommands;
}

export interface ClientSyncOutcome {
  client: AiClientId;
  path: string;
  outcome: 'updated' | 'current' | 'not-configured' | 'not-ours' | 'failed';
}

/**
 * Rewrites only the address, keeping the entry's own credential and anything else in it. Entries without an
 * accepted credential are not repaired here: that needs a new credential, which is the person's Repair action.
 */
export async function syncConfiguredClients(options: ClientSyncOptions): Promise<ClientSyncOutcome[]> {
  const outcomes: ClientSyncOutcome[] = [];
  for (const target of options.targets ?? clientTargetsFor(options.pathEnvironment)) {
    // The stdio bridge asks the running Switchboard for its address each time, so its entry never goes stale by address;
    // a client with no file here (another OS, settings-only) has nothing to update.
    if (target.transport !== 'http' || configFile(target, options.pathEnvironment) === undefined) continue;
    outcomes.push(await syncOne(target, options));
  }
  return outcomes;
}

async function syncOne(target: AiClientTarget, options: ClientSyncOptions): Promise<ClientSyncOutcome> {
  const { logger, mcpUrl } = options;
  let path = '';
  try {
    const found = await readEntry(target, options.pathEnvironment);
    path = found.path;
    if (found.entry === undefined) return { client: target.id, path, outcome: 'not-configured' };
    const credential = entryCredential(target, found.entry);
    if (!credential || !options.accepts(credential)) return { client: target.id, path, outcome: 'not-ours' };
    const previousUrl = entryUrl(target, found.entry);
    if (previousUrl === mcpUrl) return { client: target.id, path, outcome: 'current' };
    const entry = entryWithUrl(target, found.entry as Record<string, unknown>, mcpUrl);
    const { backupPath } = await applySetup(target, options.pathEnvironment, entry, new Date(), options.commands ? { commands: options.commands } : {});
    // Never the credential: only where the file is and which address it now has.
    logger.log('info', 'clients.address_updated', { client: target.id, path, from: previousUrl, to: mcpUrl, backup: backupPath });
    return { client: target.id, path, outcome: 'updated' };
  } catch (error) {
    logger.log('warn', 'clients.address_update_failed', { client: target.id, path, message: (error as Error).message });
    return { client: target.id, path, outcome: 'failed' };
  }
}
