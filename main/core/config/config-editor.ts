// Changes the configuration file in place: comments and formatting kept, the result validated before it is written, a backup kept.
import { copyFile, readFile, rename, writeFile } from 'node:fs/promises';
import { applyEdits, modify, parse, type ModificationOptions } from 'jsonc-parser';
import { SwitchboardError } from '../errors.ts';
import { configSchema, type ServerConfig, type SwitchboardConfig } from './config-schema.ts';

const FORMAT: ModificationOptions = { formattingOptions: { insertSpaces: true, tabSize: 2 } };

export class ConfigEditor {
  readonly path: string;

  constructor(path: string) {
    this.path = path;
  }

  async read(): Promise<{ text: string; config: SwitchboardConfig }> {
    const text = await readFile(this.path, 'utf8').catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return '{ "servers": [] }\n';
      throw new SwitchboardError('CONFIG_UNREADABLE', `cannot read ${this.path}: ${error.message}`, { cause: error });
    });
    const parsed = configSchema.safeParse(parse(text));
    if (!parsed.success) throw new SwitchboardError('CONFIG_INVALID', `${this.path} is not a valid configuration: ${parsed.error.issues[0]!.message}`);
    return { text, config: parsed.data };
  }

  async addServer(server: Partial<ServerConfig> & Pick<ServerConfig, 'id' | 'url'>): Promise<void> {
    const { text, config } = await this.read();
    if (config.servers.some((existing) => existing.id === server.id))
      throw new SwitchboardError('CONFIG_INVALID', `a server with the id "${server.id}" is already configured`);
    const rawServers = (parse(text) as { servers?: unknown[] }).servers ?? [];
    await this.#write(text, ['servers', rawServers.length], server);
  }

  async setServerField(id: string, field: 'enabled', value: boolean): Promise<void> {
    const { text } = await this.read();
    await this.#write(text, ['servers', this.#indexOf(text, id), field], value);
  }

  /** Sets one field (a path into the file) to a value, or removes it with undefined; the whole file is validated first. */
  async set(path: (string | number)[], value: unknown): Promise<void> {
    const { text } = await this.read();
    await this.#write(text, path, value);
  }

  async removeServer(id: string): Promise<void> {
    const { text } = await this.read();
    await this.#write(text, ['servers', this.#indexOf(text, id)], undefined);
  }

  #indexOf(text: string, id: string): number {
    const index = ((parse(text) as { servers?: { id?: string }[] }).servers ?? []).findIndex((server) => server.id === id);
    if (index < 0) throw new SwitchboardError('CONFIG_INVALID', `no server with the id "${id}" is configured in ${this.path}`);
    return index;
  }

  /** Validates the edited text as a whole; only then backs up the old file and replaces it atomically. */
  async #write(text: string, path: (string | number)[], value: unknown): Promise<void> {
    const edited = applyEdits(text, modify(text, path, value, FORMAT));
    const parsed = configSchema.safeParse(parse(edited));
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      throw new SwitchboardError('CONFIG_INVALID', `the change would make ${this.path} invalid at ${issue.path.join('.')}: ${issue.message}`);
    }
    await copyFile(this.path, `${this.path}.bak`).catch(() => undefined);
    const temporary = `${this.path}.${process.pid}.tmp`;
    await writeFile(temporary, edited, { mode: 0o600 });
    await rename(temporary, this.path);
  }
}
