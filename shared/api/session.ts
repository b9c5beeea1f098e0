import { z } from 'zod';

/** GET /api/session: who is signed in, and the token state-changing requests must echo. */
export const SessionResponse = z.object({
  user: z.string(),
  via: z.enum(['app_center', 'api_token']),
  /** Send back as the X-CSRF-Token header on POST, PUT and DELETE. */
  csrfToken: z.string().nullable(),
  expiresAt: z.string().nullable(),
});
export type SessionResponse = z.infer<typeof SessionResponse>;

export const CSRF_HEADER = 'x-csrf-token';
