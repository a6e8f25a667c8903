// Which network addresses discovery may connect to: public ones; loopback and private ones only where allowed.
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
  /** Hosts the company catalog names: private (and link-local) addresses are normal for internal servers. */
  privateHosts: ReadonlySet<string>;
}

/**
 * The rule for one connection: public addresses always; loopback only when the URL itself names this machine (local
 * development), never reached from a public name; private and link-local only for hosts the company catalog lists.
 * Returns why not, or undefined when allowed.
 */
export function refusalFor(address: string, host: string, policy: AddressPolicy): string | undefined {
  const kind = classifyAddress(address);
  if (kind === 'public') return undefined;
  if (kind === 'loopback') return isLoopbackHost(host) ? undefined : `${host} resolves to the loopback address ${address}`;
  if ((kind === 'private' || kind === 'link-local') && policy.privateHosts.has(host.toLowerCase())) return undefined;
  return `${host} resolves to the ${kind} address ${address}, which only hosts named in the company catalog may use`;
}
