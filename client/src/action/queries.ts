import { queryOptions } from '@tanstack/react-query';
import { ENDPOINTS } from '../../../shared/api/endpoints';
import { call } from '../api';

export const actionKeys = {
  all: ['action'] as const,
  processStarter: () => [...actionKeys.all, 'process-starter'] as const,
};

/** The "Hubspot Data Sync" process starter: interval, active flag, last and next run. */
export const processStarterQuery = queryOptions({
  queryKey: actionKeys.processStarter(),
  queryFn: ({ signal }) => call(ENDPOINTS.processStarter, {}, { signal }),
});
