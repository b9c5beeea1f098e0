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

export const RunProgressEvent = z
  .object({
    runId: z.number().int(),
    phase: z.enum(['reading', 'planning', 'writing']),
    type: z.enum(['user', 'company', 'contact', 'deal']),
    done: z.number().int().nonnegative(),
    /** null: how many there are is not known ahead (a change feed, a page walk). */
    total: z.number().int().nonnegative().nullable(),
    counts: RunCounts,
    at: z.string(),
  })
  .refine((event) => event.total === null || event.done <= event.total, {
    message: 'done must not exceed total',
    path: ['done'],
  });

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
