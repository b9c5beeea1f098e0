import { queryOptions } from '@tanstack/react-query';
import { ENDPOINTS, urlOf } from '../../../shared/api/endpoints';
import { call } from '../api';

export const connectionKeys = {
  all: ['connection'] as const,
};

export const connectionQuery = queryOptions({
  queryKey: connectionKeys.all,
  queryFn: ({ signal }) => call(ENDPOINTS.connection, {}, { signal }),
});

/** The OAuth dance is a full-page journey: the server redirects to HubSpot and back. */
export const CONNECT_URL = urlOf(ENDPOINTS.startConnection);
