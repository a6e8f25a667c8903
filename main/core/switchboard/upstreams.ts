// One connection and one authorizer per enabled server: how Switchboard reaches each server and gets its tokens.
import { namedHosts } from '../auth/named-hosts.ts';
import { ServerAuthorizer, type SecurityEvent, type ServerAuthorizerDeps } from '../auth/server-authorizer.ts';
import type { GatewayConfig, ServerConfig } from '../config/config-schema.ts';
import { UpstreamConnection, type ListKind } from '../upstream/upstream-connection.ts';
import { vaultAccounts } from '../vault/vault.ts';

/** Announces to a server that tokens can come through the company SSO (ID-JAG), as that extension asks. */
const ENTERPRISE_MANAGED_AUTHORIZATION = 'io.modelcontextprotocol/enterprise-managed-authorization';

export interface Upstream {
  connection: UpstreamConnection;
  authorizer: ServerAuthorizer;
  /** What the server's tools, prompts and resources are named under for clients. */
  prefix: string;
}

export interface UpstreamDeps extends Omit<ServerAuthorizerDeps, 'onTokenObtained' | 'onSecurityEvent'> {
  gateway: GatewayConfig;
  onSecurityEvent: (event: SecurityEvent) => void;
  /** A server's lists changed: the clients connected downstream are told. */
  onListChanged: (kind: ListKind) => void;
  onResourceUpdated: (uri: string) => void;
}

export function createUpstreams(servers: readonly ServerConfig[], deps: UpstreamDeps): Upstream[] {
  const { auth, vault, sso, logger, clock, onSecurityEvent } = deps;
  const enabled = servers.filter((server) => server.enabled);
  // The person configured every enabled server, so each one's host is named for all of them (two internal servers may
  // share an authorization server on one's host); a server the policy turned off lends its host nothing.
  const network = { ...deps.network, namedHosts: namedHosts({ urls: enabled.map((server) => server.url), hosts: deps.network?.namedHosts ?? [] }) };
  return enabled.map((server) => {
    // Every server gets an authorizer: whether it needs a token is learned from its first 401, not configured.
    // Authorizer and connection need each other; the authorizer only calls back once a token arrives, after both exist.
    const authorizer: ServerAuthorizer = new ServerAuthorizer(server, {
      auth,
      vault,
      sso,
      logger,
      clock,
      network,
      onTokenObtained: () => refreshAndReconnect(connection),
      onSecurityEvent,
    });
    const connection: UpstreamConnection = new UpstreamConnection(server, {
      logger,
      requestTimeoutMs: deps.gateway.upstreamTimeoutMs,
      maxResponseBytes: deps.gateway.maxResponseBytes,
      onListChanged: deps.onListChanged,
      onResourceUpdated: deps.onResourceUpdated,
      authorizer,
      secretHeader: (name) => vault.getSecret(vaultAccounts.serverHeader(server.id, name)),
      ...(sso ? { extensions: { [ENTERPRISE_MANAGED_AUTHORIZATION]: {} } } : {}),
    });
    return { connection, authorizer, prefix: server.prefix ?? server.id };
  });
}

export function findUpstream(upstreams: readonly Upstream[], serverId: string): Upstream | undefined {
  return upstreams.find(({ connection }) => connection.id === serverId);
}

/**
 * Connects without anyone waiting: a slow or dead server must not hold up the caller (or any other server), and its
 * failure shows in its status instead.
 */
export function connectInBackground(connection: UpstreamConnection): void {
  void connection.connect().catch(() => undefined);
}

/** The server may show more now (a new token, or the sign-in it waited for): clients hear list_changed, and it connects now. */
export function refreshAndReconnect(connection: UpstreamConnection): void {
  connection.refreshSurface();
  connectInBackground(connection);
}
