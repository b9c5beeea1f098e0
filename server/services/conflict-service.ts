import {
  Conflict,
  type ConflictChoice,
  type ConflictsResponse,
  type ConflictStatus,
} from '../../shared/api/conflicts';
import type { Clock } from '../clock';
import { canonicalOf, patchFor, type CanonContext } from '../engine/canonical';
import { customerIndexRow, employeeIndexRow, hubspotIndexRow } from '../engine/exchange';
import type {
  Field,
  HubSpotRecordByType,
  ObjectType,
  System,
  XentralCustomerRecord,
  XentralEmployeeRecord,
} from '../engine/model';
import type { AppStore } from '../storage/app-store';
import type { Db } from '../storage/db';
import { EngineStore } from '../storage/engine-store';
import { BadRequestError, ConflictError, NotFoundError, UpstreamError } from './errors';
import type { RunService } from './run-service';
import type { Systems } from './systems';

interface ConflictRow {
  id: number;
  portal_id: string;
  kind: 'field' | 'ambiguous';
  type: string;
  link_id: number | null;
  field: string | null;
  match_key: string | null;
  xentral_ids: string;
  hubspot_ids: string;
  xentral_value: string | null;
  hubspot_value: string | null;
  status: ConflictStatus;
  resolution: string | null;
  run_id: number | null;
  created_at: string;
  resolved_at: string | null;
  label: string;
}

/**
 * Conflicts (RULES.md, rule 3 raises them, rule 14 resolves them): listed by status for the
 * Overview, resolved by an admin. Resolving a field conflict writes the chosen value across
 * through the adapters and marks the field exchanged.
 */
export class ConflictService {
  constructor(
    private readonly deps: {
      db: Db;
      store: AppStore;
      systems: Systems;
      runs: RunService;
      clock: Clock;
    },
  ) {}

  private toConflict(row: ConflictRow): Conflict {
    return Conflict.parse({
      id: row.id,
      kind: row.kind,
      type: row.type,
      label: row.label,
      field: row.field,
      matchKey: row.match_key,
      xentralIds: JSON.parse(row.xentral_ids) as unknown,
      hubspotIds: JSON.parse(row.hubspot_ids) as unknown,
      xentralValue: row.xentral_value,
      hubspotValue: row.hubspot_value,
      status: row.status,
      resolution: row.resolution,
      runId: row.run_id,
      createdAt: row.created_at,
      resolvedAt: row.resolved_at,
    });
  }

  private select(where: string): string {
    return `SELECT * FROM conflicts c WHERE ${where}`;
  }

  list(query: {
    status?: ConflictStatus | undefined;
    runId?: number | undefined;
    limit: number;
    before?: number | undefined;
  }): ConflictsResponse {
    const portal = this.deps.store.connection()?.hubId ?? null;
    const rows = this.deps.db
      .prepare<unknown[], ConflictRow>(
        `${this.select(
          `(? IS NULL OR c.portal_id = ?) AND (? IS NULL OR c.status = ?) AND (? IS NULL OR c.run_id = ?) AND c.id < ?`,
        )} ORDER BY c.id DESC LIMIT ?`,
      )
      .all(
        query.runId === undefined ? portal : null,
        portal,
        query.status ?? null,
        query.status ?? null,
        query.runId ?? null,
        query.runId ?? null,
        query.before ?? Number.MAX_SAFE_INTEGER,
        query.limit + 1,
      );
    const page = rows.slice(0, query.limit).map((row) => this.toConflict(row));
    return {
      conflicts: page,
      nextBefore: rows.length > query.limit ? (page[page.length - 1]?.id ?? null) : null,
    };
  }

  get(id: number): Conflict {
    const row = this.deps.db.prepare<[number], ConflictRow>(this.select('c.id = ?')).get(id);
    if (!row) throw new NotFoundError(`There is no conflict ${id}.`);
    return this.toConflict(row);
  }

  async resolve(id: number, choice: ConflictChoice): Promise<Conflict> {
    const row = this.deps.db.prepare<[number], ConflictRow>(this.select('c.id = ?')).get(id);
    if (!row) throw new NotFoundError(`There is no conflict ${id}.`);
    if (row.status !== 'open') {
      throw new ConflictError(`Conflict ${id} was already ${row.status}.`, 'already_resolved');
    }
    if (this.deps.runs.activeRunId !== undefined) {
      throw new ConflictError(
        'A run is active; resolve the conflict when it has finished.',
        'run_active',
      );
    }
    const now = this.deps.clock().toISOString();
    const close = () =>
      this.deps.db
        .prepare(
          "UPDATE conflicts SET status = 'resolved', resolution = ?, resolved_at = ? WHERE id = ? AND status = 'open'",
        )
        .run(choice, now, id);

    if (row.kind === 'ambiguous') {
      if (choice !== 'keep') {
        throw new BadRequestError(
          'An ambiguous match has no single value to take: choose "keep" to leave the records unlinked.',
          undefined,
          'choice_not_applicable',
        );
      }
      close();
      return this.get(id);
    }

    const engine = new EngineStore(this.deps.db, row.portal_id);
    const link = row.link_id === null ? undefined : engine.linkById(row.link_id);
    const field = row.field as Field | null;
    if (!link || !field || link.type === 'deal') {
      throw new NotFoundError(`Conflict ${id} refers to a link that is gone.`);
    }
    const type = link.type;
    if (choice !== 'keep') {
      await this.writeAcross(engine, type, link.xentralId, link.hubspotId, field, choice);
    }
    engine.transaction(() => {
      engine.markExchanged(link.id, [field], 'resolved', now, null);
      close();
    });
    return this.get(id);
  }

  /** Takes the current value of the chosen system and writes it into the other one. */
  private async writeAcross(
    engine: EngineStore,
    type: ObjectType,
    xentralId: string,
    hubspotId: string,
    field: Field,
    choice: 'xentral' | 'hubspot',
  ): Promise<void> {
    const settings = this.deps.store.settings();
    const ctx: CanonContext = {
      defaultSalutation: settings.defaultSalutation,
      owners: engine.ownerLinks(),
    };
    const from: System = choice;
    const to: System = choice === 'xentral' ? 'hubspot' : 'xentral';
    const source = engine.getRecord(from, type, from === 'xentral' ? xentralId : hubspotId);
    if (source === undefined) {
      throw new ConflictError(`The ${from} record is gone; nothing to take.`, 'record_gone');
    }
    const value = canonicalOf(from, type, field, source as never, ctx);
    const patch = value === null ? null : patchFor(to, type, field, value.value, ctx);
    if (!patch) {
      throw new BadRequestError(
        `This value cannot be written into ${to === 'hubspot' ? 'HubSpot' : 'Xentral'}${type === 'user' ? ' (HubSpot users are managed in HubSpot)' : ''}.`,
        undefined,
        'choice_not_applicable',
      );
    }
    const targetId = to === 'xentral' ? xentralId : hubspotId;
    let result;
    if (to === 'xentral') {
      const xentral = this.deps.systems.xentral;
      result =
        type === 'user'
          ? await xentral.updateEmployee(targetId, patch)
          : await xentral.updateCustomer(targetId, patch);
    } else {
      if (type === 'user')
        throw new BadRequestError('HubSpot users cannot be changed through the API.');
      const { adapter } = await this.deps.systems.hubspot();
      [result] = await adapter.update(type, [{ id: targetId, patch }]);
    }
    if (!result?.ok) {
      throw new UpstreamError(
        `${to === 'hubspot' ? 'HubSpot' : 'Xentral'} did not take the value: ${result?.error ?? 'no answer'}`,
        'write_refused',
      );
    }
    engine.upsertRecords([
      to === 'hubspot'
        ? hubspotIndexRow(type, result.record as HubSpotRecordByType[typeof type])
        : type === 'user'
          ? employeeIndexRow(result.record as XentralEmployeeRecord)
          : customerIndexRow(result.record as XentralCustomerRecord),
    ]);
  }
}
