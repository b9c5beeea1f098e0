import type { ReasonCode } from '../../shared/api/runs';
import type { OwnerLinks } from '../engine/canonical';
import type { Field, Link, MatchedBy, ObjectType, System } from '../engine/model';
import type { PendingWrite } from '../engine/run-context';
import type { LedgerEntry } from '../engine/snapshot';
import type { Statement } from 'better-sqlite3';
import type { Db } from './db';

/**
 * The engine's memory for one HubSpot portal: the local index of both systems, links and
 * their field ledger, cursors, known conflicts and skips, and pending creates. Everything a
 * plan needs comes from here; nothing here calls an API.
 */

export interface IndexRow {
  system: System;
  /** Object type; 'other' for customers neither person nor company; 'order' for sales orders. */
  type: ObjectType | 'other' | 'order';
  id: string;
  matchKey: string;
  xentralRef: string;
  updatedMs: number;
  data: unknown;
}

interface RecordRow {
  system: System;
  type: string;
  id: string;
  match_key: string;
  xentral_ref: string;
  updated_ms: number;
  data: string;
  link_id: number | null;
}

interface LinkRow {
  id: number;
  type: string;
  xentral_id: string;
  hubspot_id: string;
  matched_by: string;
}

export interface StoredRecord {
  system: System;
  id: string;
  data: unknown;
  linked: boolean;
  xentralRef: string;
}

export interface PairRow {
  link: Link;
  xentral: unknown;
  hubspot: unknown;
  exchanged: Set<Field>;
  frozen: Set<Field>;
}

function toLink(row: LinkRow): Link {
  return {
    id: row.id,
    type: row.type as ObjectType,
    xentralId: row.xentral_id,
    hubspotId: row.hubspot_id,
    matchedBy: row.matched_by as MatchedBy,
  };
}

const CUSTOMER_TYPES = new Set(['contact', 'company', 'other']);

/** More distinct statements than this (queries with a variable number of keys) start afresh. */
const STATEMENT_CACHE_LIMIT = 500;

export class EngineStore {
  private readonly statements = new Map<string, Statement<unknown[]>>();

  constructor(
    readonly db: Db,
    readonly portalId: string,
  ) {}

  /**
   * `db.prepare`, once per statement text: preparing costs more than most of these queries,
   * and a run asks the same few thousands of times.
   */
  private prepare<P extends unknown[] | object = unknown[], R = unknown>(
    source: string,
  ): P extends unknown[] ? Statement<P, R> : Statement<[P], R> {
    let statement = this.statements.get(source);
    if (statement === undefined) {
      if (this.statements.size >= STATEMENT_CACHE_LIMIT) this.statements.clear();
      statement = this.db.prepare(source);
      this.statements.set(source, statement);
    }
    return statement as unknown as P extends unknown[] ? Statement<P, R> : Statement<[P], R>;
  }

  // ---- the local index -------------------------------------------------------------------

  /** Stores records as read or written; returns how many were new or changed. */
  upsertRecords(rows: readonly IndexRow[]): number {
    const find = this.prepare<
      [string, string, string, string, string, string],
      { type: string; updated_ms: number; data: string }
    >(
      'SELECT type, updated_ms, data FROM records WHERE portal_id = ? AND system = ? AND type IN (?, ?, ?) AND id = ?',
    );
    const remove = this.prepare(
      'DELETE FROM records WHERE portal_id = ? AND system = ? AND type = ? AND id = ?',
    );
    const upsert = this.prepare(
      `INSERT INTO records (portal_id, system, type, id, match_key, xentral_ref, updated_ms, data, link_id)
       VALUES (@portal, @system, @type, @id, @matchKey, @xentralRef, @updatedMs, @data,
         CASE @system
           WHEN 'xentral' THEN (SELECT id FROM links WHERE portal_id = @portal AND type = @type AND xentral_id = @id)
           ELSE (SELECT id FROM links WHERE portal_id = @portal AND type = @type AND hubspot_id = @id)
         END)
       ON CONFLICT (portal_id, system, type, id) DO UPDATE SET
         match_key = excluded.match_key, xentral_ref = excluded.xentral_ref,
         updated_ms = excluded.updated_ms, data = excluded.data`,
    );
    let changed = 0;
    this.db.transaction(() => {
      for (const row of rows) {
        const data = JSON.stringify(row.data);
        // A Xentral address can change from person to company (one customers endpoint serves
        // both): it moves to its new type. HubSpot ids are only unique per object type.
        const family =
          row.system === 'xentral' && CUSTOMER_TYPES.has(row.type)
            ? (['contact', 'company', 'other'] as const)
            : ([row.type, row.type, row.type] as const);
        const existing = find.all(this.portalId, row.system, ...family, row.id);
        // Versions only move forward. A read may return an older version than one stored from
        // our own write: HubSpot's search index serves a record's previous version until it
        // has indexed the new one, and the re-read overlap asks for exactly those.
        if (existing.some((old) => old.updated_ms > row.updatedMs)) continue;
        let same = false;
        for (const old of existing) {
          if (old.type !== row.type) {
            remove.run(this.portalId, row.system, old.type, row.id);
            this.unsettleRecord(row.system, old.type, row.id);
          } else same = old.updated_ms === row.updatedMs && old.data === data;
        }
        if (same) continue;
        this.unsettleRecord(row.system, row.type, row.id);
        upsert.run({
          portal: this.portalId,
          system: row.system,
          type: row.type,
          id: row.id,
          matchKey: row.matchKey,
          xentralRef: row.xentralRef,
          updatedMs: row.updatedMs,
          data,
        });
        changed++;
      }
    })();
    return changed;
  }

  /** Drops records a system no longer has; their links stay, as tombstones. */
  removeRecords(system: System, type: ObjectType, ids: readonly string[]): void {
    const remove = this.prepare(
      'DELETE FROM records WHERE portal_id = ? AND system = ? AND type = ? AND id = ?',
    );
    this.db.transaction(() => {
      for (const id of ids) {
        remove.run(this.portalId, system, type, id);
        this.unsettleRecord(system, type, id);
      }
    })();
  }

  countRecords(system: System, type: string): number {
    return (
      this.prepare<[string, string, string], { n: number }>(
        'SELECT count(*) AS n FROM records WHERE portal_id = ? AND system = ? AND type = ?',
      ).get(this.portalId, system, type)?.n ?? 0
    );
  }

  getRecord(system: System, type: ObjectType | 'other' | 'order', id: string): unknown {
    const row = this.prepare<[string, string, string, string], { data: string }>(
      'SELECT data FROM records WHERE portal_id = ? AND system = ? AND type = ? AND id = ?',
    ).get(this.portalId, system, type, id);
    return row ? (JSON.parse(row.data) as unknown) : undefined;
  }

  /** Ids of every indexed record of one system and type. */
  recordIds(system: System, type: ObjectType): string[] {
    return this.prepare<[string, string, string], { id: string }>(
      'SELECT id FROM records WHERE portal_id = ? AND system = ? AND type = ?',
    )
      .all(this.portalId, system, type)
      .map((row) => row.id);
  }

  // ---- per-portal facts ---------------------------------------------------------------------

  getFact(name: string): string | undefined {
    return this.prepare<[string], { value: string }>('SELECT value FROM kv WHERE key = ?').get(
      `portal:${this.portalId}:${name}`,
    )?.value;
  }

  setFact(name: string, value: string): void {
    this.prepare(
      'INSERT INTO kv (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
    ).run(`portal:${this.portalId}:${name}`, value);
  }

  // ---- cursors ------------------------------------------------------------------------------

  getCursor(stream: string): string | undefined {
    return this.prepare<[string, string], { value: string }>(
      'SELECT value FROM cursors WHERE portal_id = ? AND stream = ?',
    ).get(this.portalId, stream)?.value;
  }

  setCursor(stream: string, value: string, at: string): void {
    this.prepare(
      `INSERT INTO cursors (portal_id, stream, value, updated_at) VALUES (?, ?, ?, ?)
         ON CONFLICT (portal_id, stream) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`,
    ).run(this.portalId, stream, value, at);
  }

  // ---- links and the ledger -------------------------------------------------------------------

  ownerLinks(): OwnerLinks {
    const rows = this.prepare<[string], LinkRow>(
      "SELECT id, type, xentral_id, hubspot_id, matched_by FROM links WHERE portal_id = ? AND type = 'user'",
    ).all(this.portalId);
    return {
      employeeByOwner: new Map(rows.map((row) => [row.hubspot_id, row.xentral_id])),
      ownerByEmployee: new Map(rows.map((row) => [row.xentral_id, row.hubspot_id])),
    };
  }

  findLink(type: ObjectType, xentralId: string, hubspotId: string): Link | undefined {
    const row = this.prepare<[string, string, string, string], LinkRow>(
      `SELECT id, type, xentral_id, hubspot_id, matched_by FROM links
          WHERE portal_id = ? AND type = ? AND xentral_id = ? AND hubspot_id = ?`,
    ).get(this.portalId, type, xentralId, hubspotId);
    return row ? toLink(row) : undefined;
  }

  findLinkBySide(type: ObjectType | 'deal', system: System, id: string): Link | undefined {
    const column = system === 'xentral' ? 'xentral_id' : 'hubspot_id';
    const row = this.prepare<[string, string, string], LinkRow>(
      `SELECT id, type, xentral_id, hubspot_id, matched_by FROM links
          WHERE portal_id = ? AND type = ? AND ${column} = ?`,
    ).get(this.portalId, type, id);
    return row ? toLink(row) : undefined;
  }

  linkById(id: number): Link | undefined {
    const row = this.prepare<[number, string], LinkRow>(
      'SELECT id, type, xentral_id, hubspot_id, matched_by FROM links WHERE id = ? AND portal_id = ?',
    ).get(id, this.portalId);
    return row ? toLink(row) : undefined;
  }

  /** Inserts a link and ties both index rows to it. Call inside a transaction with its ledger. */
  insertLink(
    type: ObjectType | 'deal',
    xentralId: string,
    hubspotId: string,
    matchedBy: MatchedBy,
    at: string,
    runId: number | null,
  ): Link {
    const result = this.prepare(
      `INSERT INTO links (portal_id, type, xentral_id, hubspot_id, matched_by, created_at, run_id)
         VALUES (?, ?, ?, ?, ?, ?, ?)`,
    ).run(this.portalId, type, xentralId, hubspotId, matchedBy, at, runId);
    const id = Number(result.lastInsertRowid);
    const tie = this.prepare(
      'UPDATE records SET link_id = ? WHERE portal_id = ? AND system = ? AND type = ? AND id = ?',
    );
    tie.run(id, this.portalId, 'xentral', type, xentralId);
    tie.run(id, this.portalId, 'hubspot', type, hubspotId);
    return { id, type, xentralId, hubspotId, matchedBy };
  }

  markExchanged(
    linkId: number,
    fields: readonly Field[],
    how: 'created' | 'written' | 'equal' | 'resolved',
    at: string,
    runId: number | null,
  ): void {
    const insert = this.prepare(
      `INSERT INTO link_fields (link_id, field, how, exchanged_at, run_id) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (link_id, field) DO NOTHING`,
    );
    for (const field of fields) insert.run(linkId, field, how, at, runId);
    if (fields.length > 0) this.unsettle(linkId);
  }

  private unsettle(linkId: number): void {
    this.prepare('UPDATE links SET settled = NULL WHERE id = ? AND settled IS NOT NULL').run(
      linkId,
    );
  }

  /** The record changed or left: the pair it belongs to is planned again. */
  private unsettleRecord(system: System, type: string, id: string): void {
    this.prepare(
      system === 'xentral'
        ? 'UPDATE links SET settled = NULL WHERE portal_id = ? AND type = ? AND xentral_id = ? AND settled IS NOT NULL'
        : 'UPDATE links SET settled = NULL WHERE portal_id = ? AND type = ? AND hubspot_id = ? AND settled IS NOT NULL',
    ).run(this.portalId, type, id);
  }

  countUnsettledLinks(type: ObjectType, fingerprint: string): number {
    return (
      this.prepare<[string, string, string], { n: number }>(
        'SELECT count(*) AS n FROM links WHERE portal_id = ? AND type = ? AND (settled IS NULL OR settled <> ?)',
      ).get(this.portalId, type, fingerprint)?.n ?? 0
    );
  }

  settleLinks(linkIds: readonly number[], fingerprint: string): void {
    const settle = this.prepare('UPDATE links SET settled = ? WHERE id = ? AND portal_id = ?');
    this.transaction(() => {
      for (const id of linkIds) settle.run(fingerprint, id, this.portalId);
    });
  }

  exchangedFields(linkId: number): Set<Field> {
    return new Set(
      this.prepare<[number], { field: string }>('SELECT field FROM link_fields WHERE link_id = ?')
        .all(linkId)
        .map((row) => row.field as Field),
    );
  }

  countLinks(type: ObjectType): number {
    return (
      this.prepare<[string, string], { n: number }>(
        'SELECT count(*) AS n FROM links WHERE portal_id = ? AND type = ?',
      ).get(this.portalId, type)?.n ?? 0
    );
  }

  countUnlinked(type: ObjectType): number {
    return (
      this.prepare<[string, string], { n: number }>(
        'SELECT count(*) AS n FROM records WHERE portal_id = ? AND type = ? AND link_id IS NULL',
      ).get(this.portalId, type)?.n ?? 0
    );
  }

  maxLinkId(type: ObjectType): number {
    return (
      this.prepare<[string, string], { m: number | null }>(
        'SELECT max(id) AS m FROM links WHERE portal_id = ? AND type = ?',
      ).get(this.portalId, type)?.m ?? 0
    );
  }

  /** Linked pairs with id in (afterId, maxId], oldest first, with both records and the ledger. */
  pairsAfter(
    type: ObjectType,
    afterId: number,
    maxId: number,
    limit: number,
    unsettledUnder?: string,
  ): PairRow[] {
    const rows = this.prepare<
      [string, string, string, string, number, number, string | null, string | null, number],
      LinkRow & { xdata: string | null; hdata: string | null }
    >(
      `SELECT l.id, l.type, l.xentral_id, l.hubspot_id, l.matched_by, x.data AS xdata, h.data AS hdata
           FROM links l
           LEFT JOIN records x ON x.portal_id = ? AND x.system = 'xentral' AND x.type = l.type AND x.id = l.xentral_id
           LEFT JOIN records h ON h.portal_id = ? AND h.system = 'hubspot' AND h.type = l.type AND h.id = l.hubspot_id
          WHERE l.portal_id = ? AND l.type = ? AND l.id > ? AND l.id <= ?
            AND (? IS NULL OR l.settled IS NULL OR l.settled <> ?)
          ORDER BY l.id LIMIT ?`,
    ).all(
      this.portalId,
      this.portalId,
      this.portalId,
      type,
      afterId,
      maxId,
      unsettledUnder ?? null,
      unsettledUnder ?? null,
      limit,
    );
    if (rows.length === 0) return [];
    // Only the links returned: pairs left unsettled are sparse, and a range from the first to
    // the last would read the ledger of every settled link in between.
    const ids = JSON.stringify(rows.map((row) => row.id));
    // One row per link rather than per field: a run reads every ledger row, and building a
    // JavaScript object for each of them cost more than the query itself.
    const exchanged = new Map<number, Set<Field>>();
    for (const row of this.prepare<[string], { link_id: number; fields: string }>(
      `SELECT link_id, group_concat(field, ',') AS fields FROM link_fields
          WHERE link_id IN (SELECT value FROM json_each(?)) GROUP BY link_id`,
    ).all(ids)) {
      exchanged.set(row.link_id, new Set(row.fields.split(',') as Field[]));
    }
    const frozen = new Map<number, Set<Field>>();
    for (const row of this.prepare<[string, string], { link_id: number; field: string }>(
      `SELECT link_id, field FROM conflicts
          WHERE portal_id = ? AND status = 'open' AND kind = 'field'
            AND link_id IN (SELECT value FROM json_each(?))`,
    ).all(this.portalId, ids)) {
      let set = frozen.get(row.link_id);
      if (!set) frozen.set(row.link_id, (set = new Set()));
      set.add(row.field as Field);
    }
    return rows.map((row) => ({
      link: toLink(row),
      xentral: row.xdata === null ? undefined : (JSON.parse(row.xdata) as unknown),
      hubspot: row.hdata === null ? undefined : (JSON.parse(row.hdata) as unknown),
      exchanged: exchanged.get(row.id) ?? new Set(),
      frozen: frozen.get(row.id) ?? new Set(),
    }));
  }

  /** The next match keys (ascending, after `afterKey`) that have unlinked records. */
  unlinkedKeysAfter(type: ObjectType, afterKey: string, limit: number): string[] {
    return this.prepare<[string, string, string, number], { match_key: string }>(
      `SELECT DISTINCT match_key FROM records
          WHERE portal_id = ? AND type = ? AND link_id IS NULL AND match_key > ?
          ORDER BY match_key LIMIT ?`,
    )
      .all(this.portalId, type, afterKey, limit)
      .map((row) => row.match_key);
  }

  /**
   * Every record (both systems, linked or not) with one of these keys, plus HubSpot records
   * that carry the id of an unlinked Xentral record among them.
   */
  recordsForKeys(type: ObjectType, keys: readonly string[]): StoredRecord[] {
    if (keys.length === 0) return [];
    const placeholders = keys.map(() => '?').join(',');
    const rows = this.prepare<unknown[], RecordRow>(
      `SELECT system, type, id, match_key, xentral_ref, updated_ms, data, link_id FROM records
          WHERE portal_id = ? AND type = ? AND match_key IN (${placeholders})`,
    ).all(this.portalId, type, ...keys);
    const unlinkedXentral = rows
      .filter((row) => row.system === 'xentral' && row.link_id === null)
      .map((row) => row.id);
    const seen = new Set(rows.map((row) => `${row.system}:${row.id}`));
    const referencing =
      unlinkedXentral.length === 0
        ? []
        : this.prepare<unknown[], RecordRow>(
            `SELECT system, type, id, match_key, xentral_ref, updated_ms, data, link_id FROM records
                WHERE portal_id = ? AND type = ? AND system = 'hubspot' AND link_id IS NULL
                  AND xentral_ref IN (${unlinkedXentral.map(() => '?').join(',')})`,
          )
            .all(this.portalId, type, ...unlinkedXentral)
            .filter((row) => !seen.has(`${row.system}:${row.id}`));
    // A HubSpot record whose Xentral origin is unlinked but belongs to another key batch is
    // planned with that batch, never twice.
    const inBatch = new Set(unlinkedXentral);
    const originUnlinked = this.prepare<[string, string, string], { id: string }>(
      `SELECT id FROM records WHERE portal_id = ? AND system = 'xentral' AND type = ? AND id = ? AND link_id IS NULL`,
    );
    const own = rows.filter(
      (row) =>
        row.system !== 'hubspot' ||
        row.link_id !== null ||
        row.xentral_ref === '' ||
        inBatch.has(row.xentral_ref) ||
        originUnlinked.get(this.portalId, type, row.xentral_ref) === undefined,
    );
    return [...own, ...referencing].map((row) => ({
      system: row.system,
      id: row.id,
      data: JSON.parse(row.data) as unknown,
      linked: row.link_id !== null,
      xentralRef: row.xentral_ref,
    }));
  }

  keylessUnlinked(type: ObjectType, afterId: string, limit: number): StoredRecord[] {
    // afterId is "system:id" of the last record seen ('' to start). Comparing (system, id) as a
    // row value walks the partial index of unlinked records in order instead of sorting them all.
    const colon = afterId.indexOf(':');
    const after = colon < 0 ? ['', ''] : [afterId.slice(0, colon), afterId.slice(colon + 1)];
    return this.prepare<[string, string, string, string, number], RecordRow>(
      `SELECT system, type, id, match_key, xentral_ref, updated_ms, data, link_id FROM records
          WHERE portal_id = ? AND type = ? AND link_id IS NULL AND match_key = ''
            AND (system, id) > (?, ?)
          ORDER BY system, id LIMIT ?`,
    )
      .all(this.portalId, type, after[0]!, after[1]!, limit)
      .map((row) => ({
        system: row.system,
        id: row.id,
        data: JSON.parse(row.data) as unknown,
        linked: false,
        xentralRef: row.xentral_ref,
      }));
  }

  // ---- what was already reported ----------------------------------------------------------

  /** Conflicts that must not be raised again: open ones, and ambiguities an admin chose to keep. */
  knownConflictKeys(type: ObjectType): Set<string> {
    return new Set(
      this.prepare<[string, string], { key: string }>(
        `SELECT key FROM conflicts WHERE portal_id = ? AND type = ?
             AND (status = 'open' OR (kind = 'ambiguous' AND resolution = 'keep'))`,
      )
        .all(this.portalId, type)
        .map((row) => row.key),
    );
  }

  knownSkips(type: ObjectType | 'deal'): Map<string, string> {
    return new Map(
      this.prepare<[string, string], { system: string; id: string; signature: string }>(
        'SELECT system, id, signature FROM skips WHERE portal_id = ? AND type = ?',
      )
        .all(this.portalId, type)
        .map((row) => [`${row.system}:${row.id}`, row.signature]),
    );
  }

  knownSkip(type: ObjectType | 'deal', system: System, id: string): string | undefined {
    return this.prepare<[string, string, string, string], { signature: string }>(
      'SELECT signature FROM skips WHERE portal_id = ? AND system = ? AND type = ? AND id = ?',
    ).get(this.portalId, system, type, id)?.signature;
  }

  rememberSkip(type: ObjectType | 'deal', system: System, id: string, signature: string): void {
    this.prepare(
      `INSERT INTO skips (portal_id, system, type, id, signature) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (portal_id, system, type, id) DO UPDATE SET signature = excluded.signature`,
    ).run(this.portalId, system, type, id, signature);
  }

  // ---- pending creates (Xentral) ------------------------------------------------------------

  addPendingCreate(
    type: ObjectType,
    intent: { sourceId: string; matchKey: string; lookup: string; exchanged: readonly Field[] },
    runId: number,
    at: string,
  ): void {
    this.prepare(
      `INSERT INTO pending_creates (portal_id, type, source_id, match_key, lookup, exchanged, run_id, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (portal_id, type, source_id) DO UPDATE SET match_key = excluded.match_key,
           lookup = excluded.lookup, exchanged = excluded.exchanged, run_id = excluded.run_id,
           created_at = excluded.created_at`,
    ).run(
      this.portalId,
      type,
      intent.sourceId,
      intent.matchKey,
      intent.lookup,
      JSON.stringify(intent.exchanged),
      runId,
      at,
    );
  }

  /** Xentral gave no answer to this create: it may still be carried out. */
  markCreateUncertain(type: ObjectType, sourceId: string, at: string): void {
    this.prepare(
      'UPDATE pending_creates SET uncertain_at = ? WHERE portal_id = ? AND type = ? AND source_id = ?',
    ).run(at, this.portalId, type, sourceId);
  }

  removePendingCreate(type: ObjectType, sourceId: string): void {
    this.prepare(
      'DELETE FROM pending_creates WHERE portal_id = ? AND type = ? AND source_id = ?',
    ).run(this.portalId, type, sourceId);
  }

  pendingCreates(type: ObjectType): {
    sourceId: string;
    matchKey: string;
    lookup: string;
    exchanged: Field[];
    createdAt: string;
    uncertainAt: string | null;
  }[] {
    return this.prepare<
      [string, string],
      {
        source_id: string;
        match_key: string;
        lookup: string;
        exchanged: string;
        created_at: string;
        uncertain_at: string | null;
      }
    >(
      `SELECT source_id, match_key, lookup, exchanged, created_at, uncertain_at FROM pending_creates
          WHERE portal_id = ? AND type = ?`,
    )
      .all(this.portalId, type)
      .map((row) => ({
        sourceId: row.source_id,
        matchKey: row.match_key,
        lookup: row.lookup,
        exchanged: JSON.parse(row.exchanged) as Field[],
        createdAt: row.created_at,
        uncertainAt: row.uncertain_at,
      }));
  }

  // ---- writes sent but not committed (HubSpot creates, updates on both sides) ------------------

  addPendingWrites(writes: readonly PendingWrite[], runId: number, at: string): void {
    const insert = this.prepare(
      `INSERT INTO pending_writes (portal_id, type, target, kind, record_id, label, changes, run_id, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (portal_id, type, target, kind, record_id) DO UPDATE SET label = excluded.label,
         changes = excluded.changes, run_id = excluded.run_id, created_at = excluded.created_at`,
    );
    this.db.transaction(() => {
      for (const write of writes) {
        insert.run(
          this.portalId,
          write.type,
          write.target,
          write.kind,
          write.recordId,
          write.label,
          JSON.stringify(write.changes),
          runId,
          at,
        );
      }
    })();
  }

  removePendingWrite(
    type: ObjectType,
    target: System,
    kind: PendingWrite['kind'],
    recordId: string,
  ): void {
    this.prepare(
      `DELETE FROM pending_writes
          WHERE portal_id = ? AND type = ? AND target = ? AND kind = ? AND record_id = ?`,
    ).run(this.portalId, type, target, kind, recordId);
  }

  /** Removes and returns a pending write, if there is one. */
  takePendingWrite(
    type: ObjectType,
    target: System,
    kind: PendingWrite['kind'],
    recordId: string,
  ): PendingWrite | undefined {
    const row = this.prepare<
      [string, string, string, string, string],
      { label: string; changes: string }
    >(
      `SELECT label, changes FROM pending_writes
          WHERE portal_id = ? AND type = ? AND target = ? AND kind = ? AND record_id = ?`,
    ).get(this.portalId, type, target, kind, recordId);
    if (!row) return undefined;
    this.removePendingWrite(type, target, kind, recordId);
    return {
      type,
      target,
      kind,
      recordId,
      label: row.label,
      changes: JSON.parse(row.changes) as PendingWrite['changes'],
    };
  }

  // ---- deal synchronisation -------------------------------------------------------------------

  addDealBaseline(orderIds: readonly string[], activatedAt: string): void {
    const insert = this.prepare(
      `INSERT INTO deal_baseline (portal_id, order_id, activated_at) VALUES (?, ?, ?)
       ON CONFLICT (portal_id, order_id) DO NOTHING`,
    );
    this.db.transaction(() => {
      for (const id of orderIds) insert.run(this.portalId, id, activatedAt);
    })();
  }

  /**
   * Indexed orders that have no deal yet and were not already released at activation,
   * in id order after `afterId`.
   */
  ordersWithoutDeal(afterId: string, limit: number): unknown[] {
    return this.prepare<[string, string, number], { data: string }>(
      `SELECT r.data FROM records r
          WHERE r.portal_id = ? AND r.system = 'xentral' AND r.type = 'order' AND r.id > ?
            AND NOT EXISTS (SELECT 1 FROM links l WHERE l.portal_id = r.portal_id AND l.type = 'deal'
                              AND l.xentral_id = r.id)
            AND NOT EXISTS (SELECT 1 FROM deal_baseline b WHERE b.portal_id = r.portal_id
                              AND b.order_id = r.id)
          ORDER BY r.id LIMIT ?`,
    )
      .all(this.portalId, afterId, limit)
      .map((row) => JSON.parse(row.data) as unknown);
  }

  // ---- run items and conflicts --------------------------------------------------------------

  addItem(runId: number, item: NewRunItem, at: string): void {
    this.prepare(
      `INSERT INTO run_items (run_id, type, direction, action, xentral_id, hubspot_id, label, changes, reason,
           reason_code, reason_params, at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(
      runId,
      item.type,
      item.direction,
      item.action,
      item.xentralId,
      item.hubspotId,
      item.label,
      JSON.stringify(item.changes ?? []),
      item.reason ?? null,
      item.reasonCode ?? null,
      JSON.stringify(item.reasonParams ?? {}),
      at,
    );
  }

  /** Stores a conflict unless the same one is open already; true when it is new. */
  insertConflict(runId: number, type: ObjectType, conflict: NewConflict, at: string): boolean {
    const result = this.prepare(
      `INSERT INTO conflicts (portal_id, key, kind, type, label, link_id, field, match_key, xentral_ids,
           hubspot_ids, xentral_value, hubspot_value, status, run_id, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'open', ?, ?)
         ON CONFLICT (portal_id, key) WHERE status = 'open' DO NOTHING`,
    ).run(
      this.portalId,
      conflict.key,
      conflict.kind,
      type,
      conflict.label,
      conflict.linkId,
      conflict.field,
      conflict.matchKey,
      JSON.stringify(conflict.xentralIds),
      JSON.stringify(conflict.hubspotIds),
      conflict.xentralValue,
      conflict.hubspotValue,
      runId,
      at,
    );
    if (result.changes > 0 && conflict.linkId !== null) this.unsettle(conflict.linkId);
    return result.changes > 0;
  }

  /**
   * Open ambiguity conflicts for these match keys that the planner no longer sees (a record was
   * changed, deleted or linked since) are retired, so the open list shows only real work.
   */
  retireAmbiguities(
    type: ObjectType,
    matchKeys: readonly string[],
    stillOpen: ReadonlySet<string>,
    at: string,
  ): void {
    if (matchKeys.length === 0) return;
    const rows = this.prepare<unknown[], { id: number; key: string }>(
      `SELECT id, key FROM conflicts WHERE portal_id = ? AND type = ? AND kind = 'ambiguous'
           AND status = 'open' AND match_key IN (${matchKeys.map(() => '?').join(',')})`,
    ).all(this.portalId, type, ...matchKeys);
    const retire = this.prepare(
      "UPDATE conflicts SET status = 'superseded', resolved_at = ? WHERE id = ?",
    );
    for (const row of rows) if (!stillOpen.has(row.key)) retire.run(at, row.id);
  }

  transaction<R>(fn: () => R): R {
    return this.db.transaction(fn)();
  }
}

export type { LedgerEntry };

export interface NewRunItem {
  type: ObjectType | 'deal';
  direction: 'xentral_to_hubspot' | 'hubspot_to_xentral' | 'none';
  action: 'created' | 'edited' | 'linked' | 'conflict' | 'skipped' | 'failed';
  xentralId: string | null;
  hubspotId: string | null;
  label: string;
  changes?: { field: string; before: string; after: string }[];
  reason?: string | null;
  reasonCode?: ReasonCode;
  reasonParams?: Record<string, string>;
}

export interface NewConflict {
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
}
