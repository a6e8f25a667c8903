// The endpoint's port memory on real files and real loopback sockets: remembered, reused, moved when taken, ignored when damaged.
import { mkdtemp, readFile, stat, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { bindStableEndpoint, endpointFilePath, readRememberedPort } from '../../main/core/gateway/endpoint-address.ts';
import { startLocalEndpoint, type LocalEndpoint } from '../../main/core/gateway/local-endpoint.ts';
import { SwitchboardError } from '../../main/core/errors.ts';
import type { Logger } from '../../main/core/ports.ts';

const open: { close(): unknown }[] = [];

afterEach(async () => {
  await Promise.all(open.splice(0).map((item) => item.close()));
});

function recordingLogger(): Logger & { events: { level: string; event: string; fields?: Record<string, unknown> }[] } {
  const events: { level: string; event: string; fields?: Record<string, unknown> }[] = [];
  return { events, log: (level, event, fields) => void events.push({ level, event, ...(fields ? { fields } : {}) }) };
}

async function bindWith(
  dataDir: string,
  logger: Logger,
  configuredPort = 0,
): Promise<{ endpoint: LocalEndpoint; addressChanged?: { previousPort: number; port: number } }> {
  const bound = await bindStableEndpoint({
    configuredPort,
    dataDir,
    logger,
    bind: (port) => startLocalEndpoint({ port, maxBodyBytes: 1024, handler: { fetch: async () => new Response('') }, authenticate: () => undefined, logger }),
  });
  open.push(bound.endpoint);
  return bound;
}

/** Another program on the port: a plain listener on 127.0.0.1. */
async function occupy(port: number): Promise<Server> {
  const blocker = createServer();
  await new Promise<void>((resolve, reject) => {
    blocker.once('error', reject);
    blocker.listen(port, '127.0.0.1', () => resolve());
  });
  open.push({ close: () => new Promise((resolve) => blocker.close(resolve)) });
  return blocker;
}

const dataDir = () => mkdtemp(join(tmpdir(), 'switchboard-endpoint-'));

describe('endpoint port memory', () => {
  it('remembers the first port chosen (owner-only file) and asks for it again', async () => {
    const dir = await dataDir();
    const logger = recordingLogger();
    const first = await bindWith(dir, logger);
    expect(first.addressChanged).toBeUndefined();
    expect(await readRememberedPort(dir, logger)).toBe(first.endpoint.port);
    if (process.platform !== 'win32') expect((await stat(endpointFilePath(dir))).mode & 0o777).toBe(0o600);
    await first.endpoint.close();
    open.length = 0;
    const second = await bindWith(dir, logger);
    expect(second.endpoint.port).toBe(first.endpoint.port);
    expect(second.addressChanged).toBeUndefined();
  });

  it('moves to a free port when the remembered one is taken, says so, and remembers the new one', async () => {
    const dir = await dataDir();
    const logger = recordingLogger();
    const first = await bindWith(dir, logger);
    const previousPort = first.endpoint.port;
    await first.endpoint.close();
    open.length = 0;
    await occupy(previousPort);
    const moved = await bindWith(dir, logger);
    expect(moved.endpoint.port).not.toBe(previousPort);
    expect(moved.addressChanged).toEqual({ previousPort, port: moved.endpoint.port });
    expect(logger.events).toContainEqual(
      expect.objectContaining({
        level: 'warn',
        event: 'gateway.port_changed',
        fields: expect.objectContaining({ old: previousPort, new: moved.endpoint.port }),
      }),
    );
    expect(await readRememberedPort(dir, logger)).toBe(moved.endpoint.port);
  });

  it('ignores a damaged file with a warning instead of failing to start', async () => {
    for (const damaged of ['{ "port": 43', '{"port":"43117"}', '{"port":70000}', '[]', '']) {
      const dir = await dataDir();
      await writeFile(endpointFilePath(dir), damaged);
      const logger = recordingLogger();
      const bound = await bindWith(dir, logger);
      expect(bound.endpoint.port).toBeGreaterThan(0);
      expect(bound.addressChanged).toBeUndefined();
      expect(logger.events).toContainEqual(expect.objectContaining({ level: 'warn', event: 'gateway.endpoint_file_ignored' }));
      // The damaged file is replaced by a good one, so the next start is stable again.
      expect(JSON.parse(await readFile(endpointFilePath(dir), 'utf8'))).toMatchObject({ port: bound.endpoint.port });
    }
  });

  it('keeps failing on a port the person chose when it is taken, naming the port and what to do', async () => {
    const dir = await dataDir();
    const blocker = await occupy(0);
    const port = (blocker.address() as { port: number }).port;
    const error = await bindWith(dir, recordingLogger(), port).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(SwitchboardError);
    expect((error as SwitchboardError).code).toBe('GATEWAY_BIND_FAILED');
    expect((error as SwitchboardError).message).toMatch(
      new RegExp(`port ${port} on 127\\.0\\.0\\.1 is already in use.*--port or gateway\\.port.*gateway\\.port to 0`),
    );
  });
});
