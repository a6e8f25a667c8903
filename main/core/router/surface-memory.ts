// What each server offered when last seen (tools, prompts), kept on disk so a server waiting for sign-in still shows clients what it has.
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { z } from 'zod';
import type { Logger } from '../ports.ts';

export type RememberedKind = 'tools' | 'prompts';

const memorySchema = z.object({
  servers: z.record(z.string(), z.object({ url: z.string(), tools: z.array(z.looseObject({ name: z.string() })).optional(), prompts: z.array(z.looseObject({ name: z.string() })).optional() })),
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
    if (!this.#path) return;
    try {
      mkdirSync(dirname(this.#path), { recursive: true, mode: 0o700 });
      const temporary = `${this.#path}.${process.pid}.tmp`;
      writeFileSync(temporary, `${JSON.stringify({ servers: this.#servers })}\n`, { mode: 0o600 });
      renameSync(temporary, this.#path);
    } catch (error) {
      this.#logger.log('warn', 'router.surface_memory_unwritable', { path: this.#path, message: (error as Error).message });
    }
  }

  #load(): MemoryFile['servers'] {
    if (!this.#path) return {};
    try {
      const parsed = memorySchema.safeParse(JSON.parse(readFileSync(this.#path, 'utf8')));
      if (parsed.success) return parsed.data.servers;
      this.#logger.log('warn', 'router.surface_memory_invalid', { path: this.#path });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') this.#logger.log('warn', 'router.surface_memory_unreadable', { path: this.#path, message: (error as Error).message });
    }
    return {};
  }
}
