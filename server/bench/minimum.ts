/**
 * The fewest requests the two APIs allow for a job, from record counts and the vendors' page
 * and batch sizes alone: what any client would have to send, not what our engine happens to
 * send. Each part carries its formula, so the report can show how a minimum was reached.
 */

/** HubSpot batch create/update/upsert take at most 100 inputs. */
export const HUBSPOT_BATCH = 100;
/** CRM search pages hold at most 200 results. */
export const HUBSPOT_SEARCH_PAGE = 200;
/** GET /crm/v3/owners takes limit ≤ 500. */
export const HUBSPOT_OWNERS_PAGE = 500;
/** GET /api/v3/customers: perPage ≤ 100. */
export const XENTRAL_V3_PAGE = 100;
/** Xentral v1 lists (employees): page[size] ≤ 50. */
export const XENTRAL_V1_PAGE = 50;
/** GET /api/v3/salesOrders: perPage ≤ 1,000 (the mock's and the adapter's page). */
export const XENTRAL_ORDERS_PAGE = 1000;

export interface Workload {
  /** First run against the portal: the unique xentral_id property is created per object type. */
  setupProperties: boolean;
  /** Active HubSpot owners (listed on every run: owners have no change feed). */
  hubspotOwners: number;
  /** HubSpot records in the run's read window, per object type (0 = nothing changed). */
  hubspotRead: { contact: number; company: number };
  /** Xentral customers (persons and companies, one endpoint) in the read window. */
  xentralCustomersRead: number;
  xentralEmployeesRead: number;
  hubspotCreates: { contact: number; company: number };
  hubspotUpdates: { contact: number; company: number };
  /** Xentral takes one record per write: customers and employees, created or changed. */
  xentralCreates: number;
  xentralUpdates: number;
  /** Deal sync: released orders to turn into deals (0 when the job has none). */
  deals?: number;
}

export interface MinimumPart {
  api: 'hubspot' | 'xentral';
  label: string;
  formula: string;
  requests: number;
}

export interface Minimum {
  hubspot: number;
  xentral: number;
  total: number;
  parts: MinimumPart[];
}

/** Pages needed to read `count` records; an empty window still takes one request to see it. */
export function pages(count: number, pageSize: number): number {
  return Math.max(1, Math.ceil(count / pageSize));
}

/** Batches needed to write `count` records; nothing to write costs nothing. */
export function batches(count: number, batchSize: number): number {
  return Math.ceil(count / batchSize);
}

const fmt = (value: number) => value.toLocaleString('en-US');

export function minimumRequests(work: Workload): Minimum {
  const parts: MinimumPart[] = [];
  const add = (api: MinimumPart['api'], label: string, formula: string, requests: number) => {
    if (requests > 0) parts.push({ api, label, formula, requests });
  };
  if (work.setupProperties) {
    add('hubspot', 'xentral_id property', '1 create per object type (409 = exists)', 2);
  }
  add(
    'hubspot',
    'owners',
    `max(1, ceil(${fmt(work.hubspotOwners)}/${HUBSPOT_OWNERS_PAGE}))`,
    pages(work.hubspotOwners, HUBSPOT_OWNERS_PAGE),
  );
  for (const type of ['contact', 'company'] as const) {
    const read = work.hubspotRead[type];
    add(
      'hubspot',
      `${type} search`,
      `max(1, ceil(${fmt(read)}/${HUBSPOT_SEARCH_PAGE}))`,
      pages(read, HUBSPOT_SEARCH_PAGE),
    );
    const creates = work.hubspotCreates[type];
    add(
      'hubspot',
      `${type} batch create`,
      `ceil(${fmt(creates)}/${HUBSPOT_BATCH})`,
      batches(creates, HUBSPOT_BATCH),
    );
    const updates = work.hubspotUpdates[type];
    add(
      'hubspot',
      `${type} batch update`,
      `ceil(${fmt(updates)}/${HUBSPOT_BATCH})`,
      batches(updates, HUBSPOT_BATCH),
    );
  }
  add(
    'xentral',
    'customers read',
    `max(1, ceil(${fmt(work.xentralCustomersRead)}/${XENTRAL_V3_PAGE}))`,
    pages(work.xentralCustomersRead, XENTRAL_V3_PAGE),
  );
  add(
    'xentral',
    'employees read',
    `max(1, ceil(${fmt(work.xentralEmployeesRead)}/${XENTRAL_V1_PAGE}))`,
    pages(work.xentralEmployeesRead, XENTRAL_V1_PAGE),
  );
  add('xentral', 'creates', `${fmt(work.xentralCreates)} × 1`, work.xentralCreates);
  add('xentral', 'updates', `${fmt(work.xentralUpdates)} × 1`, work.xentralUpdates);
  if (work.deals !== undefined && work.deals > 0) {
    // Released orders are one filtered list; deals are created in batches with their buyer
    // association inline (batch create takes `associations` per input), after the pipeline
    // and its won stage are looked up once.
    add(
      'xentral',
      'released orders read',
      `ceil(${fmt(work.deals)}/${XENTRAL_ORDERS_PAGE})`,
      pages(work.deals, XENTRAL_ORDERS_PAGE),
    );
    add('hubspot', 'deal pipelines', '1', 1);
    add(
      'hubspot',
      'deal batch create',
      `ceil(${fmt(work.deals)}/${HUBSPOT_BATCH})`,
      batches(work.deals, HUBSPOT_BATCH),
    );
  }
  const sum = (api: MinimumPart['api']) =>
    parts.filter((part) => part.api === api).reduce((total, part) => total + part.requests, 0);
  const hubspot = sum('hubspot');
  const xentral = sum('xentral');
  return { hubspot, xentral, total: hubspot + xentral, parts };
}

/** One line per API: "HubSpot 125 = owners 1 + contact search 1 + …". */
export function describeMinimum(minimum: Minimum): string[] {
  return (['hubspot', 'xentral'] as const).map((api) => {
    const parts = minimum.parts.filter((part) => part.api === api);
    const name = api === 'hubspot' ? 'HubSpot' : 'Xentral';
    const terms = parts.map((part) => `${part.label} ${part.formula}=${fmt(part.requests)}`);
    return `${name} ${fmt(minimum[api])} = ${terms.join(' + ')}`;
  });
}

// ---- the benchmark's worlds ---------------------------------------------------------------------

/** Sizes of one seeded world: contacts, companies at a fifth, owners, employees, orders. */
export interface WorldSize {
  contacts: number;
  companies: number;
  owners: number;
  employees: number;
  /** Sales orders released before deal sync is switched on, and as many released after. */
  orders: number;
}

export function worldSize(
  contacts: number,
  owners: number,
  employees: number,
  orders = 1_000,
): WorldSize {
  return { contacts, companies: Math.round(contacts / 5), owners, employees, orders };
}

/** The share of each side that the other side also holds (matched by e-mail / name + domain). */
export const SYNC_OVERLAP = 0.3;

/** How many records of `count` exist on one side only when the sides overlap by SYNC_OVERLAP. */
export function onlyOnOneSide(count: number): number {
  return count - Math.round(count * SYNC_OVERLAP);
}

/** Export of every Xentral customer into a HubSpot portal that has owners but no records. */
export function exportWorkload(size: WorldSize): Workload {
  return {
    setupProperties: true,
    hubspotOwners: size.owners,
    hubspotRead: { contact: 0, company: 0 },
    xentralCustomersRead: size.contacts + size.companies,
    xentralEmployeesRead: size.employees,
    hubspotCreates: { contact: size.contacts, company: size.companies },
    hubspotUpdates: { contact: 0, company: 0 },
    xentralCreates: 0,
    xentralUpdates: 0,
  };
}

/**
 * Import of every HubSpot contact, company and owner into an empty Xentral. It writes nothing
 * to HubSpot, so it needs no custom property there.
 */
export function importWorkload(size: WorldSize): Workload {
  return {
    setupProperties: false,
    hubspotOwners: size.owners,
    hubspotRead: { contact: size.contacts, company: size.companies },
    xentralCustomersRead: 0,
    xentralEmployeesRead: 0,
    hubspotCreates: { contact: 0, company: 0 },
    hubspotUpdates: { contact: 0, company: 0 },
    xentralCreates: size.contacts + size.companies + size.owners,
    xentralUpdates: 0,
  };
}

/**
 * First sync with SYNC_OVERLAP by e-mail (companies by name + domain): what only one side has is
 * created on the other; owners become employees (their e-mails differ from Xentral's employees).
 * `edits` are the linked records that had an empty field to fill (RULES.md, rule 3): that count
 * depends on the data and is taken from the run's own items, one per record written.
 */
export function syncWorkload(
  size: WorldSize,
  edits: { hubspot: { contact: number; company: number }; xentral: number },
): Workload {
  return {
    setupProperties: true,
    hubspotOwners: size.owners,
    hubspotRead: { contact: size.contacts, company: size.companies },
    xentralCustomersRead: size.contacts + size.companies,
    xentralEmployeesRead: size.employees,
    hubspotCreates: {
      contact: onlyOnOneSide(size.contacts),
      company: onlyOnOneSide(size.companies),
    },
    hubspotUpdates: edits.hubspot,
    xentralCreates: onlyOnOneSide(size.contacts) + onlyOnOneSide(size.companies) + size.owners,
    xentralUpdates: edits.xentral,
  };
}

/** Nothing changed: one look per change feed (owners, two searches, customers, employees). */
export function unchangedWorkload(size: WorldSize): Workload {
  return {
    setupProperties: false,
    hubspotOwners: size.owners,
    hubspotRead: { contact: 0, company: 0 },
    xentralCustomersRead: 0,
    xentralEmployeesRead: 0,
    hubspotCreates: { contact: 0, company: 0 },
    hubspotUpdates: { contact: 0, company: 0 },
    xentralCreates: 0,
    xentralUpdates: 0,
  };
}

/** The changes made on each side before scenario 3: edits of synced records and new records. */
export interface ChangeSet {
  edited: { contact: number; company: number };
  added: { contact: number; company: number };
}

/** 1 % of each side's records change: half are edited (an exchanged field), half are new. */
export function changeSet(size: WorldSize, share = 0.01): ChangeSet {
  const split = (count: number) => {
    const changed = Math.round(count * share);
    const added = Math.floor(changed / 2);
    return { edited: changed - added, added };
  };
  const contacts = split(size.contacts);
  const companies = split(size.companies);
  return {
    edited: { contact: contacts.edited, company: companies.edited },
    added: { contact: contacts.added, company: companies.added },
  };
}

/**
 * The sync after `changes` on each side: the changed records are read; edits of fields already
 * exchanged are not written anywhere (RULES.md, rule 4); new records are created on the other side.
 */
export function changedWorkload(size: WorldSize, changes: ChangeSet): Workload {
  const changed = (type: 'contact' | 'company') => changes.edited[type] + changes.added[type];
  return {
    setupProperties: false,
    hubspotOwners: size.owners,
    hubspotRead: { contact: changed('contact'), company: changed('company') },
    xentralCustomersRead: changed('contact') + changed('company'),
    xentralEmployeesRead: 0,
    hubspotCreates: { ...changes.added },
    hubspotUpdates: { contact: 0, company: 0 },
    xentralCreates: changes.added.contact + changes.added.company,
    xentralUpdates: 0,
  };
}

/**
 * Deal sync (scenario 4) of `orders` orders released since the last run, their buyers already
 * linked: the change checks of the customers (a buyer may be new), the orders, the deals.
 */
export function dealsWorkload(size: WorldSize, orders: number): Workload {
  return { ...unchangedWorkload(size), deals: orders };
}
