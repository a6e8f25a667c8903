// The company policy is read when used: the file the configuration names, parsed again only after it changed, and an invalid edit is an error.
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { configSchema } from '../../../main/core/config/config-schema.ts';
import { EMPTY_POLICY } from '../../../main/core/discovery/company-policy.ts';
import { createCompanyPolicyReader } from '../../../main/core/host/company-policy-reader.ts';

describe('the company policy reader', () => {
  it('reads the policy relative to the configuration file, again after it changed', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'switchboard-policy-'));
    const configPath = join(dir, 'config.json');
    const config = configSchema.parse({ discovery: { policyFile: 'policy.json' } });
    const reader = createCompanyPolicyReader();
    await writeFile(join(dir, 'policy.json'), JSON.stringify({ deny: ['a.example.com'] }));
    const first = await reader.read(configPath, config);
    expect(first.deny).toEqual(['a.example.com']);
    expect(await reader.read(configPath, config)).toBe(first);
    await writeFile(join(dir, 'policy.json'), JSON.stringify({ deny: ['a.example.com', 'b.example.com'] }));
    expect((await reader.read(configPath, config)).deny).toEqual(['a.example.com', 'b.example.com']);
    await writeFile(join(dir, 'policy.json'), '{ not json');
    await expect(reader.read(configPath, config)).rejects.toMatchObject({ code: 'POLICY_INVALID' });
  });

  it('is the empty policy when the configuration names none', async () => {
    expect(await createCompanyPolicyReader().read('/nowhere/config.json', configSchema.parse({}))).toBe(EMPTY_POLICY);
  });
});
