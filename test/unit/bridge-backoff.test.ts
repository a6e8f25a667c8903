// The stdio bridge's retry delays: exponential, capped, with jitter that never lets a delay fall below the previous one's most.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { backoffDelay, eventStreamReconnection, type BackoffPolicy } from '../../main/core/bridge/reconnect-backoff.ts';

const policy = (random: number): BackoffPolicy => ({ initialDelayMs: 100, maxDelayMs: 1000, growFactor: 2, random: () => random });

describe('bridge backoff', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('doubles from the initial delay up to the cap, each delay a point in the upper half of its step', () => {
    expect([0, 1, 2, 3, 4, 5].map((attempt) => backoffDelay(policy(0), attempt))).toEqual([50, 100, 200, 400, 500, 500]);
    expect([0, 1, 2, 3, 4, 5].map((attempt) => Math.round(backoffDelay(policy(0.999999), attempt)))).toEqual([100, 200, 400, 800, 1000, 1000]);
    expect(backoffDelay(policy(0.5), 2)).toBe(300);
  });

  it('spreads bridges apart: independent draws give different delays within the step', () => {
    const delays = Array.from({ length: 20 }, () => backoffDelay({ initialDelayMs: 1000, maxDelayMs: 30_000, growFactor: 2 }, 3));
    expect(new Set(delays).size).toBeGreaterThan(1);
    expect(Math.min(...delays)).toBeGreaterThanOrEqual(4000);
    expect(Math.max(...delays)).toBeLessThanOrEqual(8000);
  });

  it("keeps the SDK transport's own delay at zero, honours a server's retry: only as a floor, and stops for a retired transport", () => {
    vi.useFakeTimers();
    let retired = false;
    const { reconnectionOptions, reconnectionScheduler } = eventStreamReconnection(policy(0), () => retired);
    expect(reconnectionOptions).toMatchObject({ initialReconnectionDelay: 0, maxReconnectionDelay: 0, maxRetries: Number.POSITIVE_INFINITY });
    const fired: string[] = [];
    const firesAfter = (label: string, serverRetryMs: number, expectedMs: number) => {
      reconnectionScheduler(() => fired.push(label), serverRetryMs, 1);
      vi.advanceTimersByTime(expectedMs - 1);
      expect(fired).not.toContain(label);
      vi.advanceTimersByTime(1);
      expect(fired).toContain(label);
    };
    firesAfter('own backoff', 0, 100);
    firesAfter("server's retry", 700, 700);
    firesAfter('capped', 60_000, 1000);

    reconnectionScheduler(() => fired.push('retired while waiting'), 0, 1);
    retired = true;
    vi.advanceTimersByTime(1000);
    expect(fired).not.toContain('retired while waiting');
    expect(reconnectionScheduler(() => fired.push('after retirement'), 0, 1)).toBeUndefined();
  });
});
