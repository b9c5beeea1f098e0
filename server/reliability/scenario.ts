import type { Mocks } from './mocks';

/**
 * The data the fault and crash tests exchange: Xentral customers and HubSpot contacts and
 * companies that partly overlap (so runs link, fill empty fields and create on both sides),
 * HubSpot users, and released orders (deals). Clean on purpose: the odd records are the
 * bad-input corpus's business, so after the faults every eligible record must end up linked.
 */

export interface ScenarioSize {
  /** Xentral person customers; HubSpot gets as many contacts, half of them the same people. */
  persons: number;
  /** Xentral companies; HubSpot gets as many, half of them the same. */
  companies: number;
  owners: number;
  /** Orders released after deal synchronisation was activated. */
  orders: number;
}

export interface Added {
  xentralCustomers: number[];
  orders: number[];
}

const SEED = 7;

/**
 * Adds a slice of the scenario, generator indexes from `offset` on, so repeated calls (the
 * crash test adds work before each run it kills) never collide with earlier slices.
 */
export function addScenario(
  mocks: Mocks,
  size: ScenarioSize,
  offset = 0,
  sides: { xentral?: boolean; hubspot?: boolean } = { xentral: true, hubspot: true },
): Added {
  const added: Added = { xentralCustomers: [], orders: [] };
  if (sides.xentral !== false) {
    const summary = mocks.xentral.seed({
      seed: SEED,
      append: true,
      persons: size.persons,
      companies: size.companies,
      employees: 0,
      projects: 0,
      draftOrders: 0,
      releasedOrders: 0,
      personStartIndex: offset,
      companyStartIndex: offset,
      withoutEmailEvery: 0,
      duplicateEmailEvery: 0,
    });
    const { first, last } = summary.customerIds;
    if (first !== null && last !== null) {
      for (let id = first; id <= last; id++) added.xentralCustomers.push(id);
    }
  }
  const portal = mocks.hubspot.store.portal(mocks.hubId);
  const before = {
    contacts: portal?.tables.contacts.ordered.length ?? 0,
    companies: portal?.tables.companies.ordered.length ?? 0,
  };
  if (sides.hubspot !== false) {
    const half = (n: number) => Math.floor(n / 2);
    mocks.hubspot.seed({
      seed: SEED,
      hubId: mocks.hubId,
      contacts: size.persons,
      companies: size.companies,
      owners: size.owners,
      contactStartIndex: offset + half(size.persons),
      companyStartIndex: offset + half(size.companies),
      ownerStartIndex: 900_000 + offset,
    });
  }
  stampNow(mocks, before);
  blankSomeFields(mocks, added.xentralCustomers, before);
  if (size.orders > 0 && added.xentralCustomers.length > 0) {
    const store = mocks.xentral.store;
    for (let k = 0; k < size.orders; k++) {
      const customerId = added.xentralCustomers[(k * 7) % added.xentralCustomers.length]!;
      const order = store.createOrder({
        customerId,
        grossCents: 1_000 + ((k * 7919) % 250_000),
        currency: k % 5 === 3 ? 'CHF' : 'EUR',
      });
      added.orders.push(store.releaseOrder(order.id).id);
    }
  }
  return added;
}

/**
 * HubSpot's seed dates its records some seconds into the past; records a user adds now carry
 * now. (The app reads changes after its cursor: a record dated before the last run would be a
 * record HubSpot's search showed late — what the app's search lag is for, and the tests run
 * without that lag.)
 */
function stampNow(mocks: Mocks, before: { contacts: number; companies: number }): void {
  const portal = mocks.hubspot.store.portal(mocks.hubId);
  if (!portal) return;
  const nowMs = mocks.hubspot.store.nowMs();
  const iso = new Date(nowMs).toISOString();
  for (const [table, from, property] of [
    [portal.tables.contacts, before.contacts, 'lastmodifieddate'],
    [portal.tables.companies, before.companies, 'hs_lastmodifieddate'],
  ] as const) {
    for (const record of table.ordered.slice(from)) {
      record.createdAtMs = nowMs;
      record.updatedAtMs = nowMs;
      record.properties.set('createdate', iso);
      record.properties.set(property, iso);
    }
  }
}

/**
 * The same people on both sides start identical; emptying a field on one side of some of them
 * gives the runs fields to fill (RULES.md, rule 3), on both sides.
 */
function blankSomeFields(
  mocks: Mocks,
  xentralIds: readonly number[],
  hubspotBefore: { contacts: number; companies: number },
): void {
  const store = mocks.xentral.store;
  xentralIds.forEach((id, position) => {
    const row = store.getAdresse(id);
    if (!row || position % 3 !== 0) return;
    store.replaceAdresse(row.typ === 'firma' ? { ...row, telefon: '' } : { ...row, mobil: '' });
  });
  const portal = mocks.hubspot.store.portal(mocks.hubId);
  if (!portal) return;
  portal.tables.contacts.ordered.slice(hubspotBefore.contacts).forEach((record, position) => {
    if (position % 4 === 1) record.properties.delete('phone');
  });
  portal.tables.companies.ordered.slice(hubspotBefore.companies).forEach((record, position) => {
    if (position % 4 === 1) record.properties.delete('city');
  });
}

/**
 * An employee in Xentral for every HubSpot owner, named as the owner is: what an admin of a
 * stock Xentral does by hand, since its public API cannot create employees. Owners that
 * already have one are left alone, so it can be called after each slice of the scenario.
 */
export function addEmployeesForOwners(mocks: Mocks): void {
  const named = new Set(mocks.state().xentral.employees.map((employee) => employee.name));
  for (const owner of mocks.hubspot.store.portal(mocks.hubId)?.owners ?? []) {
    const name = `${owner.firstName ?? ''} ${owner.lastName ?? ''}`;
    if (named.has(name)) continue;
    named.add(name);
    mocks.xentral.store.createEmployee({ type: 'mrs', name });
  }
}
