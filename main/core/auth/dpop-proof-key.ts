// DPoP (RFC 9449): when a server's tokens are bound to a proof key, the per-server key pair kept in the keychain, and the nonce retry.
import * as oauth from 'oauth4webapi';
import { vaultAccounts, type DpopKeyRecord, type Vault } from '../vault/vault.ts';
import type { ProtectedResource } from './discovery.ts';

/** The one algorithm Switchboard signs proofs with; an AS that lists others but not this one gets bearer requests. */
export const DPOP_ALG = 'ES256';
const EC_P256 = { name: 'ECDSA', namedCurve: 'P-256' } as const;

/**
 * DPoP is used when the AS says it can verify our proofs (RFC 9449 §5.1 `dpop_signing_alg_values_supported`), or the
 * resource says it only takes bound tokens (RFC 9728 `dpop_bound_access_tokens_required`).
 */
export function wantsDpop(as: oauth.AuthorizationServer, resource: ProtectedResource | undefined): boolean {
  return Boolean(as.dpop_signing_alg_values_supported?.includes(DPOP_ALG)) || resource?.dpopBoundAccessTokensRequired === true;
}

/**
 * The server's proof key: read from the keychain, or made and stored there on first use, so a bound token stays usable
 * across restarts. The private key is imported non-extractable; the handle remembers each origin's latest nonce.
 */
export async function dpopHandleFor(serverId: string, vault: Vault): Promise<oauth.DPoPHandle> {
  const account = vaultAccounts.dpopKey(serverId);
  const stored = await vault.read<DpopKeyRecord>(account);
  let record: DpopKeyRecord;
  if (stored?.alg === DPOP_ALG && stored.privateJwk && stored.publicJwk) {
    record = stored;
  } else {
    const pair = await oauth.generateKeyPair(DPOP_ALG, { extractable: true });
    record = {
      alg: DPOP_ALG,
      privateJwk: await crypto.subtle.exportKey('jwk', pair.privateKey),
      publicJwk: await crypto.subtle.exportKey('jwk', pair.publicKey),
    };
    await vault.write(account, record);
  }
  const privateKey = await crypto.subtle.importKey('jwk', record.privateJwk, EC_P256, false, ['sign']);
  // oauth4webapi puts the public key in every proof's header, so it must stay extractable.
  const publicKey = await crypto.subtle.importKey('jwk', record.publicJwk, EC_P256, true, ['verify']);
  return oauth.DPoP({}, { privateKey, publicKey });
}

/**
 * A token request refused with `use_dpop_nonce` (RFC 9449 §8) is sent once more: the handle has kept the nonce the
 * refusal carried, so the new proof includes it. The AS refuses before consuming a code, so resending it is safe.
 */
export async function withDpopNonceRetry<T>(dpop: oauth.DPoPHandle | undefined, request: () => Promise<T>): Promise<T> {
  try {
    return await request();
  } catch (error) {
    if (!dpop || !oauth.isDPoPNonceError(error)) throw error;
    return request();
  }
}
