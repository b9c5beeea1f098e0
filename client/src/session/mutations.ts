import { useMutation, useQueryClient } from '@tanstack/react-query';
import { ENDPOINTS } from '../../../shared/api/endpoints';
import { call } from '../api';
import { sessionKeys } from './queries';

/** Ends the session; the session query then answers 401 and the app shows how to sign in. */
export function useLogout() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: () => call(ENDPOINTS.logout),
    onSuccess: async () => {
      await client.resetQueries({ queryKey: sessionKeys.session });
    },
  });
}
