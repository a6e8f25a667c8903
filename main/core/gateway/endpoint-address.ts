// Keeps the local endpoint's address stable: the port first chosen is remembered in the data folder and asked for on every start.
import { readFile, rename } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { isSwitchboardError, SwitchboardError } from '../errors.ts';
import type { Logger } from '../ports.ts';
import { writeOwnerOnlyFile } from '../platform/owner-only.ts';

const rememberedSchema = z.object({ port: z.number().int().min(1).max(65535) });

/** The remembered port was taken, so the endpoint moved: AI clients pointed at the old address must follow. */
export interface AddressChange {
  previousPort: number;
  port: number;
}

export function endpointFilePath(dataDir: string): string {
  return join(dataDir, 'endpoint.json');
}

/** The port remembered from an earlier start; a missing file is a first start, a damaged one is ignored with a warning. */
export async function readRememberedPort(dataDir: string, logger: Logger): Promise<number | undefined> {
  const path = endpointFilePath(dataDir);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    logger.log('warn', 'gateway.endpoint_file_ignored', { path, reason: (error as Error).message });
    return undefined;
  }
  const parsed = rememberedSchema.safeParse(parseJson(text));
  if (!parsed.success) {
    // Losing the remembered port costs one address change, which clients recover from; refusing to start would cost more.
    logger.log('warn', 'gateway.endpoint_file_ignored', { path, reason: 'not a valid endpoint file; a free port is chosen and remembered anew' });
    return undefined;
  }
  return parsed.data.port;
}

/** Written atomically and owner-only: a half-written file would lose the address, and nobody else needs to read it. */
export async function rememberPort(dataDir: string, port: number): Promise<void> {
  const path = endpointFilePath(dataDir);
  const temporary = `${path}.${process.pid}.tmp`;
  await writeOwnerOnlyFile(temporary, `${JSON.stringify({ port, note: 'the port Switchboard asks for on every start while gateway.port is 0' }, null, 2)}\n`);
  await rename(temporary, path);
}

export interface StableBindOptions<E extends { port: number }> {
  /** gateway.port (or --port); 0 means "not chosen by the person": the remembered port, else any free one. */
  configuredPort: number;
  dataDir: string;
  logger: Logger;
  bind: (port: number) => Promise<E>;
}

/**
 * Binds the endpoint on the port the person chose, else on the remembered one, else on a free one, and remembers it.
 * Only a remembered port may be given up (it was never a promise); a port the person chose is kept or the start fails.
 */
export async function bindStableEndpoint<E extends { port: number }>(options: StableBindOptions<E>): Promise<{ endpoint: E; addressChanged?: AddressChange }> {
  const { configuredPort, dataDir, logger } = options;
  if (configuredPort !== 0) {
    const endpoint = await options.bind(configuredPort).catch((error: unknown) => {
      throw explainConfiguredPortFailure(configuredPort, error);
    });
    await remember(dataDir, endpoint.port, logger);
    return { endpoint };
  }
  const previousPort = await readRememberedPort(dataDir, logger);
  let endpoint: E;
  let addressChanged: AddressChange | undefined;
  if (previousPort === undefined) {
    endpoint = await options.bind(0);
  } else {
    try {
      endpoint = await options.bind(previousPort);
    } catch (error) {
      if (!isSwitchboardError(error) || error.code !== 'GATEWAY_BIND_FAILED') throw error;
      endpoint = await options.bind(0);
      addressChanged = { previousPort, port: endpoint.port };
      logger.log('warn', 'gateway.port_changed', {
        old: previousPort,
        new: endpoint.port,
        reason: errnoOf(error) ?? error.message,
        message: `port ${previousPort} is taken by another program, so Switchboard now listens on ${endpoint.port}; AI clients set up by Switchboard are updated, others must be pointed at the new address`,
      });
    }
  }
  if (endpoint.port !== previousPort) await remember(dataDir, endpoint.port, logger);
  return { endpoint, ...(addressChanged ? { addressChanged } : {}) };
}

async function remember(dataDir: string, port: number, logger: Logger): Promise<void> {
  // The endpoint is up either way; failing to remember only means the address may change at the next start.
  await rememberPort(dataDir, port).catch((error: unknown) =>
    logger.log('warn', 'gateway.endpoint_file_unwritable', { path: endpointFilePath(dataDir), reason: (error as Error).message }),
  );
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function errnoOf(error: SwitchboardError): string | undefined {
  return (error.cause as NodeJS.ErrnoException | undefined)?.code;
}

function explainConfiguredPortFailure(port: number, error: unknown): unknown {
  if (!isSwitchboardError(error) || error.code !== 'GATEWAY_BIND_FAILED') return error;
  const code = errnoOf(error);
  const what =
    code === 'EADDRINUSE' ? `port ${port} on 127.0.0.1 is already in use by another program` : `cannot listen on 127.0.0.1:${port} (${code ?? error.message})`;
  return new SwitchboardError(
    'GATEWAY_BIND_FAILED',
    `${what}, and the configuration (gateway.port) or --port asks for exactly that port. Stop the program using it, choose another port with --port or gateway.port, or set gateway.port to 0 so Switchboard picks a free port and keeps it.`,
    { cause: error.cause },
  );
}
