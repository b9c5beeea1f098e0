import { z } from 'zod';

export const SystemMode = z.enum(['embedded-mock', 'remote']);
export type SystemMode = z.infer<typeof SystemMode>;

export const HealthResponse = z.object({
  status: z.literal('ok'),
  version: z.string(),
  uptimeSeconds: z.number().nonnegative(),
  xentral: z.object({ mode: SystemMode }),
  hubspot: z.object({ mode: SystemMode }),
});
export type HealthResponse = z.infer<typeof HealthResponse>;
