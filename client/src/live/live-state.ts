import type { ConnectionStatus } from '../../../shared/api/connection';
import type { RunOverall, ServerEvent } from '../../../shared/api/events';
import {
  EMPTY_COUNTS,
  type RunCounts,
  type RunKind,
  type RunStatus,
  type RunSummary,
  type RunTrigger,
} from '../../../shared/api/runs';
import {
  addSample,
  estimateTimeLeft,
  type Estimate,
  type PendingWait,
  type ProgressSample,
  type SystemLimit,
} from './estimate';

/**
 * The live view of runs, reduced from the server-sent events: the current run with its step,
 * counts and time estimate, and the messages of the message bar. Pure: the caller passes every
 * event in; times come from the events themselves.
 */

export type ProgressPhase = 'reading' | 'planning' | 'writing';
export type ProgressType = 'user' | 'company' | 'contact' | 'deal';

export interface LiveStep {
  phase: ProgressPhase;
  type: ProgressType;
  done: number;
  total: number;
  /** When this step began: the time of the run's previous event (or its start). */
  startedAtMs: number;
  /** The time of the step's latest progress event. */
  atMs: number;
}

export interface LiveRun {
  runId: number;
  /** null when the page learnt of the run from a progress event before knowing its kind. */
  kind: RunKind | null;
  trigger: RunTrigger | null;
  status: RunStatus;
  startedAt: string | null;
  finishedAt: string | null;
  step: LiveStep | null;
  /** The whole run's work; kept when the run ends, so a failed run shows how far it got. */
  overall: RunOverall | null;
  /** The pace of the run (see estimate.ts). */
  samples: ProgressSample[];
  limits: SystemLimit[];
  /** What the run waits for now; empty while requests go out. */
  waits: LiveWait[];
  /** Records held back from creation this run. */
  held: number;
  counts: RunCounts;
  message: string | null;
  /** Set when the run ended: how far behind its cursor the next run reads again. */
  readOverlapMs: number | null;
  lastEventAtMs: number;
}

export interface LiveWait extends PendingWait {
  status: number | null;
}

export type NoticeKey = 'connectedNotice';

export type MessageBody =
  | { kind: 'started'; runKind: RunKind | null; trigger: RunTrigger }
  | {
      kind: 'finished';
      runKind: RunKind | null;
      status: RunStatus;
      totals: RunCounts;
      reason: string | null;
      reasonCode: string | null;
      reasonParams: Record<string, string>;
    }
  | { kind: 'text'; text: string; code: string | null; params: Record<string, string> }
  | { kind: 'connection'; status: ConnectionStatus }
  | { kind: 'notice'; key: NoticeKey };

export type MessageLevel = 'info' | 'success' | 'warn' | 'error';

export interface BarMessage {
  id: number;
  at: string;
  level: MessageLevel;
  runId: number | null;
  body: MessageBody;
}

export interface LiveState {
  run: LiveRun | null;
  messages: BarMessage[];
  nextMessageId: number;
  /** The last connection status the server announced, null until it announces one. */
  connection: ConnectionStatus | null;
}

export type LiveAction =
  | ServerEvent
  /** The newest run from GET /api/runs, so a page opened mid-run knows what is running. */
  | { name: 'run.known'; data: RunSummary }
  | { name: 'notice'; data: { key: NoticeKey; level: MessageLevel; at: string } }
  | { name: 'messages.cleared' };

export const MAX_MESSAGES = 200;

export const INITIAL_LIVE_STATE: LiveState = {
  run: null,
  messages: [],
  nextMessageId: 1,
  connection: null,
};

const ms = (iso: string): number => {
  const value = Date.parse(iso);
  return Number.isNaN(value) ? 0 : value;
};

function addMessage(state: LiveState, message: Omit<BarMessage, 'id'>): LiveState {
  const messages = [...state.messages, { ...message, id: state.nextMessageId }];
  return {
    ...state,
    messages: messages.length > MAX_MESSAGES ? messages.slice(-MAX_MESSAGES) : messages,
    nextMessageId: state.nextMessageId + 1,
  };
}

/** The run the event is about, created when the page had not heard of it yet. */
function runFor(state: LiveState, runId: number, atMs: number): LiveRun {
  if (state.run?.runId === runId) return state.run;
  return {
    runId,
    kind: null,
    trigger: null,
    status: 'running',
    startedAt: null,
    finishedAt: null,
    ...NO_PROGRESS,
    counts: EMPTY_COUNTS,
    message: null,
    readOverlapMs: null,
    lastEventAtMs: atMs,
  };
}

const NO_PROGRESS = {
  step: null,
  overall: null,
  samples: [],
  limits: [],
  waits: [],
  held: 0,
} satisfies Partial<LiveRun>;

/**
 * The engine announces "import started" / "import finished" as plain messages too; the bar
 * already says so, in the admin's language, from run.started and run.finished.
 */
function echoesLifecycle(text: string): boolean {
  return /^(import|export|sync|deals) (started|finished)$/i.test(text.trim());
}

export function reduceLive(state: LiveState, action: LiveAction): LiveState {
  switch (action.name) {
    case 'run.started': {
      const { runId, kind, trigger, at } = action.data;
      const run: LiveRun = {
        ...runFor(state, runId, ms(at)),
        kind,
        trigger,
        status: 'running',
        startedAt: at,
        lastEventAtMs: ms(at),
      };
      return addMessage(
        { ...state, run },
        { at, level: 'info', runId, body: { kind: 'started', runKind: kind, trigger } },
      );
    }
    case 'run.progress': {
      const { runId, phase, type, done, total, counts, at } = action.data;
      const { overall, waits = [], held = 0, requests = [] } = action.data;
      const atMs = ms(at);
      const current = runFor(state, runId, atMs);
      if (current.status !== 'running') return state;
      const sameStep = current.step?.phase === phase && current.step.type === type;
      const step: LiveStep = {
        phase,
        type,
        done,
        // The server sends null for a size not known ahead; this state keeps 0 for it.
        total: total ?? 0,
        startedAtMs: sameStep && current.step ? current.step.startedAtMs : current.lastEventAtMs,
        atMs,
      };
      const sent: ProgressSample['sent'] = {};
      for (const request of requests) sent[request.system] = request.sent;
      return {
        ...state,
        run: {
          ...current,
          step,
          overall: overall ?? current.overall,
          samples: overall
            ? addSample(current.samples, { atMs, done: overall.done, sent })
            : current.samples,
          limits: requests.flatMap(({ system, limit, windowMs }) =>
            limit === null ? [] : [{ system, limit, windowMs }],
          ),
          waits: waits.map(({ system, reason, status, until }) => ({
            system,
            reason,
            status,
            untilMs: ms(until),
          })),
          held,
          counts,
          lastEventAtMs: atMs,
        },
      };
    }
    case 'run.message': {
      const { runId, level, text, code, params, at } = action.data;
      if (
        level === 'info' &&
        (code === 'run_started' || code === 'run_finished' || echoesLifecycle(text))
      ) {
        return state;
      }
      return addMessage(state, { at, level, runId, body: { kind: 'text', text, code, params } });
    }
    case 'run.finished': {
      const { runId, status, message, messageCode, messageParams, totals, at } = action.data;
      const current = runFor(state, runId, ms(at));
      const run: LiveRun = {
        ...current,
        status,
        finishedAt: at,
        step: null,
        waits: [],
        counts: totals,
        message,
        readOverlapMs: action.data.readOverlapMs ?? null,
        lastEventAtMs: ms(at),
      };
      return addMessage(
        { ...state, run },
        {
          at,
          level: status === 'succeeded' ? (totals.failed > 0 ? 'warn' : 'success') : 'error',
          runId,
          body: {
            kind: 'finished',
            runKind: current.kind,
            status,
            totals,
            reason: message,
            reasonCode: messageCode,
            reasonParams: messageParams,
          },
        },
      );
    }
    case 'connection.changed': {
      const { status, at } = action.data;
      return addMessage(
        { ...state, connection: status },
        {
          at,
          level:
            status === 'connected' ? 'success' : status === 'needs_reconnect' ? 'error' : 'info',
          runId: null,
          body: { kind: 'connection', status },
        },
      );
    }
    case 'run.known': {
      const summary = action.data;
      const current = state.run;
      // Events are newer than any list the page fetched: never let the list overrule them.
      if (current && current.runId > summary.id) return state;
      if (current?.runId === summary.id) {
        // The stream was lost while the run ended: the log knows, and the run is over.
        const endedUnseen = current.status === 'running' && summary.status !== 'running';
        if (current.kind !== null && !endedUnseen) return state;
        return {
          ...state,
          run: {
            ...current,
            kind: summary.kind,
            trigger: summary.trigger,
            startedAt: summary.startedAt,
            ...(endedUnseen
              ? {
                  status: summary.status,
                  finishedAt: summary.finishedAt,
                  step: null,
                  waits: [],
                  counts: summary.totals,
                  message: summary.message,
                }
              : {}),
          },
        };
      }
      if (summary.status !== 'running') return state;
      return {
        ...state,
        run: {
          runId: summary.id,
          kind: summary.kind,
          trigger: summary.trigger,
          status: 'running',
          startedAt: summary.startedAt,
          finishedAt: null,
          ...NO_PROGRESS,
          counts: summary.totals,
          message: null,
          readOverlapMs: null,
          lastEventAtMs: ms(summary.startedAt),
        },
      };
    }
    case 'notice': {
      const { key, level, at } = action.data;
      return addMessage(state, { at, level, runId: null, body: { kind: 'notice', key } });
    }
    case 'messages.cleared':
      return { ...state, messages: [] };
  }
}

/**
 * The share of the whole run that is done, or null when nothing says how big it is. A run that
 * succeeded is complete; one that failed or was interrupted shows how far it got, never full.
 */
export function runFraction(run: LiveRun): number | null {
  if (run.status === 'succeeded') return 1;
  const overall = run.overall;
  if (!overall || overall.total <= 0) return run.status === 'running' ? null : 0;
  // Until the run says it succeeded, the bar is not full: the last writes may still be under
  // way, or the run stopped after them.
  return Math.min(overall.done / overall.total, 0.99);
}

/** The time left of a running run at `nowMs` (see estimateTimeLeft). */
export function runTimeLeft(run: LiveRun, nowMs: number): Estimate {
  if (run.status !== 'running' || !run.overall) return { remainingMs: null };
  return estimateTimeLeft({
    done: run.overall.done,
    total: run.overall.total,
    samples: run.samples,
    limits: run.limits,
    waits: run.waits,
    nowMs,
  });
}

/** The waits still under way at `nowMs`: the reason nothing moves. */
export function currentWaits(run: LiveRun, nowMs: number): LiveWait[] {
  if (run.status !== 'running') return [];
  return run.waits.filter((wait) => wait.untilMs > nowMs);
}

/** A run that ended well and found nothing to do. */
export function foundNothing(run: LiveRun): boolean {
  return run.status === 'succeeded' && Object.values(run.counts).every((count) => count === 0);
}
