// The app's data folder and log file: the CLI's data folder (an older app's folder moved into it once), and a rotating log file in the OS's place for logs.
import { adoptLegacyDataDir, createJsonLogger, defaultLogDir, defaultPaths, openRotatingLogFile, RecentLogLines, type Logger } from '../core/index.ts';

export interface AppStorage {
  dataDir: string;
  logFile: string;
  logger: Logger;
  /** The last lines, for the window's log view. */
  recentLog: RecentLogLines;
}

/**
 * Runs before anything reads Electron's userData (the single-instance lock lives there): userData becomes the shared
 * data folder, so Chromium's own files move along with Switchboard's. Every log line goes to the file as well as to
 * stderr, so a launch from Finder, the Start menu or the desktop's launcher, where stderr goes nowhere, loses nothing.
 */
export async function openAppStorage(electronApp: { setPath(name: 'userData', path: string): void }): Promise<AppStorage> {
  const logFile = openRotatingLogFile({ dir: defaultLogDir() });
  const recentLog = new RecentLogLines();
  const logger = createJsonLogger({
    write: (line) => {
      process.stderr.write(line);
      recentLog.write(line);
      try {
        logFile.write(line);
      } catch {
        // A full disk or a removed log folder must not stop the app; stderr still has the line.
      }
    },
  });
  const { dataDir } = defaultPaths();
  try {
    await adoptLegacyDataDir(dataDir, logger);
  } catch (error) {
    logger.log('error', 'storage.data_folder_not_moved', {
      to: dataDir,
      reason: (error as Error).message,
      message: "an older Switchboard's data folder could not be moved; it is left where it was",
    });
  }
  electronApp.setPath('userData', dataDir);
  logger.log('info', 'app.storage', { dataDir, logFile: logFile.path });
  return { dataDir, logFile: logFile.path, logger, recentLog };
}
