import type { Clock } from '../../clock';
import {
  conflictProblem,
  invalidStatusProblem,
  notFoundProblem,
  validationProblem,
  type Violations,
} from './problems';
import type {
  AdresseRolleRow,
  AdresseRow,
  AuftragRow,
  ProjektRow,
  RolleSubjekt,
  XentralState,
} from './rows';
import { ZERO_DATE } from './rows';
import {
  adresseToAuftragAddress,
  applyCustomerUpdate,
  applyEmployeeUpdate,
  centsToDecimal,
  customerCreateToAdresse,
  employeeCreateToAdresse,
  type AdresseFields,
} from './serializer';
import type { CustomerCreate, CustomerUpdate, EmployeeCreate, EmployeeUpdate } from './shapes';

/** Xentral's default number ranges: customers from 10000, employees from 90000, orders 200000. */
const FIRST_NUMBER = { kunde: 10000, mitarbeiter: 90000, auftrag: 200000 } as const;

/** Lists cached per query; a handful is enough for paging through several lists at once. */
const CACHE_ENTRIES = 16;

export interface NewOrder {
  /** The customer's address id; absent for a draft without customer (cannot be released). */
  customerId?: number | undefined;
  grossCents: number;
  /** Defaults to the gross total without 19 % VAT, rounded to the cent. */
  netCents?: number | undefined;
  currency: string;
  /** YYYY-MM-DD; defaults to today. */
  date?: string | undefined;
  /** Defaults to the customer's main project. */
  projectId?: number | undefined;
}

function insertSorted(ids: number[], id: number): void {
  // Ids grow, so appending is the common case; an old address that gains a role is rare.
  const last = ids[ids.length - 1];
  if (last === undefined || last < id) {
    ids.push(id);
    return;
  }
  let low = 0;
  let high = ids.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if ((ids[mid] as number) < id) low = mid + 1;
    else high = mid;
  }
  if (ids[low] !== id) ids.splice(low, 0, id);
}

function emailKey(email: string): string {
  return email.toLowerCase();
}

/**
 * The mock's database: Xentral's tables plus the indexes a real database would have (e-mail,
 * customer and employee numbers, roles per address), and the domain rules of the operations
 * the API offers. Every change bumps `version`, which invalidates cached list results.
 */
export class XentralStore {
  private adressen = new Map<number, AdresseRow>();
  private rollen: AdresseRolleRow[] = [];
  private rollenByAdresse = new Map<number, AdresseRolleRow[]>();
  private projekte = new Map<number, ProjektRow>();
  private auftraege = new Map<number, AuftragRow>();
  private emailIndex = new Map<string, Set<number>>();
  private kundennummern = new Map<string, number>();
  private mitarbeiternummern = new Map<string, number>();
  /** Addresses that hold (or held) a role, ascending by id; validity is checked on read. */
  private roleHolders: Record<'Kunde' | 'Mitarbeiter', number[]> = { Kunde: [], Mitarbeiter: [] };
  private ids = { adresse: 0, rolle: 0, projekt: 0, auftrag: 0 };
  private lastNumber = {
    kunde: FIRST_NUMBER.kunde - 1,
    mitarbeiter: FIRST_NUMBER.mitarbeiter - 1,
    auftrag: FIRST_NUMBER.auftrag - 1,
  };
  private cache = new Map<string, { version: number; value: unknown }>();
  private changes = 0;

  constructor(private readonly clock: Clock) {}

  /** Increases on every write. */
  get version(): number {
    return this.changes;
  }

  reset(): void {
    this.adressen.clear();
    this.rollen = [];
    this.rollenByAdresse.clear();
    this.projekte.clear();
    this.auftraege.clear();
    this.emailIndex.clear();
    this.kundennummern.clear();
    this.mitarbeiternummern.clear();
    this.roleHolders = { Kunde: [], Mitarbeiter: [] };
    this.ids = { adresse: 0, rolle: 0, projekt: 0, auftrag: 0 };
    this.lastNumber = {
      kunde: FIRST_NUMBER.kunde - 1,
      mitarbeiter: FIRST_NUMBER.mitarbeiter - 1,
      auftrag: FIRST_NUMBER.auftrag - 1,
    };
    this.cache.clear();
    this.changes++;
  }

  /** Now with whole seconds: Xentral keeps timestamps in DATETIME columns. */
  now(): string {
    const ms = this.clock().getTime();
    return new Date(ms - (((ms % 1000) + 1000) % 1000)).toISOString();
  }

  /** Today's date (UTC), for role validity and document dates. */
  today(): string {
    return this.clock().toISOString().slice(0, 10);
  }

  private touch(): void {
    this.changes++;
  }

  /** Caches a computed list until the next write. */
  memo<T>(key: string, compute: () => T): T {
    const hit = this.cache.get(key);
    if (hit && hit.version === this.changes) {
      // Re-insert so the map's order stays least-recently-used first.
      this.cache.delete(key);
      this.cache.set(key, hit);
      return hit.value as T;
    }
    const value = compute();
    this.cache.set(key, { version: this.changes, value });
    while (this.cache.size > CACHE_ENTRIES) {
      const oldest = this.cache.keys().next().value;
      if (oldest === undefined) break;
      this.cache.delete(oldest);
    }
    return value;
  }

  // ---- Addresses --------------------------------------------------------------------------

  getAdresse(id: number): AdresseRow | undefined {
    return this.adressen.get(id);
  }

  /** Every stored address with this e-mail (case-insensitive, like the MySQL collation), deleted ones included. */
  adressenByEmail(email: string): AdresseRow[] {
    const ids = this.emailIndex.get(emailKey(email));
    if (!ids) return [];
    return [...ids].sort((a, b) => a - b).map((id) => this.adressen.get(id) as AdresseRow);
  }

  private indexEmail(row: AdresseRow, previous?: AdresseRow): void {
    if (previous && previous.email !== '') {
      const key = emailKey(previous.email);
      const set = this.emailIndex.get(key);
      set?.delete(row.id);
      if (set?.size === 0) this.emailIndex.delete(key);
    }
    if (row.email !== '') {
      const key = emailKey(row.email);
      let set = this.emailIndex.get(key);
      if (!set) {
        set = new Set();
        this.emailIndex.set(key, set);
      }
      set.add(row.id);
    }
  }

  insertAdresse(
    fields: AdresseFields,
    numbers: { kundennummer?: string; mitarbeiternummer?: string } = {},
    at: string = this.now(),
    /** '' for a row imported without a change log (the API then shows no `updatedAt`). */
    changedAt: string = at,
  ): AdresseRow {
    const row: AdresseRow = {
      id: ++this.ids.adresse,
      ...fields,
      kundennummer: numbers.kundennummer ?? '',
      mitarbeiternummer: numbers.mitarbeiternummer ?? '',
      geloescht: 0,
      angelegt_am: at,
      logdatei: changedAt,
    };
    this.adressen.set(row.id, row);
    this.indexEmail(row);
    if (row.kundennummer !== '') this.kundennummern.set(row.kundennummer, row.id);
    if (row.mitarbeiternummer !== '') this.mitarbeiternummern.set(row.mitarbeiternummer, row.id);
    this.touch();
    return row;
  }

  /** Replaces a row, keeps the indexes right and moves `logdatei` to now. */
  replaceAdresse(next: AdresseRow): AdresseRow {
    const previous = this.adressen.get(next.id);
    if (!previous) throw new Error(`adresse ${next.id} does not exist`);
    const row: AdresseRow = { ...next, logdatei: this.now() };
    this.adressen.set(row.id, row);
    this.indexEmail(row, previous);
    if (previous.kundennummer !== row.kundennummer) {
      this.kundennummern.delete(previous.kundennummer);
      if (row.kundennummer !== '') this.kundennummern.set(row.kundennummer, row.id);
    }
    if (previous.mitarbeiternummer !== row.mitarbeiternummer) {
      this.mitarbeiternummern.delete(previous.mitarbeiternummer);
      if (row.mitarbeiternummer !== '') this.mitarbeiternummern.set(row.mitarbeiternummer, row.id);
    }
    this.touch();
    return row;
  }

  /** Xentral never removes addresses: it flags them as deleted. */
  softDeleteAdresse(id: number): AdresseRow {
    const row = this.adressen.get(id);
    if (!row || row.geloescht === 1) throw notFoundProblem(`Address ${id} was not found.`);
    return this.replaceAdresse({ ...row, geloescht: 1 });
  }

  addRolle(
    adresse: number,
    subjekt: RolleSubjekt,
    projekt = 0,
    von = this.today(),
  ): AdresseRolleRow {
    const rolle: AdresseRolleRow = {
      id: ++this.ids.rolle,
      adresse,
      subjekt,
      praedikat: 'von',
      objekt: 'Projekt',
      projekt,
      von,
      bis: ZERO_DATE,
    };
    this.rollen.push(rolle);
    let list = this.rollenByAdresse.get(adresse);
    if (!list) {
      list = [];
      this.rollenByAdresse.set(adresse, list);
    }
    list.push(rolle);
    if (subjekt !== 'Lieferant') insertSorted(this.roleHolders[subjekt], adresse);
    this.touch();
    return rolle;
  }

  rollenOf(adresse: number, subjekt?: RolleSubjekt): AdresseRolleRow[] {
    const list = this.rollenByAdresse.get(adresse) ?? [];
    return subjekt ? list.filter((rolle) => rolle.subjekt === subjekt) : [...list];
  }

  private hasActiveRole(row: AdresseRow, subjekt: RolleSubjekt, today: string): boolean {
    if (row.geloescht === 1) return false;
    const list = this.rollenByAdresse.get(row.id);
    if (!list) return false;
    return list.some(
      (rolle) =>
        rolle.subjekt === subjekt &&
        rolle.von <= today &&
        (rolle.bis === ZERO_DATE || rolle.bis >= today),
    );
  }

  /** A customer is an address that is not deleted and holds a currently valid customer role. */
  isCustomer(row: AdresseRow, today = this.today()): boolean {
    return this.hasActiveRole(row, 'Kunde', today);
  }

  isEmployee(row: AdresseRow, today = this.today()): boolean {
    return this.hasActiveRole(row, 'Mitarbeiter', today);
  }

  /** Current customers, ascending by id; cached until the next write. */
  customers(): AdresseRow[] {
    const today = this.today();
    return this.memo(`customers:${today}`, () =>
      this.roleHolders.Kunde.map((id) => this.adressen.get(id) as AdresseRow).filter((row) =>
        this.isCustomer(row, today),
      ),
    );
  }

  employees(): AdresseRow[] {
    const today = this.today();
    return this.memo(`employees:${today}`, () =>
      this.roleHolders.Mitarbeiter.map((id) => this.adressen.get(id) as AdresseRow).filter((row) =>
        this.isEmployee(row, today),
      ),
    );
  }

  getCustomer(id: number): AdresseRow {
    const row = this.adressen.get(id);
    if (!row || !this.isCustomer(row)) throw notFoundProblem(`Customer ${id} was not found.`);
    return row;
  }

  nextKundennummer(): string {
    do this.lastNumber.kunde++;
    while (this.kundennummern.has(String(this.lastNumber.kunde)));
    return String(this.lastNumber.kunde);
  }

  nextMitarbeiternummer(): string {
    do this.lastNumber.mitarbeiter++;
    while (this.mitarbeiternummern.has(String(this.lastNumber.mitarbeiter)));
    return String(this.lastNumber.mitarbeiter);
  }

  private checkReferences(
    refs: { accountManager?: number; mainProject?: number; project?: number },
    violations: Violations,
  ): void {
    if (refs.accountManager !== undefined && refs.accountManager !== 0) {
      const employee = this.adressen.get(refs.accountManager);
      if (!employee || !this.isEmployee(employee)) {
        violations['accountManager.id'] = [
          'The selected account manager.id is invalid: it must be an employee address.',
        ];
      }
    }
    for (const key of ['mainProject', 'project'] as const) {
      const id = refs[key];
      if (id !== undefined && id !== 0) {
        const project = this.projekte.get(id);
        if (!project || project.geloescht === 1) {
          violations[`${key}.id`] = [
            `The selected ${key === 'project' ? 'project' : 'main project'}.id is invalid.`,
          ];
        }
      }
    }
  }

  /** `POST /api/v3/customers`: a new address with a customer number and a customer role. */
  createCustomer(input: CustomerCreate): AdresseRow {
    const fields = customerCreateToAdresse(input);
    const violations: Violations = {};
    this.checkReferences(
      { accountManager: fields.innendienst, mainProject: fields.projekt },
      violations,
    );
    if (Object.keys(violations).length > 0) throw validationProblem(violations);
    if (input.number !== undefined && this.kundennummern.has(input.number)) {
      throw conflictProblem(`The customer number ${input.number} is already taken.`);
    }
    const row = this.insertAdresse(fields, {
      kundennummer: input.number ?? this.nextKundennummer(),
    });
    this.addRolle(row.id, 'Kunde', 0);
    return row;
  }

  /** `PATCH /api/v3/customers/:id`. */
  updateCustomer(id: number, update: CustomerUpdate): AdresseRow {
    const current = this.getCustomer(id);
    const next = applyCustomerUpdate(current, update);
    const violations: Violations = {};
    this.checkReferences(
      {
        ...(update.accountManager !== undefined ? { accountManager: next.innendienst } : {}),
        ...(update.mainProject !== undefined ? { mainProject: next.projekt } : {}),
      },
      violations,
    );
    if (Object.keys(violations).length > 0) throw validationProblem(violations);
    const owner = this.kundennummern.get(next.kundennummer);
    if (owner !== undefined && owner !== id) {
      throw conflictProblem(`The customer number ${next.kundennummer} is already taken.`);
    }
    return this.replaceAdresse(next);
  }

  /** MOCK EXTENSION `POST /api/v1/employees`: a person with an employee number and role. */
  createEmployee(input: EmployeeCreate): AdresseRow {
    const fields = employeeCreateToAdresse(input);
    const violations: Violations = {};
    this.checkReferences({ project: fields.projekt }, violations);
    if (Object.keys(violations).length > 0) throw validationProblem(violations);
    if (input.number !== undefined && this.mitarbeiternummern.has(input.number)) {
      throw conflictProblem(`The employee number ${input.number} is already taken.`);
    }
    const row = this.insertAdresse(fields, {
      mitarbeiternummer: input.number ?? this.nextMitarbeiternummer(),
    });
    this.addRolle(row.id, 'Mitarbeiter', fields.projekt);
    return row;
  }

  getEmployee(id: number): AdresseRow {
    const row = this.adressen.get(id);
    if (!row || !this.isEmployee(row)) throw notFoundProblem(`Employee ${id} was not found.`);
    return row;
  }

  /** MOCK EXTENSION `PATCH /api/v1/employees/:id`. */
  updateEmployee(id: number, update: EmployeeUpdate): AdresseRow {
    return this.replaceAdresse(applyEmployeeUpdate(this.getEmployee(id), update));
  }

  // ---- Projects ---------------------------------------------------------------------------

  insertProjekt(fields: Omit<ProjektRow, 'id' | 'geloescht'>): ProjektRow {
    const row: ProjektRow = { id: ++this.ids.projekt, ...fields, geloescht: 0 };
    this.projekte.set(row.id, row);
    this.touch();
    return row;
  }

  getProjekt(id: number): ProjektRow | undefined {
    return this.projekte.get(id);
  }

  projects(): ProjektRow[] {
    return [...this.projekte.values()].filter((row) => row.geloescht === 0);
  }

  // ---- Sales orders -----------------------------------------------------------------------

  getAuftrag(id: number): AuftragRow {
    const row = this.auftraege.get(id);
    if (!row) throw notFoundProblem(`Sales order ${id} was not found.`);
    return row;
  }

  orders(): AuftragRow[] {
    return this.memo('orders', () => [...this.auftraege.values()]);
  }

  private replaceAuftrag(row: AuftragRow): AuftragRow {
    const next = { ...row, logdatei: this.now() };
    this.auftraege.set(next.id, next);
    this.touch();
    return next;
  }

  /** A draft ("angelegt") order, as the Xentral UI or a shop import would create it. */
  createOrder(order: NewOrder): AuftragRow {
    const customer =
      order.customerId === undefined ? undefined : this.adressen.get(order.customerId);
    if (order.customerId !== undefined && (!customer || !this.isCustomer(customer))) {
      throw notFoundProblem(`Customer ${order.customerId} was not found.`);
    }
    if (order.projectId !== undefined && !this.projekte.has(order.projectId)) {
      throw notFoundProblem(`Project ${order.projectId} was not found.`);
    }
    const net = order.netCents ?? Math.round((order.grossCents * 100) / 119);
    const at = this.now();
    const row: AuftragRow = {
      id: ++this.ids.auftrag,
      belegnr: '',
      datum: order.date ?? this.today(),
      status: 'angelegt',
      adresse: customer?.id ?? 0,
      kundennummer: customer?.kundennummer ?? '',
      ...adresseToAuftragAddress(customer),
      projekt: order.projectId ?? customer?.projekt ?? 0,
      waehrung: order.currency,
      gesamtsumme: centsToDecimal(order.grossCents),
      umsatz_netto: centsToDecimal(net),
      angelegt_am: at,
      logdatei: at,
    };
    this.auftraege.set(row.id, row);
    this.touch();
    return row;
  }

  /**
   * `PATCH /api/v3/salesOrders/:id/actions/release`: only a draft with a customer can be
   * released (Xentral's documented rule); release assigns the document number.
   */
  releaseOrder(id: number): AuftragRow {
    const row = this.getAuftrag(id);
    if (row.status !== 'angelegt') {
      throw invalidStatusProblem(`Only a draft sales order can be released; ${id} is not a draft.`);
    }
    const customer = this.adressen.get(row.adresse);
    if (row.adresse === 0 || !customer || customer.geloescht === 1) {
      throw invalidStatusProblem(
        `Sales order ${id} has no customer assigned and cannot be released.`,
      );
    }
    this.lastNumber.auftrag++;
    return this.replaceAuftrag({
      ...row,
      status: 'freigegeben',
      belegnr: String(this.lastNumber.auftrag),
    });
  }

  cancelOrder(id: number): AuftragRow {
    const row = this.getAuftrag(id);
    if (row.status === 'storniert' || row.status === 'abgeschlossen') {
      throw invalidStatusProblem(`Sales order ${id} is ${row.status} and cannot be cancelled.`);
    }
    return this.replaceAuftrag({ ...row, status: 'storniert' });
  }

  completeOrder(id: number): AuftragRow {
    const row = this.getAuftrag(id);
    if (row.status !== 'freigegeben') {
      throw invalidStatusProblem(
        `Only a released sales order can be completed; ${id} is ${row.status}.`,
      );
    }
    return this.replaceAuftrag({ ...row, status: 'abgeschlossen' });
  }

  // ---- Dump -------------------------------------------------------------------------------

  /** Every stored row, in Xentral's shape, ordered by id. */
  dump(): XentralState {
    return {
      adresse: [...this.adressen.values()].map((row) => ({ ...row })),
      adresse_rolle: this.rollen.map((row) => ({ ...row })),
      projekt: [...this.projekte.values()].map((row) => ({ ...row })),
      auftrag: [...this.auftraege.values()].map((row) => ({ ...row })),
    };
  }
}
