// What a server offered when last seen: kept per server id and URL, owner-only, and a damaged file never stops a start.
import { mkdtemp, readFile, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SurfaceMemory } from '../../main/core/router/surface-memory.ts';

function recordingLogger() {
  const events: string[] = [];
  return { events, log: (_level: string, event: string) => void events.push(event) };
}

describe('surface memory', () => {
  it('remembers tools per server and URL across restarts, owner-only, and forgets them for another URL', async () => {
    const path = join(await mkdtemp(join(tmpdir(), 'switchboard-surface-')), 'surfaces.json');
    const logger = recordingLogger();
    const tools = [{ name: 'whoami', description: 'Says who you are' }];
    new SurfaceMemory(path, logger).remember('crm', 'https://crm.example.test/mcp', 'tools', tools);
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    const reopened = new SurfaceMemory(path, logger);
    const recalled = reopened.recall('crm', 'https://crm.example.test/mcp', 'tools');
    expect(recalled).toEqual(tools);
    // The same array each time, so routes computed from it stay cached.
    expect(reopened.recall('crm', 'https://crm.example.test/mcp', 'tools')).toBe(recalled);
    expect(reopened.recall('crm', 'https://other.example.test/mcp', 'tools')).toBeUndefined();
    expect(reopened.recall('crm', 'https://crm.example.test/mcp', 'prompts')).toBeUndefined();
    expect(logger.events).toEqual([]);
  });

  it('a damaged file is reported and ignored, then written anew', async () => {
    const path = join(await mkdtemp(join(tmpdir(), 'switchboard-surface-')), 'surfaces.json');
    await writeFile(path, '{"servers": {"crm": {"tools": 7}}');
    const logger = recordingLogger();
    const memory = new SurfaceMemory(path, logger);
    expect(logger.events).toEqual(['router.surface_memory_ignored']);
    expect(memory.recall('crm', 'https://crm.example.test/mcp', 'tools')).toBeUndefined();
    memory.remember('crm', 'https://crm.example.test/mcp', 'tools', [{ name: 'echo' }]);
    expect(JSON.parse(await readFile(path, 'utf8'))).toMatchObject({ servers: { crm: { url: 'https://crm.example.test/mcp', tools: [{ name: 'echo' }] } } });
  });
});
