import type {
  AdresseRolleRow,
  AdresseRow,
  AdresseTyp,
  AuftragRow,
  AuftragStatus,
  ProjektRow,
} from './rows';
import { ZERO_DATE } from './rows';
import type {
  AddressType,
  CustomerCreate,
  CustomerUpdate,
  EmployeeCreate,
  EmployeeUpdate,
  SalesOrderStatus,
  XentralCustomer,
  XentralCustomerRole,
  XentralEmployee,
  XentralEmployeeExtended,
  XentralPostalAddress,
  XentralProject,
  XentralReference,
  XentralSalesOrder,
} from './shapes';

/**
 * Pure mappings between Xentral's tables and its public API shapes, both ways. Xentral stores
 * "no value" as an empty string or 0; the API renders both as null.
 */

/** The columns a write through the API decides; ids, numbers, flags and times are the store's. */
export type AdresseFields = Omit<
  AdresseRow,
  'id' | 'kundennummer' | 'mitarbeiternummer' | 'geloescht' | 'angelegt_am' | 'logdatei'
>;

const TYP_TO_TYPE: Record<AdresseTyp, AddressType> = {
  herr: 'mr',
  frau: 'mrs',
  firma: 'company',
  '': 'other',
};

export function typToAddressType(typ: AdresseTyp): AddressType {
  return TYP_TO_TYPE[typ];
}

export function addressTypeToTyp(type: AddressType | null | undefined): AdresseTyp {
  switch (type) {
    case 'mr':
      return 'herr';
    case 'mrs':
      return 'frau';
    case 'company':
      return 'firma';
    case 'other':
    case null:
    case undefined:
      return '';
  }
}

const AUFTRAG_TO_STATUS: Record<AuftragStatus, SalesOrderStatus> = {
  angelegt: 'draft',
  freigegeben: 'released',
  abgeschlossen: 'completed',
  storniert: 'cancelled',
};

export function auftragStatusToApi(status: AuftragStatus): SalesOrderStatus {
  return AUFTRAG_TO_STATUS[status];
}

export function apiStatusToAuftrag(status: SalesOrderStatus): AuftragStatus {
  switch (status) {
    case 'draft':
      return 'angelegt';
    case 'released':
      return 'freigegeben';
    case 'completed':
      return 'abgeschlossen';
    case 'cancelled':
      return 'storniert';
  }
}

/** '' → null: Xentral's empty columns are absent values in the API. */
function orNull(value: string): string | null {
  return value === '' ? null : value;
}

/** null/absent → '': how Xentral stores "no value" in a VARCHAR column. */
function orEmpty(value: string | null | undefined): string {
  return value ?? '';
}

function reference(id: number): XentralReference | null {
  return id > 0 ? { id: String(id) } : null;
}

function referenceId(ref: XentralReference | null | undefined): number {
  return ref ? Number(ref.id) : 0;
}

// ---- Money -------------------------------------------------------------------------------

/** Integer cents → Xentral's DECIMAL(18,2) text, e.g. 11900 → "119.00", -5 → "-0.05". */
export function centsToDecimal(cents: number): string {
  if (!Number.isSafeInteger(cents)) throw new RangeError(`not a whole number of cents: ${cents}`);
  const sign = cents < 0 ? '-' : '';
  const abs = Math.abs(cents);
  return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}

/** Decimal text → integer cents without floating point: "119.5" → 11950. */
export function decimalToCents(text: string): number {
  const match = /^(-)?(\d+)(?:\.(\d{1,2}))?$/.exec(text.trim());
  if (!match) throw new RangeError(`not a decimal amount with at most 2 places: ${text}`);
  const [, minus, whole = '0', fraction = ''] = match;
  const cents = Number(whole) * 100 + Number(fraction.padEnd(2, '0'));
  return minus ? -cents : cents;
}

// ---- Addresses and customers ---------------------------------------------------------------

export function adresseToPostalAddress(row: AdresseRow): XentralPostalAddress {
  return {
    name: row.name,
    type: typToAddressType(row.typ),
    title: orNull(row.titel),
    contactPerson: orNull(row.ansprechpartner),
    salutation: orNull(row.anschreiben),
    department: orNull(row.abteilung),
    subDepartment: orNull(row.unterabteilung),
    addressSupplement: orNull(row.adresszusatz),
    street: orNull(row.strasse),
    zipCode: orNull(row.plz),
    city: orNull(row.ort),
    state: orNull(row.bundesstaat),
    country: orNull(row.land),
    gln: null,
    email: orNull(row.email),
    phone: orNull(row.telefon),
    fax: orNull(row.telefax),
    mobile: orNull(row.mobil),
  };
}

export function rolleToCustomerRole(rolle: AdresseRolleRow): XentralCustomerRole {
  return {
    project: reference(rolle.projekt),
    validFrom: rolle.von === ZERO_DATE ? null : rolle.von,
    expiresAt: rolle.bis === ZERO_DATE ? null : rolle.bis,
  };
}

/**
 * An address with a customer role → `Customer`; roles only when the caller asked to include
 * them. The published `Customer` schema (xentral-documents-api.openapi-3.1.0.json) allows
 * `primaryAddress: null` and does not require `updatedAt`: an address without a name (a
 * `PostalAddress` requires one) has no primary address, and a row whose `logdatei` is empty
 * (never changed since an import) has no `updatedAt`.
 */
export function adresseToCustomer(
  row: AdresseRow,
  customerRoles?: readonly AdresseRolleRow[],
): XentralCustomer {
  const customer: XentralCustomer = {
    id: String(row.id),
    number: row.kundennummer,
    mainProject: reference(row.projekt),
    primaryAddress: row.name === '' ? null : adresseToPostalAddress(row),
    communication: { language: orNull(row.sprache), website: orNull(row.internetseite) },
    accountManager: reference(row.innendienst),
    salesManager: reference(row.vertrieb),
    createdAt: row.angelegt_am,
  };
  if (row.logdatei !== '') customer.updatedAt = row.logdatei;
  if (customerRoles) customer.customerRoles = customerRoles.map(rolleToCustomerRole);
  return customer;
}

/** `POST /api/v3/customers` body → the address columns it sets. */
export function customerCreateToAdresse(input: CustomerCreate): AdresseFields {
  const address = input.primaryAddress;
  return {
    typ: addressTypeToTyp(address.type),
    name: address.name,
    titel: orEmpty(address.title),
    ansprechpartner: orEmpty(address.contactPerson),
    abteilung: orEmpty(address.department),
    unterabteilung: orEmpty(address.subDepartment),
    adresszusatz: orEmpty(address.addressSupplement),
    strasse: address.street,
    plz: address.zipCode,
    ort: address.city,
    bundesstaat: orEmpty(address.state),
    land: address.country,
    email: orEmpty(address.email),
    telefon: orEmpty(address.phone),
    telefax: orEmpty(address.fax),
    mobil: orEmpty(address.mobile),
    internetseite: orEmpty(input.communication?.website),
    anschreiben: orEmpty(address.salutation),
    sprache: orEmpty(input.communication?.language),
    projekt: referenceId(input.mainProject),
    innendienst: referenceId(input.accountManager),
    vertrieb: 0,
  };
}

/**
 * `PATCH /api/v3/customers/:id` body applied to a row: only the given fields change, `null`
 * clears. Returns a new row; timestamps are the store's business.
 */
export function applyCustomerUpdate(row: AdresseRow, update: CustomerUpdate): AdresseRow {
  const next: AdresseRow = { ...row };
  const address = update.primaryAddress;
  if (address) {
    if (address.type !== undefined) next.typ = addressTypeToTyp(address.type);
    if (address.name !== undefined) next.name = address.name;
    if (address.title !== undefined) next.titel = orEmpty(address.title);
    if (address.contactPerson !== undefined) next.ansprechpartner = orEmpty(address.contactPerson);
    if (address.salutation !== undefined) next.anschreiben = orEmpty(address.salutation);
    if (address.department !== undefined) next.abteilung = orEmpty(address.department);
    if (address.subDepartment !== undefined) next.unterabteilung = orEmpty(address.subDepartment);
    if (address.addressSupplement !== undefined) {
      next.adresszusatz = orEmpty(address.addressSupplement);
    }
    if (address.street !== undefined) next.strasse = address.street;
    if (address.zipCode !== undefined) next.plz = address.zipCode;
    if (address.city !== undefined) next.ort = address.city;
    if (address.state !== undefined) next.bundesstaat = orEmpty(address.state);
    if (address.country !== undefined) next.land = address.country;
    if (address.email !== undefined) next.email = orEmpty(address.email);
    if (address.phone !== undefined) next.telefon = orEmpty(address.phone);
    if (address.mobile !== undefined) next.mobil = orEmpty(address.mobile);
    if (address.fax !== undefined) next.telefax = orEmpty(address.fax);
  }
  if (update.communication?.website !== undefined) {
    next.internetseite = orEmpty(update.communication.website);
  }
  if (update.communication?.language !== undefined) {
    next.sprache = orEmpty(update.communication.language);
  }
  if (update.accountManager !== undefined) next.innendienst = referenceId(update.accountManager);
  if (update.mainProject !== undefined) next.projekt = referenceId(update.mainProject);
  if (update.number !== undefined) next.kundennummer = update.number;
  return next;
}

// ---- Employees ---------------------------------------------------------------------------

export function adresseToEmployee(row: AdresseRow): XentralEmployee {
  return { id: String(row.id), number: row.mitarbeiternummer, name: row.name };
}

export function adresseToEmployeeExtended(row: AdresseRow): XentralEmployeeExtended {
  return {
    ...adresseToEmployee(row),
    type: typToAddressType(row.typ),
    email: orNull(row.email),
    phone: orNull(row.telefon),
    mobile: orNull(row.mobil),
    project: reference(row.projekt),
    createdAt: row.angelegt_am,
    updatedAt: row.logdatei,
  };
}

/** MOCK EXTENSION body → address columns of a new employee (a person, never a company). */
export function employeeCreateToAdresse(input: EmployeeCreate): AdresseFields {
  return {
    typ: addressTypeToTyp(input.type),
    name: input.name,
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
    email: orEmpty(input.email),
    telefon: orEmpty(input.phone),
    telefax: '',
    mobil: orEmpty(input.mobile),
    internetseite: '',
    anschreiben: '',
    sprache: '',
    projekt: referenceId(input.project),
    innendienst: 0,
    vertrieb: 0,
  };
}

/** MOCK EXTENSION: the fields `PATCH /api/v1/employees/:id` may change. */
export function applyEmployeeUpdate(row: AdresseRow, update: EmployeeUpdate): AdresseRow {
  return {
    ...row,
    ...(update.type !== undefined ? { typ: addressTypeToTyp(update.type) } : {}),
    ...(update.name !== undefined ? { name: update.name } : {}),
    ...(update.email !== undefined ? { email: orEmpty(update.email) } : {}),
    ...(update.phone !== undefined ? { telefon: orEmpty(update.phone) } : {}),
    ...(update.mobile !== undefined ? { mobil: orEmpty(update.mobile) } : {}),
  };
}

// ---- Projects and sales orders -------------------------------------------------------------

export function projektToProject(row: ProjektRow): XentralProject {
  return { id: String(row.id), name: row.name, keyName: row.abkuerzung };
}

function auftragToDocumentAddress(row: AuftragRow): XentralPostalAddress | null {
  if (row.adresse === 0 && row.name === '') return null;
  return {
    name: row.name,
    type: typToAddressType(row.typ),
    title: null,
    contactPerson: null,
    salutation: null,
    department: orNull(row.abteilung),
    subDepartment: null,
    addressSupplement: null,
    street: orNull(row.strasse),
    zipCode: orNull(row.plz),
    city: orNull(row.ort),
    state: null,
    country: orNull(row.land),
    gln: null,
    email: orNull(row.email),
    phone: orNull(row.telefon),
    fax: null,
    mobile: null,
  };
}

export function auftragToSalesOrder(row: AuftragRow): XentralSalesOrder {
  const currency = orNull(row.waehrung);
  const money = (amount: string) => (currency ? { amount, currency } : null);
  return {
    id: String(row.id),
    documentNumber: orNull(row.belegnr),
    documentDate: row.datum === ZERO_DATE ? null : orNull(row.datum),
    status: auftragStatusToApi(row.status),
    customerNumber: orNull(row.kundennummer),
    address: reference(row.adresse),
    project: reference(row.projekt),
    documentAddress: auftragToDocumentAddress(row),
    financials: { currency },
    totals: { net: money(row.umsatz_netto), gross: money(row.gesamtsumme) },
    createdAt: row.angelegt_am,
    updatedAt: row.logdatei,
  };
}

/** The document address columns an order copies from its customer when it is created. */
export function adresseToAuftragAddress(
  row: AdresseRow | undefined,
): Pick<
  AuftragRow,
  'typ' | 'name' | 'abteilung' | 'strasse' | 'plz' | 'ort' | 'land' | 'email' | 'telefon'
> {
  return {
    typ: row?.typ ?? '',
    name: row?.name ?? '',
    abteilung: row?.abteilung ?? '',
    strasse: row?.strasse ?? '',
    plz: row?.plz ?? '',
    ort: row?.ort ?? '',
    land: row?.land ?? '',
    email: row?.email ?? '',
    telefon: row?.telefon ?? '',
  };
}
