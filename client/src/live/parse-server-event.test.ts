import { describe, expect, it } from 'vitest';
import { parseServerEvent } from './parse-server-event';

describe('parseServerEvent', () => {
  it('parses a known event with its shared schema', () => {
    const message = {
      runId: 1,
      level: 'warn',
      text: 'careful',
      code: 'new_conflicts',
      params: { count: '2', type: 'contact' },
      at: '2026-01-05T09:00:00.000Z',
    };
    expect(parseServerEvent('run.message', JSON.stringify(message))).toEqual({
      name: 'run.message',
      data: message,
    });
  });

  it('parses the whole run’s tally, the requests and the waits of a progress event', () => {
    const progress = {
      runId: 1,
      phase: 'reading',
      type: 'contact',
      done: 50,
      total: null,
      counts: { created: 0, edited: 0, conflicts: 0, skipped: 0, failed: 0, linked: 0 },
      overall: { done: 55, total: 300, growing: true },
      waits: [{ system: 'xentral', reason: 'retry', status: 503, until: '2026-01-05T09:00:05Z' }],
      held: 0,
      requests: [{ system: 'xentral', sent: 6, limit: 98, windowMs: 60_000 }],
      at: '2026-01-05T09:00:00.000Z',
    };
    expect(parseServerEvent('run.progress', JSON.stringify(progress))?.data).toEqual(progress);
    const unknownReason = { ...progress, waits: [{ ...progress.waits[0], reason: 'napping' }] };
    expect(parseServerEvent('run.progress', JSON.stringify(unknownReason))).toBeNull();
  });

  it('drops unknown names, broken JSON and shapes that do not fit', () => {
    expect(parseServerEvent('run.exploded', '{}')).toBeNull();
    expect(parseServerEvent('run.message', '{not json')).toBeNull();
    expect(parseServerEvent('run.progress', JSON.stringify({ runId: 'one' }))).toBeNull();
  });
});
