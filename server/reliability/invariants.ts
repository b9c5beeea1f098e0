import { companyNameKey, domainKey, emailKey } from '../engine/normalize';
import type { HubSpotMockState } from '../mocks/hubspot';
import type { AdresseRow, AuftragRow, XentralState } from '../mocks/xentral';
import type { StatsSnapshot } from '../mocks/common/stats';
import type { Db } from '../storage/db';

/**
 * The app's reliability promise (whatever fails, crashes or arrives malformed, no record is lost or
 * made twice and the run log tells the truth), as one check over what the two systems hold and what
 * the app's SQLite file says happened: every eligible source record linked exactly once (or listed
 * with its reason), no duplicate on either side, the run log's "created" and "edited" equal to what
 * changed in the systems, and every failure with its reason. Tests read the mocks in process or
 * over HTTP (`GET /__mock/state`); both give the same state.
 */

export interface HubSpotRecordState {
  id: string;
  properties: Record<string, string | null>;
}

export interface WorldState {
  hubspot: {
    contacts: HubSpotRecordState[];
    companies: HubSpotRecordState[];
    deals: HubSpotRecordState[];
    owners: { id: string; email: string; archived: boolean }[];
    associations: { fromType: string; fromId: string; toType: string; toId: string }[];
  };
  xentral: {
    /** Customers of type Mr./Mrs. (contacts). */
    persons: AdresseRow[];
    /** Customers of type company. */
    companies: AdresseRow[];
    employees: AdresseRow[];
    orders: AuftragRow[];
  };
}

interface PortalDump {
  hubId: number;
  contacts?: (HubSpotRecordState & { archived?: boolean })[];
  companies?: (HubSpotRecordState & { archived?: boolean })[];
  deals?: (HubSpotRecordState & { archived?: boolean })[];
  owners?: { id: string; email: string; archived: boolean }[];
  associations?: { fromType: string; fromId: string; toType: string; toId: string }[];
}

/** Both mocks' dumps (GET /__mock/state of each) → the state of one portal and one instance. */
export function worldState(
  hubspot: HubSpotMockState,
  xentral: XentralState,
  hubId: number,
): WorldState {
  const portal = (hubspot.portals as PortalDump[]).find((p) => p.hubId === hubId);
  const live = <R extends { archived?: boolean }>(rows: R[] | undefined) =>
    (rows ?? []).filter((row) => row.archived !== true);
  const roles = new Map<number, Set<string>>();
  for (const role of xentral.adresse_rolle) {
    if (role.bis !== '0000-00-00') continue;
    let set = roles.get(role.adresse);
    if (!set) roles.set(role.adresse, (set = new Set()));
    set.add(role.subjekt);
  }
  const rows = xentral.adresse.filter((row) => row.geloescht === 0);
  const customers = rows.filter((row) => roles.get(row.id)?.has('Kunde'));
  return {
    hubspot: {
      contacts: live(portal?.contacts),
      companies: live(portal?.companies),
      deals: live(portal?.deals),
      owners: portal?.owners ?? [],
      associations: portal?.associations ?? [],
    },
    xentral: {
      persons: customers.filter((row) => row.typ === 'herr' || row.typ === 'frau'),
      companies: customers.filter((row) => row.typ === 'firma'),
      employees: rows.filter((row) => roles.get(row.id)?.has('Mitarbeiter')),
      orders: xentral.auftrag,
    },
  };
}

type Kind = 'contact' | 'company' | 'user' | 'deal';
type SystemName = 'hubspot' | 'xentral';

/** Records that existed before the engine ran (made by the test), with their content then. */
export interface Baseline {
  records: Map<string, string>;
}

const recordKey = (system: SystemName, kind: Kind, id: string) => `${system}:${kind}:${id}`;

/** HubSpot stamps every write; Xentral moves `logdatei`: neither is a change of content. */
const VOLATILE = new Set(['lastmodifieddate', 'hs_lastmodifieddate']);

function contentOf(value: HubSpotRecordState | AdresseRow | AuftragRow): string {
  if ('properties' in value) {
    return JSON.stringify(
      Object.entries(value.properties)
        .filter(([name, v]) => !VOLATILE.has(name) && v !== null && v !== '')
        .sort(([a], [b]) => a.localeCompare(b)),
    );
  }
  const { logdatei: _ignored, ...rest } = value;
  return JSON.stringify(rest);
}

function* allRecords(state: WorldState): Generator<[string, string]> {
  const h = state.hubspot;
  for (const r of h.contacts) yield [recordKey('hubspot', 'contact', r.id), contentOf(r)];
  for (const r of h.companies) yield [recordKey('hubspot', 'company', r.id), contentOf(r)];
  for (const r of h.deals) yield [recordKey('hubspot', 'deal', r.id), contentOf(r)];
  for (const o of h.owners) yield [recordKey('hubspot', 'user', o.id), o.email];
  const x = state.xentral;
  for (const r of x.persons) yield [recordKey('xentral', 'contact', String(r.id)), contentOf(r)];
  for (const r of x.companies) yield [recordKey('xentral', 'company', String(r.id)), contentOf(r)];
  for (const r of x.employees) yield [recordKey('xentral', 'user', String(r.id)), contentOf(r)];
  for (const r of x.orders) yield [recordKey('xentral', 'deal', String(r.id)), contentOf(r)];
}

export function baselineOf(state: WorldState): Baseline {
  return { records: new Map(allRecords(state)) };
}

/** Adds what the test made since `before` (records new in `after`) to a baseline. */
export function extendBaseline(baseline: Baseline, before: WorldState, after: WorldState): void {
  const old = new Set([...allRecords(before)].map(([key]) => key));
  for (const [key, content] of allRecords(after)) {
    if (!old.has(key)) baseline.records.set(key, content);
  }
}

export interface Expectations {
  /** Xentral → HubSpot ran (export, sync or a deal run's buyers). */
  exported: boolean;
  /** HubSpot → Xentral ran (import or sync), with these lifecycle stages. */
  imported: boolean;
  lifecycleStages: readonly string[];
  /** Deal synchronisation ran. */
  deals: boolean;
  /** Every eligible record must be linked: no skip, failure or conflict may stand in for it. */
  allLinked?: boolean;
  /** Nothing may be left half-done (pending creates or writes). */
  settled?: boolean;
  /** Records an allLinked test expects to stay unlinked, e.g. the bad ones of a corpus. */
  unlinkedOk?: ReadonlySet<string>;
}

export interface InvariantReport {
  problems: string[];
  figures: {
    links: Record<Kind, number>;
    created: number;
    edited: number;
    failed: number;
    skipped: number;
    conflicts: number;
    runs: number;
    interruptedRuns: number;
    failedRuns: number;
    /** Eligible records neither linked nor listed with a reason. */
    lost: number;
    /** Records a system holds twice because of the app. */
    duplicated: number;
  };
}

interface LinkRow {
  type: Kind;
  xentral_id: string;
  hubspot_id: string;
}
interface ItemRow {
  run_id: number;
  type: Kind;
  direction: string;
  action: string;
  xentral_id: string | null;
  hubspot_id: string | null;
  reason: string | null;
}

/** Every check; the test asserts `problems` is empty, so a failure names what broke. */
export function checkInvariants(
  db: Db,
  portalId: string,
  state: WorldState,
  baseline: Baseline,
  expect: Expectations,
): InvariantReport {
  const problems: string[] = [];
  const problem = (text: string) => {
    if (problems.length < 200) problems.push(text);
  };
  const links = db
    .prepare<[string], LinkRow>(
      'SELECT type, xentral_id, hubspot_id FROM links WHERE portal_id = ?',
    )
    .all(portalId);
  const items = db
    .prepare<[], ItemRow>(
      'SELECT run_id, type, direction, action, xentral_id, hubspot_id, reason FROM run_items ORDER BY id',
    )
    .all();
  const runs = db
    .prepare<[], { id: number; kind: string; status: string; message: string | null }>(
      'SELECT id, kind, status, message FROM runs ORDER BY id',
    )
    .all();

  // ---- every run ended, every failure has its reason ---------------------------------------
  for (const run of runs) {
    if (run.status === 'running') problem(`run ${run.id} (${run.kind}) is still "running"`);
    if ((run.status === 'failed' || run.status === 'interrupted') && !run.message?.trim()) {
      problem(`run ${run.id} ${run.status} without a message`);
    }
  }
  for (const item of items) {
    if (['failed', 'skipped', 'conflict'].includes(item.action) && !item.reason?.trim()) {
      problem(`run ${item.run_id}: ${item.action} ${item.type} item without a reason`);
    }
  }

  // ---- links join live records, each record at most once ----------------------------------
  const ids = {
    hubspot: {
      contact: new Set(state.hubspot.contacts.map((r) => r.id)),
      company: new Set(state.hubspot.companies.map((r) => r.id)),
      user: new Set(state.hubspot.owners.map((o) => o.id)),
      deal: new Set(state.hubspot.deals.map((r) => r.id)),
    },
    xentral: {
      contact: new Set(state.xentral.persons.map((r) => String(r.id))),
      company: new Set(state.xentral.companies.map((r) => String(r.id))),
      user: new Set(state.xentral.employees.map((r) => String(r.id))),
      deal: new Set(state.xentral.orders.map((r) => String(r.id))),
    },
  };
  const linked = { hubspot: new Map<string, number>(), xentral: new Map<string, number>() };
  const linkCounts: Record<Kind, number> = { contact: 0, company: 0, user: 0, deal: 0 };
  for (const link of links) {
    linkCounts[link.type]++;
    for (const [system, id] of [
      ['xentral', link.xentral_id],
      ['hubspot', link.hubspot_id],
    ] as const) {
      const key = `${link.type}:${id}`;
      linked[system].set(key, (linked[system].get(key) ?? 0) + 1);
      if (!ids[system][link.type].has(id)) {
        problem(`a ${link.type} link points at ${system} ${id}, which does not exist`);
      }
    }
  }
  for (const system of ['xentral', 'hubspot'] as const) {
    for (const [key, count] of linked[system]) {
      if (count > 1) problem(`${system} ${key} is linked ${count} times`);
    }
  }

  // ---- eligible records: linked, or listed with their reason ---------------------------------
  const accounted = { hubspot: new Set<string>(), xentral: new Set<string>() };
  for (const item of items) {
    if (!['failed', 'skipped', 'conflict'].includes(item.action)) continue;
    for (const id of (item.xentral_id ?? '').split(',')) {
      if (id) accounted.xentral.add(`${item.type}:${id}`);
    }
    for (const id of (item.hubspot_id ?? '').split(',')) {
      if (id) accounted.hubspot.add(`${item.type}:${id}`);
    }
  }
  let lost = 0;
  const requireLink = (system: SystemName, kind: Kind, id: string, label: string) => {
    const key = `${kind}:${id}`;
    if (linked[system].has(key)) return;
    if (expect.unlinkedOk?.has(`${system}:${key}`)) return;
    if (!expect.allLinked && accounted[system].has(key)) return;
    lost++;
    problem(
      `${system} ${kind} ${id} (${label}) is eligible but not linked${accounted[system].has(key) ? ' (it has a skip, failure or conflict)' : ' and no run says why'}`,
    );
  };
  if (expect.exported) {
    for (const row of state.xentral.persons) {
      if (emailKey(row.email) !== '') requireLink('xentral', 'contact', String(row.id), row.email);
    }
    for (const row of state.xentral.companies) {
      if (companyNameKey(row.name) !== '')
        requireLink('xentral', 'company', String(row.id), row.name);
    }
  }
  if (expect.imported) {
    const stages = new Set(expect.lifecycleStages);
    for (const r of state.hubspot.contacts) {
      if (stages.has(r.properties.lifecyclestage ?? '') && emailKey(r.properties.email ?? '')) {
        requireLink('hubspot', 'contact', r.id, r.properties.email ?? '');
      }
    }
    for (const r of state.hubspot.companies) {
      if (
        stages.has(r.properties.lifecyclestage ?? '') &&
        companyNameKey(r.properties.name ?? '')
      ) {
        requireLink('hubspot', 'company', r.id, r.properties.name ?? '');
      }
    }
    for (const owner of state.hubspot.owners) {
      if (!owner.archived) requireLink('hubspot', 'user', owner.id, owner.email);
    }
  }
  if (expect.deals) {
    const baseline = new Set(
      db
        .prepare<[string], { order_id: string }>(
          'SELECT order_id FROM deal_baseline WHERE portal_id = ?',
        )
        .all(portalId)
        .map((row) => row.order_id),
    );
    for (const order of state.xentral.orders) {
      const id = String(order.id);
      if (order.status !== 'freigegeben' && order.status !== 'abgeschlossen') continue;
      if (baseline.has(id)) continue;
      requireLink('xentral', 'deal', id, `order ${order.belegnr}`);
    }
  }

  // ---- no duplicates made by the app ---------------------------------------------------------
  let duplicated = 0;
  const made = (system: SystemName, kind: Kind, id: string) =>
    !baseline.records.has(recordKey(system, kind, id));
  const groups = <R>(
    rows: R[],
    keyOf: (row: R) => string,
    idOf: (row: R) => string,
    system: SystemName,
    kind: Kind,
    what: string,
  ) => {
    const byKey = new Map<string, string[]>();
    for (const row of rows) {
      const key = keyOf(row);
      if (key === '') continue;
      const list = byKey.get(key) ?? [];
      list.push(idOf(row));
      byKey.set(key, list);
    }
    for (const [key, list] of byKey) {
      // Duplicates the test put there itself (the corpus has some) are not the app's doing.
      if (list.length > 1 && list.some((id) => made(system, kind, id))) {
        duplicated += list.filter((id) => made(system, kind, id)).length;
        problem(`${system} holds ${list.length} ${what} for "${key}": ${list.join(', ')}`);
      }
    }
  };
  const h = state.hubspot;
  const x = state.xentral;
  groups(
    h.contacts,
    (r) => emailKey(r.properties.email ?? ''),
    (r) => r.id,
    'hubspot',
    'contact',
    'contacts',
  );
  groups(
    h.contacts,
    (r) => r.properties.xentral_id ?? '',
    (r) => r.id,
    'hubspot',
    'contact',
    'contacts with xentral_id',
  );
  groups(
    h.companies,
    (r) => r.properties.xentral_id ?? '',
    (r) => r.id,
    'hubspot',
    'company',
    'companies with xentral_id',
  );
  groups(
    h.companies,
    (r) => `${companyNameKey(r.properties.name ?? '')}|${domainKey(r.properties.domain ?? '')}`,
    (r) => r.id,
    'hubspot',
    'company',
    'companies',
  );
  groups(
    h.deals,
    (r) => r.properties.xentral_order_id ?? '',
    (r) => r.id,
    'hubspot',
    'deal',
    'deals',
  );
  groups(
    x.persons,
    (r) => emailKey(r.email),
    (r) => String(r.id),
    'xentral',
    'contact',
    'customers',
  );
  groups(
    x.companies,
    (r) => `${companyNameKey(r.name)}|${domainKey(r.internetseite)}`,
    (r) => String(r.id),
    'xentral',
    'company',
    'companies',
  );
  groups(
    x.employees,
    (r) => emailKey(r.email),
    (r) => String(r.id),
    'xentral',
    'user',
    'employees',
  );

  // ---- the run log's "created" = the records the app made ------------------------------------
  const createdItems = new Map<string, number>();
  let editedItems = 0;
  const editedTargets = new Set<string>();
  for (const item of items) {
    const target: SystemName = item.direction === 'hubspot_to_xentral' ? 'xentral' : 'hubspot';
    const id = target === 'xentral' ? item.xentral_id : item.hubspot_id;
    if (item.action === 'created' && id) {
      const key = recordKey(target, item.type, id);
      createdItems.set(key, (createdItems.get(key) ?? 0) + 1);
    }
    if (item.action === 'edited' && id) {
      editedItems++;
      editedTargets.add(recordKey(target, item.type, id));
    }
  }
  const current = new Map(allRecords(state));
  for (const [key, count] of createdItems) {
    if (count > 1) problem(`the run log says ${key} was created ${count} times`);
    if (!current.has(key)) problem(`the run log says ${key} was created, but it does not exist`);
    else if (baseline.records.has(key))
      problem(`the run log says ${key} was created, but it existed before`);
  }
  for (const key of current.keys()) {
    if (baseline.records.has(key) || createdItems.has(key)) continue;
    // HubSpot users cannot be made through the API; the rest only the app makes here.
    if (key.startsWith('hubspot:user:')) continue;
    problem(`${key} was made by the app, but no run logged it as created`);
  }

  // ---- the run log's "edited" = the records the app changed ----------------------------------
  for (const [key, before] of baseline.records) {
    const after = current.get(key);
    if (after === undefined || key.includes(':deal:') || key.startsWith('hubspot:user:')) continue;
    const changed = after !== before;
    if (changed && !editedTargets.has(key)) {
      problem(`${key} changed, but no run logged it as edited`);
    }
    if (!changed && editedTargets.has(key)) {
      problem(`the run log says ${key} was edited, but its content is unchanged`);
    }
  }

  // ---- nothing left half-done ----------------------------------------------------------------
  if (expect.settled) {
    for (const table of ['pending_creates', 'pending_writes']) {
      const exists = db
        .prepare<[string], { n: number }>(
          "SELECT count(*) AS n FROM sqlite_master WHERE type = 'table' AND name = ?",
        )
        .get(table);
      if (!exists?.n) continue;
      const left = db.prepare<[], { n: number }>(`SELECT count(*) AS n FROM ${table}`).get();
      if (left && left.n > 0) problem(`${left.n} row(s) left in ${table} after the work was done`);
    }
  }

  const count = (action: string) => items.filter((item) => item.action === action).length;
  return {
    problems,
    figures: {
      links: linkCounts,
      created: [...createdItems.values()].reduce((a, b) => a + b, 0),
      edited: editedItems,
      failed: count('failed'),
      skipped: count('skipped'),
      conflicts: count('conflict'),
      runs: runs.length,
      interruptedRuns: runs.filter((run) => run.status === 'interrupted').length,
      failedRuns: runs.filter((run) => run.status === 'failed').length,
      lost,
      duplicated,
    },
  };
}

/** Requests that change data (not searches, not the mocks' control routes). */
export function writeRequests(stats: StatsSnapshot): number {
  return Object.entries(stats.endpoints)
    .filter(([endpoint]) => /^(POST|PATCH|PUT|DELETE) /.test(endpoint))
    .filter(([endpoint]) => !endpoint.includes('/search') && !endpoint.includes('/oauth/'))
    .reduce((sum, [, entry]) => sum + entry.count, 0);
}

/** Answers that were faults: 429s, 5xx, and connections closed without an answer (status 0). */
export function faultAnswers(stats: StatsSnapshot): number {
  let faults = 0;
  for (const entry of Object.values(stats.endpoints)) {
    for (const [status, n] of Object.entries(entry.statuses)) {
      const code = Number(status);
      if (code === 429 || code >= 500 || code === 0) faults += n;
    }
  }
  return faults;
}
