// Recent log lines of the running core, for the window: the same lines as the log file or terminal, newest last.
import type { RecentLogLine, RecentLogLines } from '../logging/recent-log-lines.ts';
import type { LogLevel } from '../ports.ts';

/** Where a host keeps its log: the recent lines in memory, and the file with all of them when there is one. */
export interface HostLog {
  recent: RecentLogLines;
  file?: string | undefined;
}

export interface LogsService {
  recent(query: { limit: number; minLevel: LogLevel }): { file: string | null; lines: RecentLogLine[] };
}

export function createLogsService(log: HostLog | undefined): LogsService {
  return {
    // A host that keeps no lines (a test's) shows none, and says where to look instead: nowhere it knows of.
    recent: (query) => ({ file: log?.file ?? null, lines: log ? log.recent.read(query) : [] }),
  };
}
