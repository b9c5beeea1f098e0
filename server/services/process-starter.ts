import type { ProcessStarterResponse, RunKind } from '../../shared/api/runs';
import type { Clock } from '../clock';
import type { Logger } from '../logger';
import type { AppStore } from '../storage/app-store';
import { AppError } from './errors';
import type { RunService } from './run-service';

/**
 * The "Hubspot Data Sync" process starter: every N minutes it runs the saved mode, and deal
 * sync when active. Its next run is persisted, so a restart neither loses nor repeats a tick:
 * a tick missed while the app was down runs once, right after start. A plain timer suffices
 * (the schedule is "every N minutes after the last", not a calendar).
 */
export class ProcessStarter {
  private timer: NodeJS.Timeout | undefined;
  private ticking = false;

  constructor(
    private readonly deps: {
      store: AppStore;
      runs: RunService;
      clock: Clock;
      logger: Logger;
      /** Awaits a run to the end before the next one (deal sync after the exchange). */
      waitForRun: (runId: number) => Promise<void>;
    },
  ) {}

  status(): ProcessStarterResponse {
    const settings = this.deps.store.settings();
    const state = this.deps.store.processStarter();
    return {
      name: 'Hubspot Data Sync',
      active: settings.automatic,
      intervalMinutes: settings.intervalMinutes,
      lastRunAt: state.lastRunAt,
      lastRunId: state.lastRunId,
      nextRunAt: settings.automatic ? state.nextRunAt : null,
    };
  }

  /** (Re-)arms the timer from the saved settings; call at start and after settings change. */
  schedule(): void {
    this.stop();
    const settings = this.deps.store.settings();
    if (!settings.automatic) return;
    const state = this.deps.store.processStarter();
    const now = this.deps.clock().getTime();
    const intervalMs = settings.intervalMinutes * 60_000;
    let next = state.nextRunAt === null ? Number.NaN : Date.parse(state.nextRunAt);
    const fromLast =
      state.lastRunAt === null ? Number.NaN : Date.parse(state.lastRunAt) + intervalMs;
    // A new interval applies from the last run; without one the first tick is one interval away.
    if (Number.isNaN(next) || (!Number.isNaN(fromLast) && fromLast !== next)) {
      next = Number.isNaN(fromLast) ? now + intervalMs : fromLast;
    }
    this.deps.store.saveProcessStarter({ ...state, nextRunAt: new Date(next).toISOString() });
    this.timer = setTimeout(() => void this.tick(), Math.max(0, Math.min(next - now, 2 ** 31 - 1)));
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }

  /** One tick: run unless a run is active (then skip it: never queue, never double-run). */
  async tick(): Promise<void> {
    if (this.ticking) return;
    this.ticking = true;
    try {
      const settings = this.deps.store.settings();
      if (!settings.automatic) return;
      const now = this.deps.clock();
      const state = this.deps.store.processStarter();
      const nextRunAt = new Date(now.getTime() + settings.intervalMinutes * 60_000).toISOString();
      if (this.deps.runs.activeRunId !== undefined) {
        this.deps.logger.info(
          { activeRunId: this.deps.runs.activeRunId },
          'process starter tick skipped: a run is active',
        );
        this.deps.store.saveProcessStarter({ ...state, nextRunAt });
        return;
      }
      const kinds: RunKind[] = [settings.mode, ...(settings.dealSync ? (['deals'] as const) : [])];
      let lastRunId = state.lastRunId;
      for (const kind of kinds) {
        try {
          const id = this.deps.runs.start(kind, 'process_starter');
          lastRunId = id;
          this.deps.store.saveProcessStarter({
            lastRunAt: now.toISOString(),
            lastRunId,
            nextRunAt,
          });
          await this.deps.waitForRun(id);
        } catch (error) {
          // Not connected, needs reconnect, another run started meanwhile: say so, try next time.
          if (!(error instanceof AppError)) throw error;
          this.deps.logger.warn(
            { kind, reason: error.message },
            'process starter could not start a run',
          );
          this.deps.store.saveProcessStarter({
            lastRunAt: now.toISOString(),
            lastRunId,
            nextRunAt,
          });
          break;
        }
      }
    } finally {
      this.ticking = false;
      this.schedule();
    }
  }
}
