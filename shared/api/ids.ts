import { z } from 'zod';

/**
 * A whole number in a path or query string: decimal digits only, without sign, spaces or a
 * leading zero, so each number has one spelling. JavaScript's Number() would also read "0x10"
 * as 16, "1e3" as 1000 and " 12" as 12, which made one id reachable under many URLs.
 */
export function decimalInteger(min: number, max: number) {
  return z
    .string()
    .regex(/^(0|[1-9][0-9]*)$/, 'must be a whole number in decimal digits, without a leading zero')
    .transform(Number)
    .pipe(z.number().int().min(min, `must be at least ${min}`).max(max, `must be at most ${max}`));
}

/** Row ids (runs, conflicts, run items): positive and within JavaScript's safe integer range. */
export const IdParam = decimalInteger(1, Number.MAX_SAFE_INTEGER);

/** The path of an endpoint that names one record by its id. */
export const IdParams = z.object({ id: IdParam }).strict();
