// Starts the whole sandbox on loopback: the company IdP, authorization servers, and MCP servers of both eras.
import { startAuthorizationServer, JWT_BEARER_GRANT, type AuthorizationServer } from './authorization-server.ts';
import { startIdentityProvider, type IdentityProvider } from './identity-provider.ts';
import { startMcpServer, type SandboxMcpServer, type StartMcpServerOptions } from './mcp-servers.ts';

/** How a sandbox server authenticates its callers. */
export type SandboxAuthKind = 'none' | 'oauth' | 'id-jag';

export interface SandboxServerEntry {
  server: SandboxMcpServer;
  title: string;
  auth: SandboxAuthKind;
  authorizationServer?: AuthorizationServer;
}

export interface Sandbox {
  idp: IdentityProvider;
  servers: SandboxServerEntry[];
  /** The desktop app's pre-registered client at the ID-JAG servers' authorization servers. */
  idJagClient: { client_id: string; client_secret: string };
  /** A Switchboard configuration with the sandbox servers that need no sign-in. */
  switchboardConfig(): { servers: { id: string; url: string; title: string }[] };
  /** One line per server, for people reading the demo's output. */
  describe(): string[];
  close(): Promise<void>;
}

interface ServerPlan extends Omit<StartMcpServerOptions, 'auth'> {
  title: string;
  authKind: SandboxAuthKind;
}

const PLAN: ServerPlan[] = [
  { name: 'wiki', era: 'modern', authKind: 'none', title: 'Company wiki', description: 'Searches and reads the company wiki.' },
  { name: 'tickets', era: 'legacy', authKind: 'none', title: 'Ticket desk', description: 'Files and updates support tickets.' },
  { name: 'crm', era: 'legacy', authKind: 'oauth', title: 'CRM', description: 'Customer records, behind its own OAuth authorization server.' },
  { name: 'finance', era: 'modern', authKind: 'id-jag', title: 'Finance', description: 'Finance reports, reachable with the company sign-in (ID-JAG).' },
];

const SCOPES = ['read', 'admin'];

export async function startSandbox(): Promise<Sandbox> {
  const closers: (() => Promise<void>)[] = [];
  const closeAll = async () => {
    await Promise.allSettled(closers.reverse().map((close) => close()));
  };
  try {
    const idp = await startIdentityProvider();
    closers.push(() => idp.close());
    const idJagClient = { client_id: 'switchboard-desktop', client_secret: `${idp.clientSecret}-at-as` };
    const servers: SandboxServerEntry[] = [];
    for (const plan of PLAN) {
      let authorizationServer: AuthorizationServer | undefined;
      if (plan.authKind !== 'none') {
        authorizationServer = await startAuthorizationServer({
          scopesSupported: SCOPES,
          ...(plan.authKind === 'id-jag'
            ? {
                trustedIdp: { issuer: idp.issuer, jwksUri: idp.jwksUri },
                clients: [
                  { ...idJagClient, grant_types: [JWT_BEARER_GRANT], redirect_uris: [], response_types: [], token_endpoint_auth_method: 'client_secret_basic' },
                ],
              }
            : {}),
        });
        const started = authorizationServer;
        closers.push(() => started.close());
      }
      const as = authorizationServer;
      const { authKind, ...serverOptions } = plan;
      const server = await startMcpServer({
        ...serverOptions,
        // The challenge asks for "read" only; "admin" comes by step-up when a tool needs it.
        ...(as
          ? {
              auth: {
                verifyAccessToken: (token: string) => as.verifyAccessToken(token),
                authorizationServers: [as.issuer],
                scopesSupported: SCOPES,
                challengeScopes: ['read'],
              },
            }
          : {}),
      });
      closers.push(() => server.close());
      if (as) {
        as.setResource(server.url);
        if (plan.authKind === 'id-jag') idp.trustAuthorizationServer({ issuer: as.issuer, clientIdAtAs: idJagClient.client_id, resources: [server.url] });
      }
      servers.push({ server, title: plan.title, auth: authKind, ...(as ? { authorizationServer: as } : {}) });
    }
    return {
      idp,
      servers,
      idJagClient,
      switchboardConfig: () => ({
        servers: servers.filter((entry) => entry.auth === 'none').map((entry) => ({ id: entry.server.name, url: entry.server.url, title: entry.title })),
      }),
      describe: () => [
        ...servers.map(({ server, auth }) => {
          const era = server.era === 'modern' ? '2026-07-28' : '2025-11-25';
          const how = auth === 'none' ? 'no sign-in' : auth === 'oauth' ? 'MCP OAuth (needs sign-in)' : 'ID-JAG (needs sign-in)';
          return `${server.name.padEnd(8)} ${era}  ${how.padEnd(26)} ${server.url}`;
        }),
        `identity provider              ${idp.issuer}`,
      ],
      close: closeAll,
    };
  } catch (error) {
    await closeAll();
    throw error;
  }
}
