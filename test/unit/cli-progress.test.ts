// Progress on a terminal only: a spinner with the elapsed time that is erased before the result, nothing at all on a pipe.
import { describe, expect, it } from 'vitest';
import { withProgress } from '../../main/cli/progress.ts';

describe('withProgress', () => {
  it('on a terminal: draws the label, keeps it moving, and clears the line when done, even on failure', async () => {
    const written: string[] = [];
    const terminal = { isTTY: true, write: (text: string) => void written.push(text) };
    expect(await withProgress('Discovering example.com…', () => new Promise((resolve) => setTimeout(() => resolve('found'), 250)), terminal)).toBe('found');
    expect(written[0]).toContain('Discovering example.com…');
    expect(written.length).toBeGreaterThan(2);
    expect(written.at(-1)).toBe('\r\x1b[2K');

    written.length = 0;
    await expect(withProgress('Searching…', () => Promise.reject(new Error('down')), terminal)).rejects.toThrow('down');
    expect(written.at(-1)).toBe('\r\x1b[2K');
  });

  it('on a pipe or a file: writes nothing', async () => {
    const written: string[] = [];
    expect(await withProgress('Searching…', async () => 42, { isTTY: false, write: (text: string) => void written.push(text) })).toBe(42);
    expect(written).toEqual([]);
  });
});
