import { z } from 'zod';
import { decimalInteger, IdParam } from './ids';

export const ConflictStatus = z.enum(['open', 'resolved', 'superseded']);
export type ConflictStatus = z.infer<typeof ConflictStatus>;

export const ConflictChoice = z.enum(['xentral', 'hubspot', 'keep']);
export type ConflictChoice = z.infer<typeof ConflictChoice>;

export const Conflict = z.object({
  id: z.number().int(),
  /** field: both systems hold different values; ambiguous: a record matches several. */
  kind: z.enum(['field', 'ambiguous']),
  type: z.enum(['user', 'company', 'contact']),
  label: z.string(),
  field: z.string().nullable(),
  matchKey: z.string().nullable(),
  xentralIds: z.array(z.string()),
  hubspotIds: z.array(z.string()),
  xentralValue: z.string().nullable(),
  hubspotValue: z.string().nullable(),
  status: ConflictStatus,
  resolution: ConflictChoice.nullable(),
  runId: z.number().int().nullable(),
  createdAt: z.string(),
  resolvedAt: z.string().nullable(),
});
export type Conflict = z.infer<typeof Conflict>;

export const ConflictsQuery = z
  .object({
    status: ConflictStatus.optional(),
    runId: IdParam.optional(),
    limit: decimalInteger(1, 500).default(100),
    before: IdParam.optional(),
  })
  .strict();

export const ConflictsResponse = z.object({
  conflicts: z.array(Conflict),
  /** Pass as `before` for the next page; null on the last page. */
  nextBefore: z.number().int().nullable(),
});
export type ConflictsResponse = z.infer<typeof ConflictsResponse>;

export const ResolveConflictRequest = z.object({ choice: ConflictChoice }).strict();
export type ResolveConflictRequest = z.infer<typeof ResolveConflictRequest>;
