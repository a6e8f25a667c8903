// A 2025 session's kept SSE events: replays are whole or refused, memory stays within the budget.
import { describe, expect, it } from 'vitest';
import { SessionEventStore } from '../../main/core/gateway/session-event-store.ts';

const note = (n: number) => ({ jsonrpc: '2.0' as const, method: 'notifications/progress', params: { progressToken: 't', progress: n } });

async function replayed(store: SessionEventStore, after: string): Promise<unknown[]> {
  const sent: unknown[] = [];
  await store.replayEventsAfter(after, { send: async (_id, message) => void sent.push(message) });
  return sent;
}

describe('session event store', () => {
  it('replays what followed an event on its own stream only', async () => {
    const store = new SessionEventStore();
    const priming = await store.storeEvent('a', {} as never);
    await store.storeEvent('b', note(0));
    await store.storeEvent('a', note(1));
    await store.storeEvent('a', note(2));
    expect(await store.getStreamIdForEventId(priming)).toBe('a');
    expect(await replayed(store, priming)).toEqual([note(1), note(2)]);
  });

  it('drops the oldest events past its budget, and an id no longer kept is unknown', async () => {
    const store = new SessionEventStore({ maxEvents: 3 });
    const first = await store.storeEvent('a', note(1));
    const second = await store.storeEvent('a', note(2));
    for (const n of [3, 4]) await store.storeEvent('a', note(n));
    expect(await store.getStreamIdForEventId(first)).toBeUndefined();
    await expect(replayed(store, first)).rejects.toThrow(/no longer kept/);
    expect(await replayed(store, second)).toEqual([note(3), note(4)]);
    const bytes = new SessionEventStore({ maxBytes: 200 });
    for (let n = 0; n < 50; n++) await bytes.storeEvent('a', note(n));
    expect(bytes.heldBytes).toBeLessThanOrEqual(200);
  });

  it('refuses a replay that would cross a message too large to keep, but resumes after it', async () => {
    const store = new SessionEventStore({ maxBytes: 1_000 });
    const before = await store.storeEvent('a', note(1));
    const large = { jsonrpc: '2.0' as const, id: 1, result: { content: [{ type: 'text', text: 'x'.repeat(5_000) }] } };
    await store.storeEvent('a', large);
    const after = await store.storeEvent('a', note(3));
    await store.storeEvent('a', note(4));
    expect(await store.getStreamIdForEventId(before)).toBeUndefined();
    expect(await replayed(store, after)).toEqual([note(4)]);
    expect(store.heldBytes).toBeLessThan(1_000);
  });
});
