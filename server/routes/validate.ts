import type { z } from 'zod';
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
