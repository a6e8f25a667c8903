// Moves the Secret Service entries keytar wrote (Switchboard 0.1 on Linux) into the keychain store once, so an upgrade loses no token, client secret or credential.
import type { Logger } from '../ports.ts';
import { KeytarEntries } from './keytar-entries.ts';

/** The keychain store's own reads and writes, without this adoption in front of them. */
export interface AdoptingStore {
  read(account: string): Promise<string | undefined>;
  write(account: string, secret: string): Promise<void>;
}

const adoptions = new Map<string, Promise<void>>();

/**
 * Runs {@link adoptKeytarEntries} once per service in this process; every store of the same profile waits for it, so
 * no read sees the keychain half-adopted.
 */
export function adoptKeytarEntriesOnce(service: string, store: AdoptingStore, logger: Logger, env: NodeJS.ProcessEnv = process.env): Promise<void> {
  let adoption = adoptions.get(service);
  if (!adoption) adoptions.set(service, (adoption = adoptKeytarEntries(service, store, logger, env)));
  return adoption;
}

/**
 * Each keytar entry of `service` is copied into `store` under the same account, read back, and only then deleted from
 * its old place. An account the store already holds keeps its value (written by this version, so newer) and the old
 * copy goes. Locked entries are left for a later start, when the keyring is unlocked. Nothing here throws: when the
 * Secret Service cannot be reached, the store's own call reports that with VAULT_UNAVAILABLE.
 */
export async function adoptKeytarEntries(service: string, store: AdoptingStore, logger: Logger, env: NodeJS.ProcessEnv = process.env): Promise<void> {
  let entries: KeytarEntries;
  try {
    entries = await KeytarEntries.open(env);
  } catch {
    return;
  }
  const moved: string[] = [];
  const superseded: string[] = [];
  try {
    const found = await entries.list(service);
    if (found.length === 0) return;
    const locked = found.filter((entry) => entry.locked).map((entry) => entry.account);
    if (locked.length)
      logger.log('warn', 'vault.keytar_entries_locked', {
        service,
        accounts: locked,
        message: 'keychain entries of an older Switchboard are locked; they are moved once the keyring is unlocked',
      });
    const unlocked = found.filter((entry) => !entry.locked);
    const secrets = await entries.read(unlocked.map((entry) => entry.item));
    for (const entry of unlocked) {
      const secret = secrets.get(entry.item);
      if (secret === undefined) continue;
      if ((await store.read(entry.account)) === undefined) {
        await store.write(entry.account, secret);
        if ((await store.read(entry.account)) !== secret) continue;
        moved.push(entry.account);
      } else {
        superseded.push(entry.account);
      }
      await entries.delete(entry.item);
    }
  } catch (error) {
    logger.log('warn', 'vault.keytar_entries_not_adopted', {
      service,
      reason: (error as Error).message,
      message: 'keychain entries of an older Switchboard could not be moved; the next start tries again',
    });
  } finally {
    entries.close();
  }
  // Account names say what an entry is (token:crm); they are not secrets.
  if (moved.length || superseded.length)
    logger.log('info', 'vault.keytar_entries_adopted', {
      service,
      moved,
      superseded,
      message: 'keychain entries written by an older Switchboard (keytar) were moved to the current keychain format',
    });
}
