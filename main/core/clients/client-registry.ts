// The local AI clients allowed to use the endpoint: each has its own random bearer credential, stored only as a hash here.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { rename } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { z } from 'zod';
import { SwitchboardError } from '../errors.ts';
import { makeOwnerOnlyFolder, writeOwnerOnlyFile } from '../platform/owner-only.ts';
import type { ClientView } from '../router/catalog-router.ts';
import { MIN_MAX_TOOLS } from '../router/tool-search/tool-budget.ts';
import type { BudgetedView } from '../router/tool-search/tool-search-router.ts';

export const CLIENT_ID_PATTERN = /^[a-z0-9][a-z0-9_-]{0,31}$/;
const TOKEN_PREFIX = 'sbc_';

const registeredClientSchema = z.object({
  id: z.string().regex(CLIENT_ID_PATTERN),
  /** SHA-256 of the bearer credential: enough to check it, useless to anyone who reads the file. */
  credentialSha256: z.string().regex(/^[0-9a-f]{64}$/),
  createdAt: z.string(),
  servers: z.array(z.string()).optional(),
  tools: z.array(z.string()).optional(),
  /** The most tools this client is listed directly (router/tool-search/); its AI client's known limit or a default when absent. */
  maxTools: z.number().int().min(MIN_MAX_TOOLS).optional(),
  /** Tools always listed directly when the client is in search mode. */
  pinnedTools: z.array(z.string()).optional(),
});
const registryFileSchema = z.object({ clients: z.array(registeredClientSchema) });

export type RegisteredClient = z.infer<typeof registeredClientSchema>;

export interface AuthenticatedClient {
  id: string;
  view: ClientView;
}

export const ANONYMOUS_CLIENT: AuthenticatedClient = { id: 'anonymous', view: {} };

export function clientRegistryPath(dataDir: string): string {
  return join(dataDir, 'clients.json');
}

/** Reads the registry file, re-reading it when it changes on disk so `switchboard clients add` and `remove` take effect at once. */
export class ClientRegistry {
  readonly #path: string;
  #clients: RegisteredClient[] = [];
  #loadedMtimeMs = -1;
  #checkedAt = 0;

  constructor(path: string) {
    this.#path = path;
  }

  list(): RegisteredClient[] {
    this.#refresh(true);
    return [...this.#clients];
  }

  authenticate(credential: string | undefined): AuthenticatedClient | undefined {
    if (!credential?.startsWith(TOKEN_PREFIX)) return undefined;
    const presented = sha256(credential);
    const find = () => this.#clients.find((client) => timingSafeEqual(Buffer.from(client.credentialSha256, 'hex'), presented));
    this.#refresh(false);
    // An unknown credential may belong to a client added a moment ago: look at the file once more before refusing.
    let match = find();
    if (!match) {
      this.#refresh(true);
      match = find();
    }
    if (!match) return undefined;
    return { id: match.id, view: viewOf(match) };
  }

  /** Creates a client and returns its credential; the credential is never stored, so this is the one time it is seen. */
  async add(id: string, view: ClientSettings = {}): Promise<{ client: RegisteredClient; credential: string }> {
    if (!CLIENT_ID_PATTERN.test(id)) throw new SwitchboardError('CONFIG_INVALID', `client id "${id}" must be 1-32 characters of a-z, 0-9, "-" or "_"`);
    this.#refresh(true);
    if (this.#clients.some((client) => client.id === id))
      throw new SwitchboardError('CONFIG_INVALID', `a client named "${id}" already exists; remove it first to issue a new credential`);
    const credential = `${TOKEN_PREFIX}${randomBytes(32).toString('base64url')}`;
    const client: RegisteredClient = {
      id,
      credentialSha256: sha256(credential).toString('hex'),
      createdAt: new Date().toISOString(),
      ...settingsFields(view),
    };
    await this.#save([...this.#clients, client]);
    return { client, credential };
  }

  /** Limits what a client sees (servers, exposed tool names); an empty view lets it see everything. Its budget and pins are kept. */
  async setView(id: string, view: ClientView): Promise<RegisteredClient> {
    const current = this.#find(id);
    const { servers: _servers, tools: _tools, ...rest } = current;
    return this.#update(id, { ...rest, ...settingsFields({ servers: view.servers, tools: view.tools }) });
  }

  /** Sets (or, with null, clears) a client's tool budget and pinned tools; what is not given stays as it is. */
  async setToolBudget(id: string, settings: { maxTools?: number | null; pinnedTools?: readonly string[] | null }): Promise<RegisteredClient> {
    const current = this.#find(id);
    const { maxTools, pinnedTools, ...rest } = current;
    const nextMax = settings.maxTools === undefined ? maxTools : (settings.maxTools ?? undefined);
    const nextPinned = settings.pinnedTools === undefined ? pinnedTools : (settings.pinnedTools ?? undefined);
    return this.#update(id, { ...rest, ...settingsFields({ maxTools: nextMax, pinnedTools: nextPinned }) });
  }

  #find(id: string): RegisteredClient {
    this.#refresh(true);
    const current = this.#clients.find((client) => client.id === id);
    if (!current) throw new SwitchboardError('CONFIG_INVALID', `no client named "${id}" is registered`);
    return current;
  }

  async #update(id: string, updated: RegisteredClient): Promise<RegisteredClient> {
    await this.#save(this.#clients.map((client) => (client.id === id ? updated : client)));
    return updated;
  }

  async remove(id: string): Promise<boolean> {
    this.#refresh(true);
    const remaining = this.#clients.filter((client) => client.id !== id);
    if (remaining.length === this.#clients.length) return false;
    await this.#save(remaining);
    return true;
  }

  /** At most one stat per second on the request path; always when `force`. */
  #refresh(force: boolean): void {
    const now = Date.now();
    if (!force && now - this.#checkedAt < 1000) return;
    this.#checkedAt = now;
    let mtimeMs: number;
    try {
      mtimeMs = statSync(this.#path).mtimeMs;
    } catch {
      this.#clients = [];
      this.#loadedMtimeMs = -1;
      return;
    }
    if (mtimeMs === this.#loadedMtimeMs) return;
    const parsed = registryFileSchema.safeParse(JSON.parse(readFileSync(this.#path, 'utf8')));
    if (!parsed.success) throw new SwitchboardError('CONFIG_INVALID', `${this.#path}: not a valid client registry; fix or delete it`);
    this.#clients = parsed.data.clients;
    this.#loadedMtimeMs = mtimeMs;
  }

  async #save(clients: RegisteredClient[]): Promise<void> {
    await makeOwnerOnlyFolder(dirname(this.#path));
    const temporary = `${this.#path}.${process.pid}.tmp`;
    await writeOwnerOnlyFile(temporary, `${JSON.stringify({ clients }, null, 2)}\n`);
    await rename(temporary, this.#path);
    this.#clients = clients;
    this.#loadedMtimeMs = statSync(this.#path).mtimeMs;
  }
}

/** What a client is registered with besides its credential: its view, its tool budget and its pinned tools. */
export type ClientSettings = Pick<BudgetedView, 'servers' | 'tools' | 'maxTools' | 'pinnedTools'>;

function settingsFields(settings: ClientSettings): Partial<RegisteredClient> {
  if (settings.maxTools !== undefined && (!Number.isInteger(settings.maxTools) || settings.maxTools < MIN_MAX_TOOLS)) {
    throw new SwitchboardError(
      'CONFIG_INVALID',
      `a tool budget must be a whole number of at least ${MIN_MAX_TOOLS} (the two search tools need room), not ${settings.maxTools}`,
    );
  }
  return {
    ...(settings.servers ? { servers: [...settings.servers] } : {}),
    ...(settings.tools ? { tools: [...settings.tools] } : {}),
    ...(settings.maxTools !== undefined ? { maxTools: settings.maxTools } : {}),
    ...(settings.pinnedTools ? { pinnedTools: [...settings.pinnedTools] } : {}),
  };
}

/** The view the endpoint hands the gateway for a client: what it may see, and its budget and pins for the tool search. */
function viewOf(client: RegisteredClient): BudgetedView {
  return {
    ...(client.servers ? { servers: client.servers } : {}),
    ...(client.tools ? { tools: client.tools } : {}),
    ...(client.maxTools !== undefined ? { maxTools: client.maxTools } : {}),
    ...(client.pinnedTools ? { pinnedTools: client.pinnedTools } : {}),
  };
}

function sha256(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}
