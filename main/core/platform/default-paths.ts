// Where Switchboard keeps its state and its logs on each OS, kept as data so every platform's rule is visible in one place.
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { Paths } from '../ports.ts';

/**
 * One data folder per OS, for the app and the CLI alike (so `switchboard status` finds the tray app's control socket):
 * - Linux: `$XDG_DATA_HOME/switchboard` (~/.local/share/switchboard). State and databases are data, not
 *   configuration, in the XDG layout; the app used Electron's ~/.config/Switchboard before and moves it here once
 *   (data-folder-migration.ts).
 * - macOS: ~/Library/Application Support/Switchboard, where the app and the CLI both already were.
 * - Windows: %APPDATA%\Switchboard (roaming, as Electron's userData), where both already were.
 */
export function defaultPaths(platform: NodeJS.Platform = process.platform, env: NodeJS.ProcessEnv = process.env, home: string = homedir()): Paths {
  switch (platform) {
    case 'darwin':
      return { dataDir: join(home, 'Library', 'Application Support', 'Switchboard') };
    case 'win32':
      return { dataDir: join(env.APPDATA || join(home, 'AppData', 'Roaming'), 'Switchboard') };
    default:
      return { dataDir: join(env.XDG_DATA_HOME || join(home, '.local', 'share'), 'switchboard') };
  }
}

/**
 * Where the app writes its log files, in each OS's place for logs: `$XDG_STATE_HOME/switchboard/logs`
 * (~/.local/state/switchboard/logs) on Linux, ~/Library/Logs/Switchboard on macOS (Console.app shows it), and
 * %LOCALAPPDATA%\Switchboard\logs on Windows (logs are per machine, not roaming).
 */
export function defaultLogDir(platform: NodeJS.Platform = process.platform, env: NodeJS.ProcessEnv = process.env, home: string = homedir()): string {
  switch (platform) {
    case 'darwin':
      return join(home, 'Library', 'Logs', 'Switchboard');
    case 'win32':
      return join(env.LOCALAPPDATA || join(home, 'AppData', 'Local'), 'Switchboard', 'logs');
    default:
      return join(env.XDG_STATE_HOME || join(home, '.local', 'state'), 'switchboard', 'logs');
  }
}
