// Which hosts an authorization fetch may find on private addresses — those the person or the company named — and the guard built from them.
import { policyHost, type AddressPolicy } from '../net/address-policy.ts';
import type { ConnectionGuard, Resolver } from '../net/guarded-connection.ts';
import { isLoopbackHost } from '../platform/loopback.ts';
import type { AuthFetch } from './auth-http.ts';

/** How the address policy's refusal names whoever may name a private host. */
const NAMED_BY = 'the company policy, a server in your configuration or the configured identity provider';

/** What the core knows beyond one server's own URL; tests add a resolver and a connector spy. */
export interface AuthNetworkOptions {
  /** Hosts named elsewhere: every configured server's, the company policy's privateHosts (see namedHosts). */
  namedHosts?: ReadonlySet<string>;
  resolver?: Resolver;
  beforeConnect?: ConnectionGuard['beforeConnect'];
  /**
   * Replaces the network altogether, for tests that run every server as a function in process; the address guard
   * (tested on its own) is then not in the path. The product never sets it.
   */
  inProcessFetch?: AuthFetch;
}

/**
 * The rule. A host is *named* when someone Switchboard answers to chose it, never a server:
 * - the host of every server in the person's configuration — an internal server on a private address is normal, and
 *   so is its own authorization server (and metadata) on the same host;
 * - the host of the configured identity provider's issuer — company IdPs are often internal;
 * - the hosts the company policy lists in `privateHosts` — e.g. an internal authorization server on its own host.
 * A named host may resolve to private and link-local addresses. Everything a server's header or documents name beyond
 * those — `resource_metadata`, `authorization_servers`, the AS's token, registration, revocation and JWKS endpoints,
 * where a redirect points — gets public addresses only, so a hostile server cannot send Switchboard to 10.0.0.0/8 or
 * 169.254.169.254. Loopback is decided apart from naming: see authGuardFor.
 */
export function namedHosts(sources: { urls?: Iterable<string | undefined>; hosts?: Iterable<string> }): Set<string> {
  const named = new Set<string>();
  for (const value of sources.urls ?? []) {
    const url = value === undefined ? null : URL.parse(value);
    if (url) named.add(policyHost(url));
  }
  for (const host of sources.hosts ?? []) named.add(host.replace(/^\[|\]$/g, '').toLowerCase());
  return named;
}

/**
 * The guard for every fetch made while authorizing to `configuredUrl` (a server's URL, or the IdP's issuer): its own
 * host and the named ones may use private addresses, and a URL naming this machine is fetched only when
 * `configuredUrl` is itself on this machine — a server elsewhere must not reach the services listening here.
 */
export function authGuardFor(configuredUrl: string, options: AuthNetworkOptions | undefined, alsoNamed: Iterable<string | undefined> = []): ConnectionGuard {
  const own = URL.parse(configuredUrl);
  const policy: AddressPolicy = {
    privateHosts: namedHosts({ urls: [configuredUrl, ...alsoNamed], hosts: options?.namedHosts ?? [] }),
    namedBy: NAMED_BY,
    allowLoopback: own !== null && isLoopbackHost(own.hostname),
  };
  return { policy, ...(options?.resolver ? { resolver: options.resolver } : {}), ...(options?.beforeConnect ? { beforeConnect: options.beforeConnect } : {}) };
}
