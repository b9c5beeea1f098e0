import { useMutation, useQueryClient } from '@tanstack/react-query';
import { ENDPOINTS } from '../../../shared/api/endpoints';
import { call } from '../api';
import { actionKeys } from '../action/queries';
import { overviewKeys } from '../overview/queries';
import { settingsKeys } from '../settings/queries';
import { connectionKeys } from './queries';

export function useRemoveConnection() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: () => call(ENDPOINTS.removeConnection),
    onSuccess: async (connection) => {
      client.setQueryData(connectionKeys.all, connection);
      await Promise.all([
        client.invalidateQueries({ queryKey: settingsKeys.stages() }),
        client.invalidateQueries({ queryKey: overviewKeys.conflicts() }),
        client.invalidateQueries({ queryKey: actionKeys.processStarter() }),
      ]);
    },
  });
}
