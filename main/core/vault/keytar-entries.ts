// The Secret Service entries keytar wrote (Switchboard 0.1 on Linux): found by keytar's attributes, read and removed over D-Bus.
import { DbusConnection } from './dbus-connection.ts';
import type { DbusValue, DbusVariant } from './dbus-wire.ts';

const SECRETS = 'org.freedesktop.secrets';
const SERVICE_PATH = '/org/freedesktop/secrets';
/**
 * keytar stores through libsecret with the generic schema and two attributes, `service` and `account`; libsecret adds
 * `xdg:schema`. @napi-rs/keyring (keyring-rs) names the second attribute `username`, so it never finds these.
 */
export const KEYTAR_SCHEMA = 'org.freedesktop.Secret.Generic';

export interface KeytarEntry {
  account: string;
  /** The item's D-Bus object path. */
  item: string;
  /** A locked item's secret cannot be read until the person unlocks the keyring. */
  locked: boolean;
}

export class KeytarEntries {
  readonly #bus: DbusConnection;
  #session: string | undefined;

  private constructor(bus: DbusConnection) {
    this.#bus = bus;
  }

  /** Fails when there is no session bus; Secret Service errors come from the calls. */
  static async open(env: NodeJS.ProcessEnv = process.env): Promise<KeytarEntries> {
    return new KeytarEntries(await DbusConnection.open({ env }));
  }

  async list(service: string): Promise<KeytarEntry[]> {
    const [unlocked, locked] = (await this.#bus.call({
      destination: SECRETS,
      path: SERVICE_PATH,
      interface: 'org.freedesktop.Secret.Service',
      member: 'SearchItems',
      signature: 'a{ss}',
      body: [
        [
          ['service', service],
          ['xdg:schema', KEYTAR_SCHEMA],
        ],
      ],
    })) as [string[], string[]];
    const entries: KeytarEntry[] = [];
    for (const [items, isLocked] of [
      [unlocked, false],
      [locked, true],
    ] as const) {
      for (const item of items) {
        const account = (await this.#attributes(item)).get('account');
        if (account !== undefined) entries.push({ account, item, locked: isLocked });
      }
    }
    return entries;
  }

  /** The secrets of unlocked items, by item path, as the UTF-8 text keytar stored. */
  async read(items: string[]): Promise<Map<string, string>> {
    if (items.length === 0) return new Map();
    const [secrets] = (await this.#bus.call({
      destination: SECRETS,
      path: SERVICE_PATH,
      interface: 'org.freedesktop.Secret.Service',
      member: 'GetSecrets',
      signature: 'aoo',
      body: [items, await this.#openSession()],
    })) as [[string, [string, Buffer, Buffer, string]][]];
    return new Map(secrets.map(([item, [, , value]]) => [item, value.toString('utf8')]));
  }

  /** Deletes an item; false when the Secret Service wants to ask the person first (a prompt), which is left alone. */
  async delete(item: string): Promise<boolean> {
    const [prompt] = (await this.#bus.call({ destination: SECRETS, path: item, interface: 'org.freedesktop.Secret.Item', member: 'Delete' })) as [string];
    return prompt === '/';
  }

  close(): void {
    this.#bus.close();
  }

  async #attributes(item: string): Promise<Map<string, string>> {
    const [variant] = (await this.#bus.call({
      destination: SECRETS,
      path: item,
      interface: 'org.freedesktop.DBus.Properties',
      member: 'Get',
      signature: 'ss',
      body: ['org.freedesktop.Secret.Item', 'Attributes'],
    })) as [DbusVariant];
    return new Map(variant.value as [string, string][]);
  }

  /**
   * A "plain" session: secrets cross the session bus unencrypted. The bus is the user's own (only their processes can
   * connect), so this is the same boundary the Secret Service daemon itself relies on; libsecret's encrypted transfer
   * guards only against a process that can read another's traffic on that bus, which is already the user.
   */
  async #openSession(): Promise<string> {
    if (this.#session) return this.#session;
    const [, session] = (await this.#bus.call({
      destination: SECRETS,
      path: SERVICE_PATH,
      interface: 'org.freedesktop.Secret.Service',
      member: 'OpenSession',
      signature: 'sv',
      body: ['plain', { signature: 's', value: '' } satisfies DbusVariant as DbusValue],
    })) as [DbusVariant, string];
    this.#session = session;
    return session;
  }
}
