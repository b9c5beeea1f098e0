import { z } from 'zod';
import { decimalInteger, IdParam } from './ids';

export const RunKind = z.enum(['import', 'export', 'sync', 'deals']);
export type RunKind = z.infer<typeof RunKind>;

export const RunTrigger = z.enum(['manual', 'process_starter']);
export type RunTrigger = z.infer<typeof RunTrigger>;

/** interrupted: the process stopped while the run was active (crash, restart). */
export const RunStatus = z.enum(['running', 'succeeded', 'failed', 'interrupted']);
export type RunStatus = z.infer<typeof RunStatus>;

export const ItemObjectType = z.enum(['user', 'company', 'contact', 'deal']);
export type ItemObjectType = z.infer<typeof ItemObjectType>;

export const ItemDirection = z.enum(['xentral_to_hubspot', 'hubspot_to_xentral', 'none']);
export type ItemDirection = z.infer<typeof ItemDirection>;

/** created = erstellt, edited = bearbeitet, conflict = Konflikt. */
export const ItemAction = z.enum(['created', 'edited', 'linked', 'conflict', 'skipped', 'failed']);
export type ItemAction = z.infer<typeof ItemAction>;

export const RunCounts = z.object({
  created: z.number().int().nonnegative(),
  edited: z.number().int().nonnegative(),
  conflicts: z.number().int().nonnegative(),
  skipped: z.number().int().nonnegative(),
  failed: z.number().int().nonnegative(),
  linked: z.number().int().nonnegative(),
});
export type RunCounts = z.infer<typeof RunCounts>;

/** The count each action of a record adds to. */
export const COUNT_OF_ACTION: Record<ItemAction, keyof RunCounts> = {
  created: 'created',
  edited: 'edited',
  conflict: 'conflicts',
  skipped: 'skipped',
  failed: 'failed',
  linked: 'linked',
};

export const EMPTY_COUNTS: RunCounts = {
  created: 0,
  edited: 0,
  conflicts: 0,
  skipped: 0,
  failed: 0,
  linked: 0,
};

export const RunCountsRow = RunCounts.extend({
  type: ItemObjectType,
  direction: ItemDirection,
});
export type RunCountsRow = z.infer<typeof RunCountsRow>;

export const FieldChange = z.object({
  field: z.string(),
  before: z.string(),
  after: z.string(),
});
export type FieldChange = z.infer<typeof FieldChange>;

/**
 * The codes the server gives its reasons and run messages, beside the English text, so the UI
 * can say them in the admin's language. The API carries them as plain strings: a client that
 * meets a code it does not know shows the English text.
 */
export const REASON_CODES = [
  'run_started',
  'run_finished',
  'matched_by',
  'confirmed_late',
  'create_held',
  'field_conflict',
  'ambiguous_match',
  'new_conflicts',
  'write_refused',
  'no_email',
  'no_name',
  'duplicate_email',
  'default_country',
  'lifecycle_stage_not_selected',
  'possible_duplicate',
  'reconciliation',
  'reconciliation_found',
  'unknown_country',
  'no_customer',
  'customer_unknown',
  'buyer_unresolved',
  'amount_invalid',
  'currency_invalid',
  'hubspot_auth',
  'hubspot_unavailable',
  'hubspot_rate_limit',
  'xentral_auth',
  'xentral_unavailable',
  'xentral_rate_limit',
  'configuration',
  'connection_removed',
  'users_unavailable',
  'users_by_name',
  'employee_missing',
  'employee_ambiguous',
  'customer_unusable',
  'not_connected',
  'needs_reconnect',
  'interrupted',
  'unexpected',
] as const;
export type ReasonCode = (typeof REASON_CODES)[number];

export function isReasonCode(code: string): code is ReasonCode {
  return (REASON_CODES as readonly string[]).includes(code);
}

export const RunItem = z.object({
  id: z.number().int(),
  type: ItemObjectType,
  direction: ItemDirection,
  action: ItemAction,
  xentralId: z.string().nullable(),
  hubspotId: z.string().nullable(),
  /** A human label of the record (name or e-mail), as text. */
  label: z.string(),
  changes: z.array(FieldChange),
  /** In English; reasonCode and reasonParams say the same for translation. */
  reason: z.string().nullable(),
  reasonCode: z.string().nullable(),
  reasonParams: z.record(z.string(), z.string()),
  at: z.string(),
});
export type RunItem = z.infer<typeof RunItem>;

export const RunSummary = z.object({
  id: z.number().int(),
  kind: RunKind,
  trigger: RunTrigger,
  status: RunStatus,
  portalId: z.string().nullable(),
  startedAt: z.string(),
  finishedAt: z.string().nullable(),
  durationMs: z.number().int().nonnegative().nullable(),
  /** Why a run failed or was interrupted, in words for the admin (English). */
  message: z.string().nullable(),
  /** The same as a code with parameters, for translation. */
  messageCode: z.string().nullable(),
  messageParams: z.record(z.string(), z.string()),
  totals: RunCounts,
  counts: z.array(RunCountsRow),
});
export type RunSummary = z.infer<typeof RunSummary>;

export const StartRunRequest = z.object({ kind: RunKind }).strict();
export type StartRunRequest = z.infer<typeof StartRunRequest>;

export const StartRunResponse = z.object({ id: z.number().int() });
export type StartRunResponse = z.infer<typeof StartRunResponse>;

export const RunsQuery = z
  .object({
    limit: decimalInteger(1, 100).default(20),
    before: IdParam.optional(),
  })
  .strict();

export const RunsResponse = z.object({
  runs: z.array(RunSummary),
  /** Pass as `before` for the next page; null on the last page. */
  nextBefore: z.number().int().nullable(),
});
export type RunsResponse = z.infer<typeof RunsResponse>;

/**
 * Which of a run's records to read: those of one action and/or object type (the choice the run's
 * records table offers); an absent field matches every record. An unknown value is refused.
 */
const RunItemsFilter = z.object({
  action: ItemAction.optional(),
  type: ItemObjectType.optional(),
});

/**
 * One page of a run's records, of the filter's action/type if given, in the order they were
 * logged. `after` is the cursor: the id of the last record of the previous page.
 */
export const RunItemsQuery = RunItemsFilter.extend({
  limit: decimalInteger(1, 1000).default(200),
  after: decimalInteger(0, Number.MAX_SAFE_INTEGER).default(0),
}).strict();
export type RunItemsQuery = z.infer<typeof RunItemsQuery>;

/** The records of a run as a CSV file: all of them, or those of the filter's action/type. */
export const RunItemsCsvQuery = RunItemsFilter.strict();
export type RunItemsCsvQuery = z.infer<typeof RunItemsCsvQuery>;

/**
 * A run and one page of its records (of the action/type asked for); its conflicts are
 * GET /api/conflicts?runId=, paged there. `run.totals` counts all of the run's records.
 */
export const RunDetailResponse = z.object({
  run: RunSummary,
  items: z.array(RunItem),
  /** Pass as `after` (with the same filter) for the next page of items; null on the last page. */
  nextAfter: z.number().int().nullable(),
});
export type RunDetailResponse = z.infer<typeof RunDetailResponse>;

/** The "Hubspot Data Sync" process starter, as the Action tab shows it. */
export const ProcessStarterResponse = z.object({
  name: z.literal('Hubspot Data Sync'),
  active: z.boolean(),
  intervalMinutes: z.number().int(),
  lastRunAt: z.string().nullable(),
  lastRunId: z.number().int().nullable(),
  nextRunAt: z.string().nullable(),
});
export type ProcessStarterResponse = z.infer<typeof ProcessStarterResponse>;
