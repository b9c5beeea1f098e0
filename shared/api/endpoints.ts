import { z } from 'zod';
import { LifecycleStagesResponse, ProjectsQuery, ProjectsResponse } from './catalog';
import { Conflict, ConflictsQuery, ConflictsResponse, ResolveConflictRequest } from './conflicts';
import { ConnectionResponse, OAuthCallbackQuery } from './connection';
import { HealthResponse } from './health';
import { IdParams } from './ids';
import {
  ProcessStarterResponse,
  RunDetailResponse,
  RunItemsCsvQuery,
  RunItemsQuery,
  RunsQuery,
  RunsResponse,
  StartRunRequest,
  StartRunResponse,
} from './runs';
import { LaunchQuery, LogoutResponse, SessionResponse } from './session';
import { SettingsResponse, SettingsUpdate } from './settings';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'DELETE';

/**
 * json: a JSON body in (if any) and a JSON answer out, checked against `response`;
 * redirect: an answer the browser follows elsewhere (the OAuth start);
 * page: an HTML page for a browser that arrives from outside (launch, OAuth callback);
 * events: a stream of server-sent events (SERVER_EVENTS in ./events);
 * download: a file the browser saves (Content-Disposition: attachment), written as it is read.
 */
export type EndpointKind = 'json' | 'redirect' | 'page' | 'events' | 'download';

/**
 * signed-in: the App Center session or the API token. public: health for monitors, and the two
 * arrivals that sign in on their own (the launch token, the OAuth state).
 */
export type EndpointAccess = 'public' | 'signed-in';

type Schema = z.ZodType;

export interface Endpoint<
  Kind extends EndpointKind = EndpointKind,
  Path extends string = string,
  Params extends Schema | undefined = Schema | undefined,
  Query extends Schema | undefined = Schema | undefined,
  Body extends Schema | undefined = Schema | undefined,
  Response extends Schema | undefined = Schema | undefined,
> {
  readonly method: HttpMethod;
  /** Express-style, with `:name` for each path parameter. */
  readonly path: Path;
  readonly kind: Kind;
  readonly access: EndpointAccess;
  /** Every method but GET: made with a session cookie, such a request needs the CSRF token. */
  readonly changes: boolean;
  /** The status of a successful answer. */
  readonly status: number;
  /** What it is for, in a few words. */
  readonly summary: string;
  /** Absent: the endpoint takes none of it, and a request that sends some is refused. */
  readonly params: Params | undefined;
  readonly query: Query | undefined;
  readonly body: Body | undefined;
  readonly response: Response | undefined;
}

/** Endpoints that answer JSON with a response schema: the ones the client calls with `call`. */
export type JsonEndpoint = Endpoint<'json', string, Schema | undefined, Schema | undefined>;

/** The schema an endpoint has for a part, or undefined when it takes none. */
export type PartSchema<S> = [NonNullable<S>] extends [never] ? undefined : NonNullable<S>;

function endpoint<
  const Path extends string,
  Kind extends EndpointKind,
  Params extends Schema | undefined = undefined,
  Query extends Schema | undefined = undefined,
  Body extends Schema | undefined = undefined,
  Response extends Schema | undefined = undefined,
>(definition: {
  method: HttpMethod;
  path: Path;
  kind: Kind;
  access: EndpointAccess;
  summary: string;
  status?: number;
  params?: Params;
  query?: Query;
  body?: Body;
  response?: Response;
}): Endpoint<Kind, Path, Params, Query, Body, Response> {
  return {
    method: definition.method,
    path: definition.path,
    kind: definition.kind,
    access: definition.access,
    changes: definition.method !== 'GET',
    status: definition.status ?? 200,
    summary: definition.summary,
    params: definition.params,
    query: definition.query,
    body: definition.body,
    response: definition.response,
  };
}

/**
 * Every endpoint of the app, once. The server registers its routes from this table and nothing
 * else, the client calls through it, and the access tests walk it: an endpoint added here is
 * protected, validated and tested the day it is added.
 */
export const ENDPOINTS = {
  health: endpoint({
    method: 'GET',
    path: '/api/health',
    kind: 'json',
    access: 'public',
    summary: 'version, uptime, which systems are mocks, where the App Center is',
    // Monitors add cache-busting parameters; health takes any query and ignores it.
    query: z.object({}),
    response: HealthResponse,
  }),
  launch: endpoint({
    method: 'GET',
    path: '/launch',
    kind: 'page',
    access: 'public',
    summary: 'the App Center opens the app: a signed launch token becomes a session (303 to /)',
    query: LaunchQuery,
  }),
  session: endpoint({
    method: 'GET',
    path: '/api/session',
    kind: 'json',
    access: 'signed-in',
    summary: 'who is signed in, and the CSRF token for changes',
    response: SessionResponse,
  }),
  logout: endpoint({
    method: 'POST',
    path: '/api/logout',
    kind: 'json',
    access: 'signed-in',
    summary: 'ends the session and clears its cookie',
    response: LogoutResponse,
  }),
  connection: endpoint({
    method: 'GET',
    path: '/api/connection',
    kind: 'json',
    access: 'signed-in',
    summary: 'the HubSpot connection: portal, user, since when, scopes',
    response: ConnectionResponse,
  }),
  startConnection: endpoint({
    method: 'GET',
    path: '/api/connection/start',
    kind: 'redirect',
    access: 'signed-in',
    summary: "starts the OAuth dance (302 to HubSpot's authorize page)",
  }),
  oauthCallback: endpoint({
    method: 'GET',
    path: '/api/oauth/callback',
    kind: 'page',
    access: 'public',
    summary:
      'HubSpot sends the admin back here (303 to /?connected=1, or a page that says why not)',
    query: OAuthCallbackQuery,
  }),
  removeConnection: endpoint({
    method: 'DELETE',
    path: '/api/connection',
    kind: 'json',
    access: 'signed-in',
    summary:
      'revokes and removes the connection, stops automatic runs, ends the other sessions; history is kept',
    response: ConnectionResponse,
  }),
  settings: endpoint({
    method: 'GET',
    path: '/api/settings',
    kind: 'json',
    access: 'signed-in',
    summary: 'mode, automatic runs and interval, stages, project, deal sync, defaults',
    response: SettingsResponse,
  }),
  saveSettings: endpoint({
    method: 'PUT',
    path: '/api/settings',
    kind: 'json',
    access: 'signed-in',
    summary: 'saves them all at once (what GET answered is taken back as it is)',
    body: SettingsUpdate,
    response: SettingsResponse,
  }),
  lifecycleStages: endpoint({
    method: 'GET',
    path: '/api/lifecycle-stages',
    kind: 'json',
    access: 'signed-in',
    summary: "the connected portal's lifecycle stages, as last loaded",
    response: LifecycleStagesResponse,
  }),
  refreshLifecycleStages: endpoint({
    method: 'POST',
    path: '/api/lifecycle-stages/refresh',
    kind: 'json',
    access: 'signed-in',
    summary: 'loads them from HubSpot again',
    response: LifecycleStagesResponse,
  }),
  projects: endpoint({
    method: 'GET',
    path: '/api/projects',
    kind: 'json',
    access: 'signed-in',
    summary: "Xentral's projects whose name or key contains `search`",
    query: ProjectsQuery,
    response: ProjectsResponse,
  }),
  startRun: endpoint({
    method: 'POST',
    path: '/api/runs',
    kind: 'json',
    access: 'signed-in',
    summary: 'starts a run of `kind` (202; 409 while one runs)',
    status: 202,
    body: StartRunRequest,
    response: StartRunResponse,
  }),
  runs: endpoint({
    method: 'GET',
    path: '/api/runs',
    kind: 'json',
    access: 'signed-in',
    summary: 'the run log, newest first, paged by `before`',
    query: RunsQuery,
    response: RunsResponse,
  }),
  run: endpoint({
    method: 'GET',
    path: '/api/runs/:id',
    kind: 'json',
    access: 'signed-in',
    summary: 'one run with its records, optionally of one `action` and `type`, paged by `after`',
    params: IdParams,
    query: RunItemsQuery,
    response: RunDetailResponse,
  }),
  runItemsCsv: endpoint({
    method: 'GET',
    path: '/api/runs/:id/items.csv',
    kind: 'download',
    access: 'signed-in',
    summary: "all of a run's records as CSV, optionally of one `action` and `type`",
    params: IdParams,
    query: RunItemsCsvQuery,
  }),
  processStarter: endpoint({
    method: 'GET',
    path: '/api/process-starter',
    kind: 'json',
    access: 'signed-in',
    summary: 'the "Hubspot Data Sync" process starter: active, interval, last and next run',
    response: ProcessStarterResponse,
  }),
  events: endpoint({
    method: 'GET',
    path: '/api/events',
    kind: 'events',
    access: 'signed-in',
    summary: 'server-sent events: run started, progress, messages, finished; connection',
  }),
  conflicts: endpoint({
    method: 'GET',
    path: '/api/conflicts',
    kind: 'json',
    access: 'signed-in',
    summary: 'conflicts by `status` and `runId`, newest first, paged by `before`',
    query: ConflictsQuery,
    response: ConflictsResponse,
  }),
  resolveConflict: endpoint({
    method: 'POST',
    path: '/api/conflicts/:id/resolve',
    kind: 'json',
    access: 'signed-in',
    summary: "resolves one with `choice`: `xentral`'s value, `hubspot`'s, or `keep` both",
    params: IdParams,
    body: ResolveConflictRequest,
    response: Conflict,
  }),
} as const;

export type Endpoints = typeof ENDPOINTS;
export type EndpointName = keyof Endpoints;

export const ENDPOINT_NAMES = Object.keys(ENDPOINTS) as EndpointName[];

/** The parameter names in an endpoint's path, in order (`/api/runs/:id` → `['id']`). */
export function pathParamNames(path: string): string[] {
  return [...path.matchAll(/:([A-Za-z][A-Za-z0-9]*)/g)].map((match) => match[1] ?? '');
}

export type QueryValue = string | number | boolean | null | undefined;

/**
 * The URL of an endpoint: path parameters filled in, and the query parameters that are set
 * (null, undefined and '' are left out) as a query string.
 */
export function urlOf(
  endpoint: Endpoint,
  input: {
    params?: Readonly<Record<string, string | number>>;
    query?: Readonly<Record<string, QueryValue>>;
  } = {},
): string {
  const path = endpoint.path.replace(/:([A-Za-z][A-Za-z0-9]*)/g, (_match, name: string) => {
    const value = input.params?.[name];
    if (value === undefined) throw new Error(`${endpoint.path} needs its parameter ${name}`);
    return encodeURIComponent(String(value));
  });
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(input.query ?? {})) {
    if (value !== undefined && value !== null && value !== '') search.set(key, String(value));
  }
  const query = search.toString();
  return query === '' ? path : `${path}?${query}`;
}
