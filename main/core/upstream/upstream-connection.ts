// One connection to one remote MCP server: era negotiated by the SDK client, single-flight (re)connect, health state.
import { Client, StreamableHTTPClientTransport, ProtocolError } from '@modelcontextprotocol/client';
import type { CallToolResult, Tool } from '@modelcontextprotocol/client';
import type { ServerConfig } from '../config/config-schema.ts';
import { SwitchboardError, toSwitchboardError } from '../errors.ts';
import type { Logger } from '../ports.ts';
import { SWITCHBOARD_IMPLEMENTATION } from '../version.ts';

export type UpstreamState = 'idle' | 'connecting' | 'ready' | 'unavailable' | 'closed';

export interface UpstreamStatus {
  id: string;
  url: string;
  state: UpstreamState;
  era?: 'modern' | 'legacy';
  protocolVersion?: string;
  serverName?: string;
  toolCount?: number;
  lastError?: { code: string; message: string; at: string };
}

export interface UpstreamCallOptions {
  signal?: AbortSignal;
  onprogress?: (progress: { progress: number; total?: number; message?: string }) => void;
}

export interface UpstreamConnectionOptions {
  logger: Logger;
  requestTimeoutMs: number;
}

export class UpstreamConnection {
  readonly id: string;
  readonly url: string;
  readonly #options: UpstreamConnectionOptions;
  #client: Client | undefined;
  #connecting: Promise<Client> | undefined;
  #status: UpstreamStatus;
  #closed = false;

  constructor(config: ServerConfig, options: UpstreamConnectionOptions) {
    this.id = config.id;
    this.url = config.url;
    this.#options = options;
    this.#status = { id: config.id, url: config.url, state: 'idle' };
  }

  status(): UpstreamStatus {
    return { ...this.#status };
  }

  /** Connects once; concurrent callers share the same attempt so a burst of requests makes one handshake. */
  connect(): Promise<Client> {
    if (this.#closed) return Promise.reject(this.#unavailable('the connection is closed'));
    if (this.#client) return Promise.resolve(this.#client);
    this.#connecting ??= this.#openClient().finally(() => {
      this.#connecting = undefined;
    });
    return this.#connecting;
  }

  async listTools(): Promise<Tool[]> {
    // Lists are idempotent, so one retry over a fresh connection heals an upstream restart or an expired session.
    return this.#withReconnect(true, async (client) => {
      const tools: Tool[] = [];
      let cursor: string | undefined;
      do {
        const page = await client.listTools(cursor === undefined ? undefined : { cursor }, { timeout: this.#options.requestTimeoutMs });
        tools.push(...page.tools);
        cursor = page.nextCursor;
      } while (cursor !== undefined);
      this.#status.toolCount = tools.length;
      return tools;
    });
  }

  async callTool(name: string, args: Record<string, unknown> | undefined, options: UpstreamCallOptions = {}): Promise<CallToolResult> {
    // A tool call may have side effects, so it is never replayed blindly after a transport failure.
    return this.#withReconnect(false, (client) =>
      client.callTool(
        { name, ...(args === undefined ? {} : { arguments: args }) },
        {
          timeout: this.#options.requestTimeoutMs,
          ...(options.signal ? { signal: options.signal } : {}),
          ...(options.onprogress ? { onprogress: options.onprogress, resetTimeoutOnProgress: true } : {}),
        },
      ),
    );
  }

  async close(): Promise<void> {
    this.#closed = true;
    this.#status.state = 'closed';
    const client = this.#client;
    this.#client = undefined;
    await client?.close().catch(() => undefined);
  }

  async #openClient(): Promise<Client> {
    this.#status.state = 'connecting';
    this.#options.logger.log('debug', 'upstream.connecting', { server: this.id });
    const client = new Client(SWITCHBOARD_IMPLEMENTATION, {
      capabilities: {},
      versionNegotiation: { mode: 'auto' },
    });
    const transport = new StreamableHTTPClientTransport(new URL(this.url));
    try {
      await client.connect(transport, { timeout: this.#options.requestTimeoutMs });
    } catch (error) {
      await client.close().catch(() => undefined);
      throw this.#markUnavailable(error);
    }
    if (this.#closed) {
      // close() ran while the handshake was in flight: don't keep a connection (and its open stream) nobody owns.
      await client.close().catch(() => undefined);
      throw this.#unavailable('the connection is closed');
    }
    client.onclose = () => {
      if (this.#client === client) this.#client = undefined;
    };
    this.#client = client;
    const era = client.getProtocolEra();
    const protocolVersion = client.getNegotiatedProtocolVersion();
    const serverName = client.getServerVersion()?.name;
    this.#status = {
      ...this.#status,
      state: 'ready',
      ...(era ? { era } : {}),
      ...(protocolVersion ? { protocolVersion } : {}),
      ...(serverName ? { serverName } : {}),
    };
    this.#options.logger.log('info', 'upstream.connected', { server: this.id, era, protocolVersion });
    return client;
  }

  async #withReconnect<T>(retryable: boolean, operation: (client: Client) => Promise<T>): Promise<T> {
    const client = await this.connect();
    try {
      return await operation(client);
    } catch (error) {
      if (error instanceof ProtocolError) throw error; // the server answered; the connection is fine
      await this.#dropClient(client);
      if (!retryable) throw this.#markUnavailable(error);
      this.#options.logger.log('warn', 'upstream.retrying', { server: this.id, reason: (error as Error).message });
      try {
        return await operation(await this.connect());
      } catch (retryError) {
        if (retryError instanceof ProtocolError) throw retryError;
        throw this.#markUnavailable(retryError);
      }
    }
  }

  async #dropClient(client: Client): Promise<void> {
    if (this.#client === client) this.#client = undefined;
    await client.close().catch(() => undefined);
  }

  #markUnavailable(error: unknown): SwitchboardError {
    const wrapped = isTimeout(error)
      ? new SwitchboardError('UPSTREAM_TIMEOUT', `server "${this.id}" did not answer within ${this.#options.requestTimeoutMs} ms`, { cause: error })
      : error instanceof SwitchboardError
        ? error
        : toSwitchboardError(error, 'UPSTREAM_UNAVAILABLE', `server "${this.id}" (${this.url}) is unavailable`);
    if (!this.#closed) this.#status.state = 'unavailable';
    this.#status.lastError = { code: wrapped.code, message: wrapped.message, at: new Date().toISOString() };
    this.#options.logger.log('warn', 'upstream.unavailable', { server: this.id, code: wrapped.code, message: wrapped.message });
    return wrapped;
  }

  #unavailable(reason: string): SwitchboardError {
    return new SwitchboardError('UPSTREAM_UNAVAILABLE', `server "${this.id}": ${reason}`);
  }
}

function isTimeout(error: unknown): boolean {
  return error instanceof Error && /timed? ?out/i.test(error.message);
}
