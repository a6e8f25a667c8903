// A Logger that writes one JSON object per line, so logs stay machine-readable on stderr and in files.
import type { Logger, LogLevel } from '../ports.ts';

const LEVEL_RANK: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

/** Keys the logger sets itself: a field of the same name is kept under `field.<name>` instead of replacing them. */
const RESERVED_KEYS = new Set(['time', 'level', 'event']);

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
      options.write(`${JSON.stringify({ time: new Date(now()).toISOString(), level, event, ...fieldsBesideReserved(fields) })}\n`);
    },
  };
}

/**
 * A record whose fields said `level: "debug"` or `time: …` would lie about when and how severe it was, and a filter
 * on level would miss an error; such fields are renamed, never dropped (they may be what explains the event).
 */
function fieldsBesideReserved(fields: Record<string, unknown> | undefined): Record<string, unknown> | undefined {
  if (!fields || !Object.keys(fields).some((key) => RESERVED_KEYS.has(key))) return fields;
  return Object.fromEntries(Object.entries(fields).map(([key, value]) => [RESERVED_KEYS.has(key) ? `field.${key}` : key, value]));
}

export const silentLogger: Logger = { log() {} };
