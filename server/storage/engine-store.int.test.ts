import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { hubspotIndexRow } from '../engine/index-rows';
import { buildHubSpotContact } from '../engine/test-builders';
import { openDatabase, type Db } from './db';
import { EngineStore } from './engine-store';

/** The local index against a real SQLite file. */

let dir: string;
let db: Db;
let store: EngineStore;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'xhs-store-'));
  db = openDatabase(path.join(dir, 'app.sqlite'));
  store = new EngineStore(db, '42');
});
afterEach(() => {
  db.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const contact = (updatedAt: string, city: string) =>
  hubspotIndexRow(
    'contact',
    buildHubSpotContact({ id: '101', email: 'a@example.com', updatedAt, city }),
  );

describe('the local index', () => {
  it('never goes back to an older version of a record', () => {
    expect(store.upsertRecords([contact('2026-01-05T08:00:02.000Z', 'Kiel')])).toBe(1);
    // A search index that has not caught up still serves the version before our write.
    expect(store.upsertRecords([contact('2026-01-05T08:00:01.000Z', '')])).toBe(0);
    expect(store.getRecord('hubspot', 'contact', '101')).toMatchObject({ city: 'Kiel' });
    expect(store.upsertRecords([contact('2026-01-05T08:00:02.000Z', 'Kiel')])).toBe(0);
    expect(store.upsertRecords([contact('2026-01-05T08:00:03.000Z', 'Jena')])).toBe(1);
  });

  it('drops records a system no longer has, keeping their links', () => {
    store.upsertRecords([contact('2026-01-05T08:00:02.000Z', 'Kiel')]);
    const link = store.insertLink('contact', '1', '101', 'email', '2026-01-05T08:00:03.000Z', null);
    store.removeRecords('hubspot', 'contact', ['101']);
    expect(store.getRecord('hubspot', 'contact', '101')).toBeUndefined();
    expect(store.findLinkBySide('contact', 'hubspot', '101')).toEqual(link);
    expect(store.pairsAfter('contact', 0, link.id, 10)).toMatchObject([
      { link, hubspot: undefined },
    ]);
  });
});

describe('settled pairs', () => {
  const planned = (generation: string) =>
    store.pairsAfter('contact', 0, Number.MAX_SAFE_INTEGER, 10, generation).map((p) => p.link.id);

  it('are skipped under their generation until a record, the ledger or a conflict changes', () => {
    store.upsertRecords([contact('2026-01-05T08:00:02.000Z', 'Kiel')]);
    const link = store.insertLink('contact', '1', '101', 'email', '2026-01-05T08:00:03.000Z', null);
    expect(planned('1')).toEqual([link.id]);
    expect(store.countUnsettledLinks('contact', '1')).toBe(1);

    store.settleLinks([link.id], '1');
    expect(planned('1')).toEqual([]);
    expect(store.countUnsettledLinks('contact', '1')).toBe(0);
    // Another generation (other settings, owners or rules) plans every pair again.
    expect(planned('2')).toEqual([link.id]);
    // The same version read again is no change.
    store.upsertRecords([contact('2026-01-05T08:00:02.000Z', 'Kiel')]);
    expect(planned('1')).toEqual([]);

    store.upsertRecords([contact('2026-01-05T08:00:04.000Z', 'Jena')]);
    expect(planned('1')).toEqual([link.id]);

    store.settleLinks([link.id], '1');
    store.markExchanged(link.id, ['city'], 'resolved', '2026-01-05T08:00:05.000Z', null);
    expect(planned('1')).toEqual([link.id]);

    store.settleLinks([link.id], '1');
    store.insertConflict(
      1,
      'contact',
      {
        key: `field:${link.id}:phone`,
        label: 'A',
        kind: 'field',
        linkId: link.id,
        field: 'phone',
        matchKey: null,
        xentralIds: ['1'],
        hubspotIds: ['101'],
        xentralValue: '1',
        hubspotValue: '2',
      },
      '2026-01-05T08:00:06.000Z',
    );
    expect(planned('1')).toEqual([link.id]);

    store.settleLinks([link.id], '1');
    store.removeRecords('hubspot', 'contact', ['101']);
    expect(planned('1')).toEqual([link.id]);
  });
});
