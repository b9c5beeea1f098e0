import { z } from 'zod';

export const LifecycleStage = z.object({
  id: z.string(),
  label: z.string(),
  displayOrder: z.number().int(),
});
export type LifecycleStage = z.infer<typeof LifecycleStage>;

export const LifecycleStagesResponse = z.object({
  stages: z.array(LifecycleStage),
  /** When the list was last loaded from HubSpot; null before the first connection. */
  refreshedAt: z.string().nullable(),
});
export type LifecycleStagesResponse = z.infer<typeof LifecycleStagesResponse>;

export const Project = z.object({
  id: z.string(),
  name: z.string(),
  keyName: z.string(),
});
export type Project = z.infer<typeof Project>;

export const ProjectsQuery = z.object({ search: z.string().max(100).optional() }).strict();

export const ProjectsResponse = z.object({ projects: z.array(Project) });
export type ProjectsResponse = z.infer<typeof ProjectsResponse>;
