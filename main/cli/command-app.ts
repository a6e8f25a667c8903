// Runs one command against the app: the data folder and configuration file from its flags, its result printed, local errors reported, everything closed.
import { resolve } from 'node:path';
import { adoptLegacyDataDir, createJsonLogger, defaultPaths, openCommandApp, SwitchboardError, type App } from '../core/index.ts';
import { exitCodeOfError } from './exit-codes.ts';
import { reportLocalError } from './report-error.ts';

export interface LocationOptions {
  /** The configuration file; by default config.json in the data folder. */
  config?: string;
  dataDir?: string;
  /** The keychain profile, for commands that name one instead of reading the configuration (`clients`). */
  profile?: string;
}

export function dataDirOf(options: LocationOptions): string {
  return options.dataDir ? resolve(options.dataDir) : defaultPaths().dataDir;
}

/**
 * Runs `command` and prints what it returns (nothing when it returns undefined). A local error is reported with
 * `exitCode` (or the one `exitCodeOf` picks for it); anything else is a bug and propagates.
 */
export async function runWithApp(
  options: LocationOptions,
  command: (app: App) => Promise<string | undefined>,
  settings: { configMayBeMissing?: boolean; exitCodeOf?: (error: unknown) => number } = {},
): Promise<void> {
  const dataDir = dataDirOf(options);
  // Warnings only: stdout carries the result, and a person at the terminal wants nothing else on stderr.
  const logger = createJsonLogger({ write: (line) => process.stderr.write(line), minLevel: 'warn' });
  try {
    // An older app's data folder moves into the shared one (once, never over existing state) before the command reads it.
    if (!options.dataDir) await adoptLegacyDataDir(dataDir, logger);
  } catch (error) {
    reportLocalError(
      new SwitchboardError('CONFIG_UNREADABLE', `an older Switchboard's data folder could not be moved into ${dataDir}: ${(error as Error).message}`),
    );
    return;
  }
  const app = openCommandApp({
    dataDir,
    configPath: resolve(options.config ?? resolve(dataDir, 'config.json')),
    ...(options.profile ? { keychainProfile: options.profile } : {}),
    ...(settings.configMayBeMissing ? { configMayBeMissing: true } : {}),
    logger,
  });
  try {
    const output = await command(app);
    if (output !== undefined) process.stdout.write(`${output}\n`);
  } catch (error) {
    reportLocalError(error, settings.exitCodeOf?.(error) ?? exitCodeOfError(error));
  } finally {
    app.close();
  }
}
