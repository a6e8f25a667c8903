// The MCP Registry API (/v0.1): search with cursor paging, and versions; remote servers can be added, package-only ones cannot.
import { z } from 'zod';
import { SwitchboardError } from '../errors.ts';
import type { AddressPolicy } from './address-policy.ts';
import { guardedFetch, type Resolver } from './guarded-fetch.ts';

export const DEFAULT_REGISTRY_URL = 'https://registry.modelcontextprotocol.io';

export interface RegistryServer {
  name: string;
  version: string;
  title?: string;
  description?: string;
  websiteUrl?: string;
  remotes: { type: string; url: string }[];
  packages: { registryType: string; identifier: string }[];
  /** Switchboard connects to remotes; a package must be installed and run locally, which it does not do. */
  runnable: boolean;
  status?: string;
}

const serverSchema = z.object({
  name: z.string().max(200),
  version: z.string().max(255),
  title: z.string().max(200).optional(),
  description: z.string().max(2000).optional(),
  websiteUrl: z.string().max(2048).optional(),
  remotes: z
    .array(z.object({ type: z.string(), url: z.string().max(2048) }))
    .max(32)
    .optional(),
  packages: z
    .array(z.object({ registryType: z.string(), identifier: z.string() }))
    .max(32)
    .optional(),
});

const listSchema = z.object({
  servers: z.array(z.object({ server: serverSchema, _meta: z.record(z.string(), z.unknown()).optional() })).max(1000),
  metadata: z.object({ nextCursor: z.string().optional().nullable(), count: z.number().optional() }).optional(),
});

export interface RegistryDeps {
  baseUrl: string;
  policy: AddressPolicy;
  resolver?: Resolver;
}

export async function searchRegistry(
  deps: RegistryDeps,
  query: { search?: string; cursor?: string; limit?: number } = {},
): Promise<{ servers: RegistryServer[]; nextCursor?: string }> {
  const url = new URL('/v0.1/servers', deps.baseUrl);
  if (query.search) url.searchParams.set('search', query.search);
  if (query.cursor) url.searchParams.set('cursor', query.cursor);
  url.searchParams.set('limit', String(Math.min(100, query.limit ?? 30)));
  url.searchParams.set('version', 'latest');
  const parsed = listSchema.safeParse(await getJson(url, deps));
  if (!parsed.success)
    throw new SwitchboardError(
      'REGISTRY_UNAVAILABLE',
      `the registry at ${deps.baseUrl} answered in an unexpected shape (${parsed.error.issues[0]!.path.join('.')}: ${parsed.error.issues[0]!.message})`,
    );
  const nextCursor = parsed.data.metadata?.nextCursor ?? undefined;
  return { servers: parsed.data.servers.map(({ server, _meta }) => toServer(server, _meta)), ...(nextCursor ? { nextCursor } : {}) };
}

export async function registryVersions(deps: RegistryDeps, name: string): Promise<RegistryServer[]> {
  const parsed = listSchema.safeParse(await getJson(new URL(`/v0.1/servers/${encodeURIComponent(name)}/versions`, deps.baseUrl), deps));
  if (!parsed.success) throw new SwitchboardError('REGISTRY_UNAVAILABLE', `the registry's versions of ${name} came in an unexpected shape`);
  return parsed.data.servers.map(({ server, _meta }) => toServer(server, _meta));
}

function toServer(server: z.infer<typeof serverSchema>, meta: Record<string, unknown> | undefined): RegistryServer {
  const remotes = (server.remotes ?? []).filter((remote) => remote.type === 'streamable-http' || remote.type === 'sse');
  const official = meta?.['io.modelcontextprotocol.registry/official'] as { status?: string } | undefined;
  return {
    name: server.name,
    version: server.version,
    ...(server.title ? { title: server.title } : {}),
    ...(server.description ? { description: server.description } : {}),
    ...(server.websiteUrl ? { websiteUrl: server.websiteUrl } : {}),
    remotes,
    packages: server.packages ?? [],
    runnable: remotes.some((remote) => remote.type === 'streamable-http'),
    ...(official?.status ? { status: official.status } : {}),
  };
}

async function getJson(url: URL, deps: RegistryDeps): Promise<unknown> {
  const document = await guardedFetch(url.href, { accept: 'application/json', maxBytes: 4 * 1024 * 1024 }, deps.policy, deps.resolver).catch(
    (error: unknown) => {
      throw new SwitchboardError('REGISTRY_UNAVAILABLE', `the registry at ${deps.baseUrl} could not be reached: ${(error as Error).message}`, { cause: error });
    },
  );
  if (document.status !== 200) throw new SwitchboardError('REGISTRY_UNAVAILABLE', `the registry answered HTTP ${document.status} for ${url.pathname}`);
  try {
    return JSON.parse(document.body) as unknown;
  } catch {
    throw new SwitchboardError('REGISTRY_UNAVAILABLE', `the registry's answer for ${url.pathname} is not JSON`);
  }
}
