// The CLI's conventions as a script sees them: usage errors exit 2 without a stack trace, failures 1, "not found" 3, and --help lists the codes.
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/serve-process.ts';

let dataDir: string;
beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'switchboard-conventions-'));
});

const noStackTrace = (stderr: string) => expect(stderr).not.toMatch(/^\s+at /m);

describe('exit codes', () => {
  it('a malformed option value is a usage error (2) naming the option and the range, with the usage and no stack trace', async () => {
    const result = await runCli(['serve', '--config', join(dataDir, 'config.json'), '--port', 'abc']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("option '-p, --port <n>' argument 'abc' is invalid. expected an integer from 0 to 65535.");
    expect(result.stderr).toContain('Usage: switchboard serve');
    noStackTrace(result.stderr);
    expect((await runCli(['audit', 'query', '--data-dir', dataDir, '--limit', '1.5'])).code).toBe(2);
  });

  it('an unknown command or option, or a missing argument, is 2', async () => {
    expect((await runCli(['no-such-command'])).code).toBe(2);
    expect((await runCli(['status', '--no-such-option'])).code).toBe(2);
    expect((await runCli(['discover'])).code).toBe(2);
    expect((await runCli(['completion', 'tcsh'])).code).toBe(2);
  });

  it('--help and --version are 0, and --help documents the codes', async () => {
    const help = await runCli(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/Exit codes:\n\s+0\s+success\n\s+1\s+the command failed[^\n]*\n\s+2\s+usage error[^\n]*\n\s+3\s+not found/);
    expect((await runCli(['--version'])).code).toBe(0);
  });

  it('nothing running is "not found" (3), not a usage error', async () => {
    const result = await runCli(['status', '--data-dir', dataDir]);
    expect(result.code).toBe(3);
    expect(result.stderr).toContain('GATEWAY_NOT_RUNNING');
  });

  it('discover: a host that does not exist is 3, one that refuses is a failure (1); neither is success', async () => {
    const missing = await runCli(['discover', 'no-such-host.invalid', '--data-dir', dataDir]);
    expect(missing.code, missing.stdout).toBe(3);
    expect(missing.stdout).toContain('ENOTFOUND');
    const refused = await runCli(['discover', 'http://127.0.0.1:1/mcp', '--data-dir', dataDir, '--json']);
    expect(refused.code).toBe(1);
    expect(JSON.parse(refused.stdout)).toMatchObject({
      cards: [],
      problems: expect.arrayContaining([expect.objectContaining({ code: 'DISCOVERY_FETCH_FAILED' })]),
    });
  }, 30_000);

  it('progress goes to a terminal only: piped, stderr carries none', async () => {
    const result = await runCli(['discover', 'http://127.0.0.1:1/mcp', '--data-dir', dataDir]);
    expect(result.stderr).not.toContain('Discovering');
  }, 30_000);
});
