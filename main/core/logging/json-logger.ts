// A Logger that writes one JSON object per line, so logs stay machine-readable on stderr and in files.
import type { Logger, LogLevel } from '../ports.ts';

const LEVEL_RANK: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export interface JsonLoggerOptions {
  write: (line: string) => void;
  minLevel?: LogLevel;
  now?: () => number;
}

export function createJsonLogger(options: JsonLoggerOptions): Logger {
  const minRank = LEVEL_RANK[options.minLevel ?? 'info'];
  const now = options.now ?? Date.now;
  return {
    log(level, event, fields) {
      if (LEVEL_RANK[level] < minRank) return;
      options.write(`${JSON.stringify({ time: new Date(now()).toISOString(), level, event, ...fields })}\n`);
    },
  };
}

export const silentLogger: Logger = { log() {} };
