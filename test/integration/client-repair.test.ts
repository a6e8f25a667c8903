// "Configured" means working: the UI contract reports a client entry with an old address or a dead credential as stale, and configure repairs it.
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse } from 'jsonc-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ClientRegistry, clientRegistryPath } from '../../main/core/clients/client-registry.ts';
import type { UiService } from '../../main/core/index.ts';
import type { Switchboard } from '../../main/core/switchboard.ts';
import { startUiServiceFixture, type UiServiceFixture } from '../support/ui-service-fixture.ts';

type CursorFile = { mcpServers: { switchboard: { url: string; headers: { Authorization: string } } } };
type Listed = { aiClients: { id: string; configured: boolean; stale?: string; staleReason?: string }[] };

describe('stale AI client entries and Repair', () => {
  let switchboard: Switchboard;
  let service: UiService;
  let dataDir: string;
  let cursorPath: string;

  const cursorState = async () => {
    const result = await service.invoke('clients:list', undefined);
    if (!result.ok) throw new Error(result.error.message);
    return (result.value as Listed).aiClients.find((client) => client.id === 'cursor')!;
  };
  const cursorEntry = async () => (parse(await readFile(cursorPath, 'utf8')) as CursorFile).mcpServers.switchboard;

  let fixture: UiServiceFixture;

  beforeAll(async () => {
    fixture = await startUiServiceFixture({ name: 'repair' });
    ({ switchboard, service, dataDir } = fixture);
    cursorPath = join(fixture.home, '.cursor', 'mcp.json');
  });

  afterAll(async () => {
    await fixture?.close();
  });

  it('an entry pointing at an old address is stale, and Repair points it at today’s with the same credential', async () => {
    expect((await service.invoke('clients:configure', { client: 'cursor' })).ok).toBe(true);
    expect(await cursorState()).toMatchObject({ configured: true });
    const { Authorization } = (await cursorEntry()).headers;

    const text = await readFile(cursorPath, 'utf8');
    await writeFile(cursorPath, text.replace(switchboard.status().mcpUrl!, 'http://127.0.0.1:9/mcp'));
    expect(await cursorState()).toMatchObject({ configured: false, stale: 'address', staleReason: expect.stringContaining('http://127.0.0.1:9/mcp') });

    expect((await service.invoke('clients:configure', { client: 'cursor' })).ok).toBe(true);
    expect(await cursorState()).toMatchObject({ configured: true });
    expect(await cursorEntry()).toMatchObject({ url: switchboard.status().mcpUrl, headers: { Authorization } });
  });

  it('an entry whose credential is no longer accepted is stale, and Repair writes one that is', async () => {
    const before = (await cursorEntry()).headers.Authorization;
    await new ClientRegistry(clientRegistryPath(dataDir)).remove('cursor');
    expect(await cursorState()).toMatchObject({ configured: false, stale: 'credential' });

    expect((await service.invoke('clients:configure', { client: 'cursor' })).ok).toBe(true);
    expect(await cursorState()).toMatchObject({ configured: true });
    expect((await cursorEntry()).headers.Authorization).not.toBe(before);
  });
});
