import { describe, expect, it, vi } from 'vitest';
import type { RequestActivity } from '../adapters/rate-gate';
import { describeActivity, ProgressRelay } from './run-service';

describe('describeActivity', () => {
  it('turns each system’s requests and waits into the terms of the progress event', () => {
    const until = Date.UTC(2026, 0, 5, 9, 0, 30);
    expect(
      describeActivity({
        xentral: {
          sent: 120,
          limit: 98,
          windowMs: 60_000,
          waits: [{ reason: 'rate_limit', status: null, untilMs: until }],
        },
        hubspot: {
          sent: 7,
          limit: null,
          windowMs: 10_050.5,
          waits: [{ reason: 'retry', status: 503, untilMs: until }],
        },
      }),
    ).toEqual({
      requests: [
        { system: 'xentral', sent: 120, limit: 98, windowMs: 60_000 },
        { system: 'hubspot', sent: 7, limit: null, windowMs: 10_051 },
      ],
      waits: [
        {
          system: 'xentral',
          reason: 'rate_limit',
          status: null,
          until: '2026-01-05T09:00:30.000Z',
        },
        { system: 'hubspot', reason: 'retry', status: 503, until: '2026-01-05T09:00:30.000Z' },
      ],
    });
    // Before the run has its HubSpot adapter, only Xentral is described.
    expect(
      describeActivity({
        xentral: { sent: 0, limit: 98, windowMs: 60_000, waits: [] },
        hubspot: undefined,
      }).requests.map((r) => r.system),
    ).toEqual(['xentral']);
  });
});

describe('ProgressRelay', () => {
  const step = (done: number, type: 'contact' | 'company' = 'contact') => ({
    runId: 1,
    phase: 'writing' as const,
    type,
    done,
    total: 100,
    overall: { done, total: 100, growing: false },
    held: 0,
  });

  it('thins each step, and repeats the last one with the current waits while nothing moves', () => {
    let now = 10_000;
    let waits: RequestActivity['waits'] = [];
    const sent: { done: number; waits: number; at: number }[] = [];
    const relay = new ProgressRelay({
      clock: () => now,
      activity: () => ({
        xentral: { sent: 1, limit: 98, windowMs: 60_000, waits },
        hubspot: undefined,
      }),
      publish: (event, activity, at) =>
        sent.push({ done: event.done, waits: activity.waits.length, at }),
    });
    relay.report(step(1));
    now += 100;
    relay.report(step(2)); // thinned: same step within 250 ms
    relay.report(step(0, 'company')); // a new step always goes out
    now += 500;
    relay.beat(); // something went out 500 ms ago: nothing to repeat
    expect(sent.map((s) => s.done)).toEqual([1, 0]);
    waits = [{ reason: 'rate_limit', status: null, untilMs: now + 30_000 }];
    now += 500;
    relay.beat();
    now += 1_000;
    relay.beat();
    expect(sent.slice(2)).toEqual([
      { done: 0, waits: 1, at: 11_100 },
      { done: 0, waits: 1, at: 12_100 },
    ]);
  });

  it('has nothing to repeat before the first report', () => {
    const publish = vi.fn();
    const relay = new ProgressRelay({
      clock: () => 50_000,
      activity: () => ({ xentral: undefined, hubspot: undefined }),
      publish,
    });
    relay.beat();
    expect(publish).not.toHaveBeenCalled();
  });
});
