import type { z } from 'zod';
import {
  urlOf,
  type JsonEndpoint,
  type PartSchema,
  type QueryValue,
} from '../../shared/api/endpoints';
import { ErrorEnvelope } from '../../shared/api/errors';
import { CSRF_HEADER } from '../../shared/api/session';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** A field problem as the App API reports it in `details` of a validation error. */
export interface FieldProblem {
  path: string;
  message: string;
}

/** The `details` of a validation_failed error, when they have the usual shape. */
export function fieldProblems(error: unknown): FieldProblem[] {
  if (!(error instanceof ApiError) || !Array.isArray(error.details)) return [];
  return error.details.flatMap((detail: unknown) =>
    typeof detail === 'object' &&
    detail !== null &&
    'path' in detail &&
    'message' in detail &&
    typeof detail.path === 'string' &&
    typeof detail.message === 'string'
      ? [{ path: detail.path, message: detail.message }]
      : [],
  );
}

/**
 * Where state-changing requests get their CSRF token: GET /api/session, fetched once (through
 * the query cache) and fetched again when the server says the token no longer fits.
 */
export interface CsrfSource {
  token(): Promise<string | null>;
  renew(): Promise<string | null>;
}

let csrfSource: CsrfSource | undefined;

export function configureCsrf(source: CsrfSource): void {
  csrfSource = source;
}

export interface CallInit {
  signal?: AbortSignal;
}

/** Query values as the client holds them (numbers, not the URL's strings); unset ones may be null. */
type QueryInput<S extends z.ZodType> = {
  [K in keyof z.input<S>]: K extends keyof z.output<S>
    ? z.output<S>[K] | (undefined extends z.input<S>[K] ? null | undefined : never)
    : never;
};

/** What `call` takes for an endpoint: exactly the parts its schemas name. */
export type CallInput<E extends JsonEndpoint> = (PartSchema<E['params']> extends z.ZodType
  ? { params: z.output<PartSchema<E['params']>> }
  : { params?: never }) &
  (PartSchema<E['query']> extends z.ZodType
    ? { query?: QueryInput<PartSchema<E['query']>> }
    : { query?: never }) &
  (PartSchema<E['body']> extends z.ZodType
    ? { body: z.input<PartSchema<E['body']>> }
    : { body?: never });

type CallArgs<E extends JsonEndpoint> =
  Record<string, never> extends CallInput<E>
    ? [input?: CallInput<E>, init?: CallInit]
    : [input: CallInput<E>, init?: CallInit];

/** What an endpoint answers, as its response schema parses it. */
export type Answer<E extends JsonEndpoint> =
  PartSchema<E['response']> extends z.ZodType ? z.output<PartSchema<E['response']>> : never;

interface LooseInput {
  params?: Readonly<Record<string, string | number>>;
  query?: Readonly<Record<string, QueryValue>>;
  body?: unknown;
}

async function errorOf(response: Response): Promise<ApiError> {
  const body: unknown = await response.json().catch(() => undefined);
  const envelope = ErrorEnvelope.safeParse(body);
  if (envelope.success) {
    const { code, message, details } = envelope.data.error;
    return new ApiError(response.status, code, message, details);
  }
  return new ApiError(response.status, 'http_error', `HTTP ${response.status}`);
}

/**
 * The one way the client talks to the App API: an endpoint of the table, its input, and its
 * answer parsed with the endpoint's response schema. Changes carry the CSRF token of the
 * session, and are sent once more with a fresh one when the server says it no longer fits.
 */
export function call<E extends JsonEndpoint>(endpoint: E, ...args: CallArgs<E>): Promise<Answer<E>>;
export async function call(
  endpoint: JsonEndpoint,
  input: LooseInput = {},
  init: CallInit = {},
): Promise<unknown> {
  const schema = endpoint.response;
  if (!schema) throw new Error(`${endpoint.method} ${endpoint.path} answers no JSON`);
  const url = urlOf(endpoint, {
    ...(input.params ? { params: input.params } : {}),
    ...(input.query ? { query: input.query } : {}),
  });
  const { body } = input;
  const send = (token: string | null) =>
    fetch(url, {
      method: endpoint.method,
      credentials: 'same-origin',
      headers: {
        Accept: 'application/json',
        ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
        ...(token ? { [CSRF_HEADER]: token } : {}),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      ...(init.signal ? { signal: init.signal } : {}),
    });
  let response: Response;
  if (endpoint.changes) {
    if (!csrfSource) throw new Error('configureCsrf() must run before the first change is sent');
    const source = csrfSource;
    response = await send(await source.token());
    if (response.status === 403) {
      const error = await errorOf(response.clone());
      // The session was renewed in another tab (new token): fetch the current one, try once more.
      if (error.code !== 'csrf_failed') throw error;
      response = await send(await source.renew());
    }
  } else {
    response = await send(null);
  }
  if (!response.ok) throw await errorOf(response);
  const answer: unknown = await response.json();
  return schema.parse(answer);
}
