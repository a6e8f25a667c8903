// Whether the company policy's allow and deny host rules let a server URL be used; applying the policy and adding a server both ask.
import type { CompanyPolicy } from './company-policy-schema.ts';

/** Why the policy refuses a server URL, or undefined when it may be used. Deny wins over allow. */
export function policyRefusal(policy: CompanyPolicy, serverUrl: string): string | undefined {
  const host = new URL(serverUrl).hostname.toLowerCase();
  const denied = policy.deny.find((pattern) => hostMatches(pattern, host));
  if (denied) return `the company policy denies ${host} (rule "${denied}")`;
  if (policy.allow.length && !policy.allow.some((pattern) => hostMatches(pattern, host)))
    return `the company policy allows only ${policy.allow.join(', ')}; ${host} is not among them`;
  return undefined;
}

function hostMatches(pattern: string, host: string): boolean {
  const wanted = pattern.toLowerCase();
  return wanted.startsWith('*.') ? host.endsWith(wanted.slice(1)) : host === wanted;
}
