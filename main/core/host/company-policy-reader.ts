// Reads the company policy the configuration names when it is used, again only when its file changed, so an edit counts without a restart.
import { stat } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import type { SwitchboardConfig } from '../config/config-schema.ts';
import { EMPTY_POLICY, loadCompanyPolicy, type CompanyPolicy } from '../discovery/company-policy.ts';

/** Like every path in the configuration, the policy file is relative to the configuration file. */
export function companyPolicyPath(configPath: string, config: SwitchboardConfig): string | undefined {
  return config.discovery.policyFile ? resolve(dirname(configPath), config.discovery.policyFile) : undefined;
}

export interface CompanyPolicyReader {
  read(configPath: string, config: SwitchboardConfig): Promise<CompanyPolicy>;
}

/**
 * One stat per read; the file is parsed again only when its path, size or modification time changed. A policy that
 * became invalid fails the read (POLICY_INVALID naming the file) rather than silently keeping the old one.
 */
export function createCompanyPolicyReader(): CompanyPolicyReader {
  let cached: { path: string; stamp: string; policy: CompanyPolicy } | undefined;
  return {
    async read(configPath, config) {
      const path = companyPolicyPath(configPath, config);
      if (!path) return EMPTY_POLICY;
      const info = await stat(path).catch(() => undefined);
      // A missing file is reported by loadCompanyPolicy itself, with its own words.
      const stamp = info ? `${info.size}:${info.mtimeMs}` : 'missing';
      if (cached?.path === path && cached.stamp === stamp && info) return cached.policy;
      const policy = await loadCompanyPolicy(path);
      cached = { path, stamp, policy };
      return policy;
    },
  };
}
