import { describe, expect, it } from 'vitest';
import { EMPTY_COUNTS, type RunCounts, type RunSummary } from '../../../shared/api/runs';
import type { RunOverall, RunRequests, RunWait } from '../../../shared/api/events';
import {
  currentWaits,
  foundNothing,
  INITIAL_LIVE_STATE,
  MAX_MESSAGES,
  reduceLive,
  runFraction,
  runTimeLeft,
  type LiveAction,
  type LiveRun,
  type LiveState,
  type LiveStep,
} from './live-state';

const at = (second: number) => new Date(Date.UTC(2026, 0, 5, 9, 0, second)).toISOString();
const counts = (overrides: Partial<RunCounts> = {}): RunCounts => ({
  ...EMPTY_COUNTS,
  ...overrides,
});

const started = (runId = 7, second = 0): LiveAction => ({
  name: 'run.started',
  data: { runId, kind: 'import', trigger: 'manual', at: at(second) },
});
const progress = (
  second: number,
  step: Partial<{ phase: LiveStep['phase']; type: LiveStep['type']; done: number; total: number }>,
  runId = 7,
): LiveAction => ({
  name: 'run.progress',
  data: {
    runId,
    phase: step.phase ?? 'reading',
    type: step.type ?? 'contact',
    done: step.done ?? 0,
    total: step.total ?? 0,
    counts: counts({ created: second }),
    at: at(second),
  },
});
const reduceAll = (actions: LiveAction[], state: LiveState = INITIAL_LIVE_STATE) =>
  actions.reduce(reduceLive, state);

describe('reduceLive', () => {
  it('starts a run and says so in the message bar', () => {
    const state = reduceAll([started()]);
    expect(state.run).toMatchObject({ runId: 7, kind: 'import', status: 'running' });
    expect(state.messages).toEqual([
      {
        id: 1,
        at: at(0),
        level: 'info',
        runId: 7,
        body: { kind: 'started', runKind: 'import', trigger: 'manual' },
      },
    ]);
  });

  it('tracks the step: a new phase or type starts where the previous event ended', () => {
    const state = reduceAll([
      started(),
      progress(2, { phase: 'reading', type: 'user', done: 5, total: 5 }),
      progress(3, { phase: 'reading', type: 'contact', done: 100, total: 300 }),
      progress(5, { phase: 'reading', type: 'contact', done: 200, total: 300 }),
    ]);
    expect(state.run?.step).toEqual({
      phase: 'reading',
      type: 'contact',
      done: 200,
      total: 300,
      startedAtMs: Date.parse(at(2)),
      atMs: Date.parse(at(5)),
    });
    expect(state.run?.counts).toEqual(counts({ created: 5 }));
    // Progress is shown live, not logged line by line.
    expect(state.messages).toHaveLength(1);
  });

  it('keeps the engine’s own "import started/finished" out of the bar, but not other texts', () => {
    const message = (
      text: string,
      level: 'info' | 'warn' = 'info',
      code: string | null = null,
      params: Record<string, string> = {},
    ): LiveAction => ({
      name: 'run.message',
      data: { runId: 7, level, text, code, params, at: at(1) },
    });
    const conflicts = { count: '1', type: 'contact' };
    const state = reduceAll([
      started(),
      message('import started'),
      message('deal synchronisation started', 'info', 'run_started', { kind: 'deals' }),
      message(
        '1 new conflict(s) for contacts need a decision.',
        'warn',
        'new_conflicts',
        conflicts,
      ),
      message('a note without a code'),
      message('import finished'),
    ]);
    expect(state.messages.map((m) => m.body)).toEqual([
      { kind: 'started', runKind: 'import', trigger: 'manual' },
      {
        kind: 'text',
        text: '1 new conflict(s) for contacts need a decision.',
        code: 'new_conflicts',
        params: conflicts,
      },
      { kind: 'text', text: 'a note without a code', code: null, params: {} },
    ]);
  });

  it('finishes with the totals, a success, warning or error level, and the reason', () => {
    const finished = (status: 'succeeded' | 'failed', totals: RunCounts, message: string | null) =>
      reduceAll([
        started(),
        progress(1, { done: 1, total: 2 }),
        {
          name: 'run.finished',
          data: {
            runId: 7,
            status,
            message,
            messageCode: message === null ? null : 'hubspot_auth',
            messageParams: {},
            totals,
            at: at(4),
          },
        },
      ]);
    const ok = finished('succeeded', counts({ created: 3, conflicts: 1 }), null);
    expect(ok.run).toMatchObject({ status: 'succeeded', step: null, finishedAt: at(4) });
    expect(ok.messages.at(-1)).toMatchObject({
      level: 'success',
      body: { kind: 'finished', runKind: 'import', totals: counts({ created: 3, conflicts: 1 }) },
    });
    expect(finished('succeeded', counts({ failed: 2 }), null).messages.at(-1)?.level).toBe('warn');
    const failed = finished('failed', EMPTY_COUNTS, 'HubSpot connection needs to be renewed.');
    expect(failed.messages.at(-1)).toMatchObject({
      level: 'error',
      body: {
        kind: 'finished',
        status: 'failed',
        reason: 'HubSpot connection needs to be renewed.',
        reasonCode: 'hubspot_auth',
        reasonParams: {},
      },
    });
  });

  it('ignores progress that arrives after the run finished', () => {
    const finished = reduceAll([
      started(),
      {
        name: 'run.finished',
        data: {
          runId: 7,
          status: 'succeeded',
          message: null,
          messageCode: null,
          messageParams: {},
          totals: EMPTY_COUNTS,
          at: at(3),
        },
      },
    ]);
    expect(reduceLive(finished, progress(4, { done: 1, total: 1 }))).toBe(finished);
  });

  it('learns of a run from a progress event when the page missed its start', () => {
    const state = reduceAll([progress(3, { done: 10, total: 20 }, 9)]);
    expect(state.run).toMatchObject({ runId: 9, kind: null, status: 'running' });
  });

  const summary = (overrides: Partial<RunSummary>): RunSummary => ({
    id: 9,
    kind: 'export',
    trigger: 'process_starter',
    status: 'running',
    portalId: '1234567',
    startedAt: at(1),
    finishedAt: null,
    durationMs: null,
    message: null,
    messageCode: null,
    messageParams: {},
    totals: counts({ edited: 4 }),
    counts: [],
    ...overrides,
  });

  it('seeds a running run from the run log, and fills in a kind it did not know', () => {
    expect(
      reduceLive(INITIAL_LIVE_STATE, { name: 'run.known', data: summary({}) }).run,
    ).toMatchObject({
      runId: 9,
      kind: 'export',
      trigger: 'process_starter',
      counts: counts({ edited: 4 }),
    });
    const fromProgress = reduceAll([progress(3, { done: 1, total: 2 }, 9)]);
    expect(reduceLive(fromProgress, { name: 'run.known', data: summary({}) }).run?.kind).toBe(
      'export',
    );
    // A finished run in the log is no news to a page that saw nothing.
    const done = summary({ status: 'succeeded' });
    expect(reduceLive(INITIAL_LIVE_STATE, { name: 'run.known', data: done })).toBe(
      INITIAL_LIVE_STATE,
    );
  });

  it('ends a run the stream lost track of when the log says it ended', () => {
    const running = reduceAll([started(9)]);
    const state = reduceLive(running, {
      name: 'run.known',
      data: summary({ status: 'failed', finishedAt: at(8), message: 'stopped' }),
    });
    expect(state.run).toMatchObject({ status: 'failed', finishedAt: at(8), message: 'stopped' });
  });

  it('never lets an older run from the log replace a newer live one', () => {
    const live = reduceAll([started(12)]);
    expect(reduceLive(live, { name: 'run.known', data: summary({ id: 11 }) })).toBe(live);
  });

  it('reports connection changes and notices, keeps at most MAX_MESSAGES, and clears', () => {
    let state = reduceLive(INITIAL_LIVE_STATE, {
      name: 'connection.changed',
      data: { status: 'needs_reconnect', at: at(1) },
    });
    expect(state.connection).toBe('needs_reconnect');
    expect(state.messages[0]).toMatchObject({ level: 'error', body: { kind: 'connection' } });
    for (let i = 0; i < MAX_MESSAGES + 5; i++) {
      state = reduceLive(state, {
        name: 'notice',
        data: { key: 'connectedNotice', level: 'success', at: at(2) },
      });
    }
    expect(state.messages).toHaveLength(MAX_MESSAGES);
    expect(state.messages.at(-1)?.id).toBe(MAX_MESSAGES + 6);
    expect(reduceLive(state, { name: 'messages.cleared' }).messages).toEqual([]);
  });
});

describe('the whole run', () => {
  const xentral = (sent: number): RunRequests => ({
    system: 'xentral',
    sent,
    limit: 98,
    windowMs: 60_000,
  });
  const tick = (
    second: number,
    overall: RunOverall,
    extra: { requests?: RunRequests[]; waits?: RunWait[]; held?: number } = {},
  ): LiveAction => ({
    name: 'run.progress',
    data: {
      runId: 7,
      phase: 'writing',
      type: 'contact',
      done: overall.done,
      total: overall.total,
      counts: EMPTY_COUNTS,
      overall,
      ...extra,
      at: at(second),
    },
  });
  const finished = (status: 'succeeded' | 'failed', second: number): LiveAction => ({
    name: 'run.finished',
    data: {
      runId: 7,
      status,
      message: null,
      messageCode: null,
      messageParams: {},
      totals: EMPTY_COUNTS,
      readOverlapMs: 120_000,
      at: at(second),
    },
  });
  const runOf = (actions: LiveAction[]): LiveRun => {
    const run = reduceAll(actions).run;
    if (!run) throw new Error('no run');
    return run;
  };

  it('fills one bar over all steps, not one per step', () => {
    const run = runOf([
      started(),
      tick(1, { done: 50, total: 200, growing: false }),
      tick(2, { done: 100, total: 200, growing: false }),
    ]);
    expect(runFraction(run)).toBe(0.5);
    // A new step keeps counting on the same bar.
    const next = reduceLive(
      { ...INITIAL_LIVE_STATE, run },
      {
        name: 'run.progress',
        data: {
          runId: 7,
          phase: 'writing',
          type: 'deal',
          done: 0,
          total: 50,
          counts: EMPTY_COUNTS,
          overall: { done: 150, total: 200, growing: false },
          at: at(3),
        },
      },
    ).run;
    expect(next && runFraction(next)).toBe(0.75);
  });

  it('estimates from the run’s pace, bounded by Xentral’s limit, and moves on with the clock', () => {
    const run = runOf([
      started(),
      tick(0, { done: 0, total: 490, growing: false }, { requests: [xentral(0)] }),
      tick(1, { done: 98, total: 490, growing: false }, { requests: [xentral(98)] }),
    ]);
    // 392 requests left at 98 per minute: 4 minutes, though the first 98 took one second.
    expect(runTimeLeft(run, Date.parse(at(1)))).toEqual({
      remainingMs: 239_000,
      basis: 'limit',
      system: 'xentral',
      perMinute: 98,
    });
    // Nothing new for two minutes: the pace so far (98 in 121 s) now says more than the limit.
    const later = runTimeLeft(run, Date.parse(at(1)) + 120_000).remainingMs;
    expect(later).toBe(484_000);
  });

  it('says what it waits for while nothing moves, and forgets waits that are over', () => {
    const until = at(20);
    const run = runOf([
      started(),
      tick(
        1,
        { done: 10, total: 100, growing: false },
        {
          waits: [{ system: 'xentral', reason: 'retry', status: 503, until }],
          held: 2,
        },
      ),
    ]);
    expect(currentWaits(run, Date.parse(at(5)))).toEqual([
      { system: 'xentral', reason: 'retry', status: 503, untilMs: Date.parse(until) },
    ]);
    expect(currentWaits(run, Date.parse(at(21)))).toEqual([]);
    expect(run.held).toBe(2);
    const after = runOf([
      started(),
      tick(
        1,
        { done: 10, total: 100, growing: false },
        {
          waits: [{ system: 'xentral', reason: 'retry', status: 503, until }],
        },
      ),
      tick(3, { done: 20, total: 100, growing: false }),
    ]);
    expect(after.waits).toEqual([]);
  });

  it('never shows a failed run as complete, and a run that found nothing says so', () => {
    const failed = runOf([
      started(),
      tick(1, { done: 100, total: 100, growing: false }),
      finished('failed', 2),
    ]);
    expect(runFraction(failed)).toBeLessThan(1);
    expect(runTimeLeft(failed, Date.parse(at(3)))).toEqual({ remainingMs: null });
    const stoppedEarly = runOf([
      started(),
      tick(1, { done: 30, total: 120, growing: true }),
      finished('failed', 2),
    ]);
    expect(runFraction(stoppedEarly)).toBe(0.25);
    const nothing = runOf([started(), finished('succeeded', 2)]);
    expect(runFraction(nothing)).toBe(1);
    expect(foundNothing(nothing)).toBe(true);
    expect(nothing.readOverlapMs).toBe(120_000);
    expect(foundNothing(runOf([started(), finished('failed', 2)]))).toBe(false);
  });

  it('has no fraction before anything says how big the run is', () => {
    const run = runOf([started()]);
    expect(runFraction(run)).toBeNull();
    expect(runTimeLeft(run, Date.parse(at(1)))).toEqual({ remainingMs: null });
  });
});
