import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Conflict, type ConflictChoice } from '../../../shared/api/conflicts';
import { apiSend } from '../api';
import { overviewKeys } from './queries';

/** Resolving writes the chosen value across (SPEC §3): conflict lists and run views change. */
export function useResolveConflict() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ id, choice }: { id: number; choice: ConflictChoice }) =>
      apiSend('POST', `/api/conflicts/${id}/resolve`, Conflict, { choice }),
    onSettled: async () => {
      await client.invalidateQueries({ queryKey: overviewKeys.conflicts() });
    },
  });
}
