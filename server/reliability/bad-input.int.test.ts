import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunItem } from '../../shared/api/runs';
import type { AdresseRow, AuftragRow } from '../mocks/xentral';
import type { Baseline } from './invariants';
import type { HubSpotRecordState } from './invariants';
import { ALL_STAGES, startWorld, type World } from './world';

/**
 * Bad input through the engine: odd, broken and hostile data in both systems, all in one world and
 * exchanged by the real runs. Each record either arrives intact (exactly once) or is listed with
 * its reason, and the run goes on. One case per test, so the count of cases tried is the count of
 * tests.
 */

let w: World;
let baseline: Baseline;
let items: RunItem[] = [];
let rounds: { sync: string[]; deals: string[]; failedPerSync: number[]; created: number[] };

const LONG = 'x'.repeat(10_000);
const LONG_STREET = `Lange Straße ${'ä'.repeat(9_985)}`;

// ---- arranging data the way each system can hold it ------------------------------------------

function blank(): Omit<
  AdresseRow,
  'id' | 'kundennummer' | 'mitarbeiternummer' | 'geloescht' | 'angelegt_am' | 'logdatei'
> {
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
    land: 'DE',
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

/**
 * A customer row as Xentral's database holds it — also values its API would refuse (a 10,000
 * character street), which older records, imports and plugins leave behind.
 */
function xentralCustomer(fields: Partial<ReturnType<typeof blank>>): number {
  const store = w.mocks.xentral.store;
  const row = store.insertAdresse(
    { ...blank(), typ: 'herr', ...fields },
    { kundennummer: store.nextKundennummer() },
  );
  store.addRolle(row.id, 'Kunde');
  return row.id;
}

async function hubspotContact(properties: Record<string, string>): Promise<string> {
  const created = await w.hubspotClient.crm.contacts.basicApi.create({
    properties: { lifecyclestage: 'customer', ...properties },
    associations: [],
  });
  return created.id;
}

async function hubspotCompany(properties: Record<string, string>): Promise<string> {
  const created = await w.hubspotClient.crm.companies.basicApi.create({
    properties: { lifecyclestage: 'customer', ...properties },
    associations: [],
  });
  return created.id;
}

/** A released order; `row` changes what Xentral's database may hold beyond its API. */
function releasedOrder(customerId: number, gross: string, row: Partial<AuftragRow> = {}): number {
  const store = w.mocks.xentral.store;
  const order = store.releaseOrder(
    store.createOrder({ customerId, grossCents: 100, currency: 'EUR' }).id,
  );
  Object.assign(store.getAuftrag(order.id), { gesamtsumme: gross }, row);
  return order.id;
}

// ---- reading the outcome -------------------------------------------------------------------------

function state() {
  return w.mocks.state();
}
const norm = (email: string | null | undefined) => (email ?? '').trim().toLowerCase();
function hubspotContacts(email: string): HubSpotRecordState[] {
  return state().hubspot.contacts.filter((r) => norm(r.properties.email) === norm(email));
}
function hubspotCompanies(name: string): HubSpotRecordState[] {
  return state().hubspot.companies.filter((r) => r.properties.name === name);
}
function xentralPersons(email: string): AdresseRow[] {
  return state().xentral.persons.filter((r) => norm(r.email) === norm(email));
}
function xentralCompanies(name: string): AdresseRow[] {
  return state().xentral.companies.filter((r) => r.name === name);
}
function linkOf(
  type: 'contact' | 'company' | 'user' | 'deal',
  system: 'xentral' | 'hubspot',
  id: string | number,
) {
  return w.store.findLinkBySide(type, system, String(id));
}
function itemsOf(system: 'xentral' | 'hubspot', id: string | number): RunItem[] {
  const key = system === 'xentral' ? 'xentralId' : 'hubspotId';
  return items.filter((item) => (item[key] ?? '').split(',').includes(String(id)));
}
function reasonOf(system: 'xentral' | 'hubspot', id: string | number, action: RunItem['action']) {
  return itemsOf(system, id).find((item) => item.action === action)?.reason ?? '';
}
function dealOf(orderId: number): HubSpotRecordState | undefined {
  const deals = state().hubspot.deals.filter(
    (d) => d.properties.xentral_order_id === String(orderId),
  );
  expect(deals.length).toBeLessThanOrEqual(1);
  return deals[0];
}

// ---- the corpus ------------------------------------------------------------------------------

type Check = () => void;
const CORPUS: [string, () => Promise<Check> | Check][] = [
  // e-mail addresses
  [
    'an e-mail in capitals is written in HubSpot lower-case, once',
    () => {
      const id = xentralCustomer({ name: 'Anna Capital', email: 'Anna.Capital@Example.COM' });
      return () => {
        expect(hubspotContacts('anna.capital@example.com')).toHaveLength(1);
        expect(linkOf('contact', 'xentral', id)?.matchedBy).toBe('created');
      };
    },
  ],
  [
    'an e-mail with spaces around it is trimmed',
    () => {
      const id = xentralCustomer({ name: 'Sven Spaced', email: '  spaced.out@example.com  ' });
      return () => {
        expect(hubspotContacts('spaced.out@example.com')[0]?.properties.email).toBe(
          'spaced.out@example.com',
        );
        expect(linkOf('contact', 'xentral', id)).toBeDefined();
      };
    },
  ],
  [
    'e-mails differing only in case match the existing contact',
    async () => {
      const x = xentralCustomer({ name: 'Mia Match', email: 'Match.Me@Example.com' });
      const h = await hubspotContact({ email: 'match.me@example.com', lastname: 'Match' });
      return () => {
        expect(linkOf('contact', 'xentral', x)?.hubspotId).toBe(h);
        expect(hubspotContacts('match.me@example.com')).toHaveLength(1);
        expect(xentralPersons('match.me@example.com')).toHaveLength(1);
      };
    },
  ],
  [
    'a unicode e-mail from HubSpot arrives in Xentral',
    async () => {
      const h = await hubspotContact({
        email: 'Zoë.Ümlaut@Example.com',
        firstname: 'Zoë',
        lastname: 'Ümlaut',
      });
      return () => {
        const [row] = xentralPersons('zoë.ümlaut@example.com');
        expect(row?.name).toBe('Zoë Ümlaut');
        expect(linkOf('contact', 'hubspot', h)?.xentralId).toBe(String(row?.id));
      };
    },
  ],
  [
    'a unicode local part goes to HubSpot as it is',
    () => {
      const id = xentralCustomer({ name: 'Jürgen Groß', email: 'jürgen.groß@example.de' });
      return () => {
        expect(hubspotContacts('jürgen.groß@example.de')).toHaveLength(1);
        expect(linkOf('contact', 'xentral', id)).toBeDefined();
      };
    },
  ],
  [
    'an IDN domain goes to HubSpot as it is',
    () => {
      const id = xentralCustomer({ name: 'Ida Domain', email: 'info@müller-bau.example' });
      return () => {
        expect(hubspotContacts('info@müller-bau.example')).toHaveLength(1);
        expect(linkOf('contact', 'xentral', id)).toBeDefined();
      };
    },
  ],
  [
    'an IDN domain in Unicode and in Punycode is one address',
    async () => {
      const x = xentralCustomer({ name: 'Bea Bücher', email: 'kontakt@bücher.example' });
      const h = await hubspotContact({
        email: 'kontakt@xn--bcher-kva.example',
        lastname: 'Bücher',
      });
      return () => {
        expect(linkOf('contact', 'xentral', x)?.hubspotId).toBe(h);
        expect(hubspotContacts('kontakt@bücher.example')).toHaveLength(0);
        expect(xentralPersons('kontakt@xn--bcher-kva.example')).toHaveLength(0);
      };
    },
  ],
  ...['not-an-email', 'two@@example.com', 'jan berg@example.com', 'user@localhost'].map(
    (email): [string, () => Check] => [
      `an e-mail HubSpot refuses ("${email}") fails that record only, with HubSpot's reason`,
      () => {
        const id = xentralCustomer({ name: `Invalid ${email}`, email });
        return () => {
          expect(linkOf('contact', 'xentral', id)).toBeUndefined();
          expect(reasonOf('xentral', id, 'failed')).toMatch(/email/i);
          expect(hubspotContacts(email)).toHaveLength(0);
        };
      },
    ],
  ),
  [
    'two customers with one e-mail in Xentral give one HubSpot contact, the other is skipped',
    () => {
      const first = xentralCustomer({ name: 'Dup One', email: 'dup.inside@example.com' });
      const second = xentralCustomer({ name: 'Dup Two', email: 'DUP.INSIDE@example.com' });
      return () => {
        expect(hubspotContacts('dup.inside@example.com')).toHaveLength(1);
        expect(linkOf('contact', 'xentral', first)).toBeDefined();
        expect(linkOf('contact', 'xentral', second)).toBeUndefined();
        expect(reasonOf('xentral', second, 'skipped')).toMatch(/e-mail/);
      };
    },
  ],
  [
    'two Xentral customers and one HubSpot contact with one e-mail are an ambiguous match',
    async () => {
      const a = xentralCustomer({ name: 'Twin A', email: 'twin.amb@example.com' });
      const b = xentralCustomer({ name: 'Twin B', email: 'twin.amb@example.com' });
      const h = await hubspotContact({ email: 'twin.amb@example.com' });
      return () => {
        for (const id of [a, b]) expect(linkOf('contact', 'xentral', id)).toBeUndefined();
        expect(linkOf('contact', 'hubspot', h)).toBeUndefined();
        expect(reasonOf('hubspot', h, 'conflict')).toMatch(/ambiguous/);
        expect(hubspotContacts('twin.amb@example.com')).toHaveLength(1);
        expect(xentralPersons('twin.amb@example.com')).toHaveLength(2);
      };
    },
  ],
  [
    'a Xentral customer without e-mail is skipped with its reason',
    () => {
      const id = xentralCustomer({ name: 'Ohne Mail' });
      return () => expect(reasonOf('xentral', id, 'skipped')).toMatch(/e-mail/);
    },
  ],
  [
    'a HubSpot contact without e-mail is skipped with its reason',
    async () => {
      const h = await hubspotContact({ firstname: 'No', lastname: 'Mail Hub' });
      return () => expect(reasonOf('hubspot', h, 'skipped')).toMatch(/e-mail/);
    },
  ],
  // names
  [
    'a name with an emoji is split and kept',
    () => {
      xentralCustomer({ name: 'Anna 😀 Smiley', email: 'emoji@example.com' });
      return () =>
        expect(hubspotContacts('emoji@example.com')[0]?.properties).toMatchObject({
          firstname: 'Anna 😀',
          lastname: 'Smiley',
        });
    },
  ],
  [
    'an Arabic name (right to left) arrives intact',
    async () => {
      await hubspotContact({ email: 'arabic@example.com', firstname: 'محمد', lastname: 'علي' });
      return () => expect(xentralPersons('arabic@example.com')[0]?.name).toBe('محمد علي');
    },
  ],
  [
    'a Hebrew name (right to left) arrives intact',
    () => {
      xentralCustomer({ name: 'דוד כהן', email: 'hebrew@example.com' });
      return () =>
        expect(hubspotContacts('hebrew@example.com')[0]?.properties).toMatchObject({
          firstname: 'דוד',
          lastname: 'כהן',
        });
    },
  ],
  [
    'quotes in a name are kept',
    () => {
      xentralCustomer({ name: `Seán O'Brien "Boss"`, email: 'quotes@example.com' });
      return () =>
        expect(hubspotContacts('quotes@example.com')[0]?.properties).toMatchObject({
          firstname: `Seán O'Brien`,
          lastname: '"Boss"',
        });
    },
  ],
  [
    'HTML in a HubSpot name is data: stored and logged verbatim',
    async () => {
      const h = await hubspotContact({
        email: 'html@example.com',
        firstname: '<script>alert(1)</script>',
        lastname: '<b>Bold</b>',
      });
      return () => {
        expect(xentralPersons('html@example.com')[0]?.name).toBe(
          '<script>alert(1)</script> <b>Bold</b>',
        );
        expect(itemsOf('hubspot', h).find((i) => i.action === 'created')?.label).toBe(
          '<script>alert(1)</script> <b>Bold</b>',
        );
      };
    },
  ],
  [
    'HTML in a Xentral company name is data',
    () => {
      xentralCustomer({ typ: 'firma', name: '<img src=x onerror=alert(1)> GmbH' });
      return () => expect(hubspotCompanies('<img src=x onerror=alert(1)> GmbH')).toHaveLength(1);
    },
  ],
  [
    'extra spaces in a name are collapsed when it is split',
    () => {
      xentralCustomer({ name: '  Hans   Peter  Wurst ', email: 'spaces.name@example.com' });
      return () =>
        expect(hubspotContacts('spaces.name@example.com')[0]?.properties).toMatchObject({
          firstname: 'Hans Peter',
          lastname: 'Wurst',
        });
    },
  ],
  [
    'a one-word name becomes the last name',
    () => {
      xentralCustomer({ name: 'Cher', email: 'cher@example.com' });
      return () => {
        const properties = hubspotContacts('cher@example.com')[0]?.properties;
        expect(properties?.lastname).toBe('Cher');
        expect(properties?.firstname ?? '').toBe('');
      };
    },
  ],
  [
    'a decomposed (NFD) and a composed (NFC) name are equal: no conflict',
    async () => {
      const x = xentralCustomer({ name: 'Jose\u0301 Nfd', email: 'nfd@example.com' });
      await hubspotContact({ email: 'nfd@example.com', firstname: 'José', lastname: 'Nfd' });
      return () => {
        expect(linkOf('contact', 'xentral', x)).toBeDefined();
        expect(itemsOf('xentral', x).filter((i) => i.action === 'conflict')).toEqual([]);
      };
    },
  ],
  // long values
  [
    "a 10,000-character job title from HubSpot fails with Xentral's limit, the run goes on",
    async () => {
      const h = await hubspotContact({
        email: 'long.job@example.com',
        lastname: 'Long',
        jobtitle: LONG,
      });
      return () => {
        expect(reasonOf('hubspot', h, 'failed')).toMatch(/department/);
        expect(xentralPersons('long.job@example.com')).toEqual([]);
      };
    },
  ],
  [
    "a 10,000-character first name from HubSpot fails with Xentral's limit",
    async () => {
      const h = await hubspotContact({
        email: 'long.name@example.com',
        firstname: LONG,
        lastname: 'X',
      });
      return () => expect(reasonOf('hubspot', h, 'failed')).toMatch(/name/);
    },
  ],
  [
    'a 10,000-character street from Xentral reaches HubSpot in full',
    () => {
      xentralCustomer({
        name: 'Lena Lang',
        email: 'long.street@example.com',
        strasse: LONG_STREET,
      });
      return () =>
        expect(hubspotContacts('long.street@example.com')[0]?.properties.address).toBe(LONG_STREET);
    },
  ],
  // companies
  [
    'a company named only with spaces is skipped with its reason',
    () => {
      const id = xentralCustomer({ typ: 'firma', name: '   ' });
      return () => expect(reasonOf('xentral', id, 'skipped')).toMatch(/name/);
    },
  ],
  [
    'a HubSpot company without a name is skipped with its reason',
    async () => {
      const h = await hubspotCompany({ domain: 'noname.example' });
      return () => expect(reasonOf('hubspot', h, 'skipped')).toMatch(/name/);
    },
  ],
  [
    'company names differing in case and punctuation with one domain match',
    async () => {
      const x = xentralCustomer({
        typ: 'firma',
        name: 'Müller & Söhne GmbH',
        internetseite: 'https://www.mueller-soehne.example/',
      });
      const h = await hubspotCompany({
        name: 'MÜLLER & SÖHNE GMBH.',
        domain: 'mueller-soehne.example',
      });
      return () => expect(linkOf('company', 'xentral', x)?.hubspotId).toBe(h);
    },
  ],
  [
    'one company name with two different domains is two companies',
    async () => {
      const x = xentralCustomer({
        typ: 'firma',
        name: 'Acme Twin Corp',
        internetseite: 'acme-twin.de',
      });
      const h = await hubspotCompany({ name: 'Acme Twin Corp', domain: 'acme-twin.com' });
      return () => {
        expect(linkOf('company', 'xentral', x)?.hubspotId).not.toBe(h);
        expect(linkOf('company', 'hubspot', h)?.xentralId).not.toBe(String(x));
        expect(
          hubspotCompanies('Acme Twin Corp')
            .map((c) => c.properties.domain)
            .sort(),
        ).toEqual(['acme-twin.com', 'acme-twin.de']);
        expect(xentralCompanies('Acme Twin Corp')).toHaveLength(2);
      };
    },
  ],
  [
    'a company without a domain matches the one candidate by name, and gets its domain',
    async () => {
      const x = xentralCustomer({ typ: 'firma', name: 'Beta Solo AG' });
      const h = await hubspotCompany({ name: 'Beta Solo AG', domain: 'beta-solo.example' });
      return () => {
        expect(linkOf('company', 'xentral', x)?.hubspotId).toBe(h);
        expect(xentralCompanies('Beta Solo AG')[0]?.internetseite).toBe('beta-solo.example');
      };
    },
  ],
  [
    'a company without a domain and two candidates by name is an ambiguous match',
    async () => {
      const x = xentralCustomer({ typ: 'firma', name: 'Gamma Multi AG' });
      await hubspotCompany({ name: 'Gamma Multi AG', domain: 'gamma-1.example' });
      await hubspotCompany({ name: 'Gamma Multi AG', domain: 'gamma-2.example' });
      return () => {
        expect(linkOf('company', 'xentral', x)).toBeUndefined();
        expect(reasonOf('xentral', x, 'conflict')).toMatch(/ambiguous/);
        expect(hubspotCompanies('Gamma Multi AG')).toHaveLength(2);
        expect(xentralCompanies('Gamma Multi AG')).toHaveLength(1);
      };
    },
  ],
  // empty, missing, null
  [
    'an explicitly empty, a missing and a blank field are all empty: nothing written',
    async () => {
      const x = xentralCustomer({
        name: 'Eve Empty',
        email: 'empty.fields@example.com',
        telefon: '',
      });
      await hubspotContact({
        email: 'empty.fields@example.com',
        firstname: 'Eve',
        lastname: 'Empty',
        phone: '',
        mobilephone: '   ',
      });
      return () => {
        expect(linkOf('contact', 'xentral', x)).toBeDefined();
        // Salutation and country are filled into HubSpot; the empty phones stay out of it.
        const touched = itemsOf('xentral', x)
          .filter((i) => ['edited', 'conflict'].includes(i.action))
          .flatMap((i) => i.changes.map((change) => change.field));
        expect(touched).not.toContain('phone');
        expect(touched).not.toContain('mobile');
        expect(xentralPersons('empty.fields@example.com')[0]).toMatchObject({
          telefon: '',
          mobil: '',
        });
      };
    },
  ],
  [
    "a field set to null through HubSpot's API is empty",
    async () => {
      const h = await hubspotContact({
        email: 'null.field@example.com',
        lastname: 'Null',
        city: 'Köln',
      });
      await w.hubspotClient.crm.contacts.basicApi.update(h, {
        properties: { city: null as unknown as string },
      });
      return () => expect(xentralPersons('null.field@example.com')[0]?.ort).toBe('');
    },
  ],
  // addresses and countries
  [
    "a HubSpot contact without any address gets Xentral's required parts empty and the default country",
    async () => {
      await hubspotContact({ email: 'no.address@example.com', lastname: 'Nowhere' });
      return () =>
        expect(xentralPersons('no.address@example.com')[0]).toMatchObject({
          strasse: '',
          plz: '',
          ort: '',
          land: 'DE',
        });
    },
  ],
  [
    'an unknown country from HubSpot becomes the default country on a create, and the run says so',
    async () => {
      const h = await hubspotContact({
        email: 'atlantis@example.com',
        lastname: 'Atlas',
        country: 'Atlantis',
      });
      return () => {
        expect(xentralPersons('atlantis@example.com')[0]?.land).toBe('DE');
        expect(itemsOf('hubspot', h).find((i) => i.action === 'created')?.reasonCode).toBe(
          'default_country',
        );
      };
    },
  ],
  [
    'an unknown country code from Xentral is not sent to HubSpot, and the run says so',
    () => {
      const id = xentralCustomer({
        name: 'Xena Code',
        email: 'xx.country@example.com',
        land: 'XX',
      });
      return () => {
        const [contact] = hubspotContacts('xx.country@example.com');
        expect(contact).toBeDefined();
        expect(contact?.properties.country ?? '').toBe('');
        expect(itemsOf('xentral', id).find((i) => i.action === 'created')?.reasonCode).toBe(
          'unknown_country',
        );
      };
    },
  ],
  [
    'a country named in German arrives as its code',
    async () => {
      await hubspotContact({
        email: 'austria@example.com',
        lastname: 'Wien',
        country: 'Österreich',
      });
      return () => expect(xentralPersons('austria@example.com')[0]?.land).toBe('AT');
    },
  ],
  [
    'a three-letter country code arrives as its two-letter code',
    async () => {
      await hubspotContact({ email: 'swiss@example.com', lastname: 'Bern', country: 'CHE' });
      return () => expect(xentralPersons('swiss@example.com')[0]?.land).toBe('CH');
    },
  ],
  [
    'an unknown salutation becomes the default one',
    async () => {
      await hubspotContact({ email: 'doctor@example.com', lastname: 'Who', salutation: 'Dr.' });
      return () => expect(xentralPersons('doctor@example.com')[0]?.typ).toBe('herr');
    },
  ],
  [
    '"Frau" is Mrs.',
    async () => {
      await hubspotContact({ email: 'frau@example.com', lastname: 'Meier', salutation: 'Frau' });
      return () => expect(xentralPersons('frau@example.com')[0]?.typ).toBe('frau');
    },
  ],
  // users
  [
    "a HubSpot user whose e-mail differs in case from an employee's is that employee",
    () => {
      const store = w.mocks.xentral.store;
      const employee = store.createEmployee({
        type: 'mrs',
        name: 'Olga Owner',
        email: 'olga.owner@example.com',
      });
      const portal = w.mocks.hubspot.store.portal(w.hubId)!;
      const owner = w.mocks.hubspot.store.addOwner(portal, {
        email: 'Olga.Owner@Example.COM',
        firstName: 'Olga',
        lastName: 'Owner',
      });
      return () => {
        expect(linkOf('user', 'hubspot', owner.id)?.xentralId).toBe(String(employee.id));
        expect(
          state().xentral.employees.filter((e) => norm(e.email) === 'olga.owner@example.com'),
        ).toHaveLength(1);
      };
    },
  ],
  // orders
  [
    'an amount with many decimals reaches the deal unrounded',
    () => {
      const order = releasedOrder(buyer(), '1234.56789');
      return () => expect(dealOf(order)?.properties.amount).toBe('1234.56789');
    },
  ],
  [
    'a negative total is a deal with a negative amount',
    () => {
      const order = releasedOrder(buyer(), '-50.00');
      return () => expect(dealOf(order)?.properties.amount).toBe('-50.00');
    },
  ],
  [
    'a zero total is a deal of zero',
    () => {
      const order = releasedOrder(buyer(), '0.00');
      return () => expect(dealOf(order)?.properties.amount).toBe('0.00');
    },
  ],
  [
    'a very large total is kept to the cent',
    () => {
      const order = releasedOrder(buyer(), '99999999999.99');
      return () => expect(dealOf(order)?.properties.amount).toBe('99999999999.99');
    },
  ],
  [
    'an order without a customer is skipped with its reason',
    () => {
      const order = releasedOrder(buyer(), '10.00', { adresse: 0, kundennummer: '' });
      return () => {
        expect(dealOf(order)).toBeUndefined();
        expect(reasonOf('xentral', order, 'skipped')).toMatch(/no customer/);
      };
    },
  ],
  [
    'an order of an address that is neither person nor company is skipped',
    () => {
      const other = xentralCustomer({ typ: '', name: 'Irgendwer', email: 'other@example.com' });
      const order = releasedOrder(other, '10.00');
      return () => expect(reasonOf('xentral', order, 'skipped')).toMatch(/not a person or company/);
    },
  ],
  [
    'a currency in lower case is upper-cased',
    () => {
      const order = releasedOrder(buyer(), '10.00', { waehrung: 'chf' });
      return () => expect(dealOf(order)?.properties.deal_currency_code).toBe('CHF');
    },
  ],
  [
    'a currency that is no ISO code is skipped with its reason',
    () => {
      const order = releasedOrder(buyer(), '10.00', { waehrung: 'EURO' });
      return () => expect(reasonOf('xentral', order, 'skipped')).toMatch(/currency/);
    },
  ],
  [
    'a total that is not a number is skipped with its reason',
    () => {
      const order = releasedOrder(buyer(), 'n/a');
      return () => expect(reasonOf('xentral', order, 'skipped')).toMatch(/not a number/);
    },
  ],
  [
    'an order of a person without e-mail waits for a buyer, with its reason',
    () => {
      const person = xentralCustomer({ name: 'Paul Postfach' });
      const order = releasedOrder(person, '10.00');
      return () => {
        expect(dealOf(order)).toBeUndefined();
        expect(reasonOf('xentral', order, 'skipped')).toMatch(/no e-mail/);
      };
    },
  ],
];

let buyerId: number | undefined;
/** One plain company that buys all the odd orders. */
function buyer(): number {
  buyerId ??= xentralCustomer({
    typ: 'firma',
    name: 'Deal Buyer GmbH',
    internetseite: 'buyer.example',
  });
  return buyerId;
}

const checks = new Map<string, Check>();

// With the employee extension routes, and on a stock Xentral, which lists employees by name.
describe.each([
  { xentral: 'with extension routes', extensions: true },
  { xentral: 'stock', extensions: false },
])('$xentral Xentral', ({ xentral, extensions }) => {
  beforeAll(async () => {
    checks.clear();
    buyerId = undefined;
    items = [];
    w = await startWorld({ xentralExtensions: extensions });
    for (const [name, arrange] of CORPUS) checks.set(name, await arrange());
    baseline = w.baseline();
    rounds = { sync: [], deals: [], failedPerSync: [], created: [] };
    for (let i = 0; i < 2; i++) {
      const sync = await w.run('sync');
      const deals = await w.runDeals();
      rounds.sync.push(sync.status);
      rounds.deals.push(deals.status);
      const totals = w.runs.summary(sync.runId)!.totals;
      rounds.failedPerSync.push(totals.failed);
      rounds.created.push(totals.created + w.runs.summary(deals.runId)!.totals.created);
    }
    items = w.runs.list(100).flatMap((run) => w.runs.items(run.id, 10_000));
  }, 120_000);
  afterAll(async () => {
    await w?.close();
    console.log(
      `[reliability] bad input through the engine (${xentral} Xentral): ${CORPUS.length} cases`,
    );
  });

  describe('bad input through the engine', () => {
    it('leaves every run finishing, nothing lost, nothing twice, every failure with its reason', () => {
      expect(rounds.sync).toEqual(['succeeded', 'succeeded']);
      expect(rounds.deals).toEqual(['succeeded', 'succeeded']);
      // The second round makes nothing new; what HubSpot or Xentral refuse is refused again.
      expect(rounds.created[1]).toBe(0);
      expect(rounds.failedPerSync[1]).toBe(rounds.failedPerSync[0]);
      const report = w.check(baseline, {
        exported: true,
        imported: true,
        lifecycleStages: ALL_STAGES,
        deals: true,
        settled: true,
      });
      expect(report.problems).toEqual([]);
    });

    it.each(CORPUS.map(([name]) => [name]))('%s', (name) => {
      checks.get(name)!();
    });
  });
});
