// Which settings the company policy manages: the core refuses to change them and the UI shows them as managed — one rule for both.

/** True when `field` (e.g. "auth.idp.issuer") is, lies under, or contains a setting the policy locks (e.g. "auth.idp"). */
export function isManagedSetting(locked: readonly string[], field: string): boolean {
  return locked.some((entry) => field === entry || field.startsWith(`${entry}.`) || entry.startsWith(`${field}.`));
}
