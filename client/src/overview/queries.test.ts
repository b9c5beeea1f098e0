import { afterEach, describe, expect, it, vi } from 'vitest';
import { matchQuery } from '@tanstack/react-query';
import { EMPTY_COUNTS, RunItemsQuery, type RunDetailResponse } from '../../../shared/api/runs';
import { overviewKeys, runDetailQuery } from './queries';

afterEach(() => vi.unstubAllGlobals());

function page(runId: number): RunDetailResponse {
  return {
    run: {
      id: runId,
      kind: 'sync',
      trigger: 'manual',
      status: 'succeeded',
      portalId: '42',
      startedAt: '2026-03-02T09:30:00.000Z',
      finishedAt: '2026-03-02T09:31:00.000Z',
      durationMs: 60_000,
      message: null,
      messageCode: null,
      messageParams: {},
      totals: { ...EMPTY_COUNTS, skipped: 15 },
      counts: [],
    },
    items: [],
    nextAfter: null,
  };
}

describe('runDetailQuery', () => {
  it('is cached per action, and what marks the run stale reaches every action', () => {
    const all = runDetailQuery(4).queryKey;
    const skipped = runDetailQuery(4, 'skipped').queryKey;
    expect(skipped).not.toEqual(all);
    expect(runDetailQuery(4, null).queryKey).toEqual(all);
    for (const queryKey of [all, skipped]) {
      const query = { queryKey, queryHash: JSON.stringify(queryKey) } as never;
      expect(matchQuery({ queryKey: overviewKeys.run(4) }, query)).toBe(true);
      expect(matchQuery({ queryKey: overviewKeys.run(5) }, query)).toBe(false);
    }
  });

  it('asks the server for the chosen action, page after page from the cursor', async () => {
    const fetch = vi.fn(() => Promise.resolve(Response.json(page(4))));
    vi.stubGlobal('fetch', fetch);
    const options = runDetailQuery(4, 'skipped');
    const queryFn = options.queryFn as (context: unknown) => Promise<RunDetailResponse>;
    await queryFn({ pageParam: 812, signal: new AbortController().signal });
    const url = new URL(String((fetch.mock.calls[0] as unknown[])[0]), 'http://app');
    expect(url.pathname).toBe('/api/runs/4');
    expect(RunItemsQuery.parse(Object.fromEntries(url.searchParams))).toEqual({
      action: 'skipped',
      limit: 100,
      after: 812,
    });
    expect(options.getNextPageParam({ ...page(4), nextAfter: 900 }, [], 812, [])).toBe(900);
  });

  it("keeps the run's previous answer while another action loads, never another run's", () => {
    const placeholder = runDetailQuery(4, 'failed').placeholderData as (
      previous: { pages: RunDetailResponse[]; pageParams: number[] } | undefined,
    ) => unknown;
    const same = { pages: [page(4)], pageParams: [0] };
    expect(placeholder(same)).toBe(same);
    expect(placeholder({ pages: [page(5)], pageParams: [0] })).toBeUndefined();
    expect(placeholder(undefined)).toBeUndefined();
  });
});
