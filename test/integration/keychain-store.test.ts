// The keychain store on the real Secret Service (scripts/with-keyring.sh): secrets round-trip, keytar's entries from Switchboard 0.1 are moved over once, a locked keyring is VAULT_UNAVAILABLE.
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AsyncEntry } from '@napi-rs/keyring';
import { describe, expect, it } from 'vitest';
import type { Logger } from '../../main/core/ports.ts';
import { KeychainSecretStore } from '../../main/core/vault/keychain-secret-store.ts';
import { KeytarEntries } from '../../main/core/vault/keytar-entries.ts';
import { openSecretStore } from '../../main/core/vault/open-secret-store.ts';
import { itemAttributes, writeAsKeytarDid } from '../support/keytar-style-secrets.ts';

const linux = process.platform === 'linux';
const freshProfile = () => `test-${randomBytes(6).toString('hex')}`;

function recordingLogger(): Logger & { lines: { level: string; event: string; fields?: Record<string, unknown> }[] } {
  const lines: { level: string; event: string; fields?: Record<string, unknown> }[] = [];
  return { lines, log: (level, event, fields) => void lines.push({ level, event, ...(fields ? { fields } : {}) }) };
}

describe('the keychain store', () => {
  it('keeps, lists and deletes secrets per profile, any Unicode intact', async () => {
    const profile = freshProfile();
    const store = new KeychainSecretStore(profile);
    const other = new KeychainSecretStore(freshProfile());
    await store.set('token:crm', '{"accessToken":"ä€😀"}');
    await store.set('sso', 'session');
    expect(await store.get('token:crm')).toBe('{"accessToken":"ä€😀"}');
    expect(await other.get('token:crm')).toBeUndefined();
    expect((await store.accounts()).sort()).toEqual(['sso', 'token:crm']);
    await store.set('sso', 'replaced');
    expect(await store.get('sso')).toBe('replaced');
    expect(await store.delete('sso')).toBe(true);
    expect(await store.delete('sso')).toBe(false);
    expect(await store.get('sso')).toBeUndefined();
    expect(await store.get('never-written')).toBeUndefined();
  });

  it('refuses a profile name that could reach another service', () => {
    expect(() => new KeychainSecretStore('a/b')).toThrow(expect.objectContaining({ code: 'CONFIG_INVALID' }));
  });

  it.runIf(linux)('reads what Switchboard 0.1 stored through keytar: each entry moved once, then gone from its old place, with one log line', async () => {
    const profile = freshProfile();
    const service = `dev.switchboard.${profile}`;
    await writeAsKeytarDid(service, 'token:crm', '{"accessToken":"old-token"}');
    await writeAsKeytarDid(service, 'local-client:cursor', 'sbc_kept');
    await writeAsKeytarDid(service, 'sso', 'stale');
    // An account this version already wrote keeps its value; the older copy is not resurrected.
    const logger = recordingLogger();
    const store = new KeychainSecretStore(profile, { logger });
    await new AsyncEntry(service, 'sso', { linux: { store: 'secret-service' } }).setSecret(Buffer.from('current'));

    expect(await store.get('token:crm')).toBe('{"accessToken":"old-token"}');
    expect(await store.get('local-client:cursor')).toBe('sbc_kept');
    expect(await store.get('sso')).toBe('current');
    expect(logger.lines.filter((line) => line.event === 'vault.keytar_entries_adopted')).toEqual([
      {
        level: 'info',
        event: 'vault.keytar_entries_adopted',
        fields: expect.objectContaining({ service, moved: expect.arrayContaining(['token:crm', 'local-client:cursor']), superseded: ['sso'] }),
      },
    ]);
    // Nothing left under keytar's attributes; every item now has the store's own.
    const legacy = await KeytarEntries.open();
    try {
      expect(await legacy.list(service)).toEqual([]);
    } finally {
      legacy.close();
    }
    expect((await itemAttributes(service)).every((attributes) => 'username' in attributes && !('account' in attributes))).toBe(true);
    // Deleting really forgets: the old entry does not come back through a later adoption.
    expect(await store.delete('token:crm')).toBe(true);
    expect(await new KeychainSecretStore(profile).get('token:crm')).toBeUndefined();
  });

  it('SWITCHBOARD_KEYCHAIN=memory keeps secrets in the process only, seeded, and says so once', async () => {
    const logger = recordingLogger();
    const profile = freshProfile();
    const env = { SWITCHBOARD_KEYCHAIN: 'memory', SWITCHBOARD_KEYCHAIN_SEED: JSON.stringify({ 'client-secret:idp': 'seeded' }) };
    const store = openSecretStore(profile, { env, logger });
    expect(await store.get('client-secret:idp')).toBe('seeded');
    await store.set('token:crm', 'in-memory');
    expect(await openSecretStore(profile, { env, logger }).get('token:crm')).toBe('in-memory');
    expect(logger.lines.map((line) => line.event)).toEqual(['vault.in_memory']);
    expect(String(logger.lines[0]!.fields!.message)).toContain('never in the OS keychain');
    // The OS keychain never saw it.
    expect(await new KeychainSecretStore(profile).get('token:crm')).toBeUndefined();
    expect(() => openSecretStore(freshProfile(), { env: { SWITCHBOARD_KEYCHAIN: 'memory', SWITCHBOARD_KEYCHAIN_SEED: '["x"]' } })).toThrow(
      expect.objectContaining({ code: 'CONFIG_INVALID' }),
    );
  });
});

describe.runIf(linux)('a locked or missing keychain', () => {
  /** Runs `body` in a process with a private bus of its own (an unlocked keyring when `unlock`), returning its last line. */
  async function inOwnKeyring(body: string, unlock: boolean): Promise<string> {
    const dir = await mkdtemp(join(tmpdir(), 'switchboard-keychain-'));
    const script = join(dir, 'probe.ts');
    const modules = (name: string) => JSON.stringify(new URL(name, import.meta.url).pathname);
    await writeFile(
      script,
      [
        `import { KeychainSecretStore } from ${modules('../../main/core/vault/keychain-secret-store.ts')};`,
        `import { lockDefaultCollection, writeAsKeytarDid } from ${modules('../support/keytar-style-secrets.ts')};`,
        'const lines = [];',
        'const store = new KeychainSecretStore("probe", { logger: { log: (level, event) => lines.push(event) } });',
        'const outcome = async (operation) => { const started = Date.now(); try { await operation(); return { ok: true }; } catch (e) { return { code: e.code, message: e.message, ms: Date.now() - started }; } };',
        body,
      ].join('\n'),
    );
    const keyring = unlock ? 'printf x | gnome-keyring-daemon --unlock --components=secrets >/dev/null' : 'true';
    const result = spawnSync('dbus-run-session', ['--', 'bash', '-c', `${keyring} && exec "$@"`, 'probe', process.execPath, script], {
      env: { ...process.env, DISPLAY: '', XDG_DATA_HOME: join(dir, 'data'), XDG_RUNTIME_DIR: dir },
      encoding: 'utf8',
      timeout: 60_000,
    });
    return result.stdout.trim().split('\n').at(-1) ?? '';
  }

  it('locked: every call is VAULT_UNAVAILABLE saying it is locked, promptly; keytar entries wait for the unlock', async () => {
    const line = await inOwnKeyring(
      [
        'await store.set("a", "b");',
        'await writeAsKeytarDid("dev.switchboard.probe-older", "old", "v");',
        'await lockDefaultCollection();',
        'const results = { get: await outcome(() => store.get("a")), set: await outcome(() => store.set("c", "d")), delete: await outcome(() => store.delete("a")), accounts: await outcome(() => store.accounts()) };',
        'await new KeychainSecretStore("probe-older", { logger: { log: (level, event) => lines.push(event) } }).get("old");',
        'console.log(JSON.stringify({ results, lines }));',
      ].join('\n'),
      true,
    );
    const { results, lines } = JSON.parse(line) as { results: Record<string, { code: string; message: string; ms: number }>; lines: string[] };
    for (const result of Object.values(results)) {
      expect(result).toMatchObject({ code: 'VAULT_UNAVAILABLE', message: expect.stringContaining('locked') });
      expect(result.ms).toBeLessThan(10_000);
    }
    expect(lines).toEqual(['vault.keytar_entries_locked']);
  });

  it('no Secret Service on the bus and no bus at all: VAULT_UNAVAILABLE saying what to start', async () => {
    const noBus = spawnSync(
      process.execPath,
      [
        '-e',
        `import(${JSON.stringify(new URL('../../main/core/vault/keychain-secret-store.ts', import.meta.url).pathname)}).then(async ({ KeychainSecretStore }) => { try { await new KeychainSecretStore('probe').get('a'); console.log('{}'); } catch (e) { console.log(JSON.stringify({ code: e.code, message: e.message })); } })`,
      ],
      {
        env: { ...process.env, DBUS_SESSION_BUS_ADDRESS: '', XDG_RUNTIME_DIR: '/nonexistent', DISPLAY: '' },
        encoding: 'utf8',
        timeout: 30_000,
      },
    );
    expect(JSON.parse(noBus.stdout.trim().split('\n').at(-1) ?? '{}')).toMatchObject({
      code: 'VAULT_UNAVAILABLE',
      message: expect.stringMatching(/no OS keychain is running|not available/),
    });
  });
});
