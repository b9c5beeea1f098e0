import { z } from 'zod';

export const ConnectionStatus = z.enum(['disconnected', 'connected', 'needs_reconnect']);
export type ConnectionStatus = z.infer<typeof ConnectionStatus>;

/**
 * Why the connection needs to be renewed: HubSpot refused the stored sign-in, or the app's
 * APP_SECRET changed and no longer opens the stored tokens.
 */
export const ReconnectReason = z.enum(['hubspot_refused', 'secret_changed']);
export type ReconnectReason = z.infer<typeof ReconnectReason>;

/** What the UI shows of the connection. Tokens never leave the server. */
export const ConnectionResponse = z
  .object({
    status: ConnectionStatus,
    portal: z
      .object({
        hubId: z.string(),
        domain: z.string(),
        user: z.string(),
      })
      .nullable(),
    connectedAt: z.string().nullable(),
    scopes: z.array(z.string()),
    /** Why the connection needs to be renewed, in words for the admin. */
    message: z.string().nullable(),
    /** The same as a code the UI translates; null while connected. */
    reason: ReconnectReason.nullable(),
  })
  .strict();
export type ConnectionResponse = z.infer<typeof ConnectionResponse>;

/**
 * GET /api/oauth/callback: what HubSpot sends back after the admin chose a portal. HubSpot may
 * add parameters of its own, so unknown ones are dropped, not refused.
 */
export const OAuthCallbackQuery = z.object({
  code: z.string().min(1).max(2000).optional(),
  state: z.string().min(1).max(200).optional(),
  error: z.string().max(200).optional(),
  error_description: z.string().max(2000).optional(),
});
