import { describe, expect, it } from 'vitest';
import { RateGate, type GateClock } from './rate-gate';

function fakeClock(): GateClock & { at: number } {
  const clock = {
    at: 1_000,
    now: () => clock.at,
    sleep: (ms: number) => {
      clock.at += ms;
      return Promise.resolve();
    },
  };
  return clock;
}

describe('RateGate', () => {
  it('says until when a request waits for the limit, and counts what it let through', async () => {
    let wake: () => void = () => undefined;
    const clock = {
      at: 1_000,
      now: () => clock.at,
      sleep: () => new Promise<void>((resolve) => (wake = resolve)),
    };
    const gate = new RateGate(1, 100, clock);
    await gate.acquire();
    expect(gate.waitingUntil()).toBeUndefined();
    const second = gate.acquire();
    expect(gate.waitingUntil()).toBe(1101);
    clock.at = 1101;
    wake();
    await second;
    expect(gate.waitingUntil()).toBeUndefined();
    expect(gate.sentTotal).toBe(2);
    const open = new RateGate(Number.POSITIVE_INFINITY, 100, clock);
    await open.acquire();
    expect(open.sentTotal).toBe(1);
  });

  it('sends at most its limit in any window', async () => {
    const clock = fakeClock();
    const gate = new RateGate(3, 100, clock);
    const sentAt: number[] = [];
    for (let i = 0; i < 7; i++) {
      await gate.acquire();
      sentAt.push(clock.at);
    }
    expect(sentAt).toEqual([1000, 1000, 1000, 1101, 1101, 1101, 1202]);
  });

  it('knows when a full window has room, and says nothing while it has room', async () => {
    const clock = fakeClock();
    const gate = new RateGate(2, 100, clock);
    await gate.acquire();
    expect(gate.fullUntil()).toBeUndefined();
    clock.at += 30;
    await gate.acquire();
    expect(gate.fullUntil()).toBe(1101);
    clock.at = 1101;
    expect(gate.fullUntil()).toBeUndefined();
  });

  it('counts nothing without a limit, so it cannot say when a refused server has room', async () => {
    const clock = fakeClock();
    const gate = new RateGate(Number.POSITIVE_INFINITY, 1, clock);
    gate.pause(clock.at + 50);
    await gate.acquire();
    await gate.acquire();
    expect(clock.at).toBe(1050);
    expect(gate.fullUntil()).toBeUndefined();
  });
});
