// Restarts of the running core after configuration changes: a change made while a restart runs still reaches the core.
import { mkdtemp, rename, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startCoreHost, type CoreHost } from '../../main/core/host/core-host.ts';
import { silentLogger } from '../../main/core/logging/json-logger.ts';
import { MemorySecretStore } from '../support/memory-secret-store.ts';

describe('core host restarts', () => {
  let host: CoreHost | undefined;
  afterEach(async () => {
    await host?.stop();
    host = undefined;
  });

  it('follows a restart that was already running with one more, so the last change made meanwhile is the one running', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'switchboard-restart-'));
    const configPath = join(dir, 'config.json');
    // Written as Switchboard and editors write it (a new file moved into place), so a read never sees half of it.
    const withWiki = async (enabled: boolean) => {
      await writeFile(`${configPath}.new`, JSON.stringify({ servers: [{ id: 'wiki', url: 'http://127.0.0.1:9/mcp', enabled }] }));
      await rename(`${configPath}.new`, configPath);
    };
    await withWiki(true);
    host = await startCoreHost({ configPath, dataDir: join(dir, 'data'), logger: silentLogger, secretStore: new MemorySecretStore() });
    // Off, then on again before the first restart is done: both requests return once the core runs the last state.
    await withWiki(false);
    const first = host.restart();
    await withWiki(true);
    const second = host.restart();
    const third = host.restart();
    await Promise.all([first, second, third]);
    expect(host.config().servers.find((server) => server.id === 'wiki')?.enabled).toBe(true);
    // Requests made during one restart share the one that follows it.
    expect(second).toBe(third);
  });
});
