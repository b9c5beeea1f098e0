import { z } from 'zod';
import { RunCounts, RunKind, RunStatus, RunTrigger } from './runs';
import { ConnectionStatus } from './connection';

/** Server-sent events on GET /api/events: the `event:` name and the JSON `data:` of each. */
export const RunStartedEvent = z.object({
  runId: z.number().int(),
  kind: RunKind,
  trigger: RunTrigger,
  at: z.string(),
});

/** The whole run's work: every record read and every record planned, over all steps. */
export const RunOverall = z.object({
  done: z.number().int().nonnegative(),
  total: z.number().int().nonnegative(),
  /** true while part of the work is not known ahead: the total may still grow. */
  growing: z.boolean(),
});

/** Why requests are not being sent right now. */
export const RunWait = z.object({
  system: z.enum(['xentral', 'hubspot']),
  /** rate_limit: the vendor's request limit is used up; retry: backing off after a 5xx/reset. */
  reason: z.enum(['rate_limit', 'retry']),
  /** The HTTP status that caused a retry, when there was one. */
  status: z.number().int().nullable(),
  until: z.string(),
});

/** Requests a system has been sent so far (a running count) and the limit it allows. */
export const RunRequests = z.object({
  system: z.enum(['xentral', 'hubspot']),
  sent: z.number().int().nonnegative(),
  /** null: no limit is known (a mock with its limits off). */
  limit: z.number().int().positive().nullable(),
  windowMs: z.number().int().positive(),
});

export const RunProgressEvent = z
  .object({
    runId: z.number().int(),
    phase: z.enum(['reading', 'planning', 'writing']),
    type: z.enum(['user', 'company', 'contact', 'deal']),
    done: z.number().int().nonnegative(),
    /** null: how many there are is not known ahead (a change feed, a page walk). */
    total: z.number().int().nonnegative().nullable(),
    counts: RunCounts,
    overall: RunOverall.optional(),
    waits: z.array(RunWait).optional(),
    /** Records held back from creation this run (an earlier create may still arrive). */
    held: z.number().int().nonnegative().optional(),
    requests: z.array(RunRequests).optional(),
    at: z.string(),
  })
  .refine((event) => event.total === null || event.done <= event.total, {
    message: 'done must not exceed total',
    path: ['done'],
  });

export type RunOverall = z.infer<typeof RunOverall>;
export type RunWait = z.infer<typeof RunWait>;
export type RunRequests = z.infer<typeof RunRequests>;

export const RunMessageEvent = z.object({
  runId: z.number().int(),
  level: z.enum(['info', 'warn', 'error']),
  /** In English; code and params say the same for translation. */
  text: z.string(),
  code: z.string().nullable(),
  params: z.record(z.string(), z.string()),
  at: z.string(),
});

export const RunFinishedEvent = z.object({
  runId: z.number().int(),
  status: RunStatus,
  message: z.string().nullable(),
  messageCode: z.string().nullable(),
  messageParams: z.record(z.string(), z.string()),
  totals: RunCounts,
  /** Changes this far behind the read cursor are read again by the next run. */
  readOverlapMs: z.number().int().nonnegative().optional(),
  at: z.string(),
});

export const ConnectionChangedEvent = z.object({ status: ConnectionStatus, at: z.string() });

export const SERVER_EVENTS = {
  'run.started': RunStartedEvent,
  'run.progress': RunProgressEvent,
  'run.message': RunMessageEvent,
  'run.finished': RunFinishedEvent,
  'connection.changed': ConnectionChangedEvent,
} as const;
export type ServerEventName = keyof typeof SERVER_EVENTS;
export type ServerEvent = {
  [K in ServerEventName]: { name: K; data: z.infer<(typeof SERVER_EVENTS)[K]> };
}[ServerEventName];
