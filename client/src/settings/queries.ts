import { queryOptions } from '@tanstack/react-query';
import { LifecycleStagesResponse, ProjectsResponse } from '../../../shared/api/catalog';
import { SettingsResponse } from '../../../shared/api/settings';
import { apiFetch, withQuery } from '../api';

export const settingsKeys = {
  all: ['settings'] as const,
  values: () => [...settingsKeys.all, 'values'] as const,
  stages: () => [...settingsKeys.all, 'lifecycle-stages'] as const,
  projects: (search: string) => [...settingsKeys.all, 'projects', search] as const,
};

export const settingsQuery = queryOptions({
  queryKey: settingsKeys.values(),
  queryFn: ({ signal }) => apiFetch('/api/settings', SettingsResponse, { signal }),
});

export const lifecycleStagesQuery = queryOptions({
  queryKey: settingsKeys.stages(),
  queryFn: ({ signal }) => apiFetch('/api/lifecycle-stages', LifecycleStagesResponse, { signal }),
});

/** Xentral's projects whose name or key contains `search` (all when empty). */
export const projectsQuery = (search: string) =>
  queryOptions({
    queryKey: settingsKeys.projects(search),
    queryFn: ({ signal }) =>
      apiFetch(withQuery('/api/projects', { search }), ProjectsResponse, { signal }),
    staleTime: 60_000,
  });
