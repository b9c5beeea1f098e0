import { useMutation, useQueryClient } from '@tanstack/react-query';
import { ENDPOINTS } from '../../../shared/api/endpoints';
import type { RunKind } from '../../../shared/api/runs';
import { call } from '../api';
import { overviewKeys } from '../overview/queries';

/** POST /api/runs: 202 with the run's id, 409 while another run is active. */
export function useStartRun() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (kind: RunKind) => call(ENDPOINTS.startRun, { body: { kind } }),
    onSettled: async () => {
      await client.invalidateQueries({ queryKey: overviewKeys.runs() });
    },
  });
}
