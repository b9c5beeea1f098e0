import { z } from 'zod';

export const SystemMode = z.enum(['embedded-mock', 'remote']);
export type SystemMode = z.infer<typeof SystemMode>;

export const HealthResponse = z.object({
  status: z.literal('ok'),
  version: z.string(),
  uptimeSeconds: z.number().nonnegative(),
  xentral: z.object({ mode: SystemMode }),
  hubspot: z.object({ mode: SystemMode }),
  /** Where to open the app from (the Xentral App Center of the demo); null for real installs. */
  appCenterUrl: z.string().nullable(),
});
export type HealthResponse = z.infer<typeof HealthResponse>;
