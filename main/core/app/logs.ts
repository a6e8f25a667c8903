// Recent log lines of the running core, for the window: the same lines as the log file or terminal, newest last; and the file opened for a person.
import { SwitchboardError } from '../errors.ts';
import type { RecentLogLine, RecentLogLines } from '../logging/recent-log-lines.ts';
import type { LogLevel } from '../ports.ts';

/** Where a host keeps its log: the recent lines in memory, and the file with all of them when there is one. */
export interface HostLog {
  recent: RecentLogLines;
  file?: string | undefined;
  /** Shows a file in the desktop's own program for it (the shell's); absent where the host has no desktop to ask. */
  openFile?: ((file: string) => Promise<void>) | undefined;
}

export interface LogsService {
  recent(query: { limit: number; minLevel: LogLevel }): { file: string | null; canOpen: boolean; lines: RecentLogLine[] };
  /** Opens the log file for the person to read in full; LOG_FILE_UNAVAILABLE when there is none or it cannot be opened. */
  open(): Promise<{ file: string }>;
}

export function createLogsService(log: HostLog | undefined): LogsService {
  const file = log?.file;
  const openFile = log?.openFile;
  return {
    // A host that keeps no lines (a test's) shows none, and says where to look instead: nowhere it knows of.
    recent: (query) => ({ file: file ?? null, canOpen: Boolean(file && openFile), lines: log ? log.recent.read(query) : [] }),
    async open() {
      if (!file) throw new SwitchboardError('LOG_FILE_UNAVAILABLE', 'this Switchboard writes its log to the terminal it was started from, not to a file');
      if (!openFile) throw new SwitchboardError('LOG_FILE_UNAVAILABLE', `this Switchboard cannot open files on the desktop; the log is ${file}`);
      try {
        await openFile(file);
      } catch (error) {
        throw new SwitchboardError(
          'LOG_FILE_UNAVAILABLE',
          `the log ${file} could not be opened (${(error as Error).message}); open it from a file manager or copy its path`,
        );
      }
      return { file };
    },
  };
}
