import { queryOptions, type QueryClient } from '@tanstack/react-query';
import { ENDPOINTS } from '../../../shared/api/endpoints';
import { call, type CsrfSource } from '../api';

export const sessionKeys = {
  session: ['session'] as const,
  health: ['health'] as const,
};

/** Who is signed in; fetched once per page (its CSRF token lasts as long as the session). */
export const sessionQuery = queryOptions({
  queryKey: sessionKeys.session,
  queryFn: ({ signal }) => call(ENDPOINTS.session, {}, { signal }),
  staleTime: Number.POSITIVE_INFINITY,
  retry: false,
});

/** Public: tells a visitor without a session where the App Center is. */
export const healthQuery = queryOptions({
  queryKey: sessionKeys.health,
  queryFn: ({ signal }) => call(ENDPOINTS.health, {}, { signal }),
  staleTime: 5 * 60_000,
});

export function csrfFromSession(client: QueryClient): CsrfSource {
  return {
    token: async () => (await client.ensureQueryData(sessionQuery)).csrfToken,
    renew: async () => (await client.fetchQuery({ ...sessionQuery, staleTime: 0 })).csrfToken,
  };
}
