import { z } from 'zod';
import { asciiSlug, demoCompany, demoPerson } from '../common/demo-data';
import { hashSeed, SeededRandom } from '../common/random';
import type { AdresseFields } from './serializer';
import type { XentralStore } from './store';

/**
 * Deterministic seeding. Customers come from the shared generator (`demoPerson(seed, index)`,
 * `demoCompany(seed, index)`), the same one the HubSpot mock uses, so the overlap between the
 * two systems is known from the index ranges. Every option falls back to the demo world that
 * `npm start` shows; tests that need exact data pass every count explicitly.
 */
export const SeedInput = z
  .object({
    seed: z.number().int().optional(),
    /** Person customers (Mr./Mrs.); `customers` is an alias. */
    persons: z.number().int().min(0).max(1_000_000).optional(),
    customers: z.number().int().min(0).max(1_000_000).optional(),
    companies: z.number().int().min(0).max(1_000_000).optional(),
    employees: z.number().int().min(0).max(10_000).optional(),
    projects: z.number().int().min(0).max(1_000).optional(),
    draftOrders: z.number().int().min(0).max(100_000).optional(),
    releasedOrders: z.number().int().min(0).max(100_000).optional(),
    personStartIndex: z.number().int().min(0).optional(),
    companyStartIndex: z.number().int().min(0).optional(),
    /** Every person whose (index + 1) is a multiple of this has no e-mail; 0 = none. */
    withoutEmailEvery: z.number().int().min(0).optional(),
    /** Every person whose (index + 1) is a multiple of this repeats the previous index's e-mail, upper-cased; 0 = none. */
    duplicateEmailEvery: z.number().int().min(0).optional(),
    /**
     * Add three customers the published spec allows and a tidy instance rarely shows: one
     * without primary address, one without `updatedAt`, one of type `other`. The demo has them.
     */
    unusualCustomers: z.boolean().optional(),
    /** Keep what is stored and add to it; by default seeding replaces everything. */
    append: z.boolean().optional(),
  })
  .strict()
  .refine((input) => input.persons === undefined || input.customers === undefined, {
    message: 'give persons or customers (an alias), not both',
  });
export type SeedInput = z.infer<typeof SeedInput>;

/** The demo world: a few hundred customers, 8 employees, 6 projects, draft and released orders. */
export const DEMO_SEED_DEFAULTS = {
  persons: 240,
  companies: 80,
  employees: 8,
  projects: 6,
  draftOrders: 12,
  releasedOrders: 12,
  personStartIndex: 0,
  companyStartIndex: 0,
  withoutEmailEvery: 16,
  duplicateEmailEvery: 50,
} as const;

/** Employees of the demo company; the e-mails are what a HubSpot portal's owners would use. */
export const DEMO_EMPLOYEES = [
  { type: 'frau', firstName: 'Anna', lastName: 'Schmidt' },
  { type: 'herr', firstName: 'Lukas', lastName: 'Weber' },
  { type: 'frau', firstName: 'Sophie', lastName: 'Becker' },
  { type: 'herr', firstName: 'Jonas', lastName: 'Hoffmann' },
  { type: 'frau', firstName: 'Marie', lastName: 'Fischer' },
  { type: 'herr', firstName: 'Felix', lastName: 'Wagner' },
  { type: 'frau', firstName: 'Julia', lastName: 'Klein' },
  { type: 'herr', firstName: 'Tim', lastName: 'Schulz' },
] as const;

/** Demo employee e-mail: `vorname.nachname@example.com`, ASCII. */
export function demoEmployeeEmail(firstName: string, lastName: string): string {
  return `${asciiSlug(firstName)}.${asciiSlug(lastName)}@example.com`;
}

const DEMO_PROJECTS = [
  { abkuerzung: 'STANDARD', name: 'Standard' },
  { abkuerzung: 'VERTRIEB', name: 'Vertrieb' },
  { abkuerzung: 'SHOP', name: 'Onlineshop' },
  { abkuerzung: 'B2B', name: 'Großhandel' },
  { abkuerzung: 'SERVICE', name: 'Service & Wartung' },
  { abkuerzung: 'MESSE', name: 'Messen & Events' },
] as const;

export interface SeedSummary {
  seed: number;
  persons: { count: number; firstIndex: number };
  companies: { count: number; firstIndex: number };
  employees: number;
  projects: number;
  draftOrders: number;
  releasedOrders: number;
  /** Address ids of the seeded customers: persons first, then companies. */
  customerIds: { first: number | null; last: number | null };
}

function blankAddress(): AdresseFields {
  return {
    typ: '',
    name: '',
    titel: '',
    ansprechpartner: '',
    abteilung: '',
    unterabteilung: '',
    adresszusatz: '',
    strasse: '',
    plz: '',
    ort: '',
    bundesstaat: '',
    land: '',
    email: '',
    telefon: '',
    telefax: '',
    mobil: '',
    internetseite: '',
    anschreiben: '',
    sprache: '',
    projekt: 0,
    innendienst: 0,
    vertrieb: 0,
  };
}

function dateDaysBefore(today: string, days: number): string {
  const date = new Date(`${today}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() - days);
  return date.toISOString().slice(0, 10);
}

/** Fills the store; fast enough for 100,000 customers (no validation, direct inserts). */
export function seedStore(store: XentralStore, input: SeedInput, defaultSeed: number): SeedSummary {
  const seed = input.seed ?? defaultSeed;
  const d = DEMO_SEED_DEFAULTS;
  const options = {
    companies: input.companies ?? d.companies,
    employees: input.employees ?? d.employees,
    projects: input.projects ?? d.projects,
    draftOrders: input.draftOrders ?? d.draftOrders,
    releasedOrders: input.releasedOrders ?? d.releasedOrders,
    personStartIndex: input.personStartIndex ?? d.personStartIndex,
    companyStartIndex: input.companyStartIndex ?? d.companyStartIndex,
    withoutEmailEvery: input.withoutEmailEvery ?? d.withoutEmailEvery,
    duplicateEmailEvery: input.duplicateEmailEvery ?? d.duplicateEmailEvery,
  };
  const persons = input.persons ?? input.customers ?? d.persons;
  if (input.append !== true) store.reset();
  const at = store.now();
  const today = store.today();

  const projectIds: number[] = [];
  for (let i = 0; i < options.projects; i++) {
    const demo = DEMO_PROJECTS[i] ?? { abkuerzung: `PRJ${i + 1}`, name: `Projekt ${i + 1}` };
    projectIds.push(store.insertProjekt({ ...demo, beschreibung: '', waehrung: 'EUR' }).id);
  }

  const employeeIds: number[] = [];
  for (let i = 0; i < options.employees; i++) {
    const fixed = DEMO_EMPLOYEES[i];
    const generated = fixed ? undefined : demoPerson(seed, 900_000 + i);
    const firstName = fixed?.firstName ?? generated?.firstName ?? '';
    const lastName = fixed?.lastName ?? generated?.lastName ?? '';
    const typ = fixed?.type ?? (generated?.salutation === 'mrs' ? 'frau' : 'herr');
    const row = store.insertAdresse(
      {
        ...blankAddress(),
        typ,
        name: `${firstName} ${lastName}`,
        email: fixed
          ? demoEmployeeEmail(firstName, lastName)
          : `${asciiSlug(firstName)}.${asciiSlug(lastName)}.${i}@example.com`,
        telefon: `+49 821 5000${String(100 + i)}`,
        projekt: projectIds[0] ?? 0,
      },
      { mitarbeiternummer: store.nextMitarbeiternummer() },
      at,
    );
    store.addRolle(row.id, 'Mitarbeiter', 0, today);
    employeeIds.push(row.id);
  }

  const customerIds: number[] = [];
  const backOffice = (position: number) =>
    employeeIds.length > 0 && position % 3 === 0
      ? (employeeIds[position % employeeIds.length] ?? 0)
      : 0;
  const mainProject = (position: number) =>
    projectIds.length === 0 ? 0 : ((position % 7 === 6 ? projectIds[1] : projectIds[0]) ?? 0);

  for (let i = 0; i < persons; i++) {
    const index = options.personStartIndex + i;
    const person = demoPerson(seed, index);
    let email = person.email;
    if (options.withoutEmailEvery > 0 && (index + 1) % options.withoutEmailEvery === 0) {
      email = '';
    } else if (
      options.duplicateEmailEvery > 0 &&
      index > 0 &&
      (index + 1) % options.duplicateEmailEvery === 0
    ) {
      // The same person entered twice, once in capitals: matching must trim and case-fold.
      email = demoPerson(seed, index - 1).email.toUpperCase();
    }
    const position = customerIds.length;
    const row = store.insertAdresse(
      {
        ...blankAddress(),
        typ: person.salutation === 'mrs' ? 'frau' : 'herr',
        name: `${person.firstName} ${person.lastName}`,
        abteilung: person.jobTitle,
        strasse: person.street,
        plz: person.zip,
        ort: person.city,
        land: person.countryCode,
        email,
        telefon: person.phone,
        mobil: person.mobile,
        projekt: mainProject(position),
        innendienst: backOffice(position),
      },
      { kundennummer: store.nextKundennummer() },
      at,
    );
    store.addRolle(row.id, 'Kunde', 0, today);
    customerIds.push(row.id);
  }

  const companies = options.companies;
  for (let i = 0; i < companies; i++) {
    const index = options.companyStartIndex + i;
    const company = demoCompany(seed, index);
    const position = customerIds.length;
    const row = store.insertAdresse(
      {
        ...blankAddress(),
        typ: 'firma',
        name: company.name,
        strasse: company.street,
        plz: company.zip,
        ort: company.city,
        land: company.countryCode,
        email: `info@${company.domain}`,
        telefon: company.phone,
        internetseite: `https://${company.domain}`,
        projekt: mainProject(position),
        innendienst: backOffice(position),
      },
      { kundennummer: store.nextKundennummer() },
      at,
    );
    store.addRolle(row.id, 'Kunde', 0, today);
    customerIds.push(row.id);
  }

  if (input.unusualCustomers === true) {
    const unusual: { fields: Partial<AdresseFields>; changedAt: string }[] = [
      // No name: the API shows `primaryAddress: null` (a PostalAddress requires a name).
      { fields: { email: 'ohne-adresse@example.com' }, changedAt: at },
      // Imported without a change log: no `updatedAt`, a person the app can exchange.
      {
        fields: {
          typ: 'frau',
          name: 'Ida Import',
          email: 'ida.import@example.com',
          strasse: 'Lindenweg 3',
          plz: '86150',
          ort: 'Augsburg',
          land: 'DE',
        },
        changedAt: '',
      },
      // Neither person nor company: type `other`.
      {
        fields: { name: 'Hausverwaltung Sonnenhof', email: 'verwaltung@sonnenhof.example' },
        changedAt: at,
      },
    ];
    for (const { fields, changedAt } of unusual) {
      const row = store.insertAdresse(
        { ...blankAddress(), ...fields },
        { kundennummer: store.nextKundennummer() },
        at,
        changedAt,
      );
      store.addRolle(row.id, 'Kunde', 0, today);
    }
  }

  const orderCount = options.draftOrders + options.releasedOrders;
  if (customerIds.length > 0) {
    for (let k = 0; k < orderCount; k++) {
      const random = new SeededRandom(hashSeed('xentral-order', seed, k));
      const order = store.createOrder({
        customerId: customerIds[(k * 7) % customerIds.length],
        grossCents: random.int(1_000, 250_000),
        currency: k % 7 === 3 ? 'CHF' : 'EUR',
        date: dateDaysBefore(today, k % 28),
      });
      if (k >= options.draftOrders) store.releaseOrder(order.id);
    }
  }

  return {
    seed,
    persons: { count: persons, firstIndex: options.personStartIndex },
    companies: { count: companies, firstIndex: options.companyStartIndex },
    employees: employeeIds.length,
    projects: projectIds.length,
    draftOrders: customerIds.length > 0 ? options.draftOrders : 0,
    releasedOrders: customerIds.length > 0 ? options.releasedOrders : 0,
    customerIds: {
      first: customerIds[0] ?? null,
      last: customerIds[customerIds.length - 1] ?? null,
    },
  };
}
