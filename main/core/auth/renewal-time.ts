// When a token is renewed: at a share of its lifetime, in the background while it still works, and waited for only once it has run out.

/** Renew once three quarters of the lifetime have passed: early enough to absorb a slow renewal, late enough to be rare. */
const RENEW_AT_SHARE = 0.75;
/** Records from before issuedAt was kept renew this long before expiry. */
const LEGACY_MARGIN_MS = 60_000;
/** A token this close to expiry may lapse on its way to the server: treat it as expired. */
const MAX_SKEW_MS = 5_000;

export type TokenFreshness = 'fresh' | 'renew-soon' | 'expired';

export function tokenFreshness(record: { issuedAt?: number; expiresAt?: number }, now: number): TokenFreshness {
  const { issuedAt, expiresAt } = record;
  if (expiresAt === undefined) return 'fresh';
  const lifetime = issuedAt !== undefined && expiresAt > issuedAt ? expiresAt - issuedAt : undefined;
  const skew = lifetime === undefined ? MAX_SKEW_MS : Math.min(MAX_SKEW_MS, lifetime * 0.1);
  if (now >= expiresAt - skew) return 'expired';
  const renewAt = lifetime === undefined ? expiresAt - LEGACY_MARGIN_MS : issuedAt! + lifetime * RENEW_AT_SHARE;
  return now >= renewAt ? 'renew-soon' : 'fresh';
}
