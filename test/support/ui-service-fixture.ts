// A core with an empty configuration and the UI service over it, in-process, for tests of the UI contract.
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createJsonLogger, createUiServiceForHost, type UiService } from '../../main/core/index.ts';
import { configSchema } from '../../main/core/config/config-schema.ts';
import { createSwitchboard, type Switchboard } from '../../main/core/switchboard.ts';

export interface UiServiceFixture {
  switchboard: Switchboard;
  service: UiService;
  dataDir: string;
  /** The home folder AI clients' files are looked for in (inside dataDir). */
  home: string;
  close(): Promise<void>;
}

export async function startUiServiceFixture(options: { name: string; allowAnonymous?: boolean }): Promise<UiServiceFixture> {
  const dataDir = await mkdtemp(join(tmpdir(), `switchboard-${options.name}-`));
  const home = join(dataDir, 'home');
  const logger = createJsonLogger({ write: () => {}, minLevel: 'error' });
  const switchboard = createSwitchboard({
    config: configSchema.parse({ auth: { profile: `test-${options.name}-${process.pid}` } }),
    paths: { dataDir },
    logger,
    allowAnonymous: Boolean(options.allowAnonymous),
  });
  await switchboard.start();
  const config = configSchema.parse({});
  const service = createUiServiceForHost(
    { configPath: join(dataDir, 'config.json'), dataDir, switchboard: () => switchboard, config: () => config, restart: async () => undefined },
    { logger, machine: { pathEnvironment: { platform: 'linux', home }, bridgeCommand: { command: 'node', args: ['bin.js', 'stdio'] } } },
  );
  return {
    switchboard,
    service,
    dataDir,
    home,
    async close() {
      service.close();
      await switchboard.stop();
    },
  };
}
