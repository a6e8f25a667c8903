// The window's view of the log: a bounded ring of the last lines, read newest-last with a level floor, lines that are not JSON shown as they are.
import { describe, expect, it } from 'vitest';
import { createJsonLogger } from '../../main/core/logging/json-logger.ts';
import { RecentLogLines } from '../../main/core/logging/recent-log-lines.ts';

describe('recent log lines', () => {
  it('keeps the last lines up to its capacity, oldest dropped first, and reads them oldest first', () => {
    const recent = new RecentLogLines({ capacity: 3 });
    const logger = createJsonLogger({ write: (line) => recent.write(line), minLevel: 'debug' });
    for (const n of [1, 2, 3, 4, 5]) logger.log('info', `event.${n}`, { message: `line ${n}` });
    expect(recent.read({ limit: 10, minLevel: 'debug' }).map((line) => [line.event, line.message])).toEqual([
      ['event.3', 'line 3'],
      ['event.4', 'line 4'],
      ['event.5', 'line 5'],
    ]);
    expect(recent.read({ limit: 2, minLevel: 'debug' }).map((line) => line.event)).toEqual(['event.4', 'event.5']);
  });

  it('reads only lines at the level asked or above', () => {
    const recent = new RecentLogLines();
    const logger = createJsonLogger({ write: (line) => recent.write(line), minLevel: 'debug' });
    logger.log('debug', 'a');
    logger.log('warn', 'b', { reason: 'why it went wrong' });
    logger.log('info', 'c');
    logger.log('error', 'd');
    expect(recent.read({ limit: 10, minLevel: 'warn' }).map((line) => [line.level, line.event, line.message])).toEqual([
      ['warn', 'b', 'why it went wrong'],
      ['error', 'd', ''],
    ]);
  });

  it('cuts an overlong line and shows a line that is not the logger JSON as it is', () => {
    const recent = new RecentLogLines({ maxLineBytes: 20 });
    recent.write('plain text from somewhere else\n');
    const [line] = recent.read({ limit: 1, minLevel: 'debug' });
    expect(line).toEqual({ time: '', level: 'info', event: '', message: '', text: 'plain text from some…' });
  });
});
