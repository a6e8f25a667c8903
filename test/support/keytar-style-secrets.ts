// Writes Secret Service items exactly as keytar 7 did (label, attributes, content type) and locks the keyring, so the upgrade path is tested without keytar installed.
import { DbusConnection } from '../../main/core/vault/dbus-connection.ts';
import type { DbusValue } from '../../main/core/vault/dbus-wire.ts';
import { KEYTAR_SCHEMA } from '../../main/core/vault/keytar-entries.ts';

const SECRETS = 'org.freedesktop.secrets';
const DEFAULT_COLLECTION = '/org/freedesktop/secrets/aliases/default';

/**
 * keytar's setPassword is libsecret's secret_password_store_sync with the generic schema: label "<service>/<account>",
 * attributes service, account and the xdg:schema libsecret adds, content type text/plain, in the default collection.
 * (Compared against items keytar 7.9.0 itself wrote on gnome-keyring: the same label and attributes.)
 */
export async function writeAsKeytarDid(service: string, account: string, secret: string): Promise<void> {
  const bus = await DbusConnection.open();
  try {
    const [, session] = (await bus.call({
      destination: SECRETS,
      path: '/org/freedesktop/secrets',
      interface: 'org.freedesktop.Secret.Service',
      member: 'OpenSession',
      signature: 'sv',
      body: ['plain', { signature: 's', value: '' }],
    })) as [unknown, string];
    const properties: [string, DbusValue][] = [
      ['org.freedesktop.Secret.Item.Label', { signature: 's', value: `${service}/${account}` }],
      [
        'org.freedesktop.Secret.Item.Attributes',
        {
          signature: 'a{ss}',
          value: [
            ['service', service],
            ['account', account],
            ['xdg:schema', KEYTAR_SCHEMA],
          ],
        },
      ],
    ];
    await bus.call({
      destination: SECRETS,
      path: DEFAULT_COLLECTION,
      interface: 'org.freedesktop.Secret.Collection',
      member: 'CreateItem',
      signature: 'a{sv}(oayays)b',
      body: [properties, [session, Buffer.alloc(0), Buffer.from(secret, 'utf8'), 'text/plain'], true],
    });
  } finally {
    bus.close();
  }
}

/** The attributes of every item of `service`, as the Secret Service holds them (to compare writers). */
export async function itemAttributes(service: string): Promise<Record<string, string>[]> {
  const bus = await DbusConnection.open();
  try {
    const [unlocked, locked] = (await bus.call({
      destination: SECRETS,
      path: '/org/freedesktop/secrets',
      interface: 'org.freedesktop.Secret.Service',
      member: 'SearchItems',
      signature: 'a{ss}',
      body: [[['service', service]]],
    })) as [string[], string[]];
    const all: Record<string, string>[] = [];
    for (const item of [...unlocked, ...locked]) {
      const [variant] = (await bus.call({
        destination: SECRETS,
        path: item,
        interface: 'org.freedesktop.DBus.Properties',
        member: 'Get',
        signature: 'ss',
        body: ['org.freedesktop.Secret.Item', 'Attributes'],
      })) as unknown as [{ value: [string, string][] }];
      all.push(Object.fromEntries(variant.value));
    }
    return all;
  } finally {
    bus.close();
  }
}

/** Locks the default collection, as the screen locker or a timeout does; unlocking it again would need a prompt. */
export async function lockDefaultCollection(): Promise<void> {
  const bus = await DbusConnection.open();
  try {
    const [collection] = (await bus.call({
      destination: SECRETS,
      path: '/org/freedesktop/secrets',
      interface: 'org.freedesktop.Secret.Service',
      member: 'ReadAlias',
      signature: 's',
      body: ['default'],
    })) as [string];
    await bus.call({
      destination: SECRETS,
      path: '/org/freedesktop/secrets',
      interface: 'org.freedesktop.Secret.Service',
      member: 'Lock',
      signature: 'ao',
      body: [[collection]],
    });
  } finally {
    bus.close();
  }
}
