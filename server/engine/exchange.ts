import { IndexRefresher } from './index-refresh';
import {
  OBJECT_TYPES,
  type ExchangeMode,
  type ExchangeSettings,
  type HubSpotRecordByType,
  type ObjectType,
  type XentralRecordByType,
} from './model';
import { planExchange } from './planner';
import { PlanExecutor } from './executor';
import type { StoredRecordView } from './ports';
import { executeRun, RunContext, type RunDeps, type RunLog, type RunOutcome } from './run-context';
import { assemblePlanInput, type LedgerEntry } from './snapshot';

/**
 * A run: refresh the local index from both systems (incrementally), then plan slice by slice
 * and apply each plan through the ports, committing every confirmed write together with its
 * link, ledger entries and run item. A run stopped at any point leaves a state from which the
 * next run finishes the work without duplicating any of it.
 */

export {
  DEFAULT_EXCHANGE_OPTIONS,
  type ExchangeOptions,
  type ExchangeStore,
  type ProgressEvent,
  type RunLog,
} from './run-context';
export { customerIndexRow, employeeIndexRow, hubspotIndexRow } from './index-rows';

export interface ExchangeDeps extends RunDeps {
  runLog: RunLog;
}

export interface ExchangeRequest {
  mode: ExchangeMode;
  trigger: 'manual' | 'process_starter';
  settings: ExchangeSettings;
  /** A run id created by the caller (so it can answer 202 with it before the run starts). */
  runId?: number;
}

export type ExchangeResult = RunOutcome;

class ExchangeRun {
  private readonly executor: PlanExecutor;
  private readonly refresher: IndexRefresher;

  constructor(
    private readonly ctx: RunContext,
    private readonly request: ExchangeRequest,
  ) {
    this.executor = new PlanExecutor(ctx);
    this.refresher = new IndexRefresher(ctx);
  }

  async execute(): Promise<void> {
    try {
      await this.refresher.ensureProperties();
      await this.refresher.refreshAll();
      for (const type of OBJECT_TYPES) {
        // Users are matched to Xentral employees by e-mail; without that list they wait.
        if (type === 'user' && this.ctx.missing.has('xentral_employees')) continue;
        await this.executor.recoverPendingCreates(type);
        await this.exchangeType(type);
      }
    } catch (error) {
      // Let what is in flight finish and be committed, so nothing confirmed is forgotten.
      await this.executor.settle();
      throw error;
    }
  }

  private async exchangeType(type: ObjectType): Promise<void> {
    const settings = this.request.settings;
    const owners = this.ctx.store.ownerLinks();
    const knownConflicts = this.ctx.store.knownConflictKeys(type);
    const knownSkips = this.ctx.store.knownSkips(type);
    // The work ahead, for the progress bar and the estimate of the time left: the linked pairs
    // and the unlinked records of this type (a linked pair and an unlinked record count one).
    const maxLinkId = this.ctx.store.maxLinkId(type);
    const total = this.ctx.store.countLinks(type) + this.ctx.store.countUnlinked(type);
    let done = 0;

    const planSlice = async (
      records: StoredRecordView[],
      pairs: LedgerEntry[],
      keys: string[] | null,
      units: number,
    ) => {
      const xentral = records.filter((r) => r.system === 'xentral');
      const hubspot = records.filter((r) => r.system === 'hubspot');
      const input = assemblePlanInput({
        type,
        settings,
        owners,
        xentral: xentral.map((r) => r.data as XentralRecordByType[typeof type]),
        hubspot: hubspot.map((r) => r.data as HubSpotRecordByType[typeof type]),
        pairs,
        linkedXentral: new Set(xentral.filter((r) => r.linked).map((r) => r.id)),
        linkedHubSpot: new Set(hubspot.filter((r) => r.linked).map((r) => r.id)),
        knownConflicts,
        knownSkips,
      });
      const plan = planExchange(input);
      await this.executor.apply(type, plan, keys);
      done += units;
      this.ctx.progress({ phase: 'writing', type, done, total: Math.max(total, done) });
      // A slice with nothing to write never waits for I/O, and 100,000 unchanged pairs plan
      // for seconds: let the server answer requests, and sockets notice their peer closed,
      // between slices.
      await new Promise((resolve) => setImmediate(resolve));
    };

    // Linked pairs that existed when the run began (new links are planned when they are made).
    for (let after = 0; ;) {
      const rows = this.ctx.store.pairsAfter(
        type,
        after,
        maxLinkId,
        this.ctx.options.pairsPerSlice,
      );
      if (rows.length === 0) break;
      after = rows[rows.length - 1]!.link.id;
      const records: StoredRecordView[] = [];
      for (const row of rows) {
        if (row.xentral !== undefined) {
          records.push({
            system: 'xentral',
            id: row.link.xentralId,
            data: row.xentral,
            linked: true,
            xentralRef: '',
          });
        }
        if (row.hubspot !== undefined) {
          records.push({
            system: 'hubspot',
            id: row.link.hubspotId,
            data: row.hubspot,
            linked: true,
            xentralRef: '',
          });
        }
      }
      await planSlice(records, rows, null, rows.length);
    }

    // Unlinked records, grouped by match key: matching, ambiguity, creation.
    for (let afterKey = ''; ;) {
      const keys = this.ctx.store.unlinkedKeysAfter(type, afterKey, this.ctx.options.keysPerSlice);
      if (keys.length === 0) break;
      afterKey = keys[keys.length - 1]!;
      const records = this.ctx.store.recordsForKeys(type, keys);
      await planSlice(records, [], keys, records.filter((r) => !r.linked).length);
    }

    // Records without a match key: skipped with their reason.
    for (let afterId = ''; ;) {
      const records = this.ctx.store.keylessUnlinked(type, afterId, this.ctx.options.keysPerSlice);
      if (records.length === 0) break;
      const last = records[records.length - 1]!;
      afterId = `${last.system}:${last.id}`;
      await planSlice(records, [], null, records.length);
    }

    await this.executor.finish();
  }
}

/** Runs one exchange in the given mode; never throws for a failed run, it records it. */
export async function runExchange(
  request: ExchangeRequest,
  deps: ExchangeDeps,
): Promise<ExchangeResult> {
  const runId =
    request.runId ??
    deps.runLog.start(request.mode, request.trigger, deps.store.portalId, deps.now().toISOString());
  const ctx = new RunContext(deps, runId);
  const run = new ExchangeRun(ctx, request);
  return executeRun(ctx, deps.runLog, request.mode, request.mode, () => run.execute());
}
