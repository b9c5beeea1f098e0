import type { OwnerLinks } from './canonical';
import { RunAbortedError } from './errors';
import {
  OBJECT_TYPES,
  type ExchangeMode,
  type ExchangeSettings,
  type Field,
  type HubSpotOwnerRecord,
  type HubSpotRecordByType,
  type Link,
  type MatchedBy,
  type ObjectType,
  type System,
  type XentralCustomerRecord,
  type XentralEmployeeRecord,
  type XentralRecordByType,
} from './model';
import type { PairRef, Plan, PlannedCreate, PlannedWrite } from './plan';
import { labelOf, matchKeyOf, planExchange } from './planner';
import type {
  ChangeWindow,
  CrmType,
  HubSpotPort,
  StoredRecordView,
  WriteResult,
  XentralPort,
} from './ports';
import { assemblePlanInput, type LedgerEntry } from './snapshot';
import { TaskPool } from './task-pool';

/**
 * A run: refresh the local index from both systems (incrementally), then plan slice by slice
 * and apply each plan through the ports, committing every confirmed write together with its
 * link, ledger entries and run item. A run stopped at any point leaves a state from which the
 * next run finishes the work without duplicating any of it.
 */

type Direction = 'xentral_to_hubspot' | 'hubspot_to_xentral' | 'none';
type ItemAction = 'created' | 'edited' | 'linked' | 'conflict' | 'skipped' | 'failed';

export interface RunItemInput {
  type: ObjectType | 'deal';
  direction: Direction;
  action: ItemAction;
  xentralId: string | null;
  hubspotId: string | null;
  label: string;
  changes?: { field: string; before: string; after: string }[];
  reason?: string | null;
}

export interface IndexRowInput {
  system: System;
  type: ObjectType | 'other';
  id: string;
  matchKey: string;
  xentralRef: string;
  updatedMs: number;
  data: unknown;
}

/** The storage the engine needs (the SQLite store implements it). */
export interface ExchangeStore {
  readonly portalId: string;
  transaction<R>(fn: () => R): R;
  upsertRecords(rows: readonly IndexRowInput[]): number;
  countUpdatedBetween(
    system: System,
    types: readonly string[],
    sinceMs: number,
    untilMs: number,
  ): number;
  recordIds(system: System, type: ObjectType): string[];
  getRecord(system: System, type: ObjectType, id: string): unknown;
  getFact(name: string): string | undefined;
  setFact(name: string, value: string): void;
  getCursor(stream: string): string | undefined;
  setCursor(stream: string, value: string, at: string): void;
  ownerLinks(): OwnerLinks;
  findLink(type: ObjectType, xentralId: string, hubspotId: string): Link | undefined;
  findLinkBySide(type: ObjectType, system: System, id: string): Link | undefined;
  insertLink(
    type: ObjectType,
    xentralId: string,
    hubspotId: string,
    matchedBy: MatchedBy,
    at: string,
    runId: number | null,
  ): Link;
  markExchanged(
    linkId: number,
    fields: readonly Field[],
    how: 'created' | 'written' | 'equal' | 'resolved',
    at: string,
    runId: number | null,
  ): void;
  maxLinkId(type: ObjectType): number;
  pairsAfter(
    type: ObjectType,
    afterId: number,
    maxId: number,
    limit: number,
  ): {
    link: Link;
    xentral: unknown;
    hubspot: unknown;
    exchanged: Set<Field>;
    frozen: Set<Field>;
  }[];
  unlinkedKeysAfter(type: ObjectType, afterKey: string, limit: number): string[];
  recordsForKeys(type: ObjectType, keys: readonly string[]): StoredRecordView[];
  keylessUnlinked(type: ObjectType, afterId: string, limit: number): StoredRecordView[];
  knownConflictKeys(type: ObjectType): Set<string>;
  knownSkips(type: ObjectType): Map<string, string>;
  rememberSkip(type: ObjectType, system: System, id: string, signature: string): void;
  addPendingCreate(
    type: ObjectType,
    intent: { sourceId: string; matchKey: string; lookup: string; exchanged: readonly Field[] },
    runId: number,
    at: string,
  ): void;
  removePendingCreate(type: ObjectType, sourceId: string): void;
  pendingCreates(type: ObjectType): {
    sourceId: string;
    matchKey: string;
    lookup: string;
    exchanged: Field[];
    createdAt: string;
  }[];
  addItem(runId: number, item: RunItemInput, at: string): void;
  insertConflict(
    runId: number,
    type: ObjectType,
    conflict: {
      key: string;
      label: string;
      kind: 'field' | 'ambiguous';
      linkId: number | null;
      field: string | null;
      matchKey: string | null;
      xentralIds: string[];
      hubspotIds: string[];
      xentralValue: string | null;
      hubspotValue: string | null;
    },
    at: string,
  ): boolean;
  retireAmbiguities(
    type: ObjectType,
    matchKeys: readonly string[],
    stillOpen: ReadonlySet<string>,
    at: string,
  ): void;
}

export interface RunLog {
  start(
    kind: ExchangeMode | 'deals',
    trigger: 'manual' | 'process_starter',
    portalId: string | null,
    at: string,
  ): number;
  finish(
    id: number,
    status: 'succeeded' | 'failed' | 'interrupted',
    message: string | null,
    at: string,
  ): void;
}

export interface ExchangeOptions {
  /** Distinct match keys planned together. */
  keysPerSlice: number;
  /** Linked pairs planned together. */
  pairsPerSlice: number;
  /** HubSpot batch endpoints take at most 100 inputs. */
  hubspotBatchSize: number;
  /** Xentral writes in flight at once (its API takes one record per call). */
  xentralConcurrency: number;
  /** HubSpot's search index trails writes: the newest changes wait for the next run. */
  hubspotLagMs: number;
  xentralLagMs: number;
  /** A full re-read of a window starts this much before the cursor, for late-indexed records. */
  readOverlapMs: number;
  /**
   * Called after an API confirmed a write and before the write is committed locally. Tests
   * throw here to prove that a run stopped at the worst moment duplicates nothing.
   */
  afterConfirmedWrite?: (count: number) => void;
}

export const DEFAULT_EXCHANGE_OPTIONS: ExchangeOptions = {
  keysPerSlice: 1000,
  pairsPerSlice: 2000,
  hubspotBatchSize: 100,
  xentralConcurrency: 4,
  hubspotLagMs: 30_000,
  xentralLagMs: 2_000,
  readOverlapMs: 60_000,
};

export interface ProgressEvent {
  runId: number;
  phase: 'reading' | 'planning' | 'writing';
  type: ObjectType;
  done: number;
  total: number;
}

export interface ExchangeDeps {
  store: ExchangeStore;
  runLog: RunLog;
  hubspot: HubSpotPort;
  xentral: XentralPort;
  now: () => Date;
  options?: Partial<ExchangeOptions>;
  onProgress?: (event: ProgressEvent) => void;
  onMessage?: (message: { runId: number; level: 'info' | 'warn' | 'error'; text: string }) => void;
}

export interface ExchangeRequest {
  mode: ExchangeMode;
  trigger: 'manual' | 'process_starter';
  settings: ExchangeSettings;
  /** A run id created by the caller (so it can answer 202 with it before the run starts). */
  runId?: number;
}

export interface ExchangeResult {
  runId: number;
  status: 'succeeded' | 'failed';
  message: string | null;
}

const PROPERTIES_FACT = 'hubspot_properties';
/** Bump when ensureProperties() learns a new property, so existing portals get it too. */
const PROPERTIES_VERSION = '1';

const TARGET_DIRECTION: Record<System, Direction> = {
  hubspot: 'xentral_to_hubspot',
  xentral: 'hubspot_to_xentral',
};

interface QueuedCreate<T extends CrmType> {
  type: T;
  create: PlannedCreate<T>;
}
interface QueuedUpdate<T extends CrmType> {
  type: T;
  write: PlannedWrite<T>;
}

function cursorValue(raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined;
  try {
    const parsed: unknown = JSON.parse(raw);
    if (
      typeof parsed === 'object' &&
      parsed !== null &&
      'ms' in parsed &&
      typeof parsed.ms === 'number' &&
      Number.isFinite(parsed.ms)
    ) {
      return parsed.ms;
    }
  } catch {
    // an unreadable cursor means "read everything again": slower, never wrong
  }
  return undefined;
}

function customerType(record: XentralCustomerRecord): 'contact' | 'company' | 'other' {
  if (record.type === 'company') return 'company';
  if (record.type === 'mr' || record.type === 'mrs') return 'contact';
  return 'other';
}

export function customerIndexRow(record: XentralCustomerRecord): IndexRowInput {
  const type = customerType(record);
  return {
    system: 'xentral',
    type,
    id: record.id,
    matchKey: type === 'other' ? '' : matchKeyOf(type, record),
    xentralRef: '',
    updatedMs: Date.parse(record.updatedAt),
    data: record,
  };
}

export function employeeIndexRow(record: XentralEmployeeRecord): IndexRowInput {
  return {
    system: 'xentral',
    type: 'user',
    id: record.id,
    matchKey: matchKeyOf('user', record),
    xentralRef: '',
    updatedMs: Date.parse(record.updatedAt),
    data: record,
  };
}

export function hubspotIndexRow<T extends ObjectType>(
  type: T,
  record: HubSpotRecordByType[T],
): IndexRowInput {
  return {
    system: 'hubspot',
    type,
    id: record.id,
    matchKey: matchKeyOf(type, record),
    xentralRef: 'xentralId' in record ? record.xentralId : '',
    updatedMs: Date.parse(record.updatedAt),
    data: record,
  };
}

class ExchangeRun {
  private readonly options: ExchangeOptions;
  private readonly store: ExchangeStore;
  private readonly xentralPool: TaskPool;
  private hubspotCreates: QueuedCreate<CrmType>[] = [];
  private hubspotUpdates: QueuedUpdate<CrmType>[] = [];
  private confirmedWrites = 0;

  constructor(
    private readonly deps: ExchangeDeps,
    private readonly request: ExchangeRequest,
    private readonly runId: number,
  ) {
    this.options = { ...DEFAULT_EXCHANGE_OPTIONS, ...deps.options };
    this.store = deps.store;
    this.xentralPool = new TaskPool(this.options.xentralConcurrency);
  }

  private at(): string {
    return this.deps.now().toISOString();
  }

  private message(level: 'info' | 'warn' | 'error', text: string): void {
    this.deps.onMessage?.({ runId: this.runId, level, text });
  }

  private progress(event: Omit<ProgressEvent, 'runId'>): void {
    this.deps.onProgress?.({ runId: this.runId, ...event });
  }

  async execute(): Promise<void> {
    try {
      // The custom properties are made once per portal (normally at connect time).
      if (this.store.getFact(PROPERTIES_FACT) !== PROPERTIES_VERSION) {
        await this.deps.hubspot.ensureProperties();
        this.store.setFact(PROPERTIES_FACT, PROPERTIES_VERSION);
      }
      await this.refreshAll();
      for (const type of OBJECT_TYPES) {
        await this.recoverPendingCreates(type);
        await this.exchangeType(type);
      }
    } catch (error) {
      // Let what is in flight finish and be committed, so nothing confirmed is forgotten.
      await this.xentralPool.settle();
      throw error;
    }
  }

  // ---- reading ------------------------------------------------------------------------------

  private async refreshAll(): Promise<void> {
    const { hubspot, xentral } = this.deps;
    // Owners have no change feed, and there are few of them: one page holds them all. Owners
    // no longer listed were deactivated in HubSpot; their index rows say so.
    const owners = await hubspot.listOwners();
    const listed = new Set(owners.map((owner) => owner.id));
    const gone = this.store
      .recordIds('hubspot', 'user')
      .filter((id) => !listed.has(id))
      .map((id) => this.store.getRecord('hubspot', 'user', id) as HubSpotOwnerRecord)
      .filter((owner) => owner.active)
      .map((owner) => ({ ...owner, active: false }));
    this.store.upsertRecords([...owners, ...gone].map((owner) => hubspotIndexRow('user', owner)));
    this.progress({ phase: 'reading', type: 'user', done: owners.length, total: owners.length });

    await this.refreshStream({
      stream: 'xentral:employees',
      system: 'xentral',
      types: ['user'],
      lagMs: this.options.xentralLagMs,
      resolutionMs: xentral.timestampResolutionMs,
      count: (window) => xentral.countChangedEmployees(window),
      read: (window) => xentral.readChangedEmployees(window),
      toRow: employeeIndexRow,
      progressType: 'user',
    });
    await this.refreshStream({
      stream: 'xentral:customers',
      system: 'xentral',
      types: ['contact', 'company', 'other'],
      lagMs: this.options.xentralLagMs,
      resolutionMs: xentral.timestampResolutionMs,
      count: (window) => xentral.countChangedCustomers(window),
      read: (window) => xentral.readChangedCustomers(window),
      toRow: customerIndexRow,
      progressType: 'contact',
    });
    for (const type of ['company', 'contact'] as const) {
      await this.refreshStream({
        stream: `hubspot:${type}`,
        system: 'hubspot',
        types: [type],
        lagMs: this.options.hubspotLagMs,
        resolutionMs: hubspot.timestampResolutionMs,
        count: (window) => hubspot.countChanged(type, window),
        read: (window) => hubspot.readChanged(type, window),
        toRow: (record: HubSpotRecordByType[typeof type]) => hubspotIndexRow(type, record),
        progressType: type,
      });
    }
  }

  /**
   * Brings the index up to date with one stream. When the system can count the changes in
   * (cursor, now − lag] and the index already holds exactly as many (our own writes), nothing
   * else changed and nothing is read. Otherwise the window is read page by page; pages come in
   * ascending modification order, so the cursor is checkpointed after each one.
   */
  private async refreshStream<R extends { updatedAt: string }>(stream: {
    stream: string;
    system: System;
    types: readonly string[];
    lagMs: number;
    resolutionMs: number;
    count: (window: ChangeWindow & { sinceMs: number }) => Promise<number | null>;
    read: (window: ChangeWindow) => AsyncIterable<R[]>;
    toRow: (record: R) => IndexRowInput;
    progressType: ObjectType;
  }): Promise<void> {
    // Only the past is final: a change made later in the current clock tick (a whole second in
    // Xentral) would carry a time inside the window and be missed once the cursor passed it.
    const untilMs =
      Math.floor((this.deps.now().getTime() - stream.lagMs) / stream.resolutionMs) *
        stream.resolutionMs -
      1;
    const cursor = cursorValue(this.store.getCursor(stream.stream));
    const save = (ms: number) =>
      this.store.setCursor(stream.stream, JSON.stringify({ ms }), this.at());
    if (cursor !== undefined) {
      if (cursor >= untilMs) return;
      const remote = await stream.count({ sinceMs: cursor, untilMs });
      if (
        remote !== null &&
        remote === this.store.countUpdatedBetween(stream.system, stream.types, cursor, untilMs)
      ) {
        save(untilMs);
        return;
      }
    }
    const sinceMs = cursor === undefined ? null : cursor - this.options.readOverlapMs;
    let checkpoint = cursor ?? Number.NEGATIVE_INFINITY;
    let previous = Number.NEGATIVE_INFINITY;
    let ascending = true;
    let read = 0;
    for await (const page of stream.read({ sinceMs, untilMs })) {
      const rows = page.map(stream.toRow);
      this.store.upsertRecords(rows);
      read += rows.length;
      for (const row of rows) {
        if (row.updatedMs < previous) ascending = false;
        previous = Math.max(previous, row.updatedMs);
      }
      // Everything older than the newest record of an ascending page has been seen.
      if (ascending && rows.length > 0 && previous - 1 > checkpoint) {
        checkpoint = previous - 1;
        save(checkpoint);
      }
      this.progress({ phase: 'reading', type: stream.progressType, done: read, total: read });
    }
    save(untilMs);
  }

  // ---- planning and applying -------------------------------------------------------------------

  private async exchangeType(type: ObjectType): Promise<void> {
    const settings = this.request.settings;
    const owners = this.store.ownerLinks();
    const knownConflicts = this.store.knownConflictKeys(type);
    const knownSkips = this.store.knownSkips(type);
    let done = 0;

    const planSlice = async (
      records: StoredRecordView[],
      pairs: LedgerEntry[],
      keys: string[] | null,
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
      await this.apply(type, plan, keys);
      done += records.length;
      this.progress({ phase: 'writing', type, done, total: done });
    };

    // Linked pairs that existed when the run began (new links are planned when they are made).
    const maxLinkId = this.store.maxLinkId(type);
    for (let after = 0; ;) {
      const rows = this.store.pairsAfter(type, after, maxLinkId, this.options.pairsPerSlice);
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
      await planSlice(records, rows, null);
    }

    // Unlinked records, grouped by match key: matching, ambiguity, creation.
    for (let afterKey = ''; ;) {
      const keys = this.store.unlinkedKeysAfter(type, afterKey, this.options.keysPerSlice);
      if (keys.length === 0) break;
      afterKey = keys[keys.length - 1]!;
      await planSlice(this.store.recordsForKeys(type, keys), [], keys);
    }

    // Records without a match key: skipped with their reason.
    for (let afterId = ''; ;) {
      const records = this.store.keylessUnlinked(type, afterId, this.options.keysPerSlice);
      if (records.length === 0) break;
      const last = records[records.length - 1]!;
      afterId = `${last.system}:${last.id}`;
      await planSlice(records, [], null);
    }

    await this.flushHubSpot(true);
    await this.xentralPool.drain();
  }

  private pairLink(type: ObjectType, pair: PairRef): Link {
    const link = this.store.findLink(type, pair.xentralId, pair.hubspotId);
    if (!link) throw new Error(`Link ${pair.xentralId} ↔ ${pair.hubspotId} is missing`);
    return link;
  }

  private async apply<T extends ObjectType>(
    type: T,
    plan: Plan<T>,
    keys: string[] | null,
  ): Promise<void> {
    const runId = this.runId;
    const at = this.at();
    let newConflicts = 0;
    this.store.transaction(() => {
      for (const link of plan.links) {
        this.store.insertLink(type, link.xentralId, link.hubspotId, link.matchedBy, at, runId);
        this.store.addItem(
          runId,
          {
            type,
            direction: 'none',
            action: 'linked',
            xentralId: link.xentralId,
            hubspotId: link.hubspotId,
            label: link.label,
            reason: `matched by ${link.matchedBy.replace('_', ' + ')}`,
          },
          at,
        );
      }
      for (const mark of plan.marks) {
        const link = this.pairLink(type, mark.pair);
        this.store.markExchanged(link.id, mark.fields, 'equal', at, runId);
      }
      for (const conflict of plan.conflicts) {
        const isField = conflict.kind === 'field';
        const link = isField ? this.pairLink(type, conflict.pair) : undefined;
        const stored = this.store.insertConflict(
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
        this.store.addItem(
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
          },
          at,
        );
      }
      for (const skip of plan.skips) {
        this.store.rememberSkip(type, skip.system, skip.id, skip.signature);
        this.store.addItem(
          runId,
          {
            type,
            direction: skip.system === 'xentral' ? 'xentral_to_hubspot' : 'hubspot_to_xentral',
            action: 'skipped',
            xentralId: skip.system === 'xentral' ? skip.id : null,
            hubspotId: skip.system === 'hubspot' ? skip.id : null,
            label: skip.label,
            reason: skip.detail,
          },
          at,
        );
      }
      if (keys) this.store.retireAmbiguities(type, keys, new Set(plan.ambiguityKeys), at);
    });
    if (newConflicts > 0) {
      this.message('warn', `${newConflicts} new conflict(s) for ${type}s need a decision.`);
    }

    for (const create of plan.creates) {
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
      if (write.target === 'hubspot') {
        if (type === 'user') continue;
        this.hubspotUpdates.push({ type: type, write: write });
        await this.flushHubSpot(false);
      } else {
        await this.xentralPool.add(() => this.writeToXentral(type, write));
      }
    }
  }

  /** Counts a confirmed write and lets a test stop the run right before its commit. */
  private confirmed(): void {
    this.confirmedWrites++;
    this.deps.options?.afterConfirmedWrite?.(this.confirmedWrites);
  }

  // ---- HubSpot: batches of 100 -----------------------------------------------------------------

  private async flushHubSpot(all: boolean): Promise<void> {
    const size = this.options.hubspotBatchSize;
    for (const type of ['company', 'contact'] as const) {
      for (;;) {
        const queued = this.hubspotCreates.filter((q) => q.type === type);
        if (queued.length === 0 || (!all && queued.length < size)) break;
        const batch = queued.slice(0, size);
        this.hubspotCreates = this.hubspotCreates.filter((q) => !batch.includes(q));
        await this.createInHubSpot(
          type,
          batch.map((q) => q.create),
        );
      }
      for (;;) {
        const queued = this.hubspotUpdates.filter((q) => q.type === type);
        if (queued.length === 0 || (!all && queued.length < size)) break;
        const batch = queued.slice(0, size);
        this.hubspotUpdates = this.hubspotUpdates.filter((q) => !batch.includes(q));
        await this.updateInHubSpot(
          type,
          batch.map((q) => q.write),
        );
      }
    }
  }

  private async createInHubSpot<T extends CrmType>(
    type: T,
    creates: PlannedCreate<T>[],
  ): Promise<void> {
    const results = await this.deps.hubspot.createByXentralId(
      type,
      creates.map((create) => ({
        xentralId: create.sourceId,
        patch: create.patch as Partial<HubSpotRecordByType[T]>,
      })),
    );
    for (const [index, create] of creates.entries()) {
      const result = results[index] ?? {
        ok: false,
        error: 'HubSpot gave no answer for this record',
      };
      this.commitCreate(type, create, result);
    }
  }

  private async updateInHubSpot<T extends CrmType>(
    type: T,
    writes: PlannedWrite<T>[],
  ): Promise<void> {
    const results = await this.deps.hubspot.update(
      type,
      writes.map((write) => ({
        id: write.targetId,
        patch: write.patch as Partial<HubSpotRecordByType[T]>,
      })),
    );
    for (const [index, write] of writes.entries()) {
      const result = results[index] ?? {
        ok: false,
        error: 'HubSpot gave no answer for this record',
      };
      this.commitWrite(type, write, result);
    }
  }

  // ---- Xentral: one call per record --------------------------------------------------------------

  private async createInXentral<T extends ObjectType>(
    type: T,
    create: PlannedCreate<T>,
  ): Promise<void> {
    // Xentral's create is not idempotent: note the intent first, so that a create whose answer
    // is lost is looked up (not repeated) by the next run.
    const patch = create.patch as { email?: string; name?: string };
    this.store.addPendingCreate(
      type,
      {
        sourceId: create.sourceId,
        matchKey: create.matchKey,
        lookup: (type === 'company' ? patch.name : patch.email) ?? '',
        exchanged: create.exchanged,
      },
      this.runId,
      this.at(),
    );
    const result =
      type === 'user'
        ? await this.deps.xentral.createEmployee(create.patch)
        : await this.deps.xentral.createCustomer(create.patch);
    this.commitCreate(type, create, result);
  }

  private async writeToXentral<T extends ObjectType>(
    type: T,
    write: PlannedWrite<T>,
  ): Promise<void> {
    const result =
      type === 'user'
        ? await this.deps.xentral.updateEmployee(write.targetId, write.patch)
        : await this.deps.xentral.updateCustomer(write.targetId, write.patch);
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
    const at = this.at();
    const direction = TARGET_DIRECTION[create.target];
    const sourceIsXentral = create.target === 'hubspot';
    if (!result.ok) {
      this.store.transaction(() => {
        if (!result.uncertain && create.target === 'xentral') {
          this.store.removePendingCreate(type, create.sourceId);
        }
        this.store.addItem(
          this.runId,
          {
            type,
            direction,
            action: 'failed',
            xentralId: sourceIsXentral ? create.sourceId : null,
            hubspotId: sourceIsXentral ? null : create.sourceId,
            label: create.label,
            changes: create.changes,
            reason: result.error,
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
    this.store.transaction(() => {
      this.store.upsertRecords([this.indexRow(type, create.target, record)]);
      // An upsert on xentral_id may have found the record a lost answer left behind, already
      // linked by a later read: then the link is there and only the ledger is completed.
      const link =
        this.store.findLink(type, xentralId, hubspotId) ??
        this.store.insertLink(type, xentralId, hubspotId, 'created', at, this.runId);
      this.store.markExchanged(link.id, create.exchanged, 'created', at, this.runId);
      if (create.target === 'xentral') this.store.removePendingCreate(type, create.sourceId);
      this.store.addItem(
        this.runId,
        {
          type,
          direction,
          action: 'created',
          xentralId,
          hubspotId,
          label: create.label,
          changes: create.changes,
        },
        at,
      );
    });
  }

  private commitWrite<T extends ObjectType>(
    type: T,
    write: PlannedWrite<T>,
    result: WriteResult<unknown>,
  ): void {
    const at = this.at();
    const direction = TARGET_DIRECTION[write.target];
    if (result.ok) this.confirmed();
    this.store.transaction(() => {
      if (result.ok) {
        this.store.upsertRecords([this.indexRow(type, write.target, result.record)]);
        const link = this.pairLink(type, write.pair);
        this.store.markExchanged(
          link.id,
          write.changes.map((change) => change.field),
          'written',
          at,
          this.runId,
        );
      }
      this.store.addItem(
        this.runId,
        {
          type,
          direction,
          action: result.ok ? 'edited' : 'failed',
          xentralId: write.pair.xentralId,
          hubspotId: write.pair.hubspotId,
          label: write.label,
          changes: write.changes,
          reason: result.ok ? null : result.error,
        },
        at,
      );
    });
  }

  // ---- recovery ----------------------------------------------------------------------------------------

  /**
   * Xentral creates that were sent but never confirmed (the process stopped, or the answer was
   * lost): find the record by its match key; if exactly one unlinked record appeared, link it
   * as created. Otherwise forget the intent, and the planner decides afresh.
   */
  private async recoverPendingCreates(type: ObjectType): Promise<void> {
    const pending = this.store.pendingCreates(type);
    for (const intent of pending) {
      const found =
        intent.lookup === ''
          ? []
          : type === 'user'
            ? await this.deps.xentral.findEmployeesByEmail(intent.lookup)
            : type === 'contact'
              ? await this.deps.xentral.findCustomersByEmail(intent.lookup)
              : await this.deps.xentral.findCustomersByName(intent.lookup);
      const since = Date.parse(intent.createdAt) - 60_000;
      const made = found.filter(
        (record) =>
          matchKeyOf(type, record) === intent.matchKey &&
          Date.parse((record as { createdAt?: string }).createdAt ?? record.updatedAt) >= since,
      );
      const at = this.at();
      const rows = made.map((record) => this.indexRow(type, 'xentral', record));
      this.store.transaction(() => {
        this.store.upsertRecords(rows);
        const candidates = made.filter(
          (record) =>
            !this.store.findLinkBySide(type, 'xentral', record.id) &&
            !this.store.findLinkBySide(type, 'hubspot', intent.sourceId),
        );
        if (candidates.length === 1) {
          const record = candidates[0]!;
          const link = this.store.insertLink(
            type,
            record.id,
            intent.sourceId,
            'created',
            at,
            this.runId,
          );
          this.store.markExchanged(link.id, intent.exchanged, 'created', at, this.runId);
          this.store.addItem(
            this.runId,
            {
              type,
              direction: 'hubspot_to_xentral',
              action: 'created',
              xentralId: record.id,
              hubspotId: intent.sourceId,
              label: labelOf(record),
              reason: 'confirmed after an interrupted run',
            },
            at,
          );
        }
        this.store.removePendingCreate(type, intent.sourceId);
      });
    }
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
  const run = new ExchangeRun(deps, request, runId);
  deps.onMessage?.({ runId, level: 'info', text: `${request.mode} started` });
  try {
    await run.execute();
    deps.runLog.finish(runId, 'succeeded', null, deps.now().toISOString());
    deps.onMessage?.({ runId, level: 'info', text: `${request.mode} finished` });
    return { runId, status: 'succeeded', message: null };
  } catch (error) {
    const message =
      error instanceof RunAbortedError
        ? error.message
        : `The run stopped unexpectedly: ${error instanceof Error ? error.message : String(error)}`;
    deps.runLog.finish(runId, 'failed', message, deps.now().toISOString());
    deps.onMessage?.({ runId, level: 'error', text: message });
    return { runId, status: 'failed', message };
  }
}
