// The running Switchboard as one snapshot: what `switchboard status`, the control socket and the UI's badge and cards read.
import type { ClientRegistry } from '../clients/client-registry.ts';
import type { AddressChange } from '../gateway/endpoint-address.ts';
import type { CatalogRouter, NameCollision } from '../router/catalog-router.ts';
import type { ClientListing } from '../router/tool-search/tool-search-router.ts';
import type { UpstreamStatus } from '../upstream/upstream-connection.ts';
import type { Upstream } from './upstreams.ts';

export interface SwitchboardStatus {
  mcpUrl: string | undefined;
  anonymousAllowed: boolean;
  clients: { id: string; createdAt: string; servers?: string[]; tools?: string[] }[];
  legacySessions: number;
  servers: UpstreamStatus[];
  collisions: readonly NameCollision[];
  /** Set when the remembered port was taken at start and the endpoint moved to another one. */
  addressChanged?: AddressChange;
  /** Per client, at its last tools/list: its tool budget and how many tools it saw directly and through the search. */
  toolListings?: ClientListing[];
}

export interface StatusSources {
  /** Undefined while not started (or after stop). */
  mcpUrl: string | undefined;
  addressChanged: AddressChange | undefined;
  anonymousAllowed: boolean;
  registry: ClientRegistry;
  legacySessions: () => number;
  upstreams: readonly Upstream[];
  router: CatalogRouter;
  toolListings?: () => ClientListing[];
}

/** Client credentials never leave here: only each client's id, creation time and the narrowing of its view. */
export function statusSnapshot({
  mcpUrl,
  addressChanged,
  anonymousAllowed,
  registry,
  legacySessions,
  upstreams,
  router,
  toolListings,
}: StatusSources): SwitchboardStatus {
  return {
    mcpUrl,
    anonymousAllowed,
    clients: registry.list().map(({ id, createdAt, servers, tools }) => ({ id, createdAt, ...(servers ? { servers } : {}), ...(tools ? { tools } : {}) })),
    legacySessions: legacySessions(),
    servers: upstreams.map(({ connection }) => connection.status()),
    collisions: router.collisions(),
    ...(addressChanged ? { addressChanged } : {}),
    ...(toolListings ? { toolListings: toolListings() } : {}),
  };
}
