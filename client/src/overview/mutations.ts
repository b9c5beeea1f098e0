import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { Conflict, ConflictChoice } from '../../../shared/api/conflicts';
import { ENDPOINTS } from '../../../shared/api/endpoints';
import { call } from '../api';
import { overviewKeys } from './queries';

/**
 * Resolving writes the chosen value across and marks the field exchanged: conflict lists and run
 * views change. `onResolved` hears the resolved conflict before the lists reload, so a card can
 * keep its place and its focus although the open list will no longer hold it.
 */
export function useResolveConflict({
  onResolved,
}: { onResolved?: (resolved: Conflict) => void } = {}) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ id, choice }: { id: number; choice: ConflictChoice }) =>
      call(ENDPOINTS.resolveConflict, { params: { id }, body: { choice } }),
    onSuccess: (resolved) => {
      onResolved?.(resolved);
    },
    onSettled: async () => {
      await client.invalidateQueries({ queryKey: overviewKeys.conflicts() });
    },
  });
}
