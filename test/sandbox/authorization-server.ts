// An MCP server's own authorization server: code + PKCE, audience-bound JWT access tokens, DCR, and the ID-JAG grant.
import { randomBytes, randomUUID } from 'node:crypto';
import { createLocalJWKSet, createRemoteJWKSet, jwtVerify, SignJWT } from 'jose';
import { errors, type ClientMetadata, type KoaContextWithOIDC } from 'oidc-provider';
import { ID_JAG_JWT_TYPE } from './identity-provider.ts';
import { findSandboxAccount, startOidcProvider } from './oidc-helpers.ts';

export const JWT_BEARER_GRANT = 'urn:ietf:params:oauth:grant-type:jwt-bearer';
export const ID_JAG_GRANT_PROFILE = 'urn:ietf:params:oauth:grant-profile:id-jag';
const ACCESS_TOKEN_TTL_SECONDS = 3600;
/** Asymmetric algorithms only: an ID-JAG signed with `none` or an HMAC secret is never accepted. */
const ID_JAG_ALGORITHMS = ['RS256', 'PS256', 'ES256', 'EdDSA'];

export interface AuthorizationServerOptions {
  /** The protected MCP server's URL (RFC 8707 resource); may be set later with setResource, as servers start after their AS. */
  resource?: string;
  scopesSupported?: string[];
  /** Trust ID-JAGs from this IdP (enables the RFC 7523 JWT-bearer grant and advertises the ID-JAG profile). */
  trustedIdp?: { issuer: string; jwksUri: string };
  /** Pre-registered clients, e.g. the desktop app's client for the ID-JAG grant or an M2M client for client_credentials. */
  clients?: ClientMetadata[];
  dynamicRegistration?: boolean;
  accessTokenTtlSeconds?: number;
}

export interface VerifiedAccessToken {
  sub: string;
  clientId: string;
  scopes: string[];
  expiresAt: number;
}

export interface AuthorizationServer {
  issuer: string;
  jwksUri: string;
  tokenEndpoint: string;
  setResource(resource: string): void;
  verifyAccessToken(token: string): Promise<VerifiedAccessToken>;
  close(): Promise<void>;
}

export async function startAuthorizationServer(options: AuthorizationServerOptions = {}): Promise<AuthorizationServer> {
  let resource = options.resource;
  const scopesSupported = options.scopesSupported ?? ['read', 'admin'];
  const accessTokenTtl = options.accessTokenTtlSeconds ?? ACCESS_TOKEN_TTL_SECONDS;
  const usedIdJagIds = new Map<string, number>();
  const idpKeys = options.trustedIdp ? createRemoteJWKSet(new URL(options.trustedIdp.jwksUri)) : undefined;

  const running = await startOidcProvider({
    configure: (_issuer, key) => ({
      clients: options.clients ?? [],
      jwks: { keys: [key.privateJwk] },
      cookies: { keys: [randomBytes(32).toString('hex')] },
      findAccount: findSandboxAccount,
      claims: { openid: ['sub'] },
      scopes: ['openid', 'offline_access', ...scopesSupported],
      pkce: { required: () => true },
      // MCP clients rarely ask for offline_access; like most ASes in the field, issue refresh tokens to clients allowed them.
      issueRefreshToken: async (_ctx, client) => client.grantTypeAllowed('refresh_token'),
      rotateRefreshToken: () => true,
      features: {
        devInteractions: { enabled: false },
        revocation: { enabled: true },
        clientCredentials: { enabled: true },
        // Like most authorization servers in the field: bearer tokens only. DPoP has its own tests (auth-dpop, and the
        // conformance suite's DPoP scenarios), against servers that verify proofs.
        dPoP: { enabled: false },
        registration: { enabled: options.dynamicRegistration ?? true },
        resourceIndicators: {
          enabled: true,
          defaultResource: () => resource ?? '',
          useGrantedResource: () => true,
          getResourceServerInfo: (_ctx, indicator) => {
            if (indicator !== resource) throw new errors.InvalidTarget(`${indicator} is not a resource of this authorization server`);
            return {
              scope: scopesSupported.join(' '),
              audience: resource,
              accessTokenFormat: 'jwt',
              accessTokenTTL: accessTokenTtl,
              jwt: { sign: { alg: key.alg } },
            };
          },
        },
      },
      ttl: {
        AccessToken: accessTokenTtl,
        AuthorizationCode: 60,
        RefreshToken: 86_400,
        Grant: 86_400,
        Session: 86_400,
        Interaction: 600,
        ClientCredentials: accessTokenTtl,
      },
      discovery: options.trustedIdp ? { authorization_grant_profiles_supported: [ID_JAG_GRANT_PROFILE] } : {},
    }),
    // RFC 8414 metadata at its own well-known path: the same document the provider serves for OIDC discovery.
    extraRoutes: (request, response, { provider }) => {
      if ((request.url ?? '').split('?')[0] !== '/.well-known/oauth-authorization-server') return false;
      request.url = '/.well-known/openid-configuration';
      provider.callback()(request, response);
      return true;
    },
    setup: ({ provider, key, issuer }) => {
      if (!options.trustedIdp || !idpKeys) return;
      const trustedIdp = options.trustedIdp;
      provider.registerGrantType(
        JWT_BEARER_GRANT,
        async (ctx: KoaContextWithOIDC) => {
          const params = ctx.oidc.params as Record<string, string | undefined>;
          const client = ctx.oidc.client;
          if (!client) throw new errors.InvalidClient('client authentication is required');
          if (!params.assertion) throw new errors.InvalidRequest('assertion is required');
          let claims: { sub?: string; jti?: string; exp?: number; resource?: unknown; client_id?: unknown; scope?: unknown };
          try {
            ({ payload: claims } = await jwtVerify(params.assertion, idpKeys, {
              issuer: trustedIdp.issuer,
              audience: issuer,
              typ: ID_JAG_JWT_TYPE,
              algorithms: ID_JAG_ALGORITHMS,
              requiredClaims: ['sub', 'jti', 'exp', 'iat'],
            }));
          } catch (error) {
            throw new errors.InvalidGrant(`the assertion is not an ID-JAG this server accepts (${(error as Error).message})`);
          }
          if (claims.resource !== resource) throw new errors.InvalidGrant('the ID-JAG was issued for another resource');
          if (claims.client_id !== client.clientId) throw new errors.InvalidGrant('the ID-JAG was issued to another client');
          forgetExpired(usedIdJagIds);
          if (usedIdJagIds.has(claims.jti!)) throw new errors.InvalidGrant('the ID-JAG has already been used');
          usedIdJagIds.set(claims.jti!, claims.exp!);
          const granted = intersectScopes(params.scope, typeof claims.scope === 'string' ? claims.scope : '', scopesSupported);
          const now = Math.floor(Date.now() / 1000);
          const accessToken = await new SignJWT({ client_id: client.clientId, ...(granted ? { scope: granted } : {}) })
            .setProtectedHeader({ alg: key.alg, kid: key.kid, typ: 'at+jwt' })
            .setIssuer(issuer)
            .setSubject(claims.sub!)
            .setAudience(resource!)
            .setJti(randomUUID())
            .setIssuedAt(now)
            .setExpirationTime(now + accessTokenTtl)
            .sign(key.privateKey);
          ctx.body = { access_token: accessToken, token_type: 'Bearer', expires_in: accessTokenTtl, ...(granted ? { scope: granted } : {}) };
        },
        ['assertion', 'scope', 'resource'],
      );
    },
  });

  const ownKeys = createLocalJWKSet({ keys: [running.key.publicJwk] });
  return {
    issuer: running.issuer,
    jwksUri: `${running.issuer}/jwks`,
    tokenEndpoint: `${running.issuer}/token`,
    setResource: (value) => void (resource = value),
    async verifyAccessToken(token) {
      if (!resource) throw new Error('the authorization server has no resource configured');
      const { payload } = await jwtVerify(token, ownKeys, { issuer: running.issuer, audience: resource, typ: 'at+jwt', algorithms: [running.key.alg] });
      return {
        sub: String(payload.sub ?? payload.client_id),
        clientId: String(payload.client_id),
        scopes: typeof payload.scope === 'string' && payload.scope ? payload.scope.split(' ') : [],
        expiresAt: payload.exp ?? 0,
      };
    },
    close: () => running.close(),
  };
}

/** Granted scopes are what was asked, limited to what the ID-JAG carries and this server knows (all of those when nothing was asked). */
function intersectScopes(requested: string | undefined, fromAssertion: string, supported: string[]): string {
  const allowed = new Set(fromAssertion.split(' ').filter((scope) => supported.includes(scope)));
  const wanted = requested ? requested.split(' ') : [...allowed];
  return wanted.filter((scope) => allowed.has(scope)).join(' ');
}

function forgetExpired(used: Map<string, number>): void {
  const now = Math.floor(Date.now() / 1000);
  for (const [jti, exp] of used) if (exp < now) used.delete(jti);
}
