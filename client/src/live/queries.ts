import { queryOptions, skipToken, type QueryClient } from '@tanstack/react-query';
import { INITIAL_LIVE_STATE, reduceLive, type LiveAction, type LiveState } from './live-state';

export const liveKeys = {
  state: ['live'] as const,
};

/**
 * The live run state lives in the query cache like everything else the UI shows; nothing
 * fetches it: the server-sent events are reduced into it (dispatchLive).
 */
export const liveQuery = queryOptions<LiveState>({
  queryKey: liveKeys.state,
  queryFn: skipToken,
  initialData: INITIAL_LIVE_STATE,
  staleTime: Number.POSITIVE_INFINITY,
  gcTime: Number.POSITIVE_INFINITY,
});

export function dispatchLive(client: QueryClient, action: LiveAction): void {
  client.setQueryData<LiveState>(liveKeys.state, (state) =>
    reduceLive(state ?? INITIAL_LIVE_STATE, action),
  );
}
