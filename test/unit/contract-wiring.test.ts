// The UI contract is wired end to end: every channel has a schema, a core handler, a shell handler and a preload entry.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { EVENT_CHANNELS, INVOKE_CHANNELS } from '../../shared/contract/channels.ts';
import { CONTRACT, EVENTS } from '../../shared/contract/schemas.ts';
import type { UiService } from '../../main/core/index.ts';
import { startUiServiceFixture, type UiServiceFixture } from '../support/ui-service-fixture.ts';

const handled = new Map<string, (event: unknown, request?: unknown) => Promise<unknown>>();
let exposed:
  { invoke(channel: unknown, request?: unknown): Promise<unknown>; subscribe(channel: unknown, listener: (payload: unknown) => void): () => void } | undefined;
const ipcRenderer = { invoke: vi.fn(async (channel: string) => `sent ${channel}`), on: vi.fn(), removeListener: vi.fn() };

// The OS edge: Electron's binary cannot run on our machines, so its modules are replaced by recorders here.
vi.mock('electron', () => ({
  ipcMain: {
    handle: (channel: string, handler: (event: unknown, request?: unknown) => Promise<unknown>) => void handled.set(channel, handler),
    removeHandler: (channel: string) => void handled.delete(channel),
  },
  contextBridge: { exposeInMainWorld: (_key: string, api: typeof exposed) => void (exposed = api) },
  ipcRenderer,
}));

const MINIMAL_REQUESTS: Record<string, unknown> = {
  'servers:detail': { id: 'nothing' },
  'servers:setEnabled': { id: 'nothing', enabled: true },
  // A loopback address with nothing listening: discovery answers with its problems, never off this machine.
  'servers:discover': { target: 'http://127.0.0.1:9/mcp' },
  'clients:preview': { client: 'cursor' },
  'clients:configure': { client: 'cursor' },
  'clients:undo': { client: 'cursor' },
  'clients:setView': { id: 'nobody', servers: null, tools: null },
  'settings:update': { field: 'audit.capture.results', value: 'not a boolean' },
  'audit:query': {},
  'audit:summary': {},
  'audit:timeseries': { by: 'server' },
  'audit:export': {},
  'tools:approve': { server: 'nothing' },
};

describe('the UI contract', () => {
  let service: UiService;

  let fixture: UiServiceFixture;

  beforeAll(async () => {
    fixture = await startUiServiceFixture({ name: 'contract', allowAnonymous: true });
    ({ service } = fixture);
  });

  afterAll(async () => {
    await fixture?.close();
  });

  it('gives every channel a request and response schema, and every event a payload schema', () => {
    expect(Object.keys(CONTRACT).sort()).toEqual([...INVOKE_CHANNELS].sort());
    expect(Object.keys(EVENTS).sort()).toEqual([...EVENT_CHANNELS].sort());
  });

  it.each(INVOKE_CHANNELS)('the core answers %s with a Result (never "unknown channel" or an internal error)', async (channel) => {
    const result = (await service.invoke(channel, MINIMAL_REQUESTS[channel])) as { ok: boolean; error?: { code: string; message: string } };
    if (!result.ok) {
      expect(result.error!.code).not.toBe('INTERNAL');
      expect(result.error!.message.length).toBeGreaterThan(10);
    }
  });

  it('refuses an unknown channel and a malformed request with a clear error', async () => {
    expect(await service.invoke('vault:dumpSecrets', {})).toMatchObject({ ok: false, error: { code: 'INTERNAL' } });
    expect(await service.invoke('servers:setEnabled', { id: 'x', enabled: 'yes' })).toMatchObject({ ok: false, error: { code: 'CONFIG_INVALID' } });
  });

  it('the shell handles exactly the contract’s channels and refuses any page but ours (Electron mocked: no binary here)', async () => {
    const { registerContractHandlers } = await import('../../main/shell/ipc.ts');
    const dispose = registerContractHandlers(
      service,
      (url) => url === 'file:///app/index.html',
      () => undefined,
    );
    expect([...handled.keys()].sort()).toEqual([...INVOKE_CHANNELS].sort());
    expect(await handled.get('app:getStatus')!({ senderFrame: { url: 'https://evil.example/' } })).toMatchObject({
      ok: false,
      error: { code: 'UI_UNAUTHORIZED' },
    });
    expect(await handled.get('app:getStatus')!({ senderFrame: { url: 'file:///app/index.html' } })).toMatchObject({ ok: true });
    dispose();
    expect(handled.size).toBe(0);
  });

  it('the preload exposes exactly the contract’s channels and nothing else (Electron mocked: no binary here)', async () => {
    await import('../../main/preload/index.ts');
    expect(Object.keys(exposed!).sort()).toEqual(['invoke', 'subscribe']);
    for (const channel of INVOKE_CHANNELS) expect(await exposed!.invoke(channel)).toBe(`sent ${channel}`);
    expect(ipcRenderer.invoke).toHaveBeenCalledTimes(INVOKE_CHANNELS.length);
    await expect(exposed!.invoke('vault:dumpSecrets')).rejects.toThrow(/unknown channel/);
    expect(ipcRenderer.invoke).toHaveBeenCalledTimes(INVOKE_CHANNELS.length);
    for (const channel of EVENT_CHANNELS) exposed!.subscribe(channel, () => undefined)();
    expect(ipcRenderer.on).toHaveBeenCalledTimes(EVENT_CHANNELS.length);
    expect(ipcRenderer.removeListener).toHaveBeenCalledTimes(EVENT_CHANNELS.length);
    expect(() => exposed!.subscribe('ipc:anything', () => undefined)).toThrow(/unknown event channel/);
  });
});
