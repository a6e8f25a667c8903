// The side AI clients talk to: the MCP handler, the call relay and the sign-in links, served on the local endpoint.
import type { AuthInfo } from '@modelcontextprotocol/server';
import { auditDatabasePath } from '../audit/audit-paths.ts';
import { ANONYMOUS_CLIENT, type ClientRegistry } from '../clients/client-registry.ts';
import type { SwitchboardConfig } from '../config/config-schema.ts';
import type { GatewayAudit } from '../gateway/audited.ts';
import { createCallRelay } from '../gateway/call-relay.ts';
import { createDownstreamServerFactory, type DownstreamContext } from '../gateway/downstream-protocol.ts';
import { bindStableEndpoint, type AddressChange } from '../gateway/endpoint-address.ts';
import { startLocalEndpoint, type LocalEndpoint } from '../gateway/local-endpoint.ts';
import { createGatewayMcpHandler } from '../gateway/mcp-handler.ts';
import { SignInLinks, type StartedSignIn } from '../gateway/sign-in-links.ts';
import type { Logger } from '../ports.ts';
import type { ClientView, CatalogRouter } from '../router/catalog-router.ts';
import { createToolSearchRouter } from '../router/tool-search/create-tool-search-router.ts';
import type { BudgetedView, ClientListing } from '../router/tool-search/tool-search-router.ts';
import type { ListKind } from '../upstream/upstream-connection.ts';
import { signInTargetLabel, serverIdOfTarget } from './sign-in-targets.ts';

export interface ClientGatewayDeps {
  config: SwitchboardConfig;
  dataDir: string;
  router: CatalogRouter;
  /** Who may connect: the registered clients, each with its credential and view. */
  registry: ClientRegistry;
  /** Development and conformance runs only: a request without a credential is the anonymous client. */
  allowAnonymous: boolean;
  /** Undefined with auditing off. */
  audit: GatewayAudit | undefined;
  /** Starts the sign-in a link names (no server id: the company SSO); see SwitchboardAuth.beginSignIn. */
  beginSignIn: (serverId: string | undefined) => Promise<StartedSignIn>;
  logger: Logger;
}

export interface ClientGateway {
  /** Binds the endpoint on its stable port and points the sign-in links at it. */
  listen(): Promise<{ mcpUrl: string; addressChanged?: AddressChange }>;
  /** Undefined while not listening. */
  mcpUrl(): string | undefined;
  /** Tells the connected clients that a server's list changed. */
  notifyListChanged(kind: ListKind): void;
  /** Tells the clients subscribed to a resource that it changed. */
  notifyResourceUpdated(uri: string): void;
  /** Open 2025-era sessions. */
  sessionCount(): number;
  /** Per client, at its last listing: its tool budget and how many tools it sees directly and through search. */
  toolListings(): ClientListing[];
  /** Stops listening and ends every client session; never rejects. */
  close(): Promise<void>;
}

export function createClientGateway({ config, dataDir, router, registry, allowAnonymous, audit, beginSignIn, logger }: ClientGatewayDeps): ClientGateway {
  const describeTarget = (target: string) => signInTargetLabel(target, config.auth.idp?.issuer);
  const signInLinks = new SignInLinks({ begin: (target) => beginSignIn(serverIdOfTarget(target)), describe: describeTarget, logger });
  // Clients see their tools within their budget, the rest through two meta-tools (router/tool-search/).
  const toolSearch = createToolSearchRouter({
    inner: router,
    auditDatabasePath: auditDatabasePath(dataDir),
    policy: () => config.toolSearch ?? {},
    onVisibleToolsChanged: () => handler.notifyListChanged('tools'),
  });
  const handler = createGatewayMcpHandler({
    buildServer: createDownstreamServerFactory(toolSearch, {
      ...(audit ? { audit } : {}),
      signInLinks: { issue: (target) => signInLinks.issue(target), describe: describeTarget },
    }),
    contextOf: downstreamContext,
    maxBodyBytes: config.gateway.maxBodyBytes,
    sessions: { idleMs: config.gateway.sessionIdleMs, maxPerClient: config.gateway.maxSessionsPerClient },
    logger,
  });
  const callRelay = config.gateway.callRelay ? createCallRelay(toolSearch, { ...(audit ? { audit } : {}), logger }) : undefined;
  const authenticate = (credential: string | undefined) =>
    registry.authenticate(credential) ?? (allowAnonymous && credential === undefined ? ANONYMOUS_CLIENT : undefined);
  const bind = (port: number) =>
    startLocalEndpoint({
      port,
      maxBodyBytes: config.gateway.maxBodyBytes,
      allowedOrigins: config.gateway.allowedOrigins,
      handler,
      ...(callRelay ? { callRelay } : {}),
      signInLinks,
      authenticate,
      logger,
    });
  let endpoint: LocalEndpoint | undefined;

  return {
    async listen() {
      const bound = await bindStableEndpoint({ configuredPort: config.gateway.port, dataDir, logger, bind });
      endpoint = bound.endpoint;
      // Links carry the endpoint's own origin, known only once it is bound; until then none are issued.
      signInLinks.setOrigin(new URL(endpoint.mcpUrl).origin);
      return { mcpUrl: endpoint.mcpUrl, ...(bound.addressChanged ? { addressChanged: bound.addressChanged } : {}) };
    },
    mcpUrl: () => endpoint?.mcpUrl,
    notifyListChanged: (kind) => handler.notifyListChanged(kind),
    notifyResourceUpdated: (uri) => handler.notifyResourceUpdated(uri),
    sessionCount: () => handler.sessionCount(),
    toolListings: () => toolSearch.listings(),
    async close() {
      const listening = endpoint;
      endpoint = undefined;
      await Promise.allSettled([listening?.close(), handler.close()]);
      toolSearch.close();
    },
  };
}

/** Each request's client and view, as the local endpoint authenticated it; the anonymous client where that is allowed. */
function downstreamContext(authInfo: AuthInfo | undefined): DownstreamContext {
  const clientId = authInfo?.clientId ?? ANONYMOUS_CLIENT.id;
  // The client's id travels with its view: its tool budget and usage are its own.
  const view: BudgetedView = { ...((authInfo?.extra?.view ?? {}) as ClientView), client: clientId };
  return { clientId, view, subscriptions: new Set() };
}
