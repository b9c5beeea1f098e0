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

/** POST /api/logout: the session ends and its cookie is cleared (false: the API token has none). */
export const LogoutResponse = z.object({ signedOut: z.boolean() }).strict();
export type LogoutResponse = z.infer<typeof LogoutResponse>;

export const CSRF_HEADER = 'x-csrf-token';

/**
 * GET /launch?token=…: the App Center's signed launch token. A missing or repeated token reads
 * as none, which the launch page explains; other parameters the App Center adds are dropped.
 */
export const LaunchQuery = z.object({ token: z.string().catch('') });
