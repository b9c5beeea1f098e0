import type { ReasonCode } from '../../shared/api/runs';
import type { OwnerLinks } from './canonical';
import { type CapabilityMissingError, RunAbortedError } from './errors';
import type { ExchangeMode, Field, Link, MatchedBy, ObjectType, System } from './model';
import type { HubSpotPort, StoredRecordView, XentralPort } from './ports';

/**
 * What every run shares: the storage port, the run log, the options, and the context a run's
 * parts (index refresh, plan executor) work in.
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
  /** In English, for logs and API users; the code and its parameters let the UI translate it. */
  reason?: string | null;
  reasonCode?: ReasonCode;
  reasonParams?: Record<string, string>;
}

/** A write sent to a system and not yet committed here (see ExchangeStore.addPendingWrites). */
export interface PendingWrite {
  type: ObjectType;
  target: System;
  /** create: a HubSpot create, keyed by its source (Xentral) id; update: keyed by the target id. */
  kind: 'create' | 'update';
  recordId: string;
  label: string;
  changes: { field: string; before: string; after: string }[];
}

export interface IndexRowInput {
  system: System;
  type: ObjectType | 'other' | 'order';
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
  /** Drops records a system no longer has from the index (their links stay, as tombstones). */
  removeRecords(system: System, type: ObjectType, ids: readonly string[]): void;
  recordIds(system: System, type: ObjectType): string[];
  getRecord(system: System, type: ObjectType | 'other' | 'order', id: string): unknown;
  getFact(name: string): string | undefined;
  setFact(name: string, value: string): void;
  getCursor(stream: string): string | undefined;
  setCursor(stream: string, value: string, at: string): void;
  ownerLinks(): OwnerLinks;
  findLink(type: ObjectType, xentralId: string, hubspotId: string): Link | undefined;
  findLinkBySide(type: ObjectType | 'deal', system: System, id: string): Link | undefined;
  insertLink(
    type: ObjectType | 'deal',
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
  countLinks(type: ObjectType): number;
  /** Links of this type not settled under this fingerprint: the pairs a run must plan. */
  countUnsettledLinks(type: ObjectType, fingerprint: string): number;
  /** These pairs' plans found nothing to do under this fingerprint. */
  settleLinks(linkIds: readonly number[], fingerprint: string): void;
  /** Unlinked records of both systems of this type (the matching work of a run). */
  countUnlinked(type: ObjectType): number;
  /** Linked pairs in id order; with a fingerprint, only those not settled under it. */
  pairsAfter(
    type: ObjectType,
    afterId: number,
    maxId: number,
    limit: number,
    unsettledUnder?: string,
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
  knownSkips(type: ObjectType | 'deal'): Map<string, string>;
  rememberSkip(type: ObjectType | 'deal', system: System, id: string, signature: string): void;
  knownSkip(type: ObjectType | 'deal', system: System, id: string): string | undefined;
  addDealBaseline(orderIds: readonly string[], activatedAt: string): void;
  ordersWithoutDeal(afterId: string, limit: number): unknown[];
  addPendingCreate(
    type: ObjectType,
    intent: { sourceId: string; matchKey: string; lookup: string; exchanged: readonly Field[] },
    runId: number,
    at: string,
  ): void;
  markCreateUncertain(type: ObjectType, sourceId: string, at: string): void;
  removePendingCreate(type: ObjectType, sourceId: string): void;
  pendingCreates(type: ObjectType): {
    sourceId: string;
    matchKey: string;
    lookup: string;
    exchanged: Field[];
    createdAt: string;
    /** When the create went unanswered; null when the process stopped before an answer. */
    uncertainAt: string | null;
  }[];
  /**
   * Writes about to be sent: a process that stops after the system carried them out and before
   * our commit leaves them here, and the next run reports what it finds done.
   */
  addPendingWrites(writes: readonly PendingWrite[], runId: number, at: string): void;
  removePendingWrite(
    type: ObjectType,
    target: System,
    kind: PendingWrite['kind'],
    recordId: string,
  ): void;
  takePendingWrite(
    type: ObjectType,
    target: System,
    kind: PendingWrite['kind'],
    recordId: string,
  ): PendingWrite | undefined;
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
    code?: { code: ReasonCode; params?: Record<string, string> },
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
  /**
   * HubSpot batches in flight at once: the portal's rate gate paces them, and a slow answer
   * no longer holds back the batches behind it.
   */
  hubspotConcurrency: number;
  /** HubSpot's search index trails writes: the newest changes wait for the next run. */
  hubspotLagMs: number;
  xentralLagMs: number;
  /**
   * Every read starts this much before its cursor: a change that reached HubSpot's search
   * index up to this much later than the cursor passed it is still read.
   */
  readOverlapMs: number;
  /**
   * How often the HubSpot index is reconciled with the objects list (no index lag): a change
   * that reached search later still than the overlap covers is exchanged by that run.
   */
  reconcileEveryMs: number;
  /**
   * A Xentral create that got no answer may still be carried out by a slow Xentral: for this
   * long the record is looked for but not created again (four times the adapters' timeout).
   */
  uncertainCreateSettleMs: number;
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
  hubspotConcurrency: 4,
  hubspotLagMs: 30_000,
  xentralLagMs: 2_000,
  readOverlapMs: 120_000,
  reconcileEveryMs: 24 * 60 * 60 * 1000,
  uncertainCreateSettleMs: 120_000,
};

export interface ProgressEvent {
  runId: number;
  phase: 'reading' | 'planning' | 'writing';
  type: ObjectType;
  done: number;
  /** null: not known ahead; otherwise done never exceeds it. */
  total: number | null;
  /** The whole run so far, over every part (see WorkTally). */
  overall: RunOverall;
  /** Records held back from creation in this run: an earlier create of them may still arrive. */
  held: number;
}

export interface RunOverall {
  done: number;
  total: number;
  /** Part of the work is not known ahead yet: the total may still grow. */
  growing: boolean;
}

/** One report of the work of a part of a run: a read stream, or the plan of one type. */
export interface PartProgress {
  phase: ProgressEvent['phase'];
  type: ObjectType;
  done: number;
  total: number | null;
  /** Which part of the run this is; by default its phase and type. Reads start `reading:`. */
  part?: string;
}

interface Part {
  done: number;
  /** What the part is expected to hold; null while nothing says so. */
  total: number | null;
  finished: boolean;
}

/**
 * The work of the whole run, part by part, so one bar covers every step. A part's size comes
 * from what it reported, a count a list gave ahead (expect), or, until either is known, what it
 * has done so far; `writing:pending` stands for the plans not counted yet, estimated as one
 * unit per record read, until expect() replaces it with the counts.
 */
export class WorkTally {
  private readonly parts = new Map<string, Part>();

  private part(key: string): Part {
    let part = this.parts.get(key);
    if (!part) {
      part = { done: 0, total: null, finished: false };
      this.parts.set(key, part);
    }
    return part;
  }

  report(key: string, done: number, total: number | null): void {
    const part = this.part(key);
    part.done = done;
    if (total !== null) part.total = total;
  }

  /** A count known ahead for a part (a list's total, the pairs to plan). */
  expect(key: string, total: number): void {
    this.part(key).total = total;
  }

  /** The part is complete: what it did is its size. */
  finish(key: string): void {
    const part = this.part(key);
    part.total = part.done;
    part.finished = true;
  }

  /** The pending plans are counted now (or there are none): drop their estimate. */
  planned(): void {
    this.parts.delete(PENDING_PLANS);
  }

  /** Stand in for the plans not counted yet, until planned(). */
  plansPending(): void {
    this.part(PENDING_PLANS);
  }

  overall(): RunOverall {
    let done = 0;
    let total = 0;
    let read = 0;
    let growing = false;
    for (const [key, part] of this.parts) {
      if (key === PENDING_PLANS) continue;
      const size = Math.max(part.done, part.total ?? part.done);
      done += Math.min(part.done, size);
      total += size;
      if (key.startsWith('reading:')) read += size;
      if (part.total === null && !part.finished) growing = true;
    }
    if (this.parts.has(PENDING_PLANS)) {
      total += read;
      growing = true;
    }
    return { done, total, growing };
  }
}

const PENDING_PLANS = 'writing:pending';

export interface RunMessage {
  runId: number;
  level: 'info' | 'warn' | 'error';
  text: string;
  code?: ReasonCode;
  params?: Record<string, string>;
}

export interface RunDeps {
  store: ExchangeStore;
  hubspot: HubSpotPort;
  xentral: XentralPort;
  now: () => Date;
  options?: Partial<ExchangeOptions>;
  onProgress?: (event: ProgressEvent) => void;
  onMessage?: (message: RunMessage) => void;
}

export class RunContext {
  readonly options: ExchangeOptions;
  /** What a system turned out to lack in this run; the kinds of record that need it wait. */
  readonly missing = new Set<CapabilityMissingError['capability']>();

  constructor(
    readonly deps: RunDeps,
    readonly runId: number,
  ) {
    this.options = { ...DEFAULT_EXCHANGE_OPTIONS, ...deps.options };
  }

  get store(): ExchangeStore {
    return this.deps.store;
  }

  at(): string {
    return this.deps.now().toISOString();
  }

  message(
    level: 'info' | 'warn' | 'error',
    text: string,
    code?: ReasonCode,
    params?: Record<string, string>,
  ): void {
    this.deps.onMessage?.({
      runId: this.runId,
      level,
      text,
      ...(code ? { code } : {}),
      ...(params ? { params } : {}),
    });
  }

  /** The run's work over all its parts, for one progress bar. */
  readonly work = new WorkTally();
  /** Records held back from creation in this run. */
  held = 0;

  progress(event: PartProgress): void {
    const { part, ...step } = event;
    this.work.report(part ?? `${step.phase}:${step.type}`, step.done, step.total);
    this.deps.onProgress?.({
      runId: this.runId,
      ...step,
      overall: this.work.overall(),
      held: this.held,
    });
  }
}

export interface RunOutcome {
  runId: number;
  status: 'succeeded' | 'failed';
  message: string | null;
}

/**
 * The life of one run around its work: announce it, record how it ended, and turn an error into
 * a failed run with its reason. Never throws for a failed run; the run log says why.
 */
export async function executeRun(
  ctx: RunContext,
  runLog: RunLog,
  name: string,
  kind: string,
  work: () => Promise<void>,
): Promise<RunOutcome> {
  const { runId } = ctx;
  const params = { kind };
  ctx.message('info', `${name} started`, 'run_started', params);
  try {
    await work();
    runLog.finish(runId, 'succeeded', null, ctx.at());
    ctx.message('info', `${name} finished`, 'run_finished', params);
    return { runId, status: 'succeeded', message: null };
  } catch (error) {
    const aborted = error instanceof RunAbortedError;
    const message = aborted
      ? error.message
      : `The run stopped unexpectedly: ${error instanceof Error ? error.message : String(error)}`;
    const code: { code: ReasonCode; params?: Record<string, string> } = aborted
      ? { code: error.reason }
      : { code: 'unexpected', params: { message } };
    runLog.finish(runId, 'failed', message, ctx.at(), code);
    ctx.message('error', message, code.code, code.params);
    return { runId, status: 'failed', message };
  }
}
