// Where Switchboard keeps its state on each OS, kept as data so every platform's rule is visible in one place.
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { Paths } from '../ports.ts';

export function defaultPaths(platform: NodeJS.Platform = process.platform, env: NodeJS.ProcessEnv = process.env, home: string = homedir()): Paths {
  switch (platform) {
    case 'darwin':
      return { dataDir: join(home, 'Library', 'Application Support', 'Switchboard') };
    case 'win32':
      return { dataDir: join(env.APPDATA ?? join(home, 'AppData', 'Roaming'), 'Switchboard') };
    default:
      return { dataDir: join(env.XDG_DATA_HOME || join(home, '.local', 'share'), 'switchboard') };
  }
}
