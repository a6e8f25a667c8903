// Opening the log file: only where the host has a file and a desktop to open it with; each refusal a LOG_FILE_UNAVAILABLE that says what to do instead.
import { describe, expect, it } from 'vitest';
import { createLogsService } from '../../../main/core/app/logs.ts';
import { RecentLogLines } from '../../../main/core/logging/recent-log-lines.ts';

describe('the logs service', () => {
  it('opens the host’s log file with the host’s opener, and says it can', async () => {
    const opened: string[] = [];
    const logs = createLogsService({ recent: new RecentLogLines(), file: '/state/switchboard.log', openFile: async (file) => void opened.push(file) });
    expect(logs.recent({ limit: 10, minLevel: 'info' })).toMatchObject({ file: '/state/switchboard.log', canOpen: true });
    await expect(logs.open()).resolves.toEqual({ file: '/state/switchboard.log' });
    expect(opened).toEqual(['/state/switchboard.log']);
  });

  it('refuses where the log goes to a terminal (serve) or the host cannot open files, naming where to look', async () => {
    const terminal = createLogsService({ recent: new RecentLogLines() });
    expect(terminal.recent({ limit: 10, minLevel: 'info' }).canOpen).toBe(false);
    await expect(terminal.open()).rejects.toMatchObject({ code: 'LOG_FILE_UNAVAILABLE', message: expect.stringContaining('terminal') });
    const noDesktop = createLogsService({ recent: new RecentLogLines(), file: '/state/switchboard.log' });
    expect(noDesktop.recent({ limit: 10, minLevel: 'info' }).canOpen).toBe(false);
    await expect(noDesktop.open()).rejects.toMatchObject({ code: 'LOG_FILE_UNAVAILABLE', message: expect.stringContaining('/state/switchboard.log') });
  });

  it('reports an opener that fails with the file’s path and what to do, not the opener’s bare message', async () => {
    const logs = createLogsService({
      recent: new RecentLogLines(),
      file: '/state/switchboard.log',
      openFile: async () => {
        throw new Error('Failed to open path');
      },
    });
    await expect(logs.open()).rejects.toMatchObject({
      code: 'LOG_FILE_UNAVAILABLE',
      message: 'the log /state/switchboard.log could not be opened (Failed to open path); open it from a file manager or copy its path',
    });
  });
});
