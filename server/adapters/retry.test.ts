import { describe, expect, it } from 'vitest';
import { RateGate, type GateClock } from './rate-gate';
import { backoffDelay, DEFAULT_RETRY_POLICY, retryAfterMs } from './retry';

class ManualClock implements GateClock {
  time = 0;
  sleeps: number[] = [];
  now(): number {
    return this.time;
  }
  sleep(ms: number): Promise<void> {
    this.sleeps.push(ms);
    this.time += ms;
    return Promise.resolve();
  }
}

describe('RateGate', () => {
  it('lets `limit` requests through per sliding window and waits for the oldest to expire', async () => {
    const clock = new ManualClock();
    const gate = new RateGate(3, 1000, clock);
    for (let i = 0; i < 3; i++) await gate.acquire();
    expect(clock.time).toBe(0);
    await gate.acquire();
    expect(clock.time).toBe(1001);
  });

  it('holds everyone back until a pause ends', async () => {
    const clock = new ManualClock();
    const gate = new RateGate(10, 1000, clock);
    gate.pause(2500);
    await gate.acquire();
    expect(clock.time).toBe(2500);
  });
});

describe('retry policy', () => {
  it('reads Retry-After as seconds or as a date', () => {
    expect(retryAfterMs('2', 0)).toBe(2000);
    expect(retryAfterMs('Thu, 01 Jan 1970 00:00:10 GMT', 4000)).toBe(6000);
    expect(retryAfterMs(null, 0)).toBeUndefined();
    expect(retryAfterMs('soon', 0)).toBeUndefined();
  });

  it('backs off exponentially within the cap', () => {
    expect(backoffDelay(0, DEFAULT_RETRY_POLICY, () => 0.999)).toBeLessThanOrEqual(500);
    expect(backoffDelay(3, DEFAULT_RETRY_POLICY, () => 0.999)).toBeGreaterThan(3000);
    expect(backoffDelay(20, DEFAULT_RETRY_POLICY, () => 0.999)).toBeLessThanOrEqual(30_000);
    expect(backoffDelay(5, DEFAULT_RETRY_POLICY, () => 0)).toBe(250);
  });
});
