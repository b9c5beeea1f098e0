import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { ConflictChoice } from '../../../shared/api/conflicts';
import { ENDPOINTS } from '../../../shared/api/endpoints';
import { call } from '../api';
import { overviewKeys } from './queries';

/**
 * Resolving writes the chosen value across and marks the field exchanged: conflict lists and run
 * views change.
 */
export function useResolveConflict() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ id, choice }: { id: number; choice: ConflictChoice }) =>
      call(ENDPOINTS.resolveConflict, { params: { id }, body: { choice } }),
    onSettled: async () => {
      await client.invalidateQueries({ queryKey: overviewKeys.conflicts() });
    },
  });
}
