import { infiniteQueryOptions, keepPreviousData, queryOptions } from '@tanstack/react-query';
import type { ConflictStatus } from '../../../shared/api/conflicts';
import { ENDPOINTS } from '../../../shared/api/endpoints';
import { call } from '../api';

export const RUNS_PAGE_SIZE = 20;
const ITEMS_PAGE_SIZE = 100;
const CONFLICTS_PAGE_SIZE = 50;

export const overviewKeys = {
  runs: () => ['runs'] as const,
  runPage: (before: number | null) => [...overviewKeys.runs(), 'page', before] as const,
  run: (id: number) => [...overviewKeys.runs(), 'detail', id] as const,
  conflicts: () => ['conflicts'] as const,
  conflictList: (filter: { status: ConflictStatus | null; runId: number | null }) =>
    [...overviewKeys.conflicts(), filter] as const,
};

/** One page of the run log, newest first; `before` is the cursor the previous page returned. */
export const runsPageQuery = (before: number | null) =>
  queryOptions({
    queryKey: overviewKeys.runPage(before),
    queryFn: ({ signal }) =>
      call(ENDPOINTS.runs, { query: { limit: RUNS_PAGE_SIZE, before } }, { signal }),
    placeholderData: keepPreviousData,
  });

/** A run with its records, page by page (records can run into thousands). */
export const runDetailQuery = (id: number) =>
  infiniteQueryOptions({
    queryKey: overviewKeys.run(id),
    queryFn: ({ signal, pageParam }) =>
      call(
        ENDPOINTS.run,
        { params: { id }, query: { limit: ITEMS_PAGE_SIZE, after: pageParam } },
        { signal },
      ),
    initialPageParam: 0,
    getNextPageParam: (page) => page.nextAfter,
  });

export const conflictsQuery = (filter: { status: ConflictStatus | null; runId: number | null }) =>
  infiniteQueryOptions({
    queryKey: overviewKeys.conflictList(filter),
    queryFn: ({ signal, pageParam }) =>
      call(
        ENDPOINTS.conflicts,
        {
          query: {
            status: filter.status,
            runId: filter.runId,
            limit: CONFLICTS_PAGE_SIZE,
            before: pageParam,
          },
        },
        { signal },
      ),
    initialPageParam: null as number | null,
    getNextPageParam: (page) => page.nextBefore,
  });
