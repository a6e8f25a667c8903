// An in-memory stand-in for the OS keychain, for tests whose logic only passes through it; the product always uses vault/keytar-secret-store.ts.
import { SwitchboardError } from '../../main/core/errors.ts';
import type { SecretStore } from '../../main/core/ports.ts';

/** Secrets live as long as the object; `failing` makes every call reject with VAULT_UNAVAILABLE, as a locked keychain does. */
export class MemorySecretStore implements SecretStore {
  readonly secrets = new Map<string, string>();
  failing = false;

  async get(account: string): Promise<string | undefined> {
    this.#refuseWhenFailing();
    return this.secrets.get(account);
  }

  async set(account: string, secret: string): Promise<void> {
    this.#refuseWhenFailing();
    this.secrets.set(account, secret);
  }

  async delete(account: string): Promise<boolean> {
    this.#refuseWhenFailing();
    return this.secrets.delete(account);
  }

  #refuseWhenFailing(): void {
    if (this.failing) throw new SwitchboardError('VAULT_UNAVAILABLE', 'the keychain is locked');
  }
}
