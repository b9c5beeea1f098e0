import { describe, expect, it } from 'vitest';
import { ENDPOINTS } from '../../../shared/api/endpoints';
import { EMPTY_COUNTS, RunItemsCsvQuery } from '../../../shared/api/runs';
import { recordsOfAction, runItemsCsvUrl } from './run-export';

describe('runItemsCsvUrl', () => {
  it("is the run's CSV, with the action filter when one is chosen", () => {
    expect(ENDPOINTS.runItemsCsv.path).toBe('/api/runs/:id/items.csv');
    expect(runItemsCsvUrl(12, null)).toBe('/api/runs/12/items.csv');
    expect(runItemsCsvUrl(12, 'failed')).toBe('/api/runs/12/items.csv?action=failed');
  });

  it('takes only what the endpoint accepts', () => {
    const url = new URL(runItemsCsvUrl(7, 'conflict'), 'http://app');
    expect(ENDPOINTS.runItemsCsv.query).toBe(RunItemsCsvQuery);
    expect(RunItemsCsvQuery.parse(Object.fromEntries(url.searchParams))).toEqual({
      action: 'conflict',
    });
  });
});

describe('recordsOfAction', () => {
  const totals = { ...EMPTY_COUNTS, created: 3, edited: 2, conflicts: 1, failed: 4 };

  it('counts every record without a filter', () => {
    expect(recordsOfAction(totals, null)).toBe(10);
  });

  it("counts the chosen action's records", () => {
    expect(recordsOfAction(totals, 'created')).toBe(3);
    expect(recordsOfAction(totals, 'conflict')).toBe(1);
    expect(recordsOfAction(totals, 'linked')).toBe(0);
  });
});
