import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from './db';
import { EngineStore } from './engine-store';
import { RunStore } from './run-store';

/** The run log against a real SQLite file. */

const AT = '2026-03-02T09:30:00.000Z';

let dir: string;
let db: Db;
let runs: RunStore;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'xhs-runs-'));
  db = openDatabase(path.join(dir, 'app.sqlite'));
  runs = new RunStore(db);
});
afterEach(() => {
  db.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

/** How SQLite reads the records of a run with this filter, as EXPLAIN QUERY PLAN says it. */
function plan(filter: string): string {
  return db
    .prepare<unknown[], { detail: string }>(
      `EXPLAIN QUERY PLAN SELECT * FROM run_items WHERE run_id = ? AND id > ? ${filter}
         ORDER BY id LIMIT ?`,
    )
    .all(1, 0, ...(filter.match(/\?/g) ?? []).map(() => 'x'), 100)
    .map((row) => row.detail)
    .join(' | ');
}

describe("a run's records", () => {
  it('are read by an index that leads straight to those of one action or type', () => {
    expect(plan('')).toMatch(/USING INDEX run_items_by_run \(run_id=\? AND id>\?\)/);
    expect(plan('AND action = ?')).toMatch(
      /USING INDEX run_items_by_action \(run_id=\? AND action=\? AND id>\?\)/,
    );
    expect(plan('AND type = ?')).toMatch(
      /USING INDEX run_items_by_type \(run_id=\? AND type=\? AND id>\?\)/,
    );
    // Neither sorts: the index gives the records in id order.
    for (const filter of ['', 'AND action = ?', 'AND type = ?', 'AND action = ? AND type = ?']) {
      expect(plan(filter), filter).not.toMatch(/TEMP B-TREE/);
    }
  });

  it('of one action and type are those after the cursor, in the order they were logged', () => {
    const id = runs.start('sync', 'manual', null, AT);
    const other = runs.start('sync', 'manual', null, AT);
    const store = new EngineStore(db, 'portal');
    db.transaction(() => {
      for (let n = 0; n < 300; n++) {
        store.addItem(
          n % 2 === 0 ? id : other,
          {
            type: n % 3 === 0 ? 'company' : 'contact',
            direction: 'xentral_to_hubspot',
            action: n % 5 === 0 ? 'skipped' : 'created',
            xentralId: String(n),
            hubspotId: null,
            label: `record ${n}`,
          },
          AT,
        );
      }
    })();
    const expected = Array.from({ length: 300 }, (_, n) => n)
      .filter((n) => n % 2 === 0 && n % 3 === 0 && n % 5 === 0)
      .map(String);
    const filter = { action: 'skipped', type: 'company' } as const;
    const all = runs.items(id, 1_000, 0, filter);
    expect(all.map((item) => item.xentralId)).toEqual(expected);
    const cursor = all[3]!.id;
    expect(runs.items(id, 2, cursor, filter).map((item) => item.xentralId)).toEqual(
      expected.slice(4, 6),
    );
  });
});
