import { describe, expect, it } from 'vitest';
import { addSample, estimateTimeLeft, PACE_WINDOW_MS, type ProgressSample } from './estimate';

const sample = (atMs: number, done: number, xentral = 0, hubspot = 0): ProgressSample => ({
  atMs,
  done,
  sent: { xentral, hubspot },
});

describe('estimateTimeLeft', () => {
  it('extrapolates the pace of the whole run', () => {
    // 100 of 400 in 2 s → 300 more at 50 per second → 6 s.
    expect(
      estimateTimeLeft({
        done: 100,
        total: 400,
        samples: [sample(10_000, 0), sample(12_000, 100)],
        limits: [],
        waits: [],
        nowMs: 12_000,
      }),
    ).toEqual({ remainingMs: 6_000, basis: 'rate', system: null, perMinute: null });
  });

  it('grows while nothing moves, instead of freezing', () => {
    const base = {
      done: 100,
      total: 400,
      samples: [sample(10_000, 0), sample(12_000, 100)],
      limits: [],
      waits: [],
    };
    const at = (nowMs: number) => estimateTimeLeft({ ...base, nowMs }).remainingMs;
    expect(at(12_000)).toBe(6_000);
    // Two seconds later without news: the pace so far is 100 in 4 s.
    expect(at(14_000)).toBe(12_000);
    expect(at(20_000)).toBe(30_000);
  });

  it('is never faster than the remaining requests at the vendor’s limit', () => {
    // 98 requests for 98 records in 1 s: a burst the limit allows once a minute.
    const estimate = estimateTimeLeft({
      done: 98,
      total: 490,
      samples: [sample(0, 0, 0), sample(1_000, 98, 98)],
      limits: [{ system: 'xentral', limit: 98, windowMs: 60_000 }],
      waits: [],
      nowMs: 1_000,
    });
    // 392 more records need 392 requests: 490 in all, four more windows after the first burst.
    expect(estimate).toEqual({
      remainingMs: 239_000,
      basis: 'limit',
      system: 'xentral',
      perMinute: 98,
    });
    // Half a minute later without news, the bound has run down by as much.
    expect(
      estimateTimeLeft({
        done: 98,
        total: 490,
        samples: [sample(0, 0, 0), sample(1_000, 98, 98)],
        limits: [{ system: 'xentral', limit: 98, windowMs: 60_000 }],
        waits: [],
        nowMs: 31_000,
      }),
    ).toMatchObject({ remainingMs: 209_000, basis: 'limit' });
  });

  it('counts requests per record as observed: a batch of 100 costs one request', () => {
    const estimate = estimateTimeLeft({
      done: 200,
      total: 1_200,
      samples: [sample(0, 0, 0, 0), sample(1_000, 200, 0, 2)],
      limits: [
        { system: 'xentral', limit: 98, windowMs: 60_000 },
        { system: 'hubspot', limit: 98, windowMs: 10_050 },
      ],
      waits: [],
      nowMs: 1_000,
    });
    // 10 more requests are far within HubSpot's limit: the pace decides (1,000 at 200/s).
    expect(estimate).toMatchObject({ remainingMs: 5_000, basis: 'rate' });
  });

  it('is at least the wait under way, and has no basis before any work', () => {
    const waiting = estimateTimeLeft({
      done: 0,
      total: 50,
      samples: [sample(0, 0)],
      limits: [],
      waits: [{ system: 'xentral', reason: 'retry', untilMs: 9_000 }],
      nowMs: 1_000,
    });
    expect(waiting).toEqual({
      remainingMs: 8_000,
      basis: 'wait',
      system: 'xentral',
      perMinute: null,
    });
    expect(
      estimateTimeLeft({ done: 0, total: 50, samples: [], limits: [], waits: [], nowMs: 5 }),
    ).toEqual({ remainingMs: null });
    // A wait that is over says nothing.
    expect(
      estimateTimeLeft({
        done: 0,
        total: 50,
        samples: [sample(0, 0)],
        limits: [],
        waits: [{ system: 'hubspot', reason: 'rate_limit', untilMs: 500 }],
        nowMs: 1_000,
      }),
    ).toEqual({ remainingMs: null });
  });
});

describe('addSample', () => {
  it('keeps one pace window of samples, starting at the last one before it', () => {
    let samples: ProgressSample[] = [];
    for (let second = 0; second <= 100; second += 10) {
      samples = addSample(samples, sample(second * 1000, second));
    }
    expect(samples[0]?.atMs).toBe(100_000 - PACE_WINDOW_MS);
    expect(samples.at(-1)?.atMs).toBe(100_000);
    // Two samples are always kept, however far apart.
    expect(addSample([sample(0, 0)], sample(10 * PACE_WINDOW_MS, 5))).toHaveLength(2);
  });
});
