// The company policy applied to a configuration: its IdP, denied servers turned off, locked settings winning.
import { describe, expect, it } from 'vitest';
import { applyCompanyPolicy } from '../../main/core/config/apply-policy.ts';
import { configSchema } from '../../main/core/config/config-schema.ts';
import { companyPolicySchema, policyRefusal } from '../../main/core/discovery/company-policy.ts';

const config = configSchema.parse({
  servers: [
    { id: 'crm', url: 'https://crm.corp.example/mcp' },
    { id: 'shadow', url: 'https://shadow-it.example.net/mcp' },
  ],
  auth: { idp: { issuer: 'https://personal.example', clientId: 'mine' } },
});

describe('company policy', () => {
  it('disables servers it denies or does not allow; deny wins over allow', () => {
    const policy = companyPolicySchema.parse({ allow: ['*.corp.example'], deny: ['legacy.corp.example'] });
    const outcome = applyCompanyPolicy(config, policy);
    expect(outcome.config.servers.map((server) => [server.id, server.enabled])).toEqual([
      ['crm', true],
      ['shadow', false],
    ]);
    expect(outcome.disabled[0]).toMatchObject({ id: 'shadow', reason: expect.stringContaining('allows only') });
    expect(policyRefusal(policy, 'https://legacy.corp.example/mcp')).toContain('denies');
  });

  it('uses its IdP when none is configured, and always when auth.idp is locked', () => {
    const idp = { issuer: 'https://login.corp.example', clientId: 'switchboard' };
    expect(applyCompanyPolicy(config, companyPolicySchema.parse({ idp })).config.auth.idp?.issuer).toBe('https://personal.example');
    expect(applyCompanyPolicy(config, companyPolicySchema.parse({ idp, locked: ['auth.idp'] })).config.auth.idp).toMatchObject(idp);
    const none = configSchema.parse({});
    expect(applyCompanyPolicy(none, companyPolicySchema.parse({ idp })).config.auth.idp).toMatchObject({ ...idp, tokenEndpointAuthMethod: 'none' });
  });

  it('refuses a malformed policy with the field', () => {
    expect(companyPolicySchema.safeParse({ deny: 'x' }).success).toBe(false);
    expect(companyPolicySchema.safeParse({ surprise: true }).success).toBe(false);
  });
});
