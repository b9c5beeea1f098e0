import { afterEach, describe, expect, it } from 'vitest';
import type { Baseline } from './invariants';
import { addEmployeesForOwners, addScenario } from './scenario';
import { ALL_STAGES, startWorld, type World } from './world';

/**
 * HubSpot's search index shows a change some time after it was made — seconds, under load
 * minutes — with the time it was made. The mock's index trails by as long as it is told
 * (`searchIndexLagMs`), and the world's clock moves on between runs, so minutes pass in
 * milliseconds. A change invisible to search for 60 s is found by the re-read overlap; one
 * invisible for 10 minutes by the periodic reconciliation over the objects list. Either way it
 * is exchanged exactly once, and an unchanged world still costs a few requests per run.
 */

let w: World;
afterEach(() => w?.close());

const MINUTE = 60_000;

async function setSearchLag(ms: number): Promise<void> {
  const answer = await fetch(`${w.mocks.hubspot.url}/__mock/settings`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ searchIndexLagMs: ms }),
  });
  expect(answer.status).toBe(200);
}

async function addContact(properties: Record<string, string>): Promise<string> {
  const created = await w.hubspotClient.crm.contacts.basicApi.create({
    properties: { lifecyclestage: 'customer', ...properties },
    associations: [],
  });
  return created.id;
}

function xentralPerson(email: string) {
  return w.mocks.state().xentral.persons.filter((row) => row.email === email);
}

function xentralCompany(name: string) {
  return w.mocks.state().xentral.companies.filter((row) => row.name === name);
}

/** Pages of the objects list that walk every contact and company, 100 records a page. */
function listPages(): number {
  const { contacts, companies } = w.mocks.state().hubspot;
  return Math.ceil(contacts.length / 100) + Math.ceil(companies.length / 100);
}

/** HubSpot requests per endpoint since the stats were last reset. */
function hubspotRequests(): Record<string, number> {
  return Object.fromEntries(
    Object.entries(w.mocks.hubspot.stats.snapshot().endpoints).map(([endpoint, entry]) => [
      endpoint,
      entry.count,
    ]),
  );
}

function totalRequests(): number {
  return w.mocks.hubspot.stats.snapshot().total + w.mocks.xentral.stats.snapshot().total;
}

function resetStats(): void {
  w.mocks.hubspot.stats.reset();
  w.mocks.xentral.stats.reset();
}

const LIST = 'GET /crm/v3/objects/:objectType';

/**
 * A synced world, then — with search trailing by `lagMs` — a city added in HubSpot to a
 * contact Xentral already has, and a new contact and company. Returns the baseline for the
 * invariants: Xentral as before the first run, HubSpot as the test left it.
 */
async function arrange(lagMs: number, reconcileEveryMs: number, xentralExtensions: boolean) {
  w = await startWorld({ exchangeOptions: { reconcileEveryMs }, xentralExtensions });
  w.settings = { ...w.settings, lifecycleStages: ALL_STAGES };
  addScenario(w.mocks, { persons: 150, companies: 30, owners: 2, orders: 0 });
  if (!xentralExtensions) addEmployeesForOwners(w.mocks);
  const anna = await addContact({ email: 'anna.late@example.com', firstname: 'Anna' });
  const baseline: Baseline = w.baseline();
  expect((await w.run('sync')).status).toBe('succeeded');
  expect(xentralPerson('anna.late@example.com')).toMatchObject([{ ort: '' }]);
  const afterFirstRun = w.baseline();

  await setSearchLag(lagMs);
  await w.hubspotClient.crm.contacts.basicApi.update(anna, { properties: { city: 'Lübeck' } });
  await addContact({ email: 'ben.late@example.com', firstname: 'Ben' });
  await w.hubspotClient.crm.companies.basicApi.create({
    properties: { name: 'Spät & Co KG', domain: 'spaet.example', lifecyclestage: 'customer' },
    associations: [],
  });
  // What the test changed or added in HubSpot is part of the world the runs start from.
  for (const [key, content] of w.baseline().records) {
    const bySelf = afterFirstRun.records.get(key) !== content;
    if (key.startsWith('hubspot:') && bySelf) baseline.records.set(key, content);
  }
  return baseline;
}

function expectNotYet(): void {
  expect(xentralPerson('anna.late@example.com')[0]?.ort).toBe('');
  expect(xentralPerson('ben.late@example.com')).toEqual([]);
  expect(xentralCompany('Spät & Co KG')).toEqual([]);
}

function expectExchangedOnce(): void {
  expect(xentralPerson('anna.late@example.com')).toMatchObject([{ ort: 'Lübeck' }]);
  expect(xentralPerson('ben.late@example.com')).toHaveLength(1);
  expect(xentralCompany('Spät & Co KG')).toHaveLength(1);
}

function expectSound(baseline: Baseline): void {
  const report = w.check(baseline, {
    exported: true,
    imported: true,
    lifecycleStages: ALL_STAGES,
    deals: false,
    allLinked: true,
    settled: true,
  });
  expect(report.problems).toEqual([]);
  expect(report.figures).toMatchObject({ lost: 0, duplicated: 0 });
}

// With the employee extension routes, and on a stock Xentral, which lists employees by name.
describe.each([
  { xentral: 'with extension routes', extensions: true },
  { xentral: 'stock', extensions: false },
])(
  'a HubSpot change that reaches search late is still exchanged ($xentral Xentral)',
  ({ extensions }) => {
    it('60 s late: by the re-read overlap behind the cursor, without a reconciliation', async () => {
      const baseline = await arrange(MINUTE, 24 * 60 * MINUTE, extensions);
      resetStats();

      await w.run('sync');
      expectNotYet();
      w.mocks.advance(30_000);
      await w.run('sync');
      expectNotYet();
      // Visible now, dated more than a minute before: behind the cursor of the last run.
      w.mocks.advance(35_000);
      expect((await w.run('sync')).status).toBe('succeeded');
      expectExchangedOnce();
      expect(hubspotRequests()[LIST]).toBeUndefined();

      w.mocks.advance(5 * MINUTE);
      const again = await w.run('sync');
      expect(w.runs.summary(again.runId)!.totals).toMatchObject({ created: 0, edited: 0 });
      expectSound(baseline);
    });

    it('10 minutes late: by the periodic reconciliation, where the overlap no longer reaches', async () => {
      const baseline = await arrange(10 * MINUTE, 30 * MINUTE, extensions);

      await w.run('sync');
      expectNotYet();
      w.mocks.advance(5 * MINUTE);
      await w.run('sync');
      expectNotYet();
      // Visible to search now, but dated 11 minutes back: before the overlap of this run.
      w.mocks.advance(6 * MINUTE);
      await w.run('sync');
      expectNotYet();

      w.mocks.advance(20 * MINUTE);
      resetStats();
      const reconciled = await w.run('sync');
      expect(reconciled.status).toBe('succeeded');
      expectExchangedOnce();
      // Every record listed, 100 a page.
      expect(hubspotRequests()[LIST]).toBe(listPages());
      const items = w.runs.items(reconciled.runId, 100);
      expect(items.filter((item) => item.action === 'created')).toHaveLength(2);
      expect(items).toContainEqual(
        expect.objectContaining({
          action: 'edited',
          direction: 'hubspot_to_xentral',
          changes: [{ field: 'city', before: '', after: 'Lübeck' }],
        }),
      );

      w.mocks.advance(5 * MINUTE);
      const again = await w.run('sync');
      expect(w.runs.summary(again.runId)!.totals).toMatchObject({ created: 0, edited: 0 });
      expectSound(baseline);
    });

    it('an unchanged world costs five requests a run between reconciliations', async () => {
      await arrange(0, 30 * MINUTE, extensions);
      await w.run('sync');
      w.mocks.advance(5 * MINUTE);
      // This run reads back what the last one wrote, to see that nobody changed it since.
      await w.run('sync');
      for (let run = 0; run < 3; run++) {
        w.mocks.advance(5 * MINUTE);
        resetStats();
        const result = await w.run('sync');
        expect(w.runs.items(result.runId, 100)).toEqual([]);
        // The owners, one search per HubSpot type, one read per Xentral list.
        expect(totalRequests()).toBe(5);
      }
      w.mocks.advance(20 * MINUTE);
      resetStats();
      await w.run('sync');
      expect(totalRequests()).toBe(5 + listPages());
    });
  },
);

describe('the reconciliation', () => {
  it('takes a record deleted in HubSpot out of the index: its link stays, nothing is written to it', async () => {
    w = await startWorld({ exchangeOptions: { reconcileEveryMs: 30 * MINUTE } });
    const created = await w.xentral.createCustomer({
      type: 'mr',
      name: 'Gustav Gelöscht',
      email: 'gone@example.com',
      country: 'DE',
    });
    if (!created.ok) throw new Error(created.error);
    await w.run('sync');
    const link = w.store.findLinkBySide('contact', 'xentral', created.record.id);
    expect(link).toBeDefined();
    await w.hubspotClient.crm.contacts.basicApi.archive(link!.hubspotId);
    const edited = await w.xentral.updateCustomer(created.record.id, { phone: '+49 40 1' });
    if (!edited.ok) throw new Error(edited.error);

    w.mocks.advance(31 * MINUTE);
    resetStats();
    const result = await w.run('sync');
    expect(hubspotRequests()[LIST]).toBeGreaterThan(0);
    expect(w.store.getRecord('hubspot', 'contact', link!.hubspotId)).toBeUndefined();
    expect(w.store.findLinkBySide('contact', 'xentral', created.record.id)).toEqual(link);
    // A linked record deleted in one system is neither re-created nor written to.
    expect(w.runs.items(result.runId, 100)).toEqual([]);
    expect(w.mocks.state().hubspot.contacts).toEqual([]);
  });
});
