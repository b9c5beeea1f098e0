import { CapabilityMissingError } from './errors';
import type { HubSpotOwnerRecord, HubSpotRecordByType, ObjectType, System } from './model';
import type { ChangeWindow } from './ports';
import { customerIndexRow, employeeIndexRow, hubspotIndexRow } from './index-rows';
import type { IndexRowInput, RunContext } from './run-context';

const PROPERTIES_FACT = 'hubspot_properties';
/** Bump when ensureProperties() learns a new property, so existing portals get it too. */
const PROPERTIES_VERSION = '2';

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
 * full (few, no change feed), everything else incrementally from its cursor.
 */
export class IndexRefresher {
  constructor(private readonly ctx: RunContext) {}

  /** The custom unique properties are made once per portal (normally at connect time). */
  async ensureProperties(): Promise<void> {
    if (this.ctx.store.getFact(PROPERTIES_FACT) === PROPERTIES_VERSION) return;
    await this.ctx.deps.hubspot.ensureProperties();
    this.ctx.store.setFact(PROPERTIES_FACT, PROPERTIES_VERSION);
  }

  async refreshAll(): Promise<void> {
    const { hubspot, xentral } = this.ctx.deps;
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

    try {
      await this.refreshStream({
        stream: 'xentral:employees',
        system: 'xentral',
        types: ['user'],
        lagMs: this.ctx.options.xentralLagMs,
        resolutionMs: xentral.timestampResolutionMs,
        count: (window) => xentral.countChangedEmployees(window),
        read: (window) => xentral.readChangedEmployees(window),
        toRow: employeeIndexRow,
        progressType: 'user',
      });
    } catch (error) {
      if (!(error instanceof CapabilityMissingError)) throw error;
      this.ctx.missing.add(error.capability);
      this.ctx.message('warn', error.message, 'users_unavailable');
    }
    await this.refreshStream({
      stream: 'xentral:customers',
      system: 'xentral',
      types: ['contact', 'company', 'other'],
      lagMs: this.ctx.options.xentralLagMs,
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
        lagMs: this.ctx.options.hubspotLagMs,
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
  async refreshStream<R extends { updatedAt: string }>(stream: {
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
      Math.floor((this.ctx.deps.now().getTime() - stream.lagMs) / stream.resolutionMs) *
        stream.resolutionMs -
      1;
    const cursor = cursorValue(this.ctx.store.getCursor(stream.stream));
    const save = (ms: number) =>
      this.ctx.store.setCursor(stream.stream, JSON.stringify({ ms }), this.ctx.at());
    if (cursor !== undefined) {
      if (cursor >= untilMs) return;
      const remote = await stream.count({ sinceMs: cursor, untilMs });
      if (
        remote !== null &&
        remote === this.ctx.store.countUpdatedBetween(stream.system, stream.types, cursor, untilMs)
      ) {
        save(untilMs);
        return;
      }
    }
    const sinceMs = cursor === undefined ? null : cursor - this.ctx.options.readOverlapMs;
    let checkpoint = cursor ?? Number.NEGATIVE_INFINITY;
    let previous = Number.NEGATIVE_INFINITY;
    let ascending = true;
    let read = 0;
    for await (const page of stream.read({ sinceMs, untilMs })) {
      const rows = page.map(stream.toRow);
      this.ctx.store.upsertRecords(rows);
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
      // How much a window holds is not known ahead: total 0 says so.
      this.ctx.progress({ phase: 'reading', type: stream.progressType, done: read, total: 0 });
    }
    save(untilMs);
  }
}
