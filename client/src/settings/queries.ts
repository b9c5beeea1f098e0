import { queryOptions } from '@tanstack/react-query';
import { ENDPOINTS } from '../../../shared/api/endpoints';
import { call } from '../api';

export const settingsKeys = {
  all: ['settings'] as const,
  values: () => [...settingsKeys.all, 'values'] as const,
  stages: () => [...settingsKeys.all, 'lifecycle-stages'] as const,
  projects: (search: string) => [...settingsKeys.all, 'projects', search] as const,
};

export const settingsQuery = queryOptions({
  queryKey: settingsKeys.values(),
  queryFn: ({ signal }) => call(ENDPOINTS.settings, {}, { signal }),
});

export const lifecycleStagesQuery = queryOptions({
  queryKey: settingsKeys.stages(),
  queryFn: ({ signal }) => call(ENDPOINTS.lifecycleStages, {}, { signal }),
});

/** Xentral's projects whose name or key contains `search` (all when empty). */
export const projectsQuery = (search: string) =>
  queryOptions({
    queryKey: settingsKeys.projects(search),
    queryFn: ({ signal }) => call(ENDPOINTS.projects, { query: { search } }, { signal }),
    staleTime: 60_000,
  });
