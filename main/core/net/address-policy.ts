// Which URLs and network addresses Switchboard may contact when a document or a server chose them, not the person.
import ipaddr from 'ipaddr.js';
import { isLoopbackHost } from '../platform/loopback.ts';

export type AddressClass = 'public' | 'loopback' | 'private' | 'link-local' | 'reserved';

/** ipaddr.js's range names, grouped into what the policy cares about. */
export function classifyAddress(address: string): AddressClass {
  let parsed = ipaddr.parse(address);
  if (parsed.kind() === 'ipv6' && (parsed as ipaddr.IPv6).isIPv4MappedAddress()) parsed = (parsed as ipaddr.IPv6).toIPv4Address();
  const range = parsed.range();
  if (range === 'unicast') return 'public';
  if (range === 'loopback') return 'loopback';
  if (range === 'private' || range === 'uniqueLocal' || range === 'carrierGradeNat') return 'private';
  if (range === 'linkLocal') return 'link-local';
  return 'reserved';
}

export interface AddressPolicy {
  /**
   * Hosts someone Switchboard trusts named: private (and link-local) addresses are normal for internal servers.
   * Lower-case host names, IPv6 literals without brackets.
   */
  privateHosts: ReadonlySet<string>;
  /** Who names those hosts, for the refusal message ("the company catalog" unless said). */
  namedBy?: string;
  /**
   * Whether a URL naming this machine (localhost, 127.0.0.1) may be fetched: yes by default, for local development.
   * No when the party that chose the URL is elsewhere: a server on another machine must not send Switchboard to the
   * services listening on this one.
   */
  allowLoopback?: boolean;
}

/** The scheme half of the rule: https everywhere, plain http only to this machine, where there is no network to trust. */
export function schemeAllowed(url: URL): boolean {
  return url.protocol === 'https:' || (url.protocol === 'http:' && isLoopbackHost(url.hostname));
}

/** A URL's host as the policy compares it: lower case, an IPv6 literal without its brackets. */
export function policyHost(url: URL): string {
  return url.hostname.replace(/^\[|\]$/g, '').toLowerCase();
}

/**
 * The rule for one connection: public addresses always; loopback only when the URL itself names this machine (local
 * development) and the policy allows it, never reached from any other name; private and link-local only for hosts the
 * policy names; reserved ones (documentation, multicast, unspecified) never. Returns why not, or undefined when allowed.
 */
export function refusalFor(address: string, host: string, policy: AddressPolicy): string | undefined {
  const kind = classifyAddress(address);
  if (kind === 'public') return undefined;
  // An IP literal is its own address: say "is", not "resolves to".
  const is = host === address ? `${host} is the ${kind} address` : `${host} resolves to the ${kind} address ${address}`;
  if (kind === 'loopback') {
    if (!isLoopbackHost(host)) return `${is}; only a URL that names this machine may reach it`;
    return policy.allowLoopback === false
      ? `${host} is this machine (${address}) and was named by a server elsewhere; only servers on this machine may send Switchboard to it`
      : undefined;
  }
  if ((kind === 'private' || kind === 'link-local') && policy.privateHosts.has(host.toLowerCase())) return undefined;
  if (kind === 'reserved') return `${is}, which is never contacted`;
  return `${is}, which only hosts named by ${policy.namedBy ?? 'the company catalog'} may use`;
}
