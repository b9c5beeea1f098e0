import { z } from 'zod';

export const ConnectionStatus = z.enum(['disconnected', 'connected', 'needs_reconnect']);
export type ConnectionStatus = z.infer<typeof ConnectionStatus>;

/** SPEC §5: what the UI shows of the connection. Tokens never leave the server. */
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
  })
  .strict();
export type ConnectionResponse = z.infer<typeof ConnectionResponse>;
