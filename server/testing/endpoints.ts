import {
  ENDPOINT_NAMES,
  ENDPOINTS,
  pathParamNames,
  urlOf,
  type Endpoint,
  type EndpointName,
} from '../../shared/api/endpoints';

/** The endpoints of the table with their names, in the table's order. */
export const ALL_ENDPOINTS: { name: EndpointName; endpoint: Endpoint }[] = ENDPOINT_NAMES.map(
  (name) => ({ name, endpoint: ENDPOINTS[name] }),
);

/** Every endpoint that needs the session or the API token. */
export const SIGNED_IN = ALL_ENDPOINTS.filter(({ endpoint }) => endpoint.access === 'signed-in');

/** …and of those, the ones that change something (with a session they need the CSRF token). */
export const CHANGING = SIGNED_IN.filter(({ endpoint }) => endpoint.changes);

/** The endpoint's path with every parameter set to `id` (a record that need not exist). */
export function pathFor(endpoint: Endpoint, id: number | string = 1): string {
  return urlOf(endpoint, {
    params: Object.fromEntries(pathParamNames(endpoint.path).map((name) => [name, id])),
  });
}

/** `GET /api/runs/:id`, as test names and messages say it. */
export function labelOf(endpoint: Endpoint): string {
  return `${endpoint.method} ${endpoint.path}`;
}
