// The last log lines this process wrote, kept in memory so the window can show them where no terminal or log file is in view.
import type { LogLevel } from '../ports.ts';

/** One line as the window shows it: its time, level and event, what it says, and the line itself. */
export interface RecentLogLine {
  time: string;
  level: LogLevel;
  event: string;
  message: string;
  text: string;
}

const LEVEL_RANK: Record<LogLevel, number> = { debug: 0, info: 1, warn: 2, error: 3 };
const LEVELS = new Set(Object.keys(LEVEL_RANK));

/**
 * A ring of the last `capacity` lines, each cut to `maxLineBytes`: bounded whatever is logged. The lines are the JSON
 * lines the logger writes, which never carry a secret (the logger's callers pass none; the sign-in tests hold a
 * canary to that), so showing them adds no exposure beyond the log file's.
 */
export class RecentLogLines {
  readonly #capacity: number;
  readonly #maxLineBytes: number;
  readonly #lines: string[] = [];
  #next = 0;

  constructor(options: { capacity?: number; maxLineBytes?: number } = {}) {
    this.#capacity = options.capacity ?? 1000;
    this.#maxLineBytes = options.maxLineBytes ?? 4096;
  }

  /** Takes one line as the JSON logger wrote it (with or without its newline). */
  write(line: string): void {
    const text = line.endsWith('\n') ? line.slice(0, -1) : line;
    const kept = text.length > this.#maxLineBytes ? `${text.slice(0, this.#maxLineBytes)}…` : text;
    if (this.#lines.length < this.#capacity) this.#lines.push(kept);
    else this.#lines[this.#next] = kept;
    this.#next = (this.#next + 1) % this.#capacity;
  }

  /** The newest lines at `minLevel` or above, oldest first, at most `limit`. */
  read({ limit, minLevel }: { limit: number; minLevel: LogLevel }): RecentLogLine[] {
    const ordered = this.#lines.length < this.#capacity ? this.#lines : [...this.#lines.slice(this.#next), ...this.#lines.slice(0, this.#next)];
    const picked: RecentLogLine[] = [];
    for (let index = ordered.length - 1; index >= 0 && picked.length < limit; index--) {
      const line = parsed(ordered[index]!);
      if (LEVEL_RANK[line.level] >= LEVEL_RANK[minLevel]) picked.push(line);
    }
    return picked.reverse();
  }
}

/** A line that is not the logger's JSON (cut short, or written by something else) is shown as it is, as info. */
function parsed(text: string): RecentLogLine {
  try {
    const record = JSON.parse(text) as Record<string, unknown>;
    const level = typeof record.level === 'string' && LEVELS.has(record.level) ? (record.level as LogLevel) : 'info';
    const message = typeof record.message === 'string' ? record.message : typeof record.reason === 'string' ? record.reason : '';
    return { time: String(record.time ?? ''), level, event: String(record.event ?? ''), message, text };
  } catch {
    return { time: '', level: 'info', event: '', message: '', text };
  }
}
