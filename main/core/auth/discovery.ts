// Where to get a server's token: its Protected Resource Metadata (RFC 9728), then its authorization server's metadata (RFC 8414).
import * as oauth from 'oauth4webapi';
import { z } from 'zod';
import { SwitchboardError } from '../errors.ts';
import { authUrl, guardedAuthFetch, readJsonObject, type AuthFetch } from './auth-http.ts';

export interface ProtectedResource {
  /** The resource identifier to send verbatim as RFC 8707's `resource`. */
  resource: string;
  authorizationServers: string[];
  scopesSupported?: string[];
  /** Found through the 2025-03-26 fallback (no PRM): the server's origin is its own authorization server. */
  legacyFallback?: boolean;
  /** RFC 9728: the resource takes only DPoP-bound tokens, so proofs are used even if the AS does not advertise them. */
  dpopBoundAccessTokensRequired?: boolean;
}

/**
 * For callers with no configuration to name hosts (one-off checks, tests): public addresses only, and loopback only for
 * URLs that name it. The core passes the fetch built for the server or IdP at hand (named-hosts.ts) instead.
 */
const unconfiguredFetch: AuthFetch = guardedAuthFetch({ policy: { privateHosts: new Set() } });

const prmSchema = z.object({
  resource: z.string().min(1).max(2048),
  authorization_servers: z.array(z.string().min(1).max(2048)).min(1).max(16),
  scopes_supported: z.array(z.string().max(256)).max(256).optional(),
  dpop_bound_access_tokens_required: z.boolean().optional().catch(undefined),
});

/**
 * The PRM comes from the 401's `resource_metadata` when given, otherwise from the well-known paths in order: the
 * one with the MCP endpoint's path, then the root. A server with none is a 2025-03-26 server whose own origin is its
 * authorization server. The PRM's `resource` must name this server (same origin, a prefix of its path), or a
 * hostile server could make us ask for tokens meant for someone else.
 */
export async function discoverProtectedResource(
  serverUrl: URL,
  resourceMetadataUrl?: string,
  authFetch: AuthFetch = unconfiguredFetch,
): Promise<ProtectedResource> {
  const candidates = resourceMetadataUrl
    ? [authUrl(resourceMetadataUrl, 'the resource_metadata URL in the server’s WWW-Authenticate header')]
    : wellKnownCandidates(serverUrl, 'oauth-protected-resource', false);
  for (const candidate of candidates) {
    const response = await get(candidate, 'the protected resource metadata', authFetch);
    if (response.status === 404 || response.status === 410) continue;
    if (response.status !== 200) {
      const redirect = response.status >= 300 && response.status < 400 ? ' (redirects are not followed for authorization metadata)' : '';
      throw new SwitchboardError(
        'AUTH_DISCOVERY_FAILED',
        `${candidate.href} answered HTTP ${response.status} instead of protected resource metadata${redirect}`,
      );
    }
    const parsed = prmSchema.safeParse(await readJsonObject(response, `the protected resource metadata at ${candidate.href}`));
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      throw new SwitchboardError(
        'AUTH_DISCOVERY_FAILED',
        `the protected resource metadata at ${candidate.href} is invalid: ${issue.path.join('.') || '(root)'}: ${issue.message}`,
      );
    }
    const resource = authUrl(parsed.data.resource, `the protected resource metadata's "resource"`);
    if (!resourceCovers(resource, serverUrl)) {
      throw new SwitchboardError(
        'AUTH_DISCOVERY_FAILED',
        `the protected resource metadata names the resource ${resource.href}, which is not ${serverUrl.href}; refusing to ask for a token for another resource`,
      );
    }
    for (const issuer of parsed.data.authorization_servers) authUrl(issuer, 'an authorization server in the protected resource metadata');
    return {
      resource: parsed.data.resource,
      authorizationServers: parsed.data.authorization_servers,
      ...(parsed.data.scopes_supported ? { scopesSupported: parsed.data.scopes_supported } : {}),
      ...(parsed.data.dpop_bound_access_tokens_required ? { dpopBoundAccessTokensRequired: true } : {}),
    };
  }
  return { resource: canonicalResource(serverUrl), authorizationServers: [serverUrl.origin], legacyFallback: true };
}

/**
 * RFC 8414 / OIDC metadata, tried in the order the MCP spec gives, each checked to name exactly the issuer it was
 * fetched for. A 2025-03-26 server with no metadata at all gets its spec's default endpoints.
 */
export async function discoverAuthorizationServer(
  issuer: string,
  allowDefaultEndpoints: boolean,
  authFetch: AuthFetch = unconfiguredFetch,
): Promise<oauth.AuthorizationServer> {
  const issuerUrl = authUrl(issuer, 'the authorization server issuer');
  const candidates = [...wellKnownCandidates(issuerUrl, 'oauth-authorization-server', false), ...wellKnownCandidates(issuerUrl, 'openid-configuration', true)];
  for (const candidate of candidates) {
    const response = await get(candidate, 'the authorization server metadata', authFetch);
    if (response.status >= 400 && response.status < 500) continue;
    let metadata: oauth.AuthorizationServer;
    try {
      metadata = await oauth.processDiscoveryResponse(allowDefaultEndpoints ? await legacyIssuer(issuerUrl, response) : issuerUrl, response);
    } catch (error) {
      throw new SwitchboardError('AUTH_DISCOVERY_FAILED', `the authorization server metadata at ${candidate.href} was refused: ${(error as Error).message}`, {
        cause: error,
      });
    }
    for (const field of ['authorization_endpoint', 'token_endpoint', 'registration_endpoint'] as const) {
      if (metadata[field] !== undefined) authUrl(metadata[field], `the authorization server's ${field}`);
    }
    return metadata;
  }
  if (!allowDefaultEndpoints) throw new SwitchboardError('AUTH_DISCOVERY_FAILED', `no authorization server metadata was found for ${issuer}`);
  return {
    issuer: issuerUrl.origin,
    authorization_endpoint: new URL('/authorize', issuerUrl).href,
    token_endpoint: new URL('/token', issuerUrl).href,
    registration_endpoint: new URL('/register', issuerUrl).href,
    code_challenge_methods_supported: ['S256'],
  };
}

/**
 * 2025-03-26 servers had no PRM: the metadata found at the server's origin is its AS, and that spec did not pin the
 * issuer to the origin string. Its own issuer is accepted when it is on the same origin (so never another host's).
 */
async function legacyIssuer(origin: URL, response: Response): Promise<URL> {
  const issuer = (
    (await response
      .clone()
      .json()
      .catch(() => ({}))) as { issuer?: unknown }
  ).issuer;
  try {
    const claimed = new URL(String(issuer));
    return claimed.origin === origin.origin ? claimed : origin;
  } catch {
    return origin;
  }
}

/** RFC 8707: lowercase scheme and host (the URL parser does that), no fragment; the path kept as the server has it. */
export function canonicalResource(serverUrl: URL): string {
  const url = new URL(serverUrl.href);
  url.hash = '';
  return url.href;
}

/**
 * The well-known URLs for an identifier. With `appended` the suffix goes after the path (OIDC's form), otherwise it
 * is inserted between the origin and the path (RFC 8414 / RFC 9728), and for a path the root form follows.
 */
function wellKnownCandidates(identifier: URL, suffix: string, appended: boolean): URL[] {
  const path = identifier.pathname === '/' ? '' : identifier.pathname.replace(/\/$/, '');
  if (!path) return [new URL(`/.well-known/${suffix}`, identifier.origin)];
  if (appended) return [new URL(`/.well-known/${suffix}${path}`, identifier.origin), new URL(`${path}/.well-known/${suffix}`, identifier.origin)];
  return [
    new URL(`/.well-known/${suffix}${path}`, identifier.origin),
    ...(suffix === 'oauth-protected-resource' ? [new URL(`/.well-known/${suffix}`, identifier.origin)] : []),
  ];
}

function resourceCovers(resource: URL, serverUrl: URL): boolean {
  if (resource.origin !== serverUrl.origin) return false;
  const base = resource.pathname.endsWith('/') ? resource.pathname : `${resource.pathname}/`;
  return serverUrl.pathname === resource.pathname || `${serverUrl.pathname}/`.startsWith(base);
}

async function get(url: URL, what: string, authFetch: AuthFetch): Promise<Response> {
  try {
    return await authFetch(url, { headers: { accept: 'application/json' } });
  } catch (error) {
    if (error instanceof SwitchboardError) throw error;
    throw new SwitchboardError('AUTH_DISCOVERY_FAILED', `could not fetch ${what} at ${url.href}: ${(error as Error).message}`, { cause: error });
  }
}
