// The local clients without a socket: a credential registered and kept in the keychain, reused for set-up while accepted, revoked on removal.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createClientsService, type ClientsService } from '../../../main/core/app/clients.ts';
import { vaultAccounts } from '../../../main/core/vault/vault.ts';
import { createTestContext, type TestContext } from '../../support/app-test-context.ts';

describe('the clients use cases', () => {
  let context: TestContext;
  let clients: ClientsService;

  beforeEach(async () => {
    context = await createTestContext();
    clients = createClientsService(context);
  });
  afterEach(() => context.close());

  it('registers a client with its view, keeps the credential in the keychain and lists it without the hash', async () => {
    const { client, credential, keychainError } = await clients.register('cursor', { servers: ['wiki'] });
    expect(keychainError).toBeUndefined();
    expect(client).toEqual({ id: 'cursor', createdAt: expect.any(String), servers: ['wiki'] });
    expect(await clients.keptCredential('cursor')).toBe(credential);
    expect(clients.accepts(credential)).toBe(true);
    expect(clients.list()).toEqual([client]);
    expect(context.events).toEqual([{ method: 'client.added', client: 'cursor', details: { servers: ['wiki'], tools: 'all' } }]);
  });

  it('a locked keychain does not fail a registration (the credential is shown once), but does fail a set-up', async () => {
    context.secretStore.failing = true;
    const registered = await clients.register('probe');
    expect(registered.keychainError).toBe('VAULT_UNAVAILABLE: the keychain is locked');
    expect(clients.accepts(registered.credential)).toBe(true);
    await expect(clients.credentialFor('cursor')).rejects.toThrow('the keychain is locked');
  });

  it('set-up reuses the kept credential while it is accepted, and replaces one the registry no longer knows', async () => {
    const first = await clients.credentialFor('cursor');
    expect(await clients.credentialFor('cursor')).toBe(first);
    await context.secretStore.set(vaultAccounts.localClient('cursor'), 'sbc_not-a-credential-we-issued');
    const second = await clients.credentialFor('cursor');
    expect(second).not.toBe(first);
    expect(clients.accepts(first)).toBe(false);
    expect(await clients.keptCredential('cursor')).toBe(second);
  });

  it('removal revokes the credential and deletes the keychain copy; a locked keychain is reported, not fatal', async () => {
    const { credential } = await clients.register('cursor');
    context.secretStore.failing = true;
    expect(await clients.remove('cursor')).toEqual({
      removed: true,
      keychainAccount: vaultAccounts.localClient('cursor'),
      keychainError: 'VAULT_UNAVAILABLE: the keychain is locked',
    });
    expect(clients.accepts(credential)).toBe(false);
    context.secretStore.failing = false;
    expect(await clients.remove('cursor')).toEqual({ removed: false, keychainAccount: vaultAccounts.localClient('cursor') });
    expect(context.events.map((event) => event.method)).toEqual(['client.added', 'client.removed']);
  });
});
