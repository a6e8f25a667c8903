// The OS keychain through @napi-rs/keyring (macOS Keychain, Windows Credential Manager, the Secret Service on Linux), namespaced per profile.
import { createRequire } from 'node:module';
import { SwitchboardError } from '../errors.ts';
import { silentLogger } from '../logging/json-logger.ts';
import type { Logger, SecretStore } from '../ports.ts';
import { adoptKeytarEntriesOnce } from './keytar-adoption.ts';

import type { AsyncEntry, findCredentialsAsync } from '@napi-rs/keyring';

/** The library, loaded on first use. */
interface Keyring {
  AsyncEntry: typeof AsyncEntry;
  findCredentialsAsync: typeof findCredentialsAsync;
}

const SERVICE_PREFIX = 'dev.switchboard';

export interface KeychainSecretStoreOptions {
  /** Where the one-time move of an older Switchboard's entries is reported. */
  logger?: Logger;
  env?: NodeJS.ProcessEnv;
  platform?: NodeJS.Platform;
}

/**
 * Every secret lives under one keychain service, `dev.switchboard.<profile>`, with the account name as the entry's
 * user, so tests and parallel runs use their own profile and never see (or clobber) a person's real entries. When the
 * keychain cannot be reached — locked, no Secret Service running, no binary for this platform — the call fails with
 * VAULT_UNAVAILABLE; there is no fallback to a file or to memory.
 *
 * On macOS the entries keytar wrote (Switchboard 0.1) are the same generic passwords (service and account), so they
 * read unchanged. On Linux keytar named the account attribute differently; those entries are moved over once per
 * process before the first call (keytar-adoption.ts).
 */
export class KeychainSecretStore implements SecretStore {
  readonly service: string;
  readonly #options: KeychainSecretStoreOptions;
  #keyring: Keyring | undefined;
  #adopted: Promise<void> | undefined;

  constructor(profile = 'default', options: KeychainSecretStoreOptions = {}) {
    if (!/^[A-Za-z0-9_.-]{1,64}$/.test(profile))
      throw new SwitchboardError('CONFIG_INVALID', `the keychain profile "${profile}" may only use letters, digits, "_", "." and "-"`);
    this.service = `${SERVICE_PREFIX}.${profile}`;
    this.#options = options;
  }

  async get(account: string): Promise<string | undefined> {
    await this.#adoptOlderEntries();
    return this.#read(account);
  }

  async set(account: string, secret: string): Promise<void> {
    await this.#adoptOlderEntries();
    await this.#write(account, secret);
  }

  async delete(account: string): Promise<boolean> {
    await this.#adoptOlderEntries();
    return this.#call((entry) => entry.deleteCredential(), account);
  }

  /** The accounts stored under this profile (never their secrets), e.g. for logout-all. */
  async accounts(): Promise<string[]> {
    await this.#adoptOlderEntries();
    const found = await this.#guard(() => this.#load().findCredentialsAsync(this.service));
    return found.map((credential) => credential.account);
  }

  // Secrets go in and out as UTF-8 bytes: getPassword/setPassword would use UTF-16 on Windows, and getSecret, unlike
  // getPassword, reports a locked or unreachable store as an error instead of "no entry".
  #read(account: string): Promise<string | undefined> {
    return this.#call(async (entry) => {
      const bytes = await entry.getSecret();
      return bytes === null ? undefined : Buffer.from(bytes).toString('utf8');
    }, account);
  }

  #write(account: string, secret: string): Promise<void> {
    return this.#call((entry) => entry.setSecret(Buffer.from(secret, 'utf8')), account);
  }

  #adoptOlderEntries(): Promise<void> {
    if ((this.#options.platform ?? process.platform) !== 'linux') return Promise.resolve();
    this.#adopted ??= adoptKeytarEntriesOnce(
      this.service,
      { read: (account) => this.#read(account), write: (account, secret) => this.#write(account, secret) },
      this.#options.logger ?? silentLogger,
      this.#options.env,
    );
    return this.#adopted;
  }

  #call<T>(operation: (entry: AsyncEntry) => Promise<T>, account: string): Promise<T> {
    return this.#guard(() => {
      const { AsyncEntry } = this.#load();
      // Linux: the Secret Service or nothing. The library would otherwise fall back to the kernel keyring, which forgets
      // everything at reboot: a sign-in would silently not last, and the secrets would not be where the person looks.
      return operation(new AsyncEntry(this.service, account, { linux: { store: 'secret-service' } }));
    });
  }

  async #guard<T>(operation: () => Promise<T>): Promise<T> {
    try {
      return await operation();
    } catch (error) {
      if (error instanceof SwitchboardError) throw error;
      throw keychainUnavailable(error as Error);
    }
  }

  #load(): Keyring {
    // Loaded on first use: a process that never touches a secret (e.g. `switchboard --help`) must not need the keychain.
    try {
      this.#keyring ??= createRequire(import.meta.url)('@napi-rs/keyring') as Keyring;
    } catch (error) {
      throw new SwitchboardError(
        'VAULT_UNAVAILABLE',
        `the keychain library has no binary for this system (${process.platform}-${process.arch}): ${(error as Error).message}`,
        { cause: error },
      );
    }
    return this.#keyring;
  }
}

/** The library's messages name the D-Bus or keychain failure, never the secret; they are turned into what to do. */
export function keychainUnavailable(error: Error): SwitchboardError {
  const detail = error.message;
  const noService = /DBUS_SESSION_BUS_ADDRESS|autolaunch|Failed to connect|ServiceUnknown|not provided by any \.service|No such file/i.test(detail);
  const locked = /locked|no result found|prompt|dismissed/i.test(detail);
  const what = noService
    ? 'no OS keychain is running (on Linux: no Secret Service such as gnome-keyring or KWallet on the session bus)'
    : locked
      ? 'the OS keychain is locked'
      : 'the OS keychain is not available';
  return new SwitchboardError('VAULT_UNAVAILABLE', `${what} (${detail}); unlock it (or start a Secret Service such as gnome-keyring on Linux) and try again`, {
    cause: error,
  });
}
