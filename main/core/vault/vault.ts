// Typed secrets in the keychain: each record is one JSON entry under a readable account name, never written anywhere else.
import type { webcrypto } from 'node:crypto';
import type { SecretStore } from '../ports.ts';

/** A server's tokens, as the authorization server issued them. */
export interface TokenRecord {
  accessToken: string;
  refreshToken?: string;
  /** Epoch milliseconds; absent when the server did not say. */
  expiresAt?: number;
  /** Epoch milliseconds when it was issued: renewal is timed as a share of the lifetime (absent in older records). */
  issuedAt?: number;
  /** The MCP server URL the token was obtained for: a server id reused for another URL never receives it. */
  serverUrl?: string;
  scope?: string;
  /** The authorization server that issued the token and the resource it is for (RFC 8707). */
  issuer: string;
  resource?: string;
  clientId: string;
  grant: 'authorization_code' | 'id-jag' | 'client_credentials' | 'workload-identity';
  /** `dpop` when the token is bound to the server's proof key (RFC 9449): it is then never sent without a proof. */
  tokenType?: 'bearer' | 'dpop';
}

/** The key pair a server's DPoP proofs are signed with (RFC 9449), as JWKs: the private half never leaves the keychain but into memory. */
export interface DpopKeyRecord {
  alg: 'ES256';
  privateJwk: webcrypto.JsonWebKey;
  publicJwk: webcrypto.JsonWebKey;
}

/** Switchboard's client identity at one authorization server, keyed by its issuer. */
export interface ClientRecord {
  clientId: string;
  clientSecret?: string;
  tokenEndpointAuthMethod: string;
  registeredBy: 'pre-registered' | 'cimd' | 'dcr';
}

/** The person's single sign-on session at the company identity provider. */
export interface SsoRecord {
  issuer: string;
  idToken: string;
  /** Epoch milliseconds when the ID token expires. */
  idTokenExpiresAt: number;
  refreshToken?: string;
  subject: string;
  email?: string;
}

/**
 * Account names say what an entry is and for whom (`token:crm`), so a person looking in their keychain can tell,
 * while the secrets themselves only ever leave the keychain into memory.
 */
export const vaultAccounts = {
  token: (serverId: string) => `token:${serverId}`,
  client: (issuer: string) => `client:${issuer}`,
  sso: () => 'sso',
  serverClientSecret: (serverId: string) => `client-secret:${serverId}`,
  idpClientSecret: () => 'client-secret:idp',
  localClient: (clientId: string) => `local-client:${clientId}`,
  serverHeader: (serverId: string, header: string) => `header:${serverId}:${header.toLowerCase()}`,
  dpopKey: (serverId: string) => `dpop-key:${serverId}`,
  workloadAssertion: (serverId: string) => `workload-assertion:${serverId}`,
};

export class Vault {
  readonly #store: SecretStore;

  constructor(store: SecretStore) {
    this.#store = store;
  }

  getSecret(account: string): Promise<string | undefined> {
    return this.#store.get(account);
  }

  setSecret(account: string, secret: string): Promise<void> {
    return this.#store.set(account, secret);
  }

  async read<T>(account: string): Promise<T | undefined> {
    const text = await this.#store.get(account);
    if (text === undefined) return undefined;
    try {
      return JSON.parse(text) as T;
    } catch {
      // A damaged entry is treated as absent (the flow that wrote it will write it again), never shown.
      return undefined;
    }
  }

  write(account: string, value: object): Promise<void> {
    return this.#store.set(account, JSON.stringify(value));
  }

  remove(account: string): Promise<boolean> {
    return this.#store.delete(account);
  }
}
