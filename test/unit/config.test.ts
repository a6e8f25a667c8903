// The configuration file: defaults, and a clear located error for every kind of bad file.
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfigFile, parseConfigText } from '../../main/core/config/load-config.ts';
import { SwitchboardError } from '../../main/core/errors.ts';

function errorOf(fn: () => unknown): SwitchboardError {
  try {
    fn();
  } catch (error) {
    if (error instanceof SwitchboardError) return error;
    throw error;
  }
  throw new Error('expected a SwitchboardError');
}

describe('configuration file', () => {
  it('fills defaults for a minimal file', () => {
    const config = parseConfigText('{"servers":[{"id":"crm","url":"https://crm.example.com/mcp"}]}', 'c.json');
    expect(config.gateway).toEqual({
      port: 0,
      maxBodyBytes: 4 * 1024 * 1024,
      upstreamTimeoutMs: 60_000,
      maxResponseBytes: 32 * 1024 * 1024,
      sessionIdleMs: 30 * 60_000,
      maxSessionsPerClient: 64,
      allowedOrigins: [],
      callRelay: true,
    });
    expect(config.servers[0]).toMatchObject({ id: 'crm', enabled: true });
    expect(config.servers[0]?.prefix).toBeUndefined();
  });

  it('locates a JSON syntax error by line and column', () => {
    const error = errorOf(() => parseConfigText('{\n  "servers": [,]\n}', 'bad.json'));
    expect(error.code).toBe('CONFIG_INVALID_JSON');
    expect(error.message).toMatch(/^bad\.json:2:15: not valid JSON \(value expected\)$/);
  });

  it('names the field and the rule for a schema error', () => {
    const error = errorOf(() => parseConfigText('{"servers":[{"id":"Bad Id","url":"http://example.com/mcp"}]}', 'c.json'));
    expect(error.code).toBe('CONFIG_INVALID');
    expect(error.message).toContain('servers[0].id: must be 1-32 characters');
    expect(error.message).toContain('servers[0].url: must be an https URL');
  });

  it('accepts plain http only for loopback', () => {
    expect(() => parseConfigText('{"servers":[{"id":"a","url":"http://127.0.0.1:9/mcp"}]}', 'c')).not.toThrow();
    expect(() => parseConfigText('{"servers":[{"id":"a","url":"http://[::1]:9/mcp"}]}', 'c')).not.toThrow();
    expect(() => parseConfigText('{"servers":[{"id":"a","url":"http://localhost.evil.com/mcp"}]}', 'c')).toThrow(/https URL/);
    expect(() => parseConfigText('{"servers":[{"id":"a","url":"file:///etc/passwd"}]}', 'c')).toThrow(/https URL/);
  });

  it('refuses duplicate ids and unknown keys', () => {
    const duplicate = errorOf(() => parseConfigText('{"servers":[{"id":"a","url":"https://a.example/mcp"},{"id":"a","url":"https://b.example/mcp"}]}', 'c'));
    expect(duplicate.message).toContain('servers[1].id: duplicates the id of servers[0]');
    expect(errorOf(() => parseConfigText('{"servers":[],"sever":1}', 'c')).message).toContain('Unrecognized key: "sever"');
  });

  it('reports a missing file with what to do', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'switchboard-config-'));
    await expect(loadConfigFile(join(dir, 'nope.json'))).rejects.toMatchObject({ code: 'CONFIG_NOT_FOUND', message: expect.stringContaining('--config') });
    await writeFile(join(dir, 'ok.json'), '{"servers":[]}');
    await expect(loadConfigFile(join(dir, 'ok.json'))).resolves.toMatchObject({ servers: [] });
  });
});
