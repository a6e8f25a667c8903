// The company's catalog and policy: an admin-managed file listing servers and domains, the IdP, allow/deny rules and locked settings.
import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { SwitchboardError } from '../errors.ts';

export const companyPolicySchema = z
  .object({
    /** Servers the company offers; people pick from these (and may be limited to them). */
    servers: z.array(z.object({ id: z.string().min(1).max(32), url: z.string().url(), title: z.string().max(100).optional(), description: z.string().max(500).optional() }).strict()).default([]),
    /** Domains whose AI catalogs list the company's servers. */
    domains: z.array(z.string().min(1).max(253)).default([]),
    /** Internal hosts whose private addresses discovery may reach. */
    privateHosts: z.array(z.string().min(1).max(253)).default([]),
    idp: z.object({ issuer: z.string().url(), clientId: z.string().min(1) }).strict().optional(),
    /** Host patterns ("*.example.com", "crm.example.com"); when `allow` is non-empty, only those hosts may be added. */
    allow: z.array(z.string().min(1)).default([]),
    deny: z.array(z.string().min(1)).default([]),
    /** Configuration fields a person may not change, e.g. "auth.idp", "audit.sinks"; shown as managed. */
    locked: z.array(z.string().min(1)).default([]),
    /** A URL the catalog is also published at (fetched like a discovery document). */
    catalogUrl: z.string().url().optional(),
  })
  .strict();

export type CompanyPolicy = z.infer<typeof companyPolicySchema>;

export const EMPTY_POLICY: CompanyPolicy = companyPolicySchema.parse({});

export async function loadCompanyPolicy(path: string): Promise<CompanyPolicy> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new SwitchboardError('POLICY_INVALID', `cannot read the company policy ${path}: ${(error as Error).message}`, { cause: error });
  }
  return parseCompanyPolicyText(text, path);
}

/** A policy file's text, checked: not JSON or not the schema is POLICY_INVALID naming the file and the field. */
export function parseCompanyPolicyText(text: string, source: string): CompanyPolicy {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new SwitchboardError('POLICY_INVALID', `the company policy ${source} is not JSON`);
  }
  const parsed = companyPolicySchema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new SwitchboardError('POLICY_INVALID', `the company policy ${source} is invalid at ${issue.path.join('.') || '(root)'}: ${issue.message}`);
  }
  return parsed.data;
}

/** Why the policy refuses a server URL, or undefined when it may be used. Deny wins over allow. */
export function policyRefusal(policy: CompanyPolicy, serverUrl: string): string | undefined {
  const host = new URL(serverUrl).hostname.toLowerCase();
  const denied = policy.deny.find((pattern) => hostMatches(pattern, host));
  if (denied) return `the company policy denies ${host} (rule "${denied}")`;
  if (policy.allow.length && !policy.allow.some((pattern) => hostMatches(pattern, host))) return `the company policy allows only ${policy.allow.join(', ')}; ${host} is not among them`;
  return undefined;
}

function hostMatches(pattern: string, host: string): boolean {
  const wanted = pattern.toLowerCase();
  return wanted.startsWith('*.') ? host.endsWith(wanted.slice(1)) : host === wanted;
}
