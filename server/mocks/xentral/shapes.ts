import { z } from 'zod';

/**
 * The public API shapes the mock serves, following Xentral's published OpenAPI documents
 * (github.com/xentral/api-spec-public: `xentral-documents-api.openapi-3.1.0.json` for the v3
 * customers and sales orders, `xentral-api.openapi-3.0.0.json` for v1). Only the fields the
 * app needs are modelled; ids are numeric strings as in the real API.
 */

export const ADDRESS_TYPES = ['mr', 'mrs', 'company', 'other'] as const;
export type AddressType = (typeof ADDRESS_TYPES)[number];

/** `#/components/schemas/PostalAddress`: every field but name is nullable. */
export interface XentralPostalAddress {
  name: string;
  type: AddressType | null;
  title: string | null;
  contactPerson: string | null;
  salutation: string | null;
  department: string | null;
  subDepartment: string | null;
  addressSupplement: string | null;
  street: string | null;
  zipCode: string | null;
  city: string | null;
  state: string | null;
  country: string | null;
  gln: string | null;
  email: string | null;
  phone: string | null;
  fax: string | null;
  mobile: string | null;
}

export interface XentralReference {
  id: string;
}

export interface XentralCustomerRole {
  /** null = the role applies to all projects. */
  project: XentralReference | null;
  validFrom: string | null;
  expiresAt: string | null;
}

/** `#/components/schemas/Customer` (subset). */
export interface XentralCustomer {
  id: string;
  number: string;
  mainProject: XentralReference | null;
  primaryAddress: XentralPostalAddress | null;
  communication: { language: string | null; website: string | null };
  accountManager: XentralReference | null;
  salesManager: XentralReference | null;
  /** Only with `?include=customerRoles`, as in the real API. */
  customerRoles?: XentralCustomerRole[];
  createdAt: string;
  /** Not required by the spec: absent on a row that was never changed after an import. */
  updatedAt?: string;
}

/** `#/components/schemas/Money`: amounts are decimal strings, so cents stay exact. */
export interface XentralMoney {
  amount: string;
  currency: string;
}

export const SALES_ORDER_STATUSES = ['draft', 'released', 'completed', 'cancelled'] as const;
export type SalesOrderStatus = (typeof SALES_ORDER_STATUSES)[number];

/** `#/components/schemas/SalesOrder` (subset). */
export interface XentralSalesOrder {
  id: string;
  /** null for drafts: Xentral assigns the number on release. */
  documentNumber: string | null;
  documentDate: string | null;
  status: SalesOrderStatus;
  customerNumber: string | null;
  address: XentralReference | null;
  project: XentralReference | null;
  documentAddress: XentralPostalAddress | null;
  financials: { currency: string | null };
  totals: { net: XentralMoney | null; gross: XentralMoney | null };
  createdAt: string;
  updatedAt: string;
}

/** v1 project (`GET /api/v1/projects`). */
export interface XentralProject {
  id: string;
  name: string;
  keyName: string;
}

/** v1 employee as the public list returns it (`GET /api/v1/employees`). */
export interface XentralEmployee {
  id: string;
  number: string;
  name: string;
}

/**
 * MOCK EXTENSION: an employee with contact data and timestamps, as served by
 * `GET /api/v1/employees/extended` and `POST /api/v1/employees`. The public API has no route
 * that reveals an employee's e-mail, which the app needs to link HubSpot owners.
 */
export interface XentralEmployeeExtended extends XentralEmployee {
  type: AddressType | null;
  email: string | null;
  phone: string | null;
  mobile: string | null;
  project: XentralReference | null;
  createdAt: string;
  updatedAt: string;
}

// ---- Request bodies -------------------------------------------------------------------------
// Unknown properties are rejected (strict objects), see the README section of the report: the
// real API ignores them, the mock is stricter so adapter typos surface in tests.

const idReference = z.object({ id: z.string().regex(/^\d+$/, 'must be a numeric id') }).strict();
const optionalText = z.string().max(255).nullable().optional();
const countryCode = z.string().regex(/^[A-Z]{2}$/, 'must be an ISO 3166-1 alpha-2 code');

/** `#/components/schemas/CustomerAddressData`: the five address fields are required keys. */
export const CustomerAddressCreate = z
  .object({
    name: z.string().max(255),
    type: z.enum(ADDRESS_TYPES).nullable().optional(),
    title: optionalText,
    contactPerson: optionalText,
    salutation: z.string().max(500).nullable().optional(),
    department: optionalText,
    subDepartment: optionalText,
    addressSupplement: optionalText,
    street: z.string().max(255),
    zipCode: z.string().max(20),
    city: z.string().max(255),
    state: optionalText,
    country: countryCode,
    gln: optionalText,
    email: optionalText,
    phone: z.string().max(50).nullable().optional(),
    mobile: z.string().max(50).nullable().optional(),
    fax: z.string().max(50).nullable().optional(),
  })
  .strict();
export type CustomerAddressCreate = z.infer<typeof CustomerAddressCreate>;

/** `#/components/schemas/UpdateCustomerAddressData`: everything optional. */
export const CustomerAddressUpdate = z
  .object({
    name: z.string().max(255).optional(),
    type: z.enum(ADDRESS_TYPES).optional(),
    title: optionalText,
    contactPerson: optionalText,
    salutation: z.string().max(500).nullable().optional(),
    department: optionalText,
    subDepartment: optionalText,
    addressSupplement: optionalText,
    street: z.string().max(255).optional(),
    zipCode: z.string().max(20).optional(),
    city: z.string().max(255).optional(),
    state: optionalText,
    country: countryCode.optional(),
    gln: optionalText,
    email: optionalText,
    phone: z.string().max(50).nullable().optional(),
    mobile: z.string().max(50).nullable().optional(),
    fax: z.string().max(50).nullable().optional(),
  })
  .strict();
export type CustomerAddressUpdate = z.infer<typeof CustomerAddressUpdate>;

/** `#/components/schemas/CommunicationData`: strings, not nullable; unknown keys refused. */
const CommunicationData = z
  .object({
    website: z.string().max(255).optional(),
    language: z.string().length(2).optional(),
  })
  .strict();

/** `#/components/schemas/CreateCustomerData` (subset). */
export const CustomerCreate = z
  .object({
    number: z.string().min(1).max(64).optional(),
    primaryAddress: CustomerAddressCreate,
    communication: CommunicationData.optional(),
    accountManager: idReference.optional(),
    mainProject: idReference.optional(),
  })
  .strict();
export type CustomerCreate = z.infer<typeof CustomerCreate>;

/** `#/components/schemas/UpdateCustomerData` (subset). */
export const CustomerUpdate = z
  .object({
    number: z.string().min(1).max(64).optional(),
    primaryAddress: CustomerAddressUpdate.optional(),
    communication: CommunicationData.optional(),
    accountManager: idReference.nullable().optional(),
    mainProject: idReference.nullable().optional(),
  })
  .strict();
export type CustomerUpdate = z.infer<typeof CustomerUpdate>;

/** MOCK EXTENSION: body of `POST /api/v1/employees`. */
export const EmployeeCreate = z
  .object({
    type: z.enum(['mr', 'mrs']),
    name: z.string().min(1).max(255),
    email: optionalText,
    phone: z.string().max(50).nullable().optional(),
    mobile: z.string().max(50).nullable().optional(),
    number: z.string().min(1).max(64).optional(),
    project: idReference.nullable().optional(),
  })
  .strict();
export type EmployeeCreate = z.infer<typeof EmployeeCreate>;

/** MOCK EXTENSION: body of `PATCH /api/v1/employees/:id`; `null` clears a value. */
export const EmployeeUpdate = z
  .object({
    type: z.enum(['mr', 'mrs']).optional(),
    name: z.string().min(1).max(255).optional(),
    email: optionalText,
    phone: z.string().max(50).nullable().optional(),
    mobile: z.string().max(50).nullable().optional(),
  })
  .strict();
export type EmployeeUpdate = z.infer<typeof EmployeeUpdate>;
