import { useQuery } from '@tanstack/react-query';
import { INITIAL_LIVE_STATE, type LiveRun, type LiveState } from './live-state';
import { liveQuery } from './queries';

export function useLive(): LiveState {
  return useQuery(liveQuery).data ?? INITIAL_LIVE_STATE;
}

/** The run that is active now, if any (from the events, seeded by the run log). */
export function useActiveRun(): LiveRun | null {
  const { run } = useLive();
  return run?.status === 'running' ? run : null;
}
