// What each server offered when last seen (tools, prompts), kept on disk so a server waiting for sign-in still shows clients what it has.
import { z } from 'zod';
import { readStateFile, writeStateFile } from '../platform/state-file.ts';
import type { Logger } from '../ports.ts';

export type RememberedKind = 'tools' | 'prompts';

const memorySchema = z.object({
  servers: z.record(
    z.string(),
    z.object({
      url: z.string(),
      tools: z.array(z.looseObject({ name: z.string() })).optional(),
      prompts: z.array(z.looseObject({ name: z.string() })).optional(),
    }),
  ),
});
type MemoryFile = z.infer<typeof memorySchema>;

/**
 * A model that does not know a tool exists cannot tell the person to sign in for it. Definitions are remembered per
 * server id and URL: a server id reused for another URL starts with nothing. Only descriptions live here, never a
 * credential or a result.
 */
export class SurfaceMemory {
  readonly #path: string | undefined;
  readonly #logger: Logger;
  readonly #servers: MemoryFile['servers'];
  /** The arrays last remembered, so an unchanged listing costs no write (lists are cached arrays, replaced on change). */
  readonly #seen = new Map<string, unknown[]>();

  /** With no path (tests, embedded use) the memory lives as long as the process. */
  constructor(path: string | undefined, logger: Logger) {
    this.#path = path;
    this.#logger = logger;
    this.#servers = this.#load();
  }

  /** The definitions last seen for this server at this URL; the same array each time, so routes computed from it stay cached. */
  recall(serverId: string, url: string, kind: RememberedKind): unknown[] | undefined {
    const entry = this.#servers[serverId];
    return entry?.url === url ? entry[kind] : undefined;
  }

  remember(serverId: string, url: string, kind: RememberedKind, items: unknown[]): void {
    const key = `${serverId}|${kind}`;
    if (this.#seen.get(key) === items) return;
    this.#seen.set(key, items);
    const entry = this.#servers[serverId]?.url === url ? this.#servers[serverId]! : { url };
    if (JSON.stringify(entry[kind]) === JSON.stringify(items)) return;
    this.#servers[serverId] = { ...entry, [kind]: items as { name: string }[] };
    this.#write();
  }

  #write(): void {
    if (this.#path) writeStateFile(this.#path, { servers: this.#servers }, this.#logger, 'router.surface_memory_unwritable');
  }

  #load(): MemoryFile['servers'] {
    if (!this.#path) return {};
    return readStateFile(this.#path, memorySchema, this.#logger, 'router.surface_memory_ignored')?.servers ?? {};
  }
}
