import { CapabilityMissingError } from './errors';
import type {
  HubSpotOwnerRecord,
  HubSpotRecordByType,
  ObjectType,
  XentralCustomerRecord,
} from './model';
import { skipSignature } from './plan';
import type { ChangeWindow, CrmType } from './ports';
import { customerIndexRow, customerType, employeeIndexRow, hubspotIndexRow } from './index-rows';
import type { IndexRowInput, RunContext } from './run-context';

const PROPERTIES_FACT = 'hubspot_properties';
/** Bump when ensureProperties() learns a new property, so existing portals get it too. */
const PROPERTIES_VERSION = '2';
/** When each HubSpot type was last reconciled with the objects list: `{ms}` per type. */
const RECONCILED_FACT = 'hubspot_reconciled';

/**
 * When a Xentral last answered 404 for the employee extension route: `{ms}` per instance. For a
 * day after, runs go straight to the public list, so an unchanged world costs one request less.
 */
const EMPLOYEE_ROUTE_MISSING_FACT = 'xentral_employee_route_missing';
const EMPLOYEE_ROUTE_RECHECK_MS = 24 * 60 * 60 * 1000;

const UNUSABLE_TEXT = {
  no_primary_address: 'Xentral holds no primary address for this customer, so it is not exchanged.',
  unknown_type:
    'Its address type "{value}" is neither a person (Mr./Mrs.) nor a company, so it is not exchanged.',
  other_type:
    'It is neither a person (Mr./Mrs.) nor a company (type "other"), so it is not exchanged.',
} as const;

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

/**
 * Brings the local index of both systems up to date before a run plans anything: owners in
 * full (few, no change feed), everything else incrementally from its cursor, and HubSpot's
 * contacts and companies now and then in full from the objects list (the reconciliation).
 */
export class IndexRefresher {
  constructor(private readonly ctx: RunContext) {}

  /** The custom unique properties are made once per portal (normally at connect time). */
  async ensureProperties(): Promise<void> {
    if (this.ctx.store.getFact(PROPERTIES_FACT) === PROPERTIES_VERSION) return;
    await this.ctx.deps.hubspot.ensureProperties();
    this.ctx.store.setFact(PROPERTIES_FACT, PROPERTIES_VERSION);
  }

  /**
   * Both systems are read at once: each has its own rate limit, so reading one after the
   * other only adds the shorter read's time to the run.
   */
  async refreshAll(): Promise<void> {
    const reads = await Promise.allSettled([this.refreshHubSpot(), this.refreshXentral()]);
    for (const read of reads) if (read.status === 'rejected') throw read.reason;
  }

  private async refreshHubSpot(): Promise<void> {
    const { hubspot } = this.ctx.deps;
    // Owners have no change feed, and there are few of them: one page holds them all. Owners
    // no longer listed were deactivated in HubSpot; their index rows say so.
    const owners = await hubspot.listOwners();
    const listed = new Set(owners.map((owner) => owner.id));
    const gone = this.ctx.store
      .recordIds('hubspot', 'user')
      .filter((id) => !listed.has(id))
      .map((id) => this.ctx.store.getRecord('hubspot', 'user', id) as HubSpotOwnerRecord)
      .filter((owner) => owner.active)
      .map((owner) => ({ ...owner, active: false }));
    this.ctx.store.upsertRecords(
      [...owners, ...gone].map((owner) => hubspotIndexRow('user', owner)),
    );
    this.ctx.progress({
      phase: 'reading',
      type: 'user',
      done: owners.length,
      total: owners.length,
    });

    const due = (['company', 'contact'] as const).filter((type) => this.reconciliationDue(type));
    if (due.length > 0) {
      this.ctx.message(
        'info',
        'Checking every HubSpot contact and company against the local index (the periodic reconciliation).',
        'reconciliation',
      );
    }
    for (const type of ['company', 'contact'] as const) {
      const startedMs = this.ctx.deps.now().getTime();
      const first = this.ctx.store.getCursor(`hubspot:${type}`) === undefined;
      if (due.includes(type)) await this.reconcile(type, startedMs);
      await this.refreshStream({
        stream: `hubspot:${type}`,
        lagMs: this.ctx.options.hubspotLagMs,
        resolutionMs: hubspot.timestampResolutionMs,
        read: (window) => hubspot.readChanged(type, window),
        toRow: (record: HubSpotRecordByType[typeof type]) => hubspotIndexRow(type, record),
        progressType: type,
      });
      // The first read takes everything there is; the period of reconciliation starts there.
      if (first) this.markReconciled(type, startedMs);
    }
  }

  private async refreshXentral(): Promise<void> {
    const { xentral } = this.ctx.deps;
    if (!(await this.refreshExtendedEmployees())) {
      this.ctx.missing.add('xentral_employees');
      await this.refreshPublicEmployees();
    }
    // Xentral needs no reconciliation: its lists filter the records themselves by updatedAt,
    // so a change is listed, with its time, as soon as it is saved. Only HubSpot's search
    // index shows changes late.
    await this.refreshStream({
      stream: 'xentral:customers',
      lagMs: this.ctx.options.xentralLagMs,
      resolutionMs: xentral.timestampResolutionMs,
      read: (window) => xentral.readChangedCustomers(window),
      toRow: customerIndexRow,
      progressType: 'contact',
      afterPage: (records) => this.reportUnusable(records),
    });
  }

  /**
   * Employees with their e-mail, through the extension route. False when this Xentral has no
   * such route: a 404 is remembered for a day, so the runs of that day do not ask again.
   */
  private async refreshExtendedEmployees(): Promise<boolean> {
    const { xentral } = this.ctx.deps;
    const fact = `${EMPLOYEE_ROUTE_MISSING_FACT}:${xentral.instance}`;
    const missingSince = cursorValue(this.ctx.store.getFact(fact));
    const nowMs = this.ctx.deps.now().getTime();
    const sinceMs = missingSince === undefined ? undefined : nowMs - missingSince;
    if (sinceMs !== undefined && sinceMs >= 0 && sinceMs < EMPLOYEE_ROUTE_RECHECK_MS) return false;
    try {
      await this.refreshStream({
        stream: 'xentral:employees',
        lagMs: this.ctx.options.xentralLagMs,
        resolutionMs: xentral.timestampResolutionMs,
        read: (window) => xentral.readChangedEmployees(window),
        toRow: employeeIndexRow,
        progressType: 'user',
      });
      return true;
    } catch (error) {
      if (!(error instanceof CapabilityMissingError)) throw error;
      this.ctx.store.setFact(fact, JSON.stringify({ ms: nowMs }));
      return false;
    }
  }

  /**
   * A stock Xentral lists employees with id, number and name only, and no change time: the
   * whole list is read (few records, one request per 50), and owners are matched by name.
   */
  private async refreshPublicEmployees(): Promise<void> {
    const employees = await this.ctx.deps.xentral.listEmployees();
    const listed = new Set(employees.map((employee) => employee.id));
    this.ctx.store.upsertRecords(employees.map(employeeIndexRow));
    const gone = this.ctx.store.recordIds('xentral', 'user').filter((id) => !listed.has(id));
    this.ctx.store.removeRecords('xentral', 'user', gone);
    this.ctx.message(
      'info',
      'This Xentral lists employees without their e-mail and cannot create one: HubSpot users are linked to employees by full name, and one without an employee is named once.',
      'users_by_name',
    );
  }

  /**
   * Rule 8 for customers the app cannot exchange at all (no primary address, or a type that
   * is neither person nor company): each is reported once per version of the record.
   */
  private reportUnusable(records: readonly XentralCustomerRecord[]): void {
    for (const record of records) {
      if (customerType(record) !== 'other') continue;
      const why = record.unusable?.why ?? 'other_type';
      const signature = skipSignature([`customer_unusable:${why}`], record.updatedAt);
      if (this.ctx.store.knownSkip('contact', 'xentral', record.id) === signature) continue;
      this.ctx.store.rememberSkip('contact', 'xentral', record.id, signature);
      const value = record.unusable?.value ?? '';
      this.ctx.store.addItem(
        this.ctx.runId,
        {
          // Neither person nor company: listed with the contacts, where the admin looks first.
          type: 'contact',
          direction: 'xentral_to_hubspot',
          action: 'skipped',
          xentralId: record.id,
          hubspotId: null,
          label: record.name || record.email || `#${record.id}`,
          reason: UNUSABLE_TEXT[why].replace('{value}', value),
          reasonCode: 'customer_unusable',
          reasonParams: { why, value },
        },
        this.ctx.at(),
      );
    }
  }

  private reconciliationDue(type: CrmType): boolean {
    // The first run reads everything anyway.
    if (this.ctx.store.getCursor(`hubspot:${type}`) === undefined) return false;
    const last = cursorValue(this.ctx.store.getFact(`${RECONCILED_FACT}:${type}`));
    // Never reconciled (an index from before reconciliations existed): now.
    if (last === undefined) return true;
    return this.ctx.deps.now().getTime() - last >= this.ctx.options.reconcileEveryMs;
  }

  private markReconciled(type: CrmType, ms: number): void {
    this.ctx.store.setFact(`${RECONCILED_FACT}:${type}`, JSON.stringify({ ms }));
  }

  /**
   * The reconciliation: every record HubSpot lists, page by page, against the local index.
   * The objects list reads the records themselves, so what search showed too late for the
   * overlap (minutes, under load) is found here. Records the index holds unchanged cost
   * nothing beyond their page; changed ones are stored and so planned like any change. A
   * record the index holds and HubSpot no longer lists was deleted there: it leaves the
   * index, and its link stays as a tombstone.
   */
  private async reconcile(type: CrmType, startedMs: number): Promise<void> {
    const seen = new Set<string>();
    let done = 0;
    let changed = 0;
    for await (const page of this.ctx.deps.hubspot.listRecords(type)) {
      changed += this.ctx.store.upsertRecords(page.map((record) => hubspotIndexRow(type, record)));
      for (const record of page) seen.add(record.id);
      done += page.length;
      this.ctx.progress({ phase: 'reading', type, done, total: null, part: `reading:all:${type}` });
    }
    this.ctx.work.finish(`reading:all:${type}`);
    const gone = this.ctx.store.recordIds('hubspot', type).filter((id) => !seen.has(id));
    this.ctx.store.removeRecords('hubspot', type, gone);
    this.markReconciled(type, startedMs);
    if (changed + gone.length > 0) {
      this.ctx.message(
        'info',
        `The reconciliation found ${changed} HubSpot ${type}(s) changed and ${gone.length} deleted that the search had not shown.`,
        'reconciliation_found',
        { type, changed: String(changed), deleted: String(gone.length) },
      );
    }
  }

  /**
   * Brings the index up to date with one stream: every record changed in
   * (cursor − overlap, now − lag], page by page. Pages come in ascending modification order,
   * so the cursor is checkpointed after each one.
   *
   * Nothing is counted instead of read. An empty first page costs one request, as a count
   * does; and a count that equals the app's own writes in the window proves nothing: an edit
   * in HubSpot or Xentral to a record the app had just written leaves the count as it was.
   */
  async refreshStream<R extends { updatedAt: string }>(stream: {
    stream: string;
    lagMs: number;
    resolutionMs: number;
    read: (window: ChangeWindow) => AsyncIterable<R[]>;
    toRow: (record: R) => IndexRowInput;
    progressType: ObjectType;
    /** Called with each page once it is stored. */
    afterPage?: (records: R[]) => void;
  }): Promise<void> {
    // Only the past is final: a change made later in the current clock tick (a whole second in
    // Xentral) would carry a time inside the window and be missed once the cursor passed it.
    const untilMs =
      Math.floor((this.ctx.deps.now().getTime() - stream.lagMs) / stream.resolutionMs) *
        stream.resolutionMs -
      1;
    const cursor = cursorValue(this.ctx.store.getCursor(stream.stream));
    const save = (ms: number) =>
      this.ctx.store.setCursor(stream.stream, JSON.stringify({ ms }), this.ctx.at());
    if (cursor !== undefined && cursor >= untilMs) return;
    // HubSpot's search shows a change seconds, under load minutes, after it was made, with the
    // time it was made: re-reading an overlap behind the cursor finds what appeared late.
    const sinceMs = cursor === undefined ? null : cursor - this.ctx.options.readOverlapMs;
    const part = `reading:${stream.stream}`;
    let checkpoint = cursor ?? Number.NEGATIVE_INFINITY;
    let previous = Number.NEGATIVE_INFINITY;
    let ascending = true;
    let read = 0;
    const onTotal = (total: number) => this.ctx.work.expect(part, total);
    for await (const page of stream.read({ sinceMs, untilMs, onTotal })) {
      const rows = page.map(stream.toRow);
      this.ctx.store.upsertRecords(rows);
      stream.afterPage?.(page);
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
      // How much a window holds is not known ahead: total null says so (the run-wide tally
      // has the list's count where it gave one).
      this.ctx.progress({
        phase: 'reading',
        type: stream.progressType,
        done: read,
        total: null,
        part,
      });
    }
    save(untilMs);
    this.ctx.work.finish(part);
  }
}
