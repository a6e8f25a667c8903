// Choosing servers without a socket: on and off under the policy (read when used), offered servers added by id, removal with their secrets.
import { readFile } from 'node:fs/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createServersService, type ServersService } from '../../../main/core/app/servers.ts';
import { vaultAccounts } from '../../../main/core/vault/vault.ts';
import { createTestContext, type TestContext } from '../../support/app-test-context.ts';

describe('the servers use cases', () => {
  let context: TestContext;
  let servers: ServersService;

  beforeEach(async () => {
    context = await createTestContext({
      config: { servers: [{ id: 'wiki', url: 'https://wiki.example.com/mcp', enabled: false, secretHeaders: ['X-Api-Key'] }] },
    });
    servers = createServersService(context);
  });
  afterEach(() => context.close());

  it('turns a configured server on and off, records it, and has the change applied', async () => {
    await servers.setEnabled('wiki', true);
    expect((await context.config()).servers[0]).toMatchObject({ id: 'wiki', enabled: true });
    await servers.setEnabled('wiki', false);
    expect(context.events.map((event) => [event.method, event.server])).toEqual([
      ['config.server_enabled', 'wiki'],
      ['config.server_disabled', 'wiki'],
    ]);
    expect(context.restarts).toHaveLength(2);
  });

  it('reads the company policy when it is used: a rule added after start refuses enabling at once', async () => {
    expect((await servers.list())[0]).not.toHaveProperty('deniedBy');
    await context.writePolicy({ deny: ['*.example.com'] });
    expect((await servers.list())[0]).toMatchObject({ deniedBy: expect.stringContaining('wiki.example.com') });
    await expect(servers.setEnabled('wiki', true)).rejects.toMatchObject({ code: 'POLICY_DENIED' });
    expect(context.events).toEqual([]);
  });

  it('enables a server the company offers by its id: it is added to the file first', async () => {
    await context.writePolicy({ servers: [{ id: 'crm', url: 'https://crm.example.com/mcp', title: 'CRM' }] });
    expect((await servers.list()).map(({ id, configured }) => [id, configured])).toEqual([
      ['wiki', true],
      ['crm', false],
    ]);
    await servers.setEnabled('crm', true);
    expect((await context.config()).servers[1]).toMatchObject({ id: 'crm', url: 'https://crm.example.com/mcp', title: 'CRM', enabled: true });
    expect(context.events.map((event) => event.method)).toEqual(['config.server_added', 'config.server_enabled']);
    await expect(servers.setEnabled('nowhere', true)).rejects.toMatchObject({
      code: 'CONFIG_INVALID',
      message: 'no server "nowhere" is configured or offered',
    });
  });

  it('removes a server from the file with its keychain entries, and only those', async () => {
    await context.secretStore.set(vaultAccounts.serverHeader('wiki', 'X-Api-Key'), 'secret');
    await context.secretStore.set(vaultAccounts.token('wiki'), '{}');
    await context.secretStore.set(vaultAccounts.token('other'), '{}');
    const { keychainEntriesDeleted } = await servers.remove('wiki');
    expect(keychainEntriesDeleted.sort()).toEqual([vaultAccounts.serverHeader('wiki', 'X-Api-Key'), vaultAccounts.token('wiki')].sort());
    expect([...context.secretStore.secrets.keys()]).toEqual([vaultAccounts.token('other')]);
    expect(JSON.parse(await readFile(context.configPath, 'utf8'))).toMatchObject({ servers: [] });
    expect(context.events.map((event) => event.method)).toEqual(['config.server_removed']);
  });

  it('names the template variables a URL still needs, and fills them in', async () => {
    expect(servers.missingVariables('https://{tenant}.example.com/{region}/mcp', { 'var:tenant': 'acme' })).toEqual(['region']);
    // Loopback with nothing listening: the card lookup fails quietly, the server can be added without one.
    const remote = await servers.prepareAdd('http://127.0.0.1:9/{tenant}/mcp', { 'var:tenant': 'a b' });
    expect(remote).toMatchObject({ resolvedUrl: 'http://127.0.0.1:9/a%20b/mcp', secretHeaders: [] });
    expect(await servers.add(remote, { values: { 'var:tenant': 'a b' }, id: 'tenant' })).toEqual({ id: 'tenant', url: 'http://127.0.0.1:9/a%20b/mcp' });
    expect(context.events.map((event) => event.method)).toEqual(['config.server_added']);
  });

  it('says what a server offers only with a running core', async () => {
    await expect(servers.offer('wiki')).rejects.toMatchObject({ code: 'GATEWAY_NOT_RUNNING' });
  });
});
