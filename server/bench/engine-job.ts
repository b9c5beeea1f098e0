import { z } from 'zod';

/**
 * What the benchmark hands to a child process over IPC and what the child reports back. The
 * child is the app's engine (or the per-record baseline) and nothing else, so its CPU time and
 * peak RSS are the app's own, apart from the mocks that run in the parent.
 */

const Connection = z.object({
  hubspotUrl: z.string(),
  hubspotToken: z.string(),
  hubId: z.number().int(),
  xentralUrl: z.string(),
  xentralToken: z.string(),
  /** Rate-limit windows shortened by this factor; null lifts the limits (mocks' limits off). */
  timeScale: z.number().positive().nullable(),
  /** The shared bench clock: Date.now() + this, as the mocks see it. */
  clockOffsetMs: z.number(),
});

export const EngineJob = Connection.extend({
  kind: z.literal('engine'),
  mode: z.enum(['export', 'import', 'sync', 'deals']),
  /** Deal sync: when it was switched on (orders released before never become deals). */
  activatedAt: z.string().optional(),
  /** SQLite lives here; consecutive runs over one world share it, as runs of one app do. */
  dataDir: z.string(),
  lifecycleStages: z.array(z.string()),
});
export type EngineJob = z.infer<typeof EngineJob>;

export const BaselineJob = Connection.extend({
  kind: z.literal('baseline'),
  direction: z.enum(['export', 'import']),
  /** Records in flight at once (the engine keeps 4 Xentral writes in flight). */
  concurrency: z.number().int().positive(),
});
export type BaselineJob = z.infer<typeof BaselineJob>;

export const ChildJob = z.discriminatedUnion('kind', [EngineJob, BaselineJob]);
export type ChildJob = z.infer<typeof ChildJob>;

export const CountsRow = z.object({
  type: z.string(),
  direction: z.string(),
  created: z.number(),
  edited: z.number(),
  conflicts: z.number(),
  skipped: z.number(),
  failed: z.number(),
  linked: z.number(),
});
export type CountsRow = z.infer<typeof CountsRow>;

export const ChildResult = z.object({
  status: z.enum(['succeeded', 'failed']),
  message: z.string().nullable(),
  /** From just before the run to just after it: process start-up is not counted. */
  wallMs: z.number(),
  /** CPU time of the run (user + system), and of the whole process including start-up. */
  runCpuMs: z.number(),
  processCpuMs: z.number(),
  /** process.resourceUsage().maxRSS: the process's peak resident set, in KB. */
  maxRssKb: z.number(),
  /** Highest V8 heap in use, sampled every 250 ms: what the engine holds, apart from V8's slack. */
  peakHeapUsedMb: z.number(),
  /**
   * Bytes the run caused to be written to storage (`write_bytes` of /proc/self/io, the
   * database's own file and its write-ahead log), or null where the kernel does not say.
   */
  diskWriteBytes: z.number().nullable(),
  counts: z.array(CountsRow),
  /** The first records the run could not write, with the reason each system gave. */
  failures: z.array(z.object({ type: z.string(), label: z.string(), reason: z.string() })),
});
export type ChildResult = z.infer<typeof ChildResult>;

export const ChildMessage = z.discriminatedUnion('type', [
  z.object({ type: z.literal('progress'), text: z.string() }),
  z.object({ type: z.literal('result'), result: ChildResult }),
  z.object({ type: z.literal('error'), message: z.string() }),
]);
export type ChildMessage = z.infer<typeof ChildMessage>;
