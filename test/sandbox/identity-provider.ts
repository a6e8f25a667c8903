// The sandbox's enterprise IdP: OIDC sign-in for the desktop app, and RFC 8693 token exchange that issues ID-JAGs.
import { randomBytes, randomUUID } from 'node:crypto';
import { createLocalJWKSet, jwtVerify, SignJWT } from 'jose';
import { errors, type KoaContextWithOIDC } from 'oidc-provider';
import { findSandboxAccount, startOidcProvider, type RunningProvider } from './oidc-helpers.ts';

export const TOKEN_EXCHANGE_GRANT = 'urn:ietf:params:oauth:grant-type:token-exchange';
export const ID_TOKEN_TYPE = 'urn:ietf:params:oauth:token-type:id_token';
export const ID_JAG_TOKEN_TYPE = 'urn:ietf:params:oauth:token-type:id-jag';
export const ID_JAG_JWT_TYPE = 'oauth-id-jag+jwt';
const ID_JAG_LIFETIME_SECONDS = 300;

/** A resource authorization server this IdP will mint ID-JAGs for, and the app's client id registered there. */
export interface TrustedAuthorizationServer {
  issuer: string;
  clientIdAtAs: string;
  /** When set, a `resource` parameter must name one of these. */
  resources?: string[];
}

export interface IdentityProvider {
  issuer: string;
  jwksUri: string;
  tokenEndpoint: string;
  /** The desktop app's pre-registered confidential client (secret used for token-endpoint authentication). */
  clientId: string;
  clientSecret: string;
  redirectUri: string;
  setDefaultUser(sub: string): void;
  denyNextConsent(): void;
  trustAuthorizationServer(server: TrustedAuthorizationServer): void;
  /** Revokes every refresh token (of one user, when given), as an administrator or a password reset would. */
  revokeRefreshTokens(sub?: string): Promise<number>;
  close(): Promise<void>;
}

export interface IdentityProviderOptions {
  clientId?: string;
  clientSecret?: string;
  idTokenTtlSeconds?: number;
}

export async function startIdentityProvider(options: IdentityProviderOptions = {}): Promise<IdentityProvider> {
  const clientId = options.clientId ?? 'switchboard-desktop';
  const clientSecret = options.clientSecret ?? randomBytes(24).toString('base64url');
  const redirectUri = 'http://127.0.0.1/callback';
  const trusted = new Map<string, TrustedAuthorizationServer>();
  // oidc-provider keeps refresh tokens in its default in-memory adapter; we track ids to revoke them on demand.
  const issuedRefreshTokens = new Map<string, string>();

  const running: RunningProvider = await startOidcProvider({
    configure: (_issuer, key) => ({
      clients: [
        {
          client_id: clientId,
          client_secret: clientSecret,
          application_type: 'native',
          redirect_uris: [redirectUri],
          grant_types: ['authorization_code', 'refresh_token', TOKEN_EXCHANGE_GRANT],
          response_types: ['code'],
          token_endpoint_auth_method: 'client_secret_basic',
        },
      ],
      jwks: { keys: [key.privateJwk] },
      cookies: { keys: [randomBytes(32).toString('hex')] },
      findAccount: findSandboxAccount,
      claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'] },
      scopes: ['openid', 'offline_access', 'profile', 'email'],
      pkce: { required: () => true },
      features: { devInteractions: { enabled: false }, revocation: { enabled: true } },
      rotateRefreshToken: () => true,
      ttl: { IdToken: options.idTokenTtlSeconds ?? 3600, AccessToken: 3600, RefreshToken: 86_400, Grant: 86_400, Session: 86_400, Interaction: 600 },
    }),
    setup: ({ provider, key, issuer }) => {
      const ownKeys = createLocalJWKSet({ keys: [key.publicJwk] });
      provider.on('refresh_token.saved', (token: { jti: string; accountId: string }) => issuedRefreshTokens.set(token.jti, token.accountId));
      provider.registerGrantType(
        TOKEN_EXCHANGE_GRANT,
        async (ctx: KoaContextWithOIDC) => {
          const params = ctx.oidc.params as Record<string, string | undefined>;
          const client = ctx.oidc.client;
          if (!client) throw new errors.InvalidClient('client authentication is required');
          if (params.subject_token_type !== ID_TOKEN_TYPE) throw new errors.InvalidRequest(`subject_token_type must be ${ID_TOKEN_TYPE}`);
          if (params.requested_token_type !== ID_JAG_TOKEN_TYPE) throw new errors.InvalidRequest(`requested_token_type must be ${ID_JAG_TOKEN_TYPE}`);
          if (!params.subject_token) throw new errors.InvalidRequest('subject_token is required');
          if (!params.audience) throw new errors.InvalidRequest('audience is required');
          const target = trusted.get(params.audience);
          if (!target) throw new errors.InvalidTarget(`this IdP does not issue ID-JAGs for ${params.audience}`);
          if (params.resource && target.resources && !target.resources.includes(params.resource)) {
            throw new errors.InvalidTarget(`${params.resource} is not a resource of ${params.audience}`);
          }
          let subject: { sub?: string; email?: unknown };
          try {
            ({ payload: subject } = await jwtVerify(params.subject_token, ownKeys, { issuer, audience: client.clientId }));
          } catch (error) {
            throw new errors.InvalidGrant(`subject_token is not a valid ID token for this client (${(error as Error).message})`);
          }
          if (!subject.sub) throw new errors.InvalidGrant('subject_token has no subject');
          const now = Math.floor(Date.now() / 1000);
          const scope = params.scope;
          const idJag = await new SignJWT({
            client_id: target.clientIdAtAs,
            ...(params.resource ? { resource: params.resource } : {}),
            ...(scope ? { scope } : {}),
            ...(typeof subject.email === 'string' ? { email: subject.email } : {}),
          })
            .setProtectedHeader({ alg: key.alg, kid: key.kid, typ: ID_JAG_JWT_TYPE })
            .setIssuer(issuer)
            .setSubject(subject.sub)
            .setAudience(target.issuer)
            .setJti(randomUUID())
            .setIssuedAt(now)
            .setExpirationTime(now + ID_JAG_LIFETIME_SECONDS)
            .sign(key.privateKey);
          ctx.body = {
            issued_token_type: ID_JAG_TOKEN_TYPE,
            access_token: idJag,
            token_type: 'N_A',
            expires_in: ID_JAG_LIFETIME_SECONDS,
            ...(scope ? { scope } : {}),
          };
        },
        ['subject_token', 'subject_token_type', 'requested_token_type', 'audience', 'resource', 'scope'],
      );
    },
  });

  const { issuer, provider, user } = running;
  return {
    issuer,
    jwksUri: `${issuer}/jwks`,
    tokenEndpoint: `${issuer}/token`,
    clientId,
    clientSecret,
    redirectUri,
    setDefaultUser: (sub) => void (user.currentUser = sub),
    denyNextConsent: () => void (user.denyNext = true),
    trustAuthorizationServer: (server) => void trusted.set(server.issuer, server),
    async revokeRefreshTokens(sub) {
      let revoked = 0;
      for (const [jti, accountId] of issuedRefreshTokens) {
        if (sub !== undefined && accountId !== sub) continue;
        const token = await provider.RefreshToken.find(jti);
        if (token) {
          await token.destroy();
          revoked++;
        }
        issuedRefreshTokens.delete(jti);
      }
      return revoked;
    },
    close: () => running.close(),
  };
}
