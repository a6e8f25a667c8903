// Setting AI clients up on this machine: each one's state (configured, stale), a preview of the change, applying it and undoing it.
import { applySetup, inspectClient, previewSetup, undoSetup, type AiClientState, type SetupPreview } from '../clients/ai-client-setup.ts';
import { AI_CLIENT_TARGETS, entryFor, type AiClientId, type AiClientTarget, type PathEnvironment } from '../clients/ai-client-targets.ts';
import { SwitchboardError } from '../errors.ts';
import type { AppContext } from './app-context.ts';
import type { ClientsService } from './clients.ts';

/** What only the process that runs the core knows: where AI clients keep their files, and how this installation starts the stdio bridge. */
export interface ThisMachine {
  pathEnvironment: PathEnvironment;
  /** The full command line that starts `switchboard stdio`, resolved to this installation, for Claude Desktop. */
  bridgeCommand: { command: string; args: string[]; env?: Record<string, string> };
}

export type AiClientListing = AiClientState & Pick<AiClientTarget, 'id' | 'name' | 'transport'>;

export interface ClientSetupService {
  list(): Promise<AiClientListing[]>;
  /** The file as it would be after set-up, with a placeholder where the credential goes: a preview never holds a secret. */
  preview(client: AiClientId): Promise<SetupPreview>;
  configure(client: AiClientId): Promise<{ path: string; backupPath: string | null }>;
  /** Removes the entry and revokes the credential made for it: kept, a backup or copy of the old file would still work. */
  undo(client: AiClientId): Promise<{ path: string; removed: boolean }>;
}

const CREDENTIAL_PLACEHOLDER = '«your Switchboard credential, written only to this file»';

export function createClientSetupService(context: AppContext, clients: ClientsService, machine: ThisMachine): ClientSetupService {
  const targetOf = (id: AiClientId): AiClientTarget => AI_CLIENT_TARGETS.find((target) => target.id === id)!;

  async function entryForClient(target: AiClientTarget, withSecret: boolean): Promise<Record<string, unknown>> {
    const mcpUrl = context.core()?.status().mcpUrl;
    if (!mcpUrl) throw new SwitchboardError('GATEWAY_NOT_RUNNING', 'the local endpoint is not running yet');
    const credential = withSecret ? await clients.credentialFor(target.id) : CREDENTIAL_PLACEHOLDER;
    return entryFor(target, { mcpUrl, credential, bridgeCommand: machine.bridgeCommand });
  }

  return {
    async list() {
      // Re-read the registry now: a client removed a moment ago must show as stale, not as working.
      clients.list();
      const expectation = { mcpUrl: context.core()?.status().mcpUrl, accepts: (credential: string) => clients.accepts(credential) };
      return Promise.all(AI_CLIENT_TARGETS.map(async (target) => ({ id: target.id, name: target.name, transport: target.transport, ...(await inspectClient(target, machine.pathEnvironment, expectation)) })));
    },
    preview: async (client) => previewSetup(targetOf(client), machine.pathEnvironment, await entryForClient(targetOf(client), false)),
    async configure(client) {
      const result = await applySetup(targetOf(client), machine.pathEnvironment, await entryForClient(targetOf(client), true));
      context.logger.log('info', 'clients.configured', { client, path: result.path });
      context.recordSecurityEvent({ method: 'client.configured', client, details: { path: result.path, backup: result.backupPath } });
      return result;
    },
    async undo(client) {
      const result = await undoSetup(targetOf(client), machine.pathEnvironment);
      if (result.removed) context.recordSecurityEvent({ method: 'client.unconfigured', client, details: { path: result.path } });
      const { keychainError } = await clients.remove(client);
      if (keychainError) context.logger.log('warn', 'clients.keychain_delete_failed', { client, message: keychainError });
      return result;
    },
  };
}
