import { useMutation, useQueryClient } from '@tanstack/react-query';
import { ENDPOINTS } from '../../../shared/api/endpoints';
import type { Settings } from '../../../shared/api/settings';
import { call } from '../api';
import { actionKeys } from '../action/queries';
import { settingsKeys } from './queries';

/** Saves the whole settings object (PUT); the process starter's schedule may change with it. */
export function useSaveSettings() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (settings: Settings) => call(ENDPOINTS.saveSettings, { body: settings }),
    onSuccess: async (saved) => {
      client.setQueryData(settingsKeys.values(), saved);
      await client.invalidateQueries({ queryKey: actionKeys.processStarter() });
    },
  });
}

export function useRefreshStages() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: () => call(ENDPOINTS.refreshLifecycleStages),
    onSuccess: (stages) => {
      client.setQueryData(settingsKeys.stages(), stages);
    },
  });
}
