// A keychain that lives in this process's memory only, for demos: chosen explicitly (SWITCHBOARD_KEYCHAIN=memory), announced in the log, gone when the process ends.
import type { SecretStore } from '../ports.ts';

/** What the log and the demo say, so nobody mistakes it for the OS keychain. */
export const MEMORY_KEYCHAIN_NOTICE =
  "secrets are kept in this process's memory only, never in the OS keychain, and are gone when it stops (SWITCHBOARD_KEYCHAIN=memory, for demos)";

export class MemoryKeychain implements SecretStore {
  readonly #secrets = new Map<string, string>();

  constructor(initial: Record<string, string> = {}) {
    for (const [account, secret] of Object.entries(initial)) this.#secrets.set(account, secret);
  }

  async get(account: string): Promise<string | undefined> {
    return this.#secrets.get(account);
  }

  async set(account: string, secret: string): Promise<void> {
    this.#secrets.set(account, secret);
  }

  async delete(account: string): Promise<boolean> {
    return this.#secrets.delete(account);
  }

  async accounts(): Promise<string[]> {
    return [...this.#secrets.keys()];
  }
}
