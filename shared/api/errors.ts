import { z } from 'zod';

/** Every App API error response has this body, with a real HTTP status code beside it. */
export const ErrorEnvelope = z.object({
  error: z.object({
    code: z.string().regex(/^[a-z][a-z0-9_]*$/, 'error codes are snake_case'),
    message: z.string(),
    details: z.unknown().optional(),
  }),
});
export type ErrorEnvelope = z.infer<typeof ErrorEnvelope>;
