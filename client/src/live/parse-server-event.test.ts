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

  it('drops unknown names, broken JSON and shapes that do not fit', () => {
    expect(parseServerEvent('run.exploded', '{}')).toBeNull();
    expect(parseServerEvent('run.message', '{not json')).toBeNull();
    expect(parseServerEvent('run.progress', JSON.stringify({ runId: 'one' }))).toBeNull();
  });
});
