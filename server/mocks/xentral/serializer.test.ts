import { describe, expect, it } from 'vitest';
import type { AdresseRow, AuftragRow, ProjektRow } from './rows';
import {
  addressTypeToTyp,
  adresseToCustomer,
  adresseToEmployee,
  adresseToEmployeeExtended,
  apiStatusToAuftrag,
  applyCustomerUpdate,
  auftragStatusToApi,
  auftragToSalesOrder,
  centsToDecimal,
  customerCreateToAdresse,
  decimalToCents,
  employeeCreateToAdresse,
  projektToProject,
  rolleToCustomerRole,
  typToAddressType,
  type AdresseFields,
} from './serializer';
import { CustomerCreate, SALES_ORDER_STATUSES } from './shapes';

const AT = '2026-03-02T09:00:00.000Z';

function buildAdresse(overrides: Partial<AdresseRow> = {}): AdresseRow {
  return {
    id: 42,
    typ: 'frau',
    name: 'Jülide Öztürk',
    titel: '',
    ansprechpartner: '',
    abteilung: 'Einkauf',
    unterabteilung: '',
    adresszusatz: '',
    strasse: 'Fuggerstraße 11',
    plz: '86150',
    ort: 'Augsburg',
    bundesstaat: '',
    land: 'DE',
    email: 'juelide@example.com',
    telefon: '+49 821 123456',
    telefax: '',
    mobil: '',
    internetseite: 'https://oeztuerk.example',
    anschreiben: '',
    sprache: '',
    kundennummer: '10042',
    mitarbeiternummer: '',
    projekt: 1,
    innendienst: 7,
    vertrieb: 0,
    geloescht: 0,
    angelegt_am: AT,
    logdatei: '2026-03-02T10:15:30.000Z',
    ...overrides,
  };
}

function toRow(fields: AdresseFields): AdresseRow {
  return {
    id: 1,
    ...fields,
    kundennummer: '10000',
    mitarbeiternummer: '',
    geloescht: 0,
    angelegt_am: AT,
    logdatei: AT,
  };
}

describe('address type ↔ adresse.typ', () => {
  it('maps every type both ways', () => {
    for (const type of ['mr', 'mrs', 'company', 'other'] as const) {
      expect(typToAddressType(addressTypeToTyp(type))).toBe(type);
    }
    expect(addressTypeToTyp('mr')).toBe('herr');
    expect(addressTypeToTyp('mrs')).toBe('frau');
    expect(addressTypeToTyp('company')).toBe('firma');
    expect(addressTypeToTyp(null)).toBe('');
    expect(addressTypeToTyp(undefined)).toBe('');
  });
});

describe('adresse → Customer', () => {
  it('renders the stored row in the v3 shape, empty columns as null', () => {
    expect(adresseToCustomer(buildAdresse())).toEqual({
      id: '42',
      number: '10042',
      mainProject: { id: '1' },
      primaryAddress: {
        name: 'Jülide Öztürk',
        type: 'mrs',
        title: null,
        contactPerson: null,
        salutation: null,
        department: 'Einkauf',
        subDepartment: null,
        addressSupplement: null,
        street: 'Fuggerstraße 11',
        zipCode: '86150',
        city: 'Augsburg',
        state: null,
        country: 'DE',
        gln: null,
        email: 'juelide@example.com',
        phone: '+49 821 123456',
        fax: null,
        mobile: null,
      },
      communication: { language: null, website: 'https://oeztuerk.example' },
      accountManager: { id: '7' },
      salesManager: null,
      createdAt: AT,
      updatedAt: '2026-03-02T10:15:30.000Z',
    });
  });

  it('renders 0 references as null and customer roles only when asked', () => {
    const customer = adresseToCustomer(buildAdresse({ projekt: 0, innendienst: 0, typ: 'firma' }));
    expect(customer.mainProject).toBeNull();
    expect(customer.accountManager).toBeNull();
    expect(customer.primaryAddress?.type).toBe('company');
    expect(customer.customerRoles).toBeUndefined();
    const withRoles = adresseToCustomer(buildAdresse(), [
      {
        id: 1,
        adresse: 42,
        subjekt: 'Kunde',
        praedikat: 'von',
        objekt: 'Projekt',
        projekt: 0,
        von: '2026-01-01',
        bis: '0000-00-00',
      },
    ]);
    expect(withRoles.customerRoles).toEqual([
      { project: null, validFrom: '2026-01-01', expiresAt: null },
    ]);
  });
});

describe('Customer create body → adresse', () => {
  it('round-trips every field the app writes', () => {
    const input = CustomerCreate.parse({
      primaryAddress: {
        type: 'mr',
        name: 'Björn van der Berg',
        street: 'Am Markt 3',
        zipCode: '1010',
        city: 'Wien',
        country: 'AT',
        email: 'bjoern@example.org',
        phone: '+43 1 234',
        mobile: '+43 660 1',
        department: 'Vertrieb',
      },
      communication: { website: 'https://berg.example' },
      accountManager: { id: '7' },
      mainProject: { id: '2' },
    });
    const fields = customerCreateToAdresse(input);
    expect(fields).toMatchObject({
      typ: 'herr',
      name: 'Björn van der Berg',
      strasse: 'Am Markt 3',
      plz: '1010',
      ort: 'Wien',
      land: 'AT',
      email: 'bjoern@example.org',
      telefon: '+43 1 234',
      mobil: '+43 660 1',
      abteilung: 'Vertrieb',
      internetseite: 'https://berg.example',
      innendienst: 7,
      projekt: 2,
      telefax: '',
      titel: '',
    });
    const customer = adresseToCustomer(toRow(fields));
    expect(customer.primaryAddress).toMatchObject({
      ...input.primaryAddress,
      fax: null,
      title: null,
    });
    expect(customer.communication.website).toBe('https://berg.example');
    expect(customer.accountManager).toEqual({ id: '7' });
    expect(customer.mainProject).toEqual({ id: '2' });
  });

  it('stores empty required strings as empty columns and renders them as null', () => {
    const fields = customerCreateToAdresse(
      CustomerCreate.parse({
        primaryAddress: { name: 'Ohne Adresse', street: '', zipCode: '', city: '', country: 'DE' },
      }),
    );
    expect(fields).toMatchObject({
      typ: '',
      strasse: '',
      plz: '',
      ort: '',
      projekt: 0,
      innendienst: 0,
    });
    const address = adresseToCustomer(toRow(fields)).primaryAddress;
    expect(address).toMatchObject({ type: 'other', street: null, zipCode: null, city: null });
  });
});

describe('Customer update body → adresse', () => {
  it('changes only the given fields; null clears', () => {
    const row = buildAdresse();
    const next = applyCustomerUpdate(row, {
      primaryAddress: { city: 'München', mobile: '+49 171 1', department: null },
      communication: { website: '' },
      accountManager: null,
      mainProject: { id: '3' },
    });
    expect(next).toEqual({
      ...row,
      ort: 'München',
      mobil: '+49 171 1',
      abteilung: '',
      internetseite: '',
      innendienst: 0,
      projekt: 3,
    });
    expect(row.ort).toBe('Augsburg');
    expect(applyCustomerUpdate(row, {})).toEqual(row);
  });

  it('writes back what it reads: a customer rendered and patched with itself is unchanged', () => {
    const row = buildAdresse();
    const customer = adresseToCustomer(row);
    const { name, type, street, zipCode, city, country, email, phone, mobile, department } =
      customer.primaryAddress!;
    const next = applyCustomerUpdate(row, {
      primaryAddress: {
        name,
        ...(type ? { type } : {}),
        ...(street === null ? {} : { street }),
        ...(zipCode === null ? {} : { zipCode }),
        ...(city === null ? {} : { city }),
        ...(country === null ? {} : { country }),
        email,
        phone,
        mobile,
        department,
      },
      communication: { website: customer.communication.website ?? '' },
      accountManager: customer.accountManager,
      mainProject: customer.mainProject,
    });
    expect(next).toEqual(row);
  });
});

describe('employees', () => {
  it('maps the extension body to a person address and back', () => {
    const fields = employeeCreateToAdresse({
      type: 'mrs',
      name: 'Anna Schmidt',
      email: 'anna.schmidt@example.com',
      project: { id: '1' },
    });
    expect(fields).toMatchObject({
      typ: 'frau',
      name: 'Anna Schmidt',
      projekt: 1,
      email: 'anna.schmidt@example.com',
    });
    const row = { ...toRow(fields), id: 5, kundennummer: '', mitarbeiternummer: '90000' };
    expect(adresseToEmployee(row)).toEqual({ id: '5', number: '90000', name: 'Anna Schmidt' });
    expect(adresseToEmployeeExtended(row)).toEqual({
      id: '5',
      number: '90000',
      name: 'Anna Schmidt',
      type: 'mrs',
      email: 'anna.schmidt@example.com',
      phone: null,
      mobile: null,
      project: { id: '1' },
      createdAt: AT,
      updatedAt: AT,
    });
  });
});

describe('projects', () => {
  it('renders abkuerzung as keyName', () => {
    const row: ProjektRow = {
      id: 1,
      name: 'Standard',
      abkuerzung: 'STANDARD',
      beschreibung: '',
      waehrung: 'EUR',
      geloescht: 0,
    };
    expect(projektToProject(row)).toEqual({ id: '1', name: 'Standard', keyName: 'STANDARD' });
  });
});

describe('auftrag → SalesOrder', () => {
  const draft: AuftragRow = {
    id: 9,
    belegnr: '',
    datum: '2026-02-27',
    status: 'angelegt',
    adresse: 42,
    kundennummer: '10042',
    typ: 'firma',
    name: 'Alpentechnik 5 GmbH',
    abteilung: '',
    strasse: 'Hauptstraße 1',
    plz: '86150',
    ort: 'Augsburg',
    land: 'DE',
    email: 'info@alpentechnik-5.example',
    telefon: '',
    projekt: 1,
    waehrung: 'EUR',
    gesamtsumme: '1234.56',
    umsatz_netto: '1037.45',
    angelegt_am: AT,
    logdatei: AT,
  };

  it('renders a draft without number and totals as exact decimal strings', () => {
    expect(auftragToSalesOrder(draft)).toEqual({
      id: '9',
      documentNumber: null,
      documentDate: '2026-02-27',
      status: 'draft',
      customerNumber: '10042',
      address: { id: '42' },
      project: { id: '1' },
      documentAddress: {
        name: 'Alpentechnik 5 GmbH',
        type: 'company',
        title: null,
        contactPerson: null,
        salutation: null,
        department: null,
        subDepartment: null,
        addressSupplement: null,
        street: 'Hauptstraße 1',
        zipCode: '86150',
        city: 'Augsburg',
        state: null,
        country: 'DE',
        gln: null,
        email: 'info@alpentechnik-5.example',
        phone: null,
        fax: null,
        mobile: null,
      },
      financials: { currency: 'EUR' },
      totals: {
        net: { amount: '1037.45', currency: 'EUR' },
        gross: { amount: '1234.56', currency: 'EUR' },
      },
      createdAt: AT,
      updatedAt: AT,
    });
  });

  it('renders a released order with its number and no customer as nulls', () => {
    const released = auftragToSalesOrder({ ...draft, status: 'freigegeben', belegnr: '200000' });
    expect(released).toMatchObject({ status: 'released', documentNumber: '200000' });
    const orphan = auftragToSalesOrder({ ...draft, adresse: 0, kundennummer: '', name: '' });
    expect(orphan).toMatchObject({ address: null, customerNumber: null, documentAddress: null });
  });

  it('maps every status both ways', () => {
    for (const status of SALES_ORDER_STATUSES) {
      expect(auftragStatusToApi(apiStatusToAuftrag(status))).toBe(status);
    }
  });
});

describe('money', () => {
  it('converts cents and decimal text exactly', () => {
    expect(centsToDecimal(0)).toBe('0.00');
    expect(centsToDecimal(5)).toBe('0.05');
    expect(centsToDecimal(-5)).toBe('-0.05');
    expect(centsToDecimal(123456)).toBe('1234.56');
    expect(decimalToCents('1234.56')).toBe(123456);
    expect(decimalToCents('0.1')).toBe(10);
    expect(decimalToCents('-7')).toBe(-700);
    // 0.1 + 0.2 style drift never happens: every amount survives the round trip.
    for (let cents = -1000; cents <= 100_000; cents += 37) {
      expect(decimalToCents(centsToDecimal(cents))).toBe(cents);
    }
    expect(() => decimalToCents('1.234')).toThrow(RangeError);
    expect(() => centsToDecimal(1.5)).toThrow(RangeError);
  });
});

describe('roles', () => {
  it('renders a project role with an end date', () => {
    expect(
      rolleToCustomerRole({
        id: 2,
        adresse: 1,
        subjekt: 'Kunde',
        praedikat: 'von',
        objekt: 'Projekt',
        projekt: 3,
        von: '2025-01-01',
        bis: '2026-12-31',
      }),
    ).toEqual({ project: { id: '3' }, validFrom: '2025-01-01', expiresAt: '2026-12-31' });
  });
});
