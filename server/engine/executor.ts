import { labelOf, matchKeyOf } from './planner';
import { customerIndexRow, employeeIndexRow, hubspotIndexRow } from './index-rows';
import type {
  Field,
  HubSpotRecordByType,
  Link,
  ObjectType,
  System,
  XentralCustomerRecord,
  XentralEmployeeRecord,
} from './model';
import {
  restampSignature,
  type FieldChange,
  type PairRef,
  type Plan,
  type PlannedCreate,
  type PlannedWrite,
} from './plan';
import type { CrmType, WriteResult } from './ports';
import type { IndexRowInput, RunContext } from './run-context';
import { TaskPool } from './task-pool';

type Direction = 'xentral_to_hubspot' | 'hubspot_to_xentral' | 'none';

const TARGET_DIRECTION: Record<System, Direction> = {
  hubspot: 'xentral_to_hubspot',
  xentral: 'hubspot_to_xentral',
};

/** The reason on a run item for a write an earlier, interrupted run made but could not log. */
const CONFIRMED_LATE = 'confirmed after an interrupted run';

interface QueuedCreate<T extends CrmType> {
  type: T;
  create: PlannedCreate<T>;
}
interface QueuedUpdate<T extends CrmType> {
  type: T;
  write: PlannedWrite<T>;
}

/**
 * Applies plans through the ports: HubSpot writes in batches of up to 100, Xentral one call
 * per record (a few in flight), and every confirmed write committed together with its link,
 * ledger entries and run item, so a run stopped at any moment duplicates nothing.
 */
export class PlanExecutor {
  private readonly xentralPool: TaskPool;
  private readonly hubspotPool: TaskPool;
  private hubspotCreates: QueuedCreate<CrmType>[] = [];
  private hubspotUpdates: QueuedUpdate<CrmType>[] = [];
  private confirmedWrites = 0;
  /** Sources whose earlier Xentral create may still land: not created again in this run. */
  private readonly held = new Map<ObjectType, Set<string>>();

  constructor(private readonly ctx: RunContext) {
    this.xentralPool = new TaskPool(ctx.options.xentralConcurrency);
    this.hubspotPool = new TaskPool(ctx.options.hubspotConcurrency);
  }

  /** Writes what is queued and waits for what is in flight. */
  async finish(): Promise<void> {
    await this.flushHubSpot(true);
    await this.hubspotPool.drain();
    await this.xentralPool.drain();
  }

  /** Lets what is in flight end (and be committed) when the run is stopping anyway. */
  async settle(): Promise<void> {
    await Promise.all([this.hubspotPool.settle(), this.xentralPool.settle()]);
  }

  /** A write that failed in either pool stops the run: nothing more is sent. */
  private throwIfFailed(): void {
    this.hubspotPool.throwIfFailed();
    this.xentralPool.throwIfFailed();
  }

  private pairLink(type: ObjectType, pair: PairRef): Link {
    const link = this.ctx.store.findLink(type, pair.xentralId, pair.hubspotId);
    if (!link) throw new Error(`Link ${pair.xentralId} ↔ ${pair.hubspotId} is missing`);
    return link;
  }

  async apply<T extends ObjectType>(type: T, plan: Plan<T>, keys: string[] | null): Promise<void> {
    const runId = this.ctx.runId;
    const at = this.ctx.at();
    let newConflicts = 0;
    this.ctx.store.transaction(() => {
      for (const link of plan.links) {
        // A HubSpot record found by our xentral_id that an interrupted run had sent: that run's
        // create, carried out but never logged. It is logged now, as created.
        const sent =
          link.matchedBy === 'xentral_id' && type !== 'user'
            ? this.ctx.store.takePendingWrite(type, 'hubspot', 'create', link.xentralId)
            : undefined;
        this.ctx.store.insertLink(
          type,
          link.xentralId,
          link.hubspotId,
          sent ? 'created' : link.matchedBy,
          at,
          runId,
        );
        this.ctx.store.addItem(
          runId,
          sent
            ? {
                type,
                direction: 'xentral_to_hubspot',
                action: 'created',
                xentralId: link.xentralId,
                hubspotId: link.hubspotId,
                label: sent.label,
                changes: sent.changes,
                reason: CONFIRMED_LATE,
                reasonCode: 'confirmed_late',
              }
            : {
                type,
                direction: 'none',
                action: 'linked',
                xentralId: link.xentralId,
                hubspotId: link.hubspotId,
                label: link.label,
                reason: `matched by ${link.matchedBy.replace('_', ' + ')}`,
                reasonCode: 'matched_by',
                reasonParams: { how: link.matchedBy },
              },
          at,
        );
      }
      for (const mark of plan.marks) {
        const link = this.pairLink(type, mark.pair);
        this.ctx.store.markExchanged(link.id, mark.fields, 'equal', at, runId);
        this.confirmPendingUpdates(type, mark.pair, mark.fields, at);
      }
      for (const conflict of plan.conflicts) {
        const isField = conflict.kind === 'field';
        const link = isField ? this.pairLink(type, conflict.pair) : undefined;
        const stored = this.ctx.store.insertConflict(
          runId,
          type,
          {
            key: conflict.key,
            label: conflict.label,
            kind: conflict.kind,
            linkId: link?.id ?? null,
            field: isField ? conflict.field : null,
            matchKey: isField ? null : conflict.matchKey,
            xentralIds: isField ? [conflict.pair.xentralId] : conflict.xentralIds,
            hubspotIds: isField ? [conflict.pair.hubspotId] : conflict.hubspotIds,
            xentralValue: isField ? conflict.xentralValue : null,
            hubspotValue: isField ? conflict.hubspotValue : null,
          },
          at,
        );
        if (!stored) continue;
        newConflicts++;
        this.ctx.store.addItem(
          runId,
          {
            type,
            direction: 'none',
            action: 'conflict',
            xentralId: isField ? conflict.pair.xentralId : conflict.xentralIds.join(','),
            hubspotId: isField ? conflict.pair.hubspotId : conflict.hubspotIds.join(','),
            label: conflict.label,
            changes: isField
              ? [
                  {
                    field: conflict.field,
                    before: conflict.xentralValue,
                    after: conflict.hubspotValue,
                  },
                ]
              : [],
            reason: isField
              ? `${conflict.field} differs: Xentral "${conflict.xentralValue}", HubSpot "${conflict.hubspotValue}"`
              : `ambiguous match for ${conflict.matchKey}: Xentral ${conflict.xentralIds.join(', ')} / HubSpot ${conflict.hubspotIds.join(', ')}`,
            reasonCode: isField ? 'field_conflict' : 'ambiguous_match',
            reasonParams: isField
              ? {
                  field: conflict.field,
                  xentral: conflict.xentralValue,
                  hubspot: conflict.hubspotValue,
                }
              : {
                  key: conflict.matchKey,
                  xentral: conflict.xentralIds.join(', '),
                  hubspot: conflict.hubspotIds.join(', '),
                },
          },
          at,
        );
      }
      for (const skip of plan.skips) {
        this.ctx.store.rememberSkip(type, skip.system, skip.id, skip.signature);
        this.ctx.store.addItem(
          runId,
          {
            type,
            direction: skip.system === 'xentral' ? 'xentral_to_hubspot' : 'hubspot_to_xentral',
            action: 'skipped',
            xentralId: skip.system === 'xentral' ? skip.id : null,
            hubspotId: skip.system === 'hubspot' ? skip.id : null,
            label: skip.label,
            reason: skip.detail,
            reasonCode: skip.reason,
            reasonParams: skip.params ?? {},
          },
          at,
        );
      }
      if (keys) this.ctx.store.retireAmbiguities(type, keys, new Set(plan.ambiguityKeys), at);
    });
    if (newConflicts > 0) {
      this.ctx.message(
        'warn',
        `${newConflicts} new conflict(s) for ${type}s need a decision.`,
        'new_conflicts',
        { count: String(newConflicts), type },
      );
    }

    for (const create of plan.creates) {
      this.throwIfFailed();
      if (create.target === 'xentral' && this.held.get(type)?.has(create.sourceId)) {
        this.ctx.store.addItem(
          runId,
          {
            type,
            direction: 'hubspot_to_xentral',
            action: 'skipped',
            xentralId: null,
            hubspotId: create.sourceId,
            label: create.label,
            reason:
              'Xentral did not answer when this record was created, and may still create it: it is not created a second time. The next run checks again.',
            reasonCode: 'create_held',
          },
          at,
        );
        continue;
      }
      if (create.target === 'hubspot') {
        if (type === 'user') continue;
        this.hubspotCreates.push({
          type: type,
          create: create,
        });
        await this.flushHubSpot(false);
      } else {
        await this.xentralPool.add(() => this.createInXentral(type, create));
      }
    }
    for (const write of plan.writes) {
      this.throwIfFailed();
      if (write.target === 'hubspot') {
        if (type === 'user') continue;
        this.hubspotUpdates.push({ type: type, write: write });
        await this.flushHubSpot(false);
      } else {
        await this.xentralPool.add(() => this.writeToXentral(type, write));
      }
    }
  }

  /**
   * Fields found equal whose write an interrupted run had sent: that run's update, carried out
   * but never logged, is logged now as edited.
   */
  private confirmPendingUpdates(
    type: ObjectType,
    pair: PairRef,
    fields: readonly Field[],
    at: string,
  ): void {
    for (const target of ['hubspot', 'xentral'] as const) {
      const targetId = target === 'hubspot' ? pair.hubspotId : pair.xentralId;
      const sent = this.ctx.store.takePendingWrite(type, target, 'update', targetId);
      if (!sent) continue;
      const changes = sent.changes.filter((change) => fields.includes(change.field as Field));
      if (changes.length === 0) continue;
      this.ctx.store.addItem(
        this.ctx.runId,
        {
          type,
          direction: TARGET_DIRECTION[target],
          action: 'edited',
          xentralId: pair.xentralId,
          hubspotId: pair.hubspotId,
          label: sent.label,
          changes,
          reason: CONFIRMED_LATE,
          reasonCode: 'confirmed_late',
        },
        at,
      );
    }
  }

  /** Notes writes before they are sent (see ExchangeStore.addPendingWrites). */
  private notePending(
    type: ObjectType,
    target: System,
    kind: 'create' | 'update',
    writes: { recordId: string; label: string; changes: FieldChange[] }[],
  ): void {
    this.ctx.store.addPendingWrites(
      writes.map((write) => ({ type, target, kind, ...write })),
      this.ctx.runId,
      this.ctx.at(),
    );
  }

  /** Counts a confirmed write and lets a test stop the run right before its commit. */
  private confirmed(): void {
    this.confirmedWrites++;
    this.ctx.deps.options?.afterConfirmedWrite?.(this.confirmedWrites);
  }

  // ---- HubSpot: batches of 100 -----------------------------------------------------------------

  async flushHubSpot(all: boolean): Promise<void> {
    const size = this.ctx.options.hubspotBatchSize;
    for (const type of ['company', 'contact'] as const) {
      for (;;) {
        const queued = this.hubspotCreates.filter((q) => q.type === type);
        if (queued.length === 0 || (!all && queued.length < size)) break;
        const batch = queued.slice(0, size);
        this.hubspotCreates = this.hubspotCreates.filter((q) => !batch.includes(q));
        const creates = batch.map((q) => q.create);
        await this.hubspotPool.add(() => this.createInHubSpot(type, creates));
      }
      for (;;) {
        const queued = this.hubspotUpdates.filter((q) => q.type === type);
        if (queued.length === 0 || (!all && queued.length < size)) break;
        const batch = queued.slice(0, size);
        this.hubspotUpdates = this.hubspotUpdates.filter((q) => !batch.includes(q));
        const writes = batch.map((q) => q.write);
        await this.hubspotPool.add(() => this.updateInHubSpot(type, writes));
      }
    }
  }

  private async createInHubSpot<T extends CrmType>(
    type: T,
    creates: PlannedCreate<T>[],
  ): Promise<void> {
    this.notePending(
      type,
      'hubspot',
      'create',
      creates.map((c) => ({ recordId: c.sourceId, label: c.label, changes: c.changes })),
    );
    const results = await this.ctx.deps.hubspot.createByXentralId(
      type,
      creates.map((create) => ({
        xentralId: create.sourceId,
        patch: create.patch as Partial<HubSpotRecordByType[T]>,
      })),
    );
    // One commit per batch answer: a crash before it leaves every record of the batch pending,
    // and the next run's upsert by Xentral id finds what HubSpot made.
    this.ctx.store.transaction(() => {
      for (const [index, create] of creates.entries()) {
        const result = results[index] ?? {
          ok: false,
          error: 'HubSpot gave no answer for this record',
        };
        this.commitCreate(type, create, result);
      }
    });
  }

  private async updateInHubSpot<T extends CrmType>(
    type: T,
    writes: PlannedWrite<T>[],
  ): Promise<void> {
    this.notePending(
      type,
      'hubspot',
      'update',
      writes.map((w) => ({ recordId: w.targetId, label: w.label, changes: w.changes })),
    );
    const results = await this.ctx.deps.hubspot.update(
      type,
      writes.map((write) => ({
        id: write.targetId,
        patch: write.patch as Partial<HubSpotRecordByType[T]>,
      })),
    );
    // One commit per batch answer; a crash before it leaves the updates pending, and an update
    // sent twice writes the same values.
    this.ctx.store.transaction(() => {
      for (const [index, write] of writes.entries()) {
        const result = results[index] ?? {
          ok: false,
          error: 'HubSpot gave no answer for this record',
        };
        this.commitWrite(type, write, result);
      }
    });
  }

  // ---- Xentral: one call per record --------------------------------------------------------------

  private async createInXentral<T extends ObjectType>(
    type: T,
    create: PlannedCreate<T>,
  ): Promise<void> {
    // Xentral's create is not idempotent: note the intent first, so that a create whose answer
    // is lost is looked up (not repeated) by the next run.
    const patch = create.patch as { email?: string; name?: string };
    this.ctx.store.addPendingCreate(
      type,
      {
        sourceId: create.sourceId,
        matchKey: create.matchKey,
        lookup: (type === 'company' ? patch.name : patch.email) ?? '',
        exchanged: create.exchanged,
      },
      this.ctx.runId,
      this.ctx.at(),
    );
    const result =
      type === 'user'
        ? await this.ctx.deps.xentral.createEmployee(create.patch)
        : await this.ctx.deps.xentral.createCustomer(create.patch);
    this.commitCreate(type, create, result);
  }

  private async writeToXentral<T extends ObjectType>(
    type: T,
    write: PlannedWrite<T>,
  ): Promise<void> {
    this.notePending(type, 'xentral', 'update', [
      { recordId: write.targetId, label: write.label, changes: write.changes },
    ]);
    const result =
      type === 'user'
        ? await this.ctx.deps.xentral.updateEmployee(write.targetId, write.patch)
        : await this.ctx.deps.xentral.updateCustomer(write.targetId, write.patch);
    this.commitWrite(type, write, result);
  }

  // ---- commits ----------------------------------------------------------------------------------------

  private indexRow(type: ObjectType, system: System, record: unknown): IndexRowInput {
    if (system === 'hubspot')
      return hubspotIndexRow(type, record as HubSpotRecordByType[ObjectType]);
    return type === 'user'
      ? employeeIndexRow(record as XentralEmployeeRecord)
      : customerIndexRow(record as XentralCustomerRecord);
  }

  private commitCreate<T extends ObjectType>(
    type: T,
    create: PlannedCreate<T>,
    result: WriteResult<unknown>,
  ): void {
    const at = this.ctx.at();
    const direction = TARGET_DIRECTION[create.target];
    const sourceIsXentral = create.target === 'hubspot';
    if (!result.ok) {
      this.ctx.store.transaction(() => {
        if (create.target === 'hubspot') {
          this.ctx.store.removePendingWrite(type, 'hubspot', 'create', create.sourceId);
        } else if (result.uncertain) {
          this.ctx.store.markCreateUncertain(type, create.sourceId, at);
        } else {
          this.ctx.store.removePendingCreate(type, create.sourceId);
        }
        this.ctx.store.addItem(
          this.ctx.runId,
          {
            type,
            direction,
            action: 'failed',
            xentralId: sourceIsXentral ? create.sourceId : null,
            hubspotId: sourceIsXentral ? null : create.sourceId,
            label: create.label,
            changes: create.changes,
            reason: result.error,
            reasonCode: 'write_refused',
            reasonParams: { message: result.error },
          },
          at,
        );
      });
      return;
    }
    this.confirmed();
    const record = result.record as { id: string };
    const xentralId = sourceIsXentral ? create.sourceId : record.id;
    const hubspotId = sourceIsXentral ? record.id : create.sourceId;
    this.ctx.store.transaction(() => {
      this.ctx.store.upsertRecords([this.indexRow(type, create.target, record)]);
      // An upsert on xentral_id may have found the record a lost answer left behind, already
      // linked by a later read: then the link is there and only the ledger is completed.
      const link =
        this.ctx.store.findLink(type, xentralId, hubspotId) ??
        this.ctx.store.insertLink(type, xentralId, hubspotId, 'created', at, this.ctx.runId);
      this.ctx.store.markExchanged(link.id, create.exchanged, 'created', at, this.ctx.runId);
      if (create.target === 'xentral') this.ctx.store.removePendingCreate(type, create.sourceId);
      else this.ctx.store.removePendingWrite(type, 'hubspot', 'create', create.sourceId);
      const { note } = create;
      if (note) {
        const source: System = sourceIsXentral ? 'xentral' : 'hubspot';
        this.ctx.store.rememberSkip(type, source, create.sourceId, note.signature);
      }
      this.ctx.store.addItem(
        this.ctx.runId,
        {
          type,
          direction,
          action: 'created',
          xentralId,
          hubspotId,
          label: create.label,
          changes: create.changes,
          ...(note
            ? { reason: note.detail, reasonCode: note.reason, reasonParams: note.params }
            : {}),
        },
        at,
      );
    });
  }

  /**
   * A record skipped for a reason (a country that names no country, a stage not selected)
   * gets a new version from our own write; its skip is not news and is not reported again.
   */
  private restampSkip(type: ObjectType, system: System, id: string, written: unknown): void {
    const known = this.ctx.store.knownSkip(type, system, id);
    if (known === undefined) return;
    const before = this.ctx.store.getRecord(system, type, id) as { updatedAt?: string } | undefined;
    const after = (written as { updatedAt?: string }).updatedAt;
    if (before?.updatedAt === undefined || after === undefined) return;
    const signature = restampSignature(known, before.updatedAt, after);
    if (signature !== undefined) this.ctx.store.rememberSkip(type, system, id, signature);
  }

  private commitWrite<T extends ObjectType>(
    type: T,
    write: PlannedWrite<T>,
    result: WriteResult<unknown>,
  ): void {
    const at = this.ctx.at();
    const direction = TARGET_DIRECTION[write.target];
    if (result.ok) this.confirmed();
    this.ctx.store.transaction(() => {
      this.ctx.store.removePendingWrite(type, write.target, 'update', write.targetId);
      if (result.ok) {
        this.restampSkip(type, write.target, write.targetId, result.record);
        this.ctx.store.upsertRecords([this.indexRow(type, write.target, result.record)]);
        const link = this.pairLink(type, write.pair);
        this.ctx.store.markExchanged(
          link.id,
          write.changes.map((change) => change.field),
          'written',
          at,
          this.ctx.runId,
        );
      }
      this.ctx.store.addItem(
        this.ctx.runId,
        {
          type,
          direction,
          action: result.ok ? 'edited' : 'failed',
          xentralId: write.pair.xentralId,
          hubspotId: write.pair.hubspotId,
          label: write.label,
          changes: write.changes,
          reason: result.ok ? null : result.error,
          ...(result.ok
            ? {}
            : { reasonCode: 'write_refused', reasonParams: { message: result.error } }),
        },
        at,
      );
    });
  }

  // ---- recovery ----------------------------------------------------------------------------------------

  /**
   * Xentral creates that were sent but never confirmed (the process stopped, or the answer was
   * lost): find the record by its match key; if exactly one unlinked record appeared, link it
   * as created. When none appeared and Xentral left the request unanswered only a short while
   * ago, it may still arrive: the record is held back (not created again) for this run.
   * Otherwise forget the intent, and the planner decides afresh.
   */
  async recoverPendingCreates(type: ObjectType): Promise<void> {
    const pending = this.ctx.store.pendingCreates(type);
    const held = new Set<string>();
    this.held.set(type, held);
    for (const intent of pending) {
      const found =
        intent.lookup === ''
          ? []
          : type === 'user'
            ? await this.ctx.deps.xentral.findEmployeesByEmail(intent.lookup)
            : type === 'contact'
              ? await this.ctx.deps.xentral.findCustomersByEmail(intent.lookup)
              : await this.ctx.deps.xentral.findCustomersByName(intent.lookup);
      const since = Date.parse(intent.createdAt) - 60_000;
      const made = found.filter(
        (record) =>
          matchKeyOf(type, record) === intent.matchKey &&
          Date.parse((record as { createdAt?: string }).createdAt ?? record.updatedAt) >= since,
      );
      const at = this.ctx.at();
      if (
        made.length === 0 &&
        intent.uncertainAt !== null &&
        Date.parse(at) - Date.parse(intent.uncertainAt) < this.ctx.options.uncertainCreateSettleMs
      ) {
        held.add(intent.sourceId);
        this.ctx.held++;
        continue;
      }
      const rows = made.map((record) => this.indexRow(type, 'xentral', record));
      this.ctx.store.transaction(() => {
        this.ctx.store.upsertRecords(rows);
        const candidates = made.filter(
          (record) =>
            !this.ctx.store.findLinkBySide(type, 'xentral', record.id) &&
            !this.ctx.store.findLinkBySide(type, 'hubspot', intent.sourceId),
        );
        if (candidates.length === 1) {
          const record = candidates[0]!;
          const link = this.ctx.store.insertLink(
            type,
            record.id,
            intent.sourceId,
            'created',
            at,
            this.ctx.runId,
          );
          this.ctx.store.markExchanged(link.id, intent.exchanged, 'created', at, this.ctx.runId);
          this.ctx.store.addItem(
            this.ctx.runId,
            {
              type,
              direction: 'hubspot_to_xentral',
              action: 'created',
              xentralId: record.id,
              hubspotId: intent.sourceId,
              label: labelOf(record),
              reason: CONFIRMED_LATE,
              reasonCode: 'confirmed_late',
            },
            at,
          );
        }
        this.ctx.store.removePendingCreate(type, intent.sourceId);
      });
    }
  }
}
