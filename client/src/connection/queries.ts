import { queryOptions } from '@tanstack/react-query';
import { ConnectionResponse } from '../../../shared/api/connection';
import { apiFetch } from '../api';

export const connectionKeys = {
  all: ['connection'] as const,
};

export const connectionQuery = queryOptions({
  queryKey: connectionKeys.all,
  queryFn: ({ signal }) => apiFetch('/api/connection', ConnectionResponse, { signal }),
});

/** The OAuth dance is a full-page journey: the server redirects to HubSpot and back. */
export const CONNECT_URL = '/api/connection/start';
