import { useMutation, useQueryClient } from '@tanstack/react-query';
import { StartRunResponse, type RunKind } from '../../../shared/api/runs';
import { apiSend } from '../api';
import { overviewKeys } from '../overview/queries';

/** POST /api/runs: 202 with the run's id, 409 while another run is active. */
export function useStartRun() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (kind: RunKind) => apiSend('POST', '/api/runs', StartRunResponse, { kind }),
    onSettled: async () => {
      await client.invalidateQueries({ queryKey: overviewKeys.runs() });
    },
  });
}
