import { useMutation, useQueryClient } from '@tanstack/react-query';
import { LifecycleStagesResponse } from '../../../shared/api/catalog';
import { SettingsResponse, type Settings } from '../../../shared/api/settings';
import { apiSend } from '../api';
import { actionKeys } from '../action/queries';
import { settingsKeys } from './queries';

/** Saves the whole settings object (PUT); the process starter's schedule may change with it. */
export function useSaveSettings() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (settings: Settings) => apiSend('PUT', '/api/settings', SettingsResponse, settings),
    onSuccess: async (saved) => {
      client.setQueryData(settingsKeys.values(), saved);
      await client.invalidateQueries({ queryKey: actionKeys.processStarter() });
    },
  });
}

export function useRefreshStages() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: () => apiSend('POST', '/api/lifecycle-stages/refresh', LifecycleStagesResponse),
    onSuccess: (stages) => {
      client.setQueryData(settingsKeys.stages(), stages);
    },
  });
}
