// clients:* — the AI clients on this machine: set-up with a preview, undo, each one's own credential and view.
import { applySetup, inspectClient, previewSetup, undoSetup } from '../../clients/ai-client-setup.ts';
import { AI_CLIENT_TARGETS, entryFor, type AiClientTarget } from '../../clients/ai-client-targets.ts';
import { ClientRegistry, clientRegistryPath } from '../../clients/client-registry.ts';
import { SwitchboardError } from '../../errors.ts';
import { vaultAccounts } from '../../vault/vault.ts';
import type { ChannelHandlers, UiServiceDeps } from './ui-deps.ts';

/** What a preview shows instead of the credential: the page never receives a secret. */
const CREDENTIAL_PLACEHOLDER = '«your Switchboard credential, written only to this file»';

export function clientsChannels(deps: UiServiceDeps): ChannelHandlers<'clients:list' | 'clients:preview' | 'clients:configure' | 'clients:undo' | 'clients:setView'> {
  const registry = new ClientRegistry(clientRegistryPath(deps.dataDir));
  const targetOf = (id: string): AiClientTarget => AI_CLIENT_TARGETS.find((target) => target.id === id)!;

  /** Each AI client gets its own local credential, made on first setup and kept in the keychain. */
  async function credentialFor(clientId: string): Promise<string> {
    const vault = deps.switchboard().auth.vault;
    const existing = registry.list().find((client) => client.id === clientId);
    if (existing) {
      const kept = await vault.getSecret(vaultAccounts.localClient(clientId));
      // Only a credential the registry still accepts is worth writing: otherwise the entry would be stale from the start.
      if (kept && registry.authenticate(kept)) return kept;
      await registry.remove(clientId);
    }
    const { credential } = await registry.add(clientId);
    await vault.setSecret(vaultAccounts.localClient(clientId), credential);
    deps.switchboard().recordSecurityEvent({ method: 'client.added', client: clientId, details: { by: 'app' } });
    return credential;
  }

  /**
   * Undoing a setup revokes the credential made for it: kept, a backup or copy of the old file would still work. The
   * running endpoint re-reads the registry within a second; the keychain copy goes too, so it is never written again.
   */
  async function revokeCredential(clientId: string): Promise<void> {
    const removed = await registry.remove(clientId);
    if (removed) deps.switchboard().recordSecurityEvent({ method: 'client.removed', client: clientId, details: { by: 'app' } });
    // The registry already refused it; a locked keychain only leaves a dead copy behind, which must not fail the undo.
    await deps
      .switchboard()
      .auth.vault.remove(vaultAccounts.localClient(clientId))
      .catch((error: unknown) => deps.logger.log('warn', 'clients.keychain_delete_failed', { client: clientId, message: (error as Error).message }));
  }

  async function entryForClient(target: AiClientTarget, withSecret: boolean): Promise<Record<string, unknown>> {
    const mcpUrl = deps.switchboard().status().mcpUrl;
    if (!mcpUrl) throw new SwitchboardError('GATEWAY_NOT_RUNNING', 'the local endpoint is not running yet');
    const credential = withSecret ? await credentialFor(target.id) : CREDENTIAL_PLACEHOLDER;
    return entryFor(target, { mcpUrl, credential, bridgeCommand: deps.bridgeCommand });
  }

  return {
    'clients:list': async () => {
      // list() re-reads the registry now: a client removed a moment ago must show as stale, not as working.
      const registered = registry.list();
      const expectation = { mcpUrl: deps.switchboard().status().mcpUrl, accepts: (credential: string) => registry.authenticate(credential) !== undefined };
      return {
        aiClients: await Promise.all(AI_CLIENT_TARGETS.map(async (target) => ({ id: target.id, name: target.name, transport: target.transport, ...(await inspectClient(target, deps.pathEnvironment, expectation)) }))),
        registered: registered.map(({ credentialSha256: _hash, ...client }) => client),
      };
    },
    'clients:preview': async ({ client }) => {
      const target = targetOf(client);
      return previewSetup(target, deps.pathEnvironment, await entryForClient(target, false));
    },
    'clients:configure': async ({ client }) => {
      const target = targetOf(client);
      const result = await applySetup(target, deps.pathEnvironment, await entryForClient(target, true));
      deps.logger.log('info', 'clients.configured', { client, path: result.path });
      deps.switchboard().recordSecurityEvent({ method: 'client.configured', client, details: { path: result.path, backup: result.backupPath } });
      return result;
    },
    'clients:undo': async ({ client }) => {
      const result = await undoSetup(targetOf(client), deps.pathEnvironment);
      if (result.removed) deps.switchboard().recordSecurityEvent({ method: 'client.unconfigured', client, details: { path: result.path } });
      await revokeCredential(client);
      return result;
    },
    'clients:setView': async ({ id, servers, tools }) => {
      const updated = await registry.setView(id, { ...(servers ? { servers } : {}), ...(tools ? { tools } : {}) });
      deps.switchboard().recordSecurityEvent({ method: 'client.view_changed', client: id, details: { servers: servers ?? 'all', tools: tools ?? 'all' } });
      const { credentialSha256: _hash, ...client } = updated;
      return client;
    },
  };
}
