// The app's log: JSON lines whose own keys no field can overwrite, in a size-rotated file only its owner can read.
import { mkdtemp, readdir, readFile, stat, writeFile, chmod } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createJsonLogger } from '../../main/core/logging/json-logger.ts';
import { openRotatingLogFile } from '../../main/core/logging/rotating-log-file.ts';

const posix = process.platform !== 'win32';

describe('the JSON logger', () => {
  it('keeps time, level and event its own: same-named fields are renamed, not allowed to replace them', () => {
    const lines: string[] = [];
    const logger = createJsonLogger({ write: (line) => lines.push(line), now: () => Date.UTC(2026, 0, 2, 3, 4, 5) });
    logger.log('error', 'upstream.failed', { level: 'debug', time: 'yesterday', event: 'nothing', server: 'crm' });
    const record = JSON.parse(lines[0]!) as Record<string, unknown>;
    expect(record).toEqual({
      time: '2026-01-02T03:04:05.000Z',
      level: 'error',
      event: 'upstream.failed',
      'field.level': 'debug',
      'field.time': 'yesterday',
      'field.event': 'nothing',
      server: 'crm',
    });
    expect(Object.keys(record).slice(0, 3)).toEqual(['time', 'level', 'event']);
  });

  it('leaves ordinary fields as they are and drops levels below the minimum', () => {
    const lines: string[] = [];
    const logger = createJsonLogger({ write: (line) => lines.push(line), minLevel: 'warn' });
    logger.log('info', 'quiet');
    logger.log('warn', 'loud', { port: 1 });
    expect(lines.map((line) => JSON.parse(line) as Record<string, unknown>)).toEqual([expect.objectContaining({ event: 'loud', port: 1 })]);
  });
});

describe('the rotating log file', () => {
  it('appends, rotates by size into .1, .2 …, keeps only the configured number, and loses no line', async () => {
    const dir = join(await mkdtemp(join(tmpdir(), 'switchboard-logs-')), 'logs');
    const file = openRotatingLogFile({ dir, maxBytes: 100, keep: 2 });
    const lines = Array.from({ length: 12 }, (_, index) => `${JSON.stringify({ n: index, pad: 'x'.repeat(20) })}\n`);
    for (const line of lines) file.write(line);
    file.close();
    expect((await readdir(dir)).sort()).toEqual(['switchboard.1.log', 'switchboard.2.log', 'switchboard.log']);
    const kept =
      (await readFile(join(dir, 'switchboard.2.log'), 'utf8')) +
      (await readFile(join(dir, 'switchboard.1.log'), 'utf8')) +
      (await readFile(join(dir, 'switchboard.log'), 'utf8'));
    // The newest lines, in order and whole; the oldest went with the file past `keep`.
    expect(lines.join('').endsWith(kept)).toBe(true);
    for (const name of await readdir(dir)) expect((await stat(join(dir, name))).size).toBeLessThanOrEqual(100);
  });

  it.runIf(posix)('creates its folder 0700 and its files 0600, and narrows a file an older version left open', async () => {
    const dir = join(await mkdtemp(join(tmpdir(), 'switchboard-logs-')), 'state', 'logs');
    await openRotatingLogFile({ dir }).close();
    expect((await stat(dir)).mode & 0o777).toBe(0o700);
    expect((await stat(join(dir, 'switchboard.log'))).mode & 0o777).toBe(0o600);
    await chmod(join(dir, 'switchboard.log'), 0o644);
    const file = openRotatingLogFile({ dir, maxBytes: 10, keep: 1 });
    file.write('0123456789\n');
    file.write('next\n');
    file.close();
    for (const name of await readdir(dir)) expect((await stat(join(dir, name))).mode & 0o777, name).toBe(0o600);
  });

  it('continues an existing file instead of truncating it', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'switchboard-logs-'));
    await writeFile(join(dir, 'switchboard.log'), 'before\n');
    const file = openRotatingLogFile({ dir });
    file.write('after\n');
    file.close();
    expect(await readFile(join(dir, 'switchboard.log'), 'utf8')).toBe('before\nafter\n');
  });
});
