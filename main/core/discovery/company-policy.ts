// Reads the company's policy file (admin-managed): unreadable, not JSON or off the schema is POLICY_INVALID naming the file and the field.
import { readFile } from 'node:fs/promises';
import { companyPolicySchema, type CompanyPolicy } from '../config/company-policy-schema.ts';
import { SwitchboardError } from '../errors.ts';

// The policy's shape and its host rules are configuration (config/ may not import discovery/); still importable from here.
export { companyPolicySchema, EMPTY_POLICY, type CompanyPolicy } from '../config/company-policy-schema.ts';
export { policyRefusal } from '../config/policy-refusal.ts';

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
