// Describes a server from a live connection (server/discover, or the 2025 handshake and lists) and reconciles it with its card.
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { SwitchboardError } from '../errors.ts';
import { SWITCHBOARD_IMPLEMENTATION } from '../version.ts';
import type { ServerCard } from './server-card.ts';

export interface LiveDescription {
  name?: string;
  title?: string;
  version?: string;
  description?: string;
  era?: 'modern' | 'legacy';
  protocolVersion?: string;
  tools: string[];
  prompts: string[];
  resources: string[];
}

/** What a person is shown: the live server's own values where it reports them, the card's otherwise. */
export interface ServerDescription {
  name?: string;
  title?: string;
  version?: string;
  description?: string;
  mcpUrl: string;
  live?: LiveDescription;
  /** Fields where the card and the server disagree (the live value is shown). */
  disagreements: string[];
}

export async function describeLive(url: string, options: { timeoutMs?: number; fetch?: typeof fetch } = {}): Promise<LiveDescription> {
  const client = new Client(SWITCHBOARD_IMPLEMENTATION, { versionNegotiation: { mode: 'auto' } });
  const timeout = options.timeoutMs ?? 10_000;
  try {
    await client.connect(new StreamableHTTPClientTransport(new URL(url), options.fetch ? { fetch: options.fetch } : {}), { timeout });
    const capabilities = client.getServerCapabilities() ?? {};
    const [tools, prompts, resources] = await Promise.all([
      capabilities.tools ? client.listTools(undefined, { timeout }).then((result) => result.tools.map((tool) => tool.name)) : [],
      capabilities.prompts ? client.listPrompts(undefined, { timeout }).then((result) => result.prompts.map((prompt) => prompt.name)) : [],
      capabilities.resources ? client.listResources(undefined, { timeout }).then((result) => result.resources.map((resource) => resource.uri)) : [],
    ]);
    const info = client.getServerVersion();
    const era = client.getProtocolEra();
    const protocolVersion = client.getNegotiatedProtocolVersion();
    return {
      ...(info?.name ? { name: info.name } : {}),
      ...(info?.title ? { title: info.title } : {}),
      ...(info?.version ? { version: info.version } : {}),
      ...((info as { description?: string } | undefined)?.description ? { description: (info as { description: string }).description } : {}),
      ...(era ? { era } : {}),
      ...(protocolVersion ? { protocolVersion } : {}),
      tools,
      prompts,
      resources,
    };
  } catch (error) {
    throw new SwitchboardError('DISCOVERY_FETCH_FAILED', `could not describe ${url} from a live connection: ${(error as Error).message}`, { cause: error });
  } finally {
    await client.close().catch(() => undefined);
  }
}

/** Cards are advisory: runtime values win, and every disagreement is listed so a person can see it. */
export function reconcile(mcpUrl: string, card: ServerCard | undefined, live: LiveDescription | undefined): ServerDescription {
  const disagreements: string[] = [];
  const pick = (field: 'title' | 'version' | 'description', fromCard: string | undefined, fromLive: string | undefined) => {
    if (fromCard !== undefined && fromLive !== undefined && fromCard !== fromLive) disagreements.push(field);
    return fromLive ?? fromCard;
  };
  const title = pick('title', card?.title, live?.title);
  const version = pick('version', card?.version, live?.version);
  const description = pick('description', card?.description, live?.description);
  const name = card?.name ?? live?.name;
  return {
    ...(name ? { name } : {}),
    ...(title ? { title } : {}),
    ...(version ? { version } : {}),
    ...(description ? { description } : {}),
    mcpUrl,
    ...(live ? { live } : {}),
    disagreements,
  };
}
