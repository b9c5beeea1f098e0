import { infiniteQueryOptions, keepPreviousData, queryOptions } from '@tanstack/react-query';
import type { ConflictStatus } from '../../../shared/api/conflicts';
import type { ItemAction } from '../../../shared/api/runs';
import { ENDPOINTS } from '../../../shared/api/endpoints';
import { call } from '../api';

export const RUNS_PAGE_SIZE = 20;
const ITEMS_PAGE_SIZE = 100;
const CONFLICTS_PAGE_SIZE = 50;

export const overviewKeys = {
  runs: () => ['runs'] as const,
  runPage: (before: number | null) => [...overviewKeys.runs(), 'page', before] as const,
  run: (id: number) => [...overviewKeys.runs(), 'detail', id] as const,
  runRecords: (id: number, action: ItemAction | null) =>
    [...overviewKeys.run(id), { action }] as const,
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

/**
 * A run with its records, page by page (records can run into thousands): all of them, or those
 * of one action, which the server finds in the whole run. While another action's first page
 * loads, the previous answer of the same run stays, so its head and counts do not flicker.
 */
export const runDetailQuery = (id: number, action: ItemAction | null = null) =>
  infiniteQueryOptions({
    queryKey: overviewKeys.runRecords(id, action),
    queryFn: ({ signal, pageParam }) =>
      call(
        ENDPOINTS.run,
        { params: { id }, query: { action, limit: ITEMS_PAGE_SIZE, after: pageParam } },
        { signal },
      ),
    initialPageParam: 0,
    getNextPageParam: (page) => page.nextAfter,
    placeholderData: (previous) => (previous?.pages[0]?.run.id === id ? previous : undefined),
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
