// Starts the whole sandbox — MCP servers of both eras (and, with sign-in, the IdP and authorization servers) — on loopback.
import { startMcpServer, type SandboxMcpServer, type StartMcpServerOptions } from './mcp-servers.ts';

export interface Sandbox {
  servers: SandboxMcpServer[];
  /** A Switchboard configuration with every sandbox server Switchboard can use today. */
  switchboardConfig(): { servers: { id: string; url: string; title: string }[] };
  /** One line per server, for people reading the demo's output. */
  describe(): string[];
  close(): Promise<void>;
}

const PUBLIC_SERVERS: (StartMcpServerOptions & { title: string })[] = [
  { name: 'wiki', era: 'modern', title: 'Company wiki', description: 'Searches and reads the company wiki (2026-07-28, stateless).' },
  { name: 'tickets', era: 'legacy', title: 'Ticket desk', description: 'Files and updates support tickets (2025-11-25, sessions).' },
];

export async function startSandbox(): Promise<Sandbox> {
  const started: SandboxMcpServer[] = [];
  try {
    for (const options of PUBLIC_SERVERS) started.push(await startMcpServer(options));
  } catch (error) {
    await Promise.allSettled(started.map((server) => server.close()));
    throw error;
  }
  const titles = new Map(PUBLIC_SERVERS.map((options) => [options.name, options.title]));
  return {
    servers: started,
    switchboardConfig: () => ({ servers: started.map((server) => ({ id: server.name, url: server.url, title: titles.get(server.name) ?? server.name })) }),
    describe: () => started.map((server) => `${server.name.padEnd(8)} ${server.era === 'modern' ? '2026-07-28' : '2025-11-25'}  no sign-in  ${server.url}`),
    async close() {
      await Promise.allSettled(started.map((server) => server.close()));
    },
  };
}
