import { MutationCache, QueryCache, QueryClient } from '@tanstack/react-query';
import { ApiError } from './api';
import { sessionKeys } from './session/queries';

/**
 * The one data layer of the client. A 401 anywhere means the session ended: the session query
 * is checked again, and the app falls back to the "open it from the App Center" page.
 */
export function createQueryClient(): QueryClient {
  const onError = (error: unknown, failedKey?: readonly unknown[]) => {
    // The session query answering 401 is the answer itself, not a reason to ask again.
    if (failedKey?.[0] === sessionKeys.session[0]) return;
    if (error instanceof ApiError && error.status === 401) {
      void client.invalidateQueries({ queryKey: sessionKeys.session });
    }
  };
  const client: QueryClient = new QueryClient({
    queryCache: new QueryCache({ onError: (error, query) => onError(error, query.queryKey) }),
    mutationCache: new MutationCache({ onError: (error) => onError(error) }),
    defaultOptions: {
      queries: {
        refetchOnWindowFocus: false,
        retry: (failures, error) =>
          failures < 1 && !(error instanceof ApiError && error.status < 500),
      },
    },
  });
  return client;
}
