import type { ReasonCode } from '../../shared/api/runs';
import {
  COUNT_OF_ACTION,
  EMPTY_COUNTS,
  RunItem,
  RunSummary,
  type ItemAction,
  type ItemObjectType,
  type RunCounts,
  type RunCountsRow,
  type RunKind,
  type RunStatus,
  type RunTrigger,
} from '../../shared/api/runs';
import type { Db } from './db';

/** Which of a run's records to read; an absent field matches every record. */
export interface RunItemFilter {
  action?: ItemAction | undefined;
  type?: ItemObjectType | undefined;
}

interface RunRow {
  id: number;
  portal_id: string | null;
  kind: string;
  trigger: string;
  status: string;
  started_at: string;
  finished_at: string | null;
  message: string | null;
  message_code: string | null;
  message_params: string;
}

/** The run log: one row per run; its counts are kept beside its items by a database trigger. */
export class RunStore {
  constructor(private readonly db: Db) {}

  start(kind: RunKind, trigger: RunTrigger, portalId: string | null, at: string): number {
    const result = this.db
      .prepare(
        "INSERT INTO runs (portal_id, kind, trigger, status, started_at) VALUES (?, ?, ?, 'running', ?)",
      )
      .run(portalId, kind, trigger, at);
    return Number(result.lastInsertRowid);
  }

  finish(
    id: number,
    status: Exclude<RunStatus, 'running'>,
    message: string | null,
    at: string,
    code?: { code: ReasonCode; params?: Record<string, string> },
  ): void {
    this.db
      .prepare(
        `UPDATE runs SET status = ?, message = ?, message_code = ?, message_params = ?, finished_at = ?
          WHERE id = ?`,
      )
      .run(status, message, code?.code ?? null, JSON.stringify(code?.params ?? {}), at, id);
  }

  /** At start-up: runs left "running" by a process that died are shown as interrupted. */
  markInterrupted(at: string): number[] {
    const ids = this.db
      .prepare<[], { id: number }>("SELECT id FROM runs WHERE status = 'running'")
      .all()
      .map((row) => row.id);
    this.db
      .prepare(
        `UPDATE runs SET status = 'interrupted', finished_at = ?,
           message = coalesce(message, 'The app stopped while this run was active; the next run completes its work.'),
           message_code = coalesce(message_code, 'interrupted')
         WHERE status = 'running'`,
      )
      .run(at);
    return ids;
  }

  active(): number | undefined {
    return this.db
      .prepare<[], { id: number }>(
        "SELECT id FROM runs WHERE status = 'running' ORDER BY id DESC LIMIT 1",
      )
      .get()?.id;
  }

  counts(runId: number): { totals: RunCounts; rows: RunCountsRow[] } {
    const groups = this.db
      .prepare<[number], { type: string; direction: string; action: string; n: number }>(
        'SELECT type, direction, action, n FROM run_counts WHERE run_id = ?',
      )
      .all(runId);
    const totals: RunCounts = { ...EMPTY_COUNTS };
    const rows = new Map<string, RunCountsRow>();
    for (const group of groups) {
      const field = COUNT_OF_ACTION[group.action as ItemAction];
      totals[field] += group.n;
      const key = `${group.type}|${group.direction}`;
      let row = rows.get(key);
      if (!row) {
        row = {
          ...EMPTY_COUNTS,
          type: group.type as RunCountsRow['type'],
          direction: group.direction as RunCountsRow['direction'],
        };
        rows.set(key, row);
      }
      row[field] += group.n;
    }
    return { totals, rows: [...rows.values()] };
  }

  summary(id: number): RunSummary | undefined {
    const row = this.db
      .prepare<[number], RunRow>(
        'SELECT id, portal_id, kind, trigger, status, started_at, finished_at, message, message_code, message_params FROM runs WHERE id = ?',
      )
      .get(id);
    return row ? this.toSummary(row) : undefined;
  }

  list(limit: number, beforeId?: number): RunSummary[] {
    const rows = this.db
      .prepare<[number, number], RunRow>(
        `SELECT id, portal_id, kind, trigger, status, started_at, finished_at, message, message_code,
           message_params FROM runs WHERE id < ? ORDER BY id DESC LIMIT ?`,
      )
      .all(beforeId ?? Number.MAX_SAFE_INTEGER, limit);
    return rows.map((row) => this.toSummary(row));
  }

  /** A page of a run's records in the order they were logged, of one action/type if given. */
  items(runId: number, limit: number, afterId = 0, filter: RunItemFilter = {}): RunItem[] {
    const where = ['run_id = ?', 'id > ?'];
    const args: (string | number)[] = [runId, afterId];
    if (filter.action !== undefined) {
      where.push('action = ?');
      args.push(filter.action);
    }
    if (filter.type !== undefined) {
      where.push('type = ?');
      args.push(filter.type);
    }
    return this.db
      .prepare<
        (string | number)[],
        {
          id: number;
          type: string;
          direction: string;
          action: string;
          xentral_id: string | null;
          hubspot_id: string | null;
          label: string;
          changes: string;
          reason: string | null;
          reason_code: string | null;
          reason_params: string;
          at: string;
        }
      >(
        `SELECT id, type, direction, action, xentral_id, hubspot_id, label, changes, reason, reason_code,
           reason_params, at
           FROM run_items WHERE ${where.join(' AND ')} ORDER BY id LIMIT ?`,
      )
      .all(...args, limit)
      .map((row) =>
        RunItem.parse({
          id: row.id,
          type: row.type,
          direction: row.direction,
          action: row.action,
          xentralId: row.xentral_id,
          hubspotId: row.hubspot_id,
          label: row.label,
          changes: JSON.parse(row.changes) as unknown,
          reason: row.reason,
          reasonCode: row.reason_code,
          reasonParams: JSON.parse(row.reason_params) as unknown,
          at: row.at,
        }),
      );
  }

  private toSummary(row: RunRow): RunSummary {
    const { totals, rows } = this.counts(row.id);
    const duration =
      row.finished_at === null ? null : Date.parse(row.finished_at) - Date.parse(row.started_at);
    return RunSummary.parse({
      id: row.id,
      kind: row.kind,
      trigger: row.trigger,
      status: row.status,
      portalId: row.portal_id,
      startedAt: row.started_at,
      finishedAt: row.finished_at,
      durationMs: duration === null ? null : Math.max(0, duration),
      message: row.message,
      messageCode: row.message_code,
      messageParams: JSON.parse(row.message_params) as unknown,
      totals,
      counts: rows,
    });
  }
}
