// The app's status from a running core: sign-in state followed, a ready server's tool count learned in the background, a moved address told.
import { describe, expect, it, vi } from 'vitest';
import { createStatusService } from '../../../main/core/app/status.ts';
import type { Switchboard, SwitchboardStatus } from '../../../main/core/switchboard.ts';

function fakeCore(status: Partial<SwitchboardStatus>, tools: number) {
  const describeServer = vi.fn(async () => ({ tools: Array.from({ length: tools }, (_, index) => ({ name: `t${index}` })), prompts: [], resources: [] }));
  const core = {
    status: () => ({ mcpUrl: 'http://127.0.0.1:4000/mcp', anonymousAllowed: false, clients: [], legacySessions: 0, servers: [], collisions: [], ...status }),
    auth: {
      status: async () => ({ sso: { configured: true, signedIn: false }, servers: [], signingIn: [{ target: 'sso', expiresAt: '2030-01-01T00:00:00.000Z' }] }),
    },
    describeServer,
  } as unknown as Switchboard;
  return { core, describeServer };
}

describe('the app status', () => {
  it('counts a ready server’s tools once, in the background, and hands the sign-ins in progress on to be followed', async () => {
    const { core, describeServer } = fakeCore({ servers: [{ id: 'wiki', url: 'https://wiki.example.com/mcp', state: 'ready' }] }, 3);
    const followed = vi.fn();
    const service = createStatusService(() => core, followed);
    expect((await service.status()).servers[0]).not.toHaveProperty('toolCount');
    await vi.waitFor(async () => expect((await service.status()).servers[0]).toMatchObject({ toolCount: 3 }));
    expect(describeServer).toHaveBeenCalledOnce();
    expect(followed).toHaveBeenCalledWith([{ target: 'sso', expiresAt: '2030-01-01T00:00:00.000Z' }]);
  });

  it('tells a moved address as a notice that needs attention', async () => {
    const { core } = fakeCore({ addressChanged: { previousPort: 3999, port: 4000 } as SwitchboardStatus['addressChanged'] }, 0);
    const status = await createStatusService(() => core).status();
    expect(status.notices).toEqual([expect.stringContaining('port 3999 was taken by another program')]);
    expect(status.needsAttention).toEqual(expect.arrayContaining([expect.stringContaining('port 3999')]));
  });
});
