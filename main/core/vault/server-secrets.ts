// What the keychain holds for one configured server, and forgetting all of it when the server is removed.
import type { SecretStore } from '../ports.ts';
import { vaultAccounts } from './vault.ts';

/**
 * Its token, its client secret and its secret headers. Header names come from the server's configuration entry (read
 * it before removing the entry); a store that can list its accounts also gives up headers stored under other names.
 */
export async function forgetServerSecrets(
  store: SecretStore & { accounts?(): Promise<string[]> },
  server: { id: string; secretHeaders?: readonly string[] },
): Promise<string[]> {
  const accounts = new Set([
    vaultAccounts.token(server.id),
    vaultAccounts.serverClientSecret(server.id),
    ...(server.secretHeaders ?? []).map((name) => vaultAccounts.serverHeader(server.id, name)),
  ]);
  const headerPrefix = vaultAccounts.serverHeader(server.id, '');
  for (const account of (await store.accounts?.()) ?? []) if (account.startsWith(headerPrefix)) accounts.add(account);
  const removed: string[] = [];
  for (const account of accounts) if (await store.delete(account)) removed.push(account);
  return removed;
}
