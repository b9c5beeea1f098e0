import { queryOptions, type QueryClient } from '@tanstack/react-query';
import { HealthResponse } from '../../../shared/api/health';
import { SessionResponse } from '../../../shared/api/session';
import { apiFetch, type CsrfSource } from '../api';

export const sessionKeys = {
  session: ['session'] as const,
  health: ['health'] as const,
};

/** Who is signed in; fetched once per page (its CSRF token lasts as long as the session). */
export const sessionQuery = queryOptions({
  queryKey: sessionKeys.session,
  queryFn: ({ signal }) => apiFetch('/api/session', SessionResponse, { signal }),
  staleTime: Number.POSITIVE_INFINITY,
  retry: false,
});

/** Public: tells a visitor without a session where the App Center is. */
export const healthQuery = queryOptions({
  queryKey: sessionKeys.health,
  queryFn: ({ signal }) => apiFetch('/api/health', HealthResponse, { signal }),
  staleTime: 5 * 60_000,
});

export function csrfFromSession(client: QueryClient): CsrfSource {
  return {
    token: async () => (await client.ensureQueryData(sessionQuery)).csrfToken,
    renew: async () => (await client.fetchQuery({ ...sessionQuery, staleTime: 0 })).csrfToken,
  };
}
