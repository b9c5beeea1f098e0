import type { Request, RequestHandler } from 'express';
import { z } from 'zod';
import { ValidationError, zodIssues } from '../http/errors';

/** Parses request input with its shared schema; a mismatch is a 400 that names every problem. */
export function parseInput<S extends z.ZodType>(
  schema: S,
  value: unknown,
  what: string,
): z.infer<S> {
  const result = schema.safeParse(value ?? {});
  if (!result.success) {
    throw new ValidationError(`The ${what} is not valid.`, zodIssues(result.error));
  }
  return result.data;
}

const Nothing = z.object({}).strict();

function refuseQuery(req: Request): void {
  parseInput(Nothing, req.query, 'query (this route takes no query parameters)');
}

function refuseBody(req: Request): void {
  // undefined: no body was sent; {} is an empty JSON object, which says nothing either.
  if (req.body !== undefined) parseInput(Nothing, req.body, 'body (this route takes no body)');
}

/*
 * Routes that take no query string or no body refuse one (400): a parameter the API does not
 * know is a client's mistake that it should hear of, not input silently ignored (issue 9:
 * unknown fields on every App API route are a 400).
 */
export const noQuery: RequestHandler = (req, _res, next) => {
  refuseQuery(req);
  next();
};

export const noBody: RequestHandler = (req, _res, next) => {
  refuseBody(req);
  next();
};

export const noInput: RequestHandler = (req, _res, next) => {
  refuseQuery(req);
  refuseBody(req);
  next();
};
