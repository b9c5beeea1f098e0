import type { Request } from 'express';
import type { z } from 'zod';
import { notFoundProblem, validationProblem, violationsFromZod } from './problems';

/** The raw query string as URLSearchParams, so bracket keys stay literal (see query.ts). */
export function queryOf(req: Request): URLSearchParams {
  return new URL(req.originalUrl, 'http://mock.invalid').searchParams;
}

/** Scheme, host and path of this request: the base of Xentral's pagination links. */
export function endpointUrl(req: Request): string {
  const path = new URL(req.originalUrl, 'http://mock.invalid').pathname;
  return `${baseUrlOf(req)}${path}`;
}

export function baseUrlOf(req: Request): string {
  return `${req.protocol}://${req.get('host') ?? 'localhost'}`;
}

/** Validates a JSON body; failures become Xentral's 400 request-validation problem. */
export function parseBody<S extends z.ZodType>(schema: S, body: unknown): z.infer<S> {
  const result = schema.safeParse(body ?? {});
  if (!result.success) throw validationProblem(violationsFromZod(result.error, body));
  return result.data;
}

/** Ids are positive integers; anything else cannot name a resource, so it is a 404. */
export function parseId(raw: string | string[] | undefined, what: string): number {
  const text = Array.isArray(raw) ? raw[0] : raw;
  if (text === undefined || !/^\d+$/.test(text) || Number(text) === 0) {
    throw notFoundProblem(`${what} ${String(text)} was not found.`);
  }
  return Number(text);
}
