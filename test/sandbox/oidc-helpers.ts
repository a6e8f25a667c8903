// Runs an oidc-provider on 127.0.0.1 (port 0) with scripted, form-free login and consent, and owns its signing key.
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, type JWK, type CryptoKey } from 'jose';
import Provider, { type Account, type Adapter, type AdapterPayload, type Configuration } from 'oidc-provider';

export interface SandboxUser {
  sub: string;
  email: string;
  name: string;
}

export const SANDBOX_USERS: readonly SandboxUser[] = [
  { sub: 'alice', email: 'alice@example.test', name: 'Alice Example' },
  { sub: 'bob', email: 'bob@example.test', name: 'Bob Example' },
];

export interface SigningKey {
  kid: string;
  alg: 'RS256';
  privateKey: CryptoKey;
  publicJwk: JWK;
  privateJwk: JWK;
}

export async function createSigningKey(): Promise<SigningKey> {
  const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true });
  const kid = randomBytes(8).toString('hex');
  return {
    kid,
    alg: 'RS256',
    privateKey,
    publicJwk: { ...(await exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' },
    privateJwk: { ...(await exportJWK(privateKey)), kid, alg: 'RS256', use: 'sig' },
  };
}

/** What the scripted "person" does at the next login/consent prompt. */
export interface ScriptedUser {
  currentUser: string;
  denyNext: boolean;
}

export interface RunningProvider {
  issuer: string;
  provider: Provider;
  key: SigningKey;
  user: ScriptedUser;
  close(): Promise<void>;
}

export interface StartProviderOptions {
  /** Builds the provider configuration once the issuer URL (which contains the port) is known. */
  configure: (issuer: string, key: SigningKey) => Configuration;
  /** Extra routes served before the provider (e.g. RFC 8414 metadata); return true when handled. */
  extraRoutes?: (request: IncomingMessage, response: ServerResponse, running: RunningProvider) => Promise<boolean> | boolean;
  /** Called with the provider before it serves, e.g. to register grant types. */
  setup?: (running: RunningProvider) => void;
}

export async function startOidcProvider(options: StartProviderOptions): Promise<RunningProvider> {
  const http = createServer();
  // Listen first: the issuer URL must contain the port before the provider is constructed.
  await new Promise<void>((resolve, reject) => {
    http.once('error', reject);
    http.listen(0, '127.0.0.1', () => resolve());
  });
  const issuer = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
  const key = await createSigningKey();
  const store = new Map<string, AdapterPayload>();
  const provider = new Provider(issuer, {
    ...options.configure(issuer, key),
    adapter: (model: string) => new MemoryAdapter(model, store),
    interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
  });
  const running: RunningProvider = {
    issuer,
    provider,
    key,
    user: { currentUser: SANDBOX_USERS[0]!.sub, denyNext: false },
    async close() {
      await new Promise<void>((resolve) => {
        http.close(() => resolve());
        http.closeAllConnections();
      });
    },
  };
  options.setup?.(running);
  const callback = provider.callback();

  http.on('request', (request: IncomingMessage, response: ServerResponse) => {
    void (async () => {
      const path = (request.url ?? '/').split('?')[0] ?? '/';
      if (path.startsWith('/interaction/')) return completeInteraction(running, request, response);
      if (options.extraRoutes && (await options.extraRoutes(request, response, running))) return;
      callback(request, response);
    })().catch((error: unknown) => {
      if (!response.headersSent) response.writeHead(500, { 'content-type': 'text/plain' }).end(String((error as Error).message));
    });
  });
  return running;
}

/** The scripted person: logs in as the current user and grants what was asked, or denies when told to. */
async function completeInteraction(running: RunningProvider, request: IncomingMessage, response: ServerResponse): Promise<void> {
  const { provider, user } = running;
  const details = await provider.interactionDetails(request, response);
  if (user.denyNext) {
    user.denyNext = false;
    await provider.interactionFinished(
      request,
      response,
      { error: 'access_denied', error_description: 'the person declined' },
      { mergeWithLastSubmission: false },
    );
    return;
  }
  if (details.prompt.name === 'login') {
    await provider.interactionFinished(request, response, { login: { accountId: user.currentUser } }, { mergeWithLastSubmission: false });
    return;
  }
  const accountId = details.session?.accountId ?? user.currentUser;
  const clientId = String(details.params.client_id);
  const grant = details.grantId
    ? ((await provider.Grant.find(details.grantId)) ?? new provider.Grant({ accountId, clientId }))
    : new provider.Grant({ accountId, clientId });
  const missing = details.prompt.details as { missingOIDCScope?: string[]; missingOIDCClaims?: string[]; missingResourceScopes?: Record<string, string[]> };
  if (missing.missingOIDCScope) grant.addOIDCScope(missing.missingOIDCScope.join(' '));
  if (missing.missingOIDCClaims) grant.addOIDCClaims(missing.missingOIDCClaims);
  for (const [indicator, scopes] of Object.entries(missing.missingResourceScopes ?? {})) grant.addResourceScope(indicator, scopes.join(' '));
  const grantId = await grant.save();
  await provider.interactionFinished(request, response, { consent: { grantId } }, { mergeWithLastSubmission: true });
}

export function findSandboxAccount(_ctx: unknown, sub: string): Account | undefined {
  const user = SANDBOX_USERS.find((candidate) => candidate.sub === sub);
  if (!user) return undefined;
  return { accountId: user.sub, claims: () => ({ sub: user.sub, email: user.email, email_verified: true, name: user.name }) };
}

/** Per-provider in-memory storage (oidc-provider's built-in one is process-global and warns on every start). */
class MemoryAdapter implements Adapter {
  readonly #model: string;
  readonly #store: Map<string, AdapterPayload>;

  constructor(model: string, store: Map<string, AdapterPayload>) {
    this.#model = model;
    this.#store = store;
  }

  #key(id: string): string {
    return `${this.#model}:${id}`;
  }

  async upsert(id: string, payload: AdapterPayload): Promise<void> {
    this.#store.set(this.#key(id), payload);
  }

  async find(id: string): Promise<AdapterPayload | undefined> {
    const payload = this.#store.get(this.#key(id));
    if (payload?.exp !== undefined && payload.exp < Date.now() / 1000) return undefined;
    return payload;
  }

  async findByUid(uid: string): Promise<AdapterPayload | undefined> {
    return [...this.#store.entries()].find(([key, payload]) => key.startsWith(`${this.#model}:`) && payload.uid === uid)?.[1];
  }

  async findByUserCode(userCode: string): Promise<AdapterPayload | undefined> {
    return [...this.#store.entries()].find(([key, payload]) => key.startsWith(`${this.#model}:`) && payload.userCode === userCode)?.[1];
  }

  async consume(id: string): Promise<void> {
    const payload = this.#store.get(this.#key(id));
    if (payload) payload.consumed = Math.floor(Date.now() / 1000);
  }

  async destroy(id: string): Promise<void> {
    this.#store.delete(this.#key(id));
  }

  async revokeByGrantId(grantId: string): Promise<void> {
    for (const [key, payload] of this.#store) if (payload.grantId === grantId) this.#store.delete(key);
  }
}
