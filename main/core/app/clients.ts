// The local AI clients allowed to use the endpoint: registering one (its credential to the keychain), listing, limiting its view, removing it.
import { ClientRegistry, clientRegistryPath, type ClientSettings, type RegisteredClient } from '../clients/client-registry.ts';
import type { ClientView } from '../router/catalog-router.ts';
import { vaultAccounts } from '../vault/vault.ts';
import type { AppContext } from './app-context.ts';

/** A registered client as it may be shown: never the credential's hash. */
export type ClientListing = Omit<RegisteredClient, 'credentialSha256'>;

export interface ClientsService {
  list(): ClientListing[];
  /**
   * Registers a client and keeps its credential in the keychain too, so it can be set up again later. The credential
   * is returned this once; `keychainError` says why the keychain did not keep it (the client works regardless).
   */
  register(id: string, view?: ClientSettings): Promise<{ client: ClientListing; credential: string; keychainError?: string }>;
  /** The credential the keychain keeps for a client, if any. */
  keptCredential(id: string): Promise<string | undefined>;
  /** A credential for setting an AI client up: the kept one while the registry still accepts it, else a new registration. */
  credentialFor(id: string): Promise<string>;
  setView(id: string, view: ClientView): Promise<ClientListing>;
  /** Sets (null: clears) how many tools the client is listed directly, and the tools always among them (router/tool-search/). */
  setToolBudget(id: string, settings: { maxTools?: number | null; pinnedTools?: readonly string[] | null }): Promise<ClientListing>;
  /**
   * Leaving the registry is what revokes the credential (a running endpoint re-reads it within a second); the keychain
   * copy goes too, so nothing can set a client up with it again. `keychainError` says why that copy (the entry
   * `keychainAccount`) is still there.
   */
  remove(id: string): Promise<{ removed: boolean; keychainError?: string; keychainAccount: string }>;
  /** Whether this Switchboard accepts a credential (an AI client's entry may hold one from another data folder). */
  accepts(credential: string): boolean;
}

export function createClientsService(context: AppContext): ClientsService {
  const registry = new ClientRegistry(clientRegistryPath(context.dataDir));
  const listing = ({ credentialSha256: _hash, ...client }: RegisteredClient): ClientListing => client;
  const keychainProblem = (error: { code?: string; message: string }) => `${error.code ?? 'VAULT_UNAVAILABLE'}: ${error.message}`;

  /** Registers, records it, and tries the keychain; the keychain's failure is handed back, not thrown. */
  async function add(id: string, view: ClientSettings) {
    const { client, credential } = await registry.add(id, view);
    context.recordSecurityEvent({
      method: 'client.added',
      client: client.id,
      details: { servers: view.servers ?? 'all', tools: view.tools ?? 'all', ...(view.maxTools !== undefined ? { maxTools: view.maxTools } : {}) },
    });
    const keychainFailure = await (await context.secrets()).set(vaultAccounts.localClient(client.id), credential).then(
      () => undefined,
      (error: unknown) => error as { code?: string; message: string },
    );
    return { client, credential, keychainFailure };
  }

  async function remove(id: string) {
    const removed = await registry.remove(id);
    if (removed) context.recordSecurityEvent({ method: 'client.removed', client: id });
    // The registry already refuses it; a locked keychain only leaves a dead copy behind, which must not fail the removal.
    const keychainAccount = vaultAccounts.localClient(id);
    const keychainError = await (await context.secrets()).delete(keychainAccount).then(
      () => undefined,
      (error: { code?: string; message: string }) => keychainProblem(error),
    );
    return { removed, keychainAccount, ...(keychainError ? { keychainError } : {}) };
  }

  return {
    // list() re-reads the registry now: a client removed a moment ago must show as gone.
    list: () => registry.list().map(listing),
    async register(id, view = {}) {
      const { client, credential, keychainFailure } = await add(id, view);
      return { client: listing(client), credential, ...(keychainFailure ? { keychainError: keychainProblem(keychainFailure) } : {}) };
    },
    keptCredential: async (id) => (await context.secrets()).get(vaultAccounts.localClient(id)),
    async credentialFor(id) {
      if (registry.list().some((client) => client.id === id)) {
        const kept = await (await context.secrets()).get(vaultAccounts.localClient(id));
        // Only a credential the registry still accepts is worth writing: otherwise the entry would be stale from the start.
        if (kept && registry.authenticate(kept)) return kept;
        await registry.remove(id);
      }
      const { credential, keychainFailure } = await add(id, {});
      // Without a kept copy the next setup could not find this credential and would replace it: the setup stops here.
      if (keychainFailure) throw keychainFailure;
      return credential;
    },
    async setView(id, view) {
      const updated = await registry.setView(id, view);
      context.recordSecurityEvent({ method: 'client.view_changed', client: id, details: { servers: view.servers ?? 'all', tools: view.tools ?? 'all' } });
      return listing(updated);
    },
    async setToolBudget(id, settings) {
      const updated = await registry.setToolBudget(id, settings);
      context.recordSecurityEvent({
        method: 'client.tool_budget_changed',
        client: id,
        details: { maxTools: updated.maxTools ?? 'default', pinnedTools: updated.pinnedTools ?? [] },
      });
      return listing(updated);
    },
    remove,
    accepts: (credential) => registry.authenticate(credential) !== undefined,
  };
}
