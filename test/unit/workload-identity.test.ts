// Where a workload's JWT comes from: the platform's token file (read fresh, as platforms rotate it) or the keychain, and clear errors when the file is not there.
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { workloadAssertionFor } from '../../main/core/auth/workload-identity.ts';
import { configSchema } from '../../main/core/config/config-schema.ts';
import { Vault, vaultAccounts } from '../../main/core/vault/vault.ts';
import { MemorySecretStore } from '../support/memory-secret-store.ts';

const serverWith = (auth: Record<string, unknown> = {}) =>
  configSchema.parse({ servers: [{ id: 'wl', url: 'https://mcp.example/mcp', auth: { clientId: 'workload-1', ...auth } }] }).servers[0]!;

describe('workload identity assertion', () => {
  it('reads the token file at each request, so a token the platform rotated is the one sent', async () => {
    const file = join(await mkdtemp(join(tmpdir(), 'switchboard-wif-')), 'token');
    const server = serverWith({ workloadTokenFile: file });
    const vault = new Vault(new MemorySecretStore());
    await vault.setSecret(vaultAccounts.workloadAssertion('wl'), 'from-the-keychain');
    await writeFile(file, 'first.jwt.sig\n');
    expect(await workloadAssertionFor(server, vault)).toBe('first.jwt.sig');
    await writeFile(file, 'rotated.jwt.sig');
    expect(await workloadAssertionFor(server, vault)).toBe('rotated.jwt.sig');
  });

  it('says which file is missing or empty instead of falling back to another grant', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'switchboard-wif-'));
    const vault = new Vault(new MemorySecretStore());
    const missing = join(dir, 'absent');
    await expect(workloadAssertionFor(serverWith({ workloadTokenFile: missing }), vault)).rejects.toMatchObject({
      code: 'AUTH_SIGN_IN_REQUIRED',
      message: expect.stringContaining(`${missing} (ENOENT)`),
    });
    await writeFile(join(dir, 'empty'), '\n');
    await expect(workloadAssertionFor(serverWith({ workloadTokenFile: join(dir, 'empty') }), vault)).rejects.toMatchObject({
      message: expect.stringContaining('is empty'),
    });
  });

  it('uses the keychain entry when no file is configured, and nothing when there is none', async () => {
    const vault = new Vault(new MemorySecretStore());
    expect(await workloadAssertionFor(serverWith(), vault)).toBeUndefined();
    await vault.setSecret(vaultAccounts.workloadAssertion('wl'), ' kept.jwt.sig \n');
    expect(await workloadAssertionFor(serverWith(), vault)).toBe('kept.jwt.sig');
  });
});
