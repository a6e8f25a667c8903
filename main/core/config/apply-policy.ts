// Applies the company policy to a configuration: the IdP it names, servers it denies turned off, locked settings enforced.
import type { CompanyPolicy } from './company-policy-schema.ts';
import type { SwitchboardConfig } from './config-schema.ts';
import { policyRefusal } from './policy-refusal.ts';
import { combineToolSearch } from './tool-search-schema.ts';

export interface PolicyOutcome {
  config: SwitchboardConfig;
  /** Servers the policy turned off, with why. */
  disabled: { id: string; reason: string }[];
  /** Settings the policy manages: shown as such, and a person's value for them is replaced. */
  locked: readonly string[];
}

/**
 * The policy wins where it speaks: its IdP is used when the person configured none, or always when `auth.idp` is
 * locked; a server it denies (or does not allow) is disabled, whatever the file says; its toolChanges replaces
 * tools.changes. Nothing else changes.
 */
export function applyCompanyPolicy(config: SwitchboardConfig, policy: CompanyPolicy): PolicyOutcome {
  const disabled: PolicyOutcome['disabled'] = [];
  const servers = config.servers.map((server) => {
    const reason = server.enabled ? policyRefusal(policy, server.url) : undefined;
    if (!reason) return server;
    disabled.push({ id: server.id, reason });
    return { ...server, enabled: false };
  });
  const idpLocked = policy.locked.includes('auth.idp');
  const idp =
    policy.idp && (idpLocked || !config.auth.idp)
      ? {
          tokenEndpointAuthMethod: 'none' as const,
          scopes: ['openid', 'email', 'profile', 'offline_access'],
          extraAuthorizationParams: {},
          ...config.auth.idp,
          ...policy.idp,
        }
      : config.auth.idp;
  const tools = policy.toolChanges ? { ...config.tools, changes: policy.toolChanges } : config.tools;
  const toolSearch = combineToolSearch(config.toolSearch, policy.toolSearch);
  return {
    config: { ...config, servers, auth: { ...config.auth, ...(idp ? { idp } : {}) }, tools, ...(toolSearch ? { toolSearch } : {}) },
    disabled,
    locked: policy.locked,
  };
}
