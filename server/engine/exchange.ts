import { IndexRefresher } from './index-refresh';
import {
  OBJECT_TYPES,
  type ExchangeMode,
  type ExchangeSettings,
  type HubSpotOwnerRecord,
  type HubSpotRecordByType,
  type XentralEmployeeRecord,
  type ObjectType,
  type XentralRecordByType,
} from './model';
import type { OwnerLinks } from './canonical';
import { labelOf, planExchange } from './planner';
import { planOwnerLinksByName } from './owner-names';
import { skipSignature } from './plan';
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

/**
 * Bump whenever a change to the planner could plan an unchanged pair differently: every pair
 * settled under the previous rules is then planned again.
 */
const PLANNER_VERSION = 1;

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
      this.ctx.work.plansPending();
      await this.refresher.ensureProperties();
      await this.refresher.refreshAll();
      // The plans ahead, counted as soon as the index is up to date, so the bar covers them
      // from here on (each type recounts exactly when its turn comes).
      for (const type of OBJECT_TYPES) {
        const generation = this.ctx.store.getFact(`pair_plan_generation:${type}`) ?? '0';
        this.ctx.work.expect(
          `writing:${type}`,
          this.ctx.store.countUnsettledLinks(type, generation) + this.ctx.store.countUnlinked(type),
        );
      }
      this.ctx.work.planned();
      for (const type of OBJECT_TYPES) {
        // Users are matched to Xentral employees by e-mail; a stock Xentral lists employees
        // without it, so there they are linked by name and never created or changed.
        if (type === 'user' && this.ctx.missing.has('xentral_employees')) {
          this.linkOwnersByName();
          this.ctx.work.finish(`writing:${type}`);
          continue;
        }
        await this.executor.recoverPendingCreates(type);
        await this.exchangeType(type);
      }
    } catch (error) {
      // Let what is in flight finish and be committed, so nothing confirmed is forgotten.
      await this.executor.settle();
      throw error;
    }
  }

  /**
   * HubSpot users on a stock Xentral: each active owner is linked to the employee of the same
   * full name, so the Back office maps; an owner without one is reported once (per version of
   * the owner), not with every record it owns.
   */
  private linkOwnersByName(): void {
    const { store } = this.ctx;
    const owners = store
      .recordIds('hubspot', 'user')
      .map((id) => store.getRecord('hubspot', 'user', id) as HubSpotOwnerRecord);
    const employees = store
      .recordIds('xentral', 'user')
      .map((id) => store.getRecord('xentral', 'user', id) as XentralEmployeeRecord);
    const linked = (system: 'xentral' | 'hubspot', id: string) =>
      store.findLinkBySide('user', system, id) !== undefined;
    const plan = planOwnerLinksByName(
      owners,
      employees,
      new Set(owners.filter((o) => linked('hubspot', o.id)).map((o) => o.id)),
      new Set(employees.filter((e) => linked('xentral', e.id)).map((e) => e.id)),
    );
    const at = this.ctx.at();
    store.transaction(() => {
      for (const { owner, employee } of plan.links) {
        store.insertLink('user', employee.id, owner.id, 'name', at, this.ctx.runId);
        store.addItem(
          this.ctx.runId,
          {
            type: 'user',
            direction: 'none',
            action: 'linked',
            xentralId: employee.id,
            hubspotId: owner.id,
            label: labelOf(owner),
            reason: 'matched by name',
            reasonCode: 'matched_by',
            reasonParams: { how: 'name' },
          },
          at,
        );
      }
      const report = (
        owner: HubSpotOwnerRecord,
        code: 'employee_missing' | 'employee_ambiguous',
        text: string,
        params: Record<string, string>,
      ) => {
        const signature = skipSignature([code], owner.updatedAt);
        if (store.knownSkip('user', 'hubspot', owner.id) === signature) return;
        store.rememberSkip('user', 'hubspot', owner.id, signature);
        store.addItem(
          this.ctx.runId,
          {
            type: 'user',
            direction: 'hubspot_to_xentral',
            action: 'skipped',
            xentralId: null,
            hubspotId: owner.id,
            label: labelOf(owner),
            reason: text,
            reasonCode: code,
            reasonParams: params,
          },
          at,
        );
      };
      for (const owner of plan.missing) {
        report(
          owner,
          'employee_missing',
          'No Xentral employee has this name, and this Xentral cannot create one: create this employee in Xentral; the next run links it.',
          { name: labelOf(owner) },
        );
      }
      for (const { owner, employees: candidates } of plan.ambiguous) {
        const ids = candidates.map((e) => e.id).join(', ');
        report(
          owner,
          'employee_ambiguous',
          `Several Xentral employees (${ids}) or HubSpot users share this name, so none is linked; give them distinct names in Xentral or HubSpot.`,
          { name: labelOf(owner), ids },
        );
      }
    });
  }

  /**
   * What a pair's plan depends on besides the pair itself: the mode and settings, the owner
   * links, and the planner's rules. Each new combination gets a new generation number; pairs
   * settled under an older one are planned again.
   */
  private planGeneration(type: ObjectType, owners: OwnerLinks): string {
    const { settings, mode } = this.request;
    const context = JSON.stringify({
      planner: PLANNER_VERSION,
      mode,
      lifecycleStages: [...settings.lifecycleStages].sort(),
      projectId: settings.projectId,
      defaultSalutation: settings.defaultSalutation,
      defaultCountry: settings.defaultCountry,
      owners: [...owners.employeeByOwner.entries()].sort(([a], [b]) => a.localeCompare(b)),
    });
    const contextFact = `pair_plan_context:${type}`;
    const generationFact = `pair_plan_generation:${type}`;
    const current = this.ctx.store.getFact(generationFact) ?? '0';
    if (this.ctx.store.getFact(contextFact) === context) return current;
    const previous = Number.parseInt(current, 10);
    const next = String(Number.isSafeInteger(previous) ? previous + 1 : 1);
    this.ctx.store.transaction(() => {
      this.ctx.store.setFact(generationFact, next);
      this.ctx.store.setFact(contextFact, context);
    });
    return next;
  }

  private async exchangeType(type: ObjectType): Promise<void> {
    const settings = this.request.settings;
    const owners = this.ctx.store.ownerLinks();
    const knownConflicts = this.ctx.store.knownConflictKeys(type);
    const knownSkips = this.ctx.store.knownSkips(type);
    // The work ahead, for the progress bar and the estimate of the time left: the linked pairs
    // and the unlinked records of this type (a linked pair and an unlinked record count one).
    const maxLinkId = this.ctx.store.maxLinkId(type);
    const generation = this.planGeneration(type, owners);
    const total =
      this.ctx.store.countUnsettledLinks(type, generation) + this.ctx.store.countUnlinked(type);
    this.ctx.work.expect(`writing:${type}`, total);
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
      if (pairs.length > 0) {
        // Pairs with nothing to write and no new conflict are settled: the next runs skip
        // them until one of their records, their ledger or their conflicts changes. A pair
        // with a write stays unsettled until a run finds the write done.
        const busy = new Set<number | null>([
          ...plan.writes.map((write) => write.pair.linkId),
          ...plan.conflicts.flatMap((conflict) =>
            conflict.kind === 'field' ? [conflict.pair.linkId] : [],
          ),
        ]);
        this.ctx.store.settleLinks(
          pairs.map((pair) => pair.link.id).filter((id) => !busy.has(id)),
          generation,
        );
      }
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
        generation,
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
    this.ctx.work.finish(`writing:${type}`);
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
