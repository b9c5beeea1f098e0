import {
  isReasonCode,
  type ReasonCode,
  type RunDetailResponse,
  type RunItem,
  type RunKind,
  type RunsResponse,
  type RunTrigger,
} from '../../shared/api/runs';
import type { Clock } from '../clock';
import { RunAbortedError } from '../engine/errors';
import { runDealSync } from '../engine/deals';
import {
  DEFAULT_EXCHANGE_OPTIONS,
  runExchange,
  type ExchangeOptions,
  type ProgressEvent,
} from '../engine/exchange';
import type { ExchangeSettings } from '../engine/model';
import type { RunMessage } from '../engine/run-context';
import type { Logger } from '../logger';
import type { AppStore } from '../storage/app-store';
import type { Db } from '../storage/db';
import { EngineStore } from '../storage/engine-store';
import type { RunItemFilter, RunStore } from '../storage/run-store';
import type { ConnectionService } from './connection-service';
import { AppError, ConflictError, NotFoundError } from './errors';
import type { RunRequests, RunWait } from '../../shared/api/events';
import type { RequestActivity } from '../adapters/rate-gate';
import type { EventBus } from './event-bus';
import type { Systems } from './systems';

/** Progress events are thinned to this rate per run: enough for a live bar, cheap for many tabs. */
const PROGRESS_INTERVAL_MS = 250;
/**
 * While nothing reports progress (a wait for a rate limit, a back-off), the last step is sent
 * again this often with what is being waited for, so the page can say why and keep its
 * estimate of the time left current.
 */
const HEARTBEAT_MS = 1000;
/** Records read per query for a CSV export: a few hundred kilobytes of text at most. */
const EXPORT_PAGE_SIZE = 500;

type SystemName = RunWait['system'];

/** What the systems' wrappers say about their requests, in the events' terms. */
export function describeActivity(activity: Record<SystemName, RequestActivity | undefined>): {
  waits: RunWait[];
  requests: RunRequests[];
} {
  const waits: RunWait[] = [];
  const requests: RunRequests[] = [];
  for (const system of ['xentral', 'hubspot'] as const) {
    const current = activity[system];
    if (!current) continue;
    requests.push({
      system,
      sent: current.sent,
      limit: current.limit,
      windowMs: Math.round(current.windowMs),
    });
    for (const wait of current.waits) {
      waits.push({
        system,
        reason: wait.reason,
        status: wait.status,
        until: new Date(wait.untilMs).toISOString(),
      });
    }
  }
  return { waits, requests };
}

/**
 * Passes a run's progress on to the event bus: thinned per step to PROGRESS_INTERVAL_MS, and
 * repeated with what the systems wait for when beat() finds nothing sent for HEARTBEAT_MS.
 */
export class ProgressRelay {
  private last: ProgressEvent | undefined;
  private lastKey = '';
  private sentAt = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly deps: {
      clock: () => number;
      activity: () => Record<SystemName, RequestActivity | undefined>;
      publish: (
        event: ProgressEvent,
        activity: ReturnType<typeof describeActivity>,
        now: number,
      ) => void;
    },
  ) {}

  report(event: ProgressEvent): void {
    const now = this.deps.clock();
    const key = `${event.phase}:${event.type}`;
    this.last = event;
    if (key === this.lastKey && now - this.sentAt < PROGRESS_INTERVAL_MS) return;
    this.lastKey = key;
    this.send(event, now);
  }

  /** Called every HEARTBEAT_MS while the run lasts. */
  beat(): void {
    const now = this.deps.clock();
    if (this.last && now - this.sentAt >= HEARTBEAT_MS) this.send(this.last, now);
  }

  private send(event: ProgressEvent, now: number): void {
    this.sentAt = now;
    this.deps.publish(event, describeActivity(this.deps.activity()), now);
  }
}

export interface RunServiceDeps {
  db: Db;
  runs: RunStore;
  store: AppStore;
  connection: ConnectionService;
  systems: Systems;
  events: EventBus;
  clock: Clock;
  logger: Logger;
  exchangeOptions?: Partial<ExchangeOptions>;
}

/**
 * Starts runs in the background, one at a time (RULES.md, rule 15): a second start while one is
 * active is refused with 409, never queued, so two runs never plan against the same ledger.
 * Everything a run does is reported on the event bus.
 */
export class RunService {
  private active: { id: number; done: Promise<void> } | undefined;

  constructor(private readonly deps: RunServiceDeps) {}

  get activeRunId(): number | undefined {
    return this.active?.id;
  }

  /** Resolves when no run is active (for shutdown and tests). */
  async idle(): Promise<void> {
    while (this.active) await this.active.done;
  }

  start(kind: RunKind, trigger: RunTrigger): number {
    if (this.active) {
      throw new ConflictError(
        `Run ${this.active.id} is still active; start again when it has finished.`,
        'run_active',
        { activeRunId: this.active.id },
      );
    }
    const connection = this.deps.connection.requireConnection();
    const settings = this.deps.store.settings();
    if (kind === 'deals' && !settings.dealSync) {
      throw new ConflictError(
        'Deal synchronisation is not active: tick "Deal-Synchronisation aktiv" in Settings and save.',
        'deal_sync_inactive',
      );
    }
    const at = this.deps.clock().toISOString();
    const id = this.deps.runs.start(kind, trigger, connection.hubId, at);
    this.deps.events.publish({ name: 'run.started', data: { runId: id, kind, trigger, at } });
    const done = this.execute(id, kind, trigger, connection.hubId).finally(() => {
      this.active = undefined;
    });
    this.active = { id, done };
    return id;
  }

  /** One page of the run log, newest first; `before` is the cursor the previous page gave. */
  list(page: { limit: number; before?: number | undefined }): RunsResponse {
    const runs = this.deps.runs.list(page.limit + 1, page.before);
    const shown = runs.slice(0, page.limit);
    return {
      runs: shown,
      nextBefore: runs.length > page.limit ? (shown.at(-1)?.id ?? null) : null,
    };
  }

  /**
   * A run and one page of its records (of one action/type if asked), in the order they were
   * logged. The page starts after the record `after`, so a filter that matches only a few of many
   * records finds them wherever they lie, and no page is read twice.
   */
  detail(id: number, page: { limit: number; after: number } & RunItemFilter): RunDetailResponse {
    const run = this.deps.runs.summary(id);
    if (!run) throw new NotFoundError(`There is no run ${id}.`);
    const items = this.deps.runs.items(id, page.limit + 1, page.after, {
      action: page.action,
      type: page.type,
    });
    const shown = items.slice(0, page.limit);
    return {
      run,
      items: shown,
      nextAfter: items.length > page.limit ? (shown.at(-1)?.id ?? null) : null,
    };
  }

  /**
   * All of a run's records (of one action/type if asked), in the order they were logged, a page
   * at a time. Each page is one short query: a statement left open while the caller waits for a
   * slow download would keep the app's one connection busy for every other request.
   * Throws NotFoundError at once when there is no such run.
   */
  itemPages(id: number, filter: RunItemFilter, pageSize = EXPORT_PAGE_SIZE): Iterable<RunItem[]> {
    if (!this.deps.runs.summary(id)) throw new NotFoundError(`There is no run ${id}.`);
    const runs = this.deps.runs;
    return (function* () {
      let after = 0;
      for (;;) {
        const page = runs.items(id, pageSize, after, filter);
        if (page.length === 0) return;
        yield page;
        if (page.length < pageSize) return;
        after = page.at(-1)?.id ?? after;
      }
    })();
  }

  private async execute(
    id: number,
    kind: RunKind,
    trigger: RunTrigger,
    hubId: string,
  ): Promise<void> {
    const { runs, events, clock, logger } = this.deps;
    const message = (
      level: 'info' | 'warn' | 'error',
      text: string,
      code: ReasonCode | null = null,
      params: Record<string, string> = {},
    ) =>
      events.publish({
        name: 'run.message',
        data: { runId: id, level, text, code, params, at: clock().toISOString() },
      });
    // The run's HubSpot adapter, once it has one: its waits and requests.
    let hubspotActivity: (() => RequestActivity) | undefined;
    const relay = new ProgressRelay({
      clock: () => clock().getTime(),
      activity: () => ({
        xentral: this.deps.systems.xentral.http.activity(),
        hubspot: hubspotActivity?.(),
      }),
      publish: (event, activity, now) =>
        events.publish({
          name: 'run.progress',
          data: {
            ...event,
            ...activity,
            counts: runs.counts(id).totals,
            at: new Date(now).toISOString(),
          },
        }),
    });
    const progress = (event: ProgressEvent) => relay.report(event);
    const heartbeat = setInterval(() => relay.beat(), HEARTBEAT_MS);
    heartbeat.unref();
    try {
      const { adapter } = await this.deps.systems.hubspot();
      hubspotActivity = () => adapter.activity();
      const store = new EngineStore(this.deps.db, hubId);
      const settings = this.deps.store.settings();
      const exchangeSettings: ExchangeSettings = {
        mode: settings.mode,
        lifecycleStages: settings.lifecycleStages,
        projectId: settings.projectId,
        defaultSalutation: settings.defaultSalutation,
        defaultCountry: settings.defaultCountry,
      };
      const engineDeps = {
        store,
        runLog: runs,
        hubspot: adapter,
        xentral: this.deps.systems.xentral,
        now: clock,
        ...(this.deps.exchangeOptions ? { options: this.deps.exchangeOptions } : {}),
        onProgress: progress,
        onMessage: (event: RunMessage) =>
          message(event.level, event.text, event.code ?? null, event.params ?? {}),
      };
      if (kind === 'deals') {
        await runDealSync(
          {
            trigger,
            settings: exchangeSettings,
            activatedAt: settings.dealSyncActivatedAt ?? clock().toISOString(),
            runId: id,
          },
          engineDeps,
        );
      } else {
        await runExchange(
          { mode: kind, trigger, settings: { ...exchangeSettings, mode: kind }, runId: id },
          engineDeps,
        );
      }
    } catch (error) {
      // Failures before the engine took over (no token, HubSpot refusing the refresh).
      const text =
        error instanceof RunAbortedError || error instanceof AppError
          ? error.message
          : `The run could not start: ${error instanceof Error ? error.message : String(error)}`;
      if (!(error instanceof RunAbortedError || error instanceof AppError)) {
        logger.error({ err: error, runId: id }, 'run failed to start');
      }
      const code: { code: ReasonCode; params?: Record<string, string> } =
        error instanceof RunAbortedError
          ? { code: error.reason }
          : error instanceof AppError && isReasonCode(error.code)
            ? { code: error.code }
            : { code: 'unexpected', params: { message: text } };
      runs.finish(id, 'failed', text, clock().toISOString(), code);
      message('error', text, code.code, code.params);
    }
    clearInterval(heartbeat);
    const summary = runs.summary(id);
    events.publish({
      name: 'run.finished',
      data: {
        runId: id,
        status: summary?.status ?? 'failed',
        message: summary?.message ?? null,
        messageCode: summary?.messageCode ?? null,
        messageParams: summary?.messageParams ?? {},
        totals: runs.counts(id).totals,
        readOverlapMs: {
          ...DEFAULT_EXCHANGE_OPTIONS,
          ...this.deps.exchangeOptions,
        }.readOverlapMs,
        at: clock().toISOString(),
      },
    });
    logger.info(
      { runId: id, kind, trigger, status: summary?.status, totals: summary?.totals },
      'run finished',
    );
  }
}
