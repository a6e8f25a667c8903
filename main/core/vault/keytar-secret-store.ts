// The OS keychain through keytar (Keychain, Credential Manager, Secret Service), namespaced per profile.
import { createRequire } from 'node:module';
import { SwitchboardError } from '../errors.ts';
import type { SecretStore } from '../ports.ts';

type Keytar = {
  getPassword(service: string, account: string): Promise<string | null>;
  setPassword(service: string, account: string, password: string): Promise<void>;
  deletePassword(service: string, account: string): Promise<boolean>;
  findCredentials(service: string): Promise<{ account: string; password: string }[]>;
};

const SERVICE_PREFIX = 'dev.switchboard';

/**
 * Every secret lives under one keychain service, `dev.switchboard.<profile>`, so tests and parallel runs use their
 * own profile and never see (or clobber) a person's real entries. When the keychain cannot be reached — locked, no
 * Secret Service running, keytar missing — the call fails with VAULT_UNAVAILABLE; there is no fallback to a file.
 */
export class KeytarSecretStore implements SecretStore {
  readonly service: string;
  #keytar: Keytar | undefined;

  constructor(profile = 'default') {
    if (!/^[A-Za-z0-9_.-]{1,64}$/.test(profile)) throw new SwitchboardError('CONFIG_INVALID', `the keychain profile "${profile}" may only use letters, digits, "_", "." and "-"`);
    this.service = `${SERVICE_PREFIX}.${profile}`;
  }

  async get(account: string): Promise<string | undefined> {
    return (await this.#call((keytar) => keytar.getPassword(this.service, account))) ?? undefined;
  }

  async set(account: string, secret: string): Promise<void> {
    await this.#call((keytar) => keytar.setPassword(this.service, account, secret));
  }

  async delete(account: string): Promise<boolean> {
    return this.#call((keytar) => keytar.deletePassword(this.service, account));
  }

  /** The accounts stored under this profile (never their secrets), e.g. for logout-all. */
  async accounts(): Promise<string[]> {
    return (await this.#call((keytar) => keytar.findCredentials(this.service))).map((entry) => entry.account);
  }

  async #call<T>(operation: (keytar: Keytar) => Promise<T>): Promise<T> {
    try {
      return await operation(this.#load());
    } catch (error) {
      if (error instanceof SwitchboardError) throw error;
      // keytar's messages name the D-Bus or keychain failure; they never contain the secret itself.
      throw new SwitchboardError(
        'VAULT_UNAVAILABLE',
        `the OS keychain is not available (${(error as Error).message}); unlock it (or start a Secret Service such as gnome-keyring on Linux) and try again`,
        { cause: error },
      );
    }
  }

  #load(): Keytar {
    // Loaded on first use: a process that never touches a secret (e.g. `switchboard --help`) must not need the keychain.
    this.#keytar ??= createRequire(import.meta.url)('keytar') as Keytar;
    return this.#keytar;
  }
}
