import type { z } from 'zod';
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

/** Appends the defined values of `params` to `path` as a query string. */
export function withQuery(
  path: string,
  params: Record<string, string | number | undefined | null>,
): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value !== undefined && value !== null && value !== '') search.set(key, String(value));
  }
  const query = search.toString();
  return query === '' ? path : `${path}?${query}`;
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

async function parsed<T extends z.ZodType>(response: Response, schema: T): Promise<z.infer<T>> {
  if (!response.ok) throw await errorOf(response);
  const body: unknown = await response.json();
  return schema.parse(body);
}

/** The one HTTP wrapper of the client for reads: every response is parsed with its shared schema. */
export async function apiFetch<T extends z.ZodType>(
  path: string,
  schema: T,
  init?: { signal?: AbortSignal },
): Promise<z.infer<T>> {
  const response = await fetch(path, {
    headers: { Accept: 'application/json' },
    credentials: 'same-origin',
    ...(init?.signal ? { signal: init.signal } : {}),
  });
  return parsed(response, schema);
}

/** Changes (POST, PUT, DELETE): JSON in, the shared schema's JSON out, with the CSRF header. */
export async function apiSend<T extends z.ZodType>(
  method: 'POST' | 'PUT' | 'DELETE',
  path: string,
  schema: T,
  body?: unknown,
): Promise<z.infer<T>> {
  if (!csrfSource) throw new Error('configureCsrf() must run before the first change is sent');
  const source = csrfSource;
  const send = async (token: string | null) =>
    fetch(path, {
      method,
      credentials: 'same-origin',
      headers: {
        Accept: 'application/json',
        ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
        ...(token ? { [CSRF_HEADER]: token } : {}),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  let response = await send(await source.token());
  if (response.status === 403) {
    const error = await errorOf(response.clone());
    // The session was renewed in another tab (new token): fetch the current one, try once more.
    if (error.code !== 'csrf_failed') throw error;
    response = await send(await source.renew());
  }
  return parsed(response, schema);
}
