import { z } from 'zod';
import type {
  XentralAddressType,
  XentralCustomerRecord,
  XentralEmployeeRecord,
  XentralOrderRecord,
} from '../../engine/model';

/**
 * Xentral JSON ↔ the engine's records, both ways, pure. Field names follow the public v3
 * customer and the v1 employee (extension) shapes.
 */

const text = z
  .string()
  .nullish()
  .transform((value) => value ?? '');
const reference = z
  .object({ id: z.union([z.string(), z.number()]).transform(String) })
  .nullish()
  .transform((value) => value?.id ?? '');
const ADDRESS_TYPES = ['mr', 'mrs', 'company', 'other'] as const;
const isAddressType = (value: string): value is XentralAddressType =>
  (ADDRESS_TYPES as readonly string[]).includes(value);
const addressType = z
  .enum(ADDRESS_TYPES)
  .nullish()
  .transform((value): XentralAddressType => value ?? 'other');

/** Before 1970 nothing was changed: the time of a customer Xentral gives none for. */
const NO_TIME = '1970-01-01T00:00:00.000Z';

/**
 * `#/components/schemas/Customer` (xentral-documents-api.openapi-3.1.0.json): `primaryAddress`
 * may be null and `updatedAt` is not required. The address type is read as any text, so one
 * the app does not know skips that customer instead of failing the page it came in.
 */
export const XentralCustomer = z.looseObject({
  id: z.union([z.string(), z.number()]).transform(String),
  number: text,
  mainProject: reference,
  primaryAddress: z
    .looseObject({
      name: text,
      type: z.string().nullish(),
      department: text,
      street: text,
      zipCode: text,
      city: text,
      country: text,
      email: text,
      phone: text,
      mobile: text,
    })
    .nullish(),
  communication: z.looseObject({ website: text }).nullish(),
  accountManager: reference,
  createdAt: z.string().nullish(),
  updatedAt: z.string().nullish(),
});
export type XentralCustomer = z.infer<typeof XentralCustomer>;

export const XentralEmployee = z.looseObject({
  id: z.union([z.string(), z.number()]).transform(String),
  number: text,
  name: text,
  type: addressType,
  email: text,
  project: reference,
  createdAt: z.string().optional(),
  updatedAt: z.string(),
});
export type XentralEmployee = z.infer<typeof XentralEmployee>;

/** A time Xentral sent, or the best stand-in: when it was created, else never. */
function timeOf(...candidates: (string | null | undefined)[]): string {
  for (const candidate of candidates) {
    if (candidate === null || candidate === undefined) continue;
    const ms = Date.parse(candidate);
    if (Number.isFinite(ms)) return new Date(ms).toISOString();
  }
  return NO_TIME;
}

export function toCustomerRecord(customer: XentralCustomer): XentralCustomerRecord {
  const address = customer.primaryAddress;
  const rawType = address?.type ?? null;
  const known = rawType === null || isAddressType(rawType);
  const record: XentralCustomerRecord = {
    id: customer.id,
    // A customer never changed since an import has no updatedAt: its creation time stands in.
    updatedAt: timeOf(customer.updatedAt, customer.createdAt),
    number: customer.number,
    type: rawType !== null && isAddressType(rawType) ? rawType : 'other',
    name: address?.name ?? '',
    email: address?.email ?? '',
    phone: address?.phone ?? '',
    mobile: address?.mobile ?? '',
    street: address?.street ?? '',
    zip: address?.zipCode ?? '',
    city: address?.city ?? '',
    country: address?.country ?? '',
    department: address?.department ?? '',
    website: customer.communication?.website ?? '',
    accountManagerId: customer.accountManager,
    projectId: customer.mainProject,
  };
  if (!address) record.unusable = { why: 'no_primary_address' };
  else if (!known) record.unusable = { why: 'unknown_type', value: rawType };
  return record;
}

/**
 * `GET /api/v1/employees` of the public API (xentral-api.openapi-3.0.0.json, employee.list):
 * id, number and name only — no e-mail, no type, no change time.
 */
export const XentralPublicEmployee = z.looseObject({
  id: z.union([z.string(), z.number()]).transform(String),
  number: text,
  name: text,
});
export type XentralPublicEmployee = z.infer<typeof XentralPublicEmployee>;

export function publicEmployeeToRecord(employee: XentralPublicEmployee): XentralEmployeeRecord {
  return {
    id: employee.id,
    updatedAt: NO_TIME,
    number: employee.number,
    type: 'other',
    name: employee.name,
    email: '',
    projectId: '',
  };
}

export function toEmployeeRecord(employee: XentralEmployee): XentralEmployeeRecord {
  return {
    id: employee.id,
    updatedAt: new Date(employee.updatedAt).toISOString(),
    number: employee.number,
    type: employee.type,
    name: employee.name,
    email: employee.email,
    projectId: employee.project,
  };
}

const ADDRESS_FIELDS = {
  name: 'name',
  type: 'type',
  email: 'email',
  phone: 'phone',
  mobile: 'mobile',
  street: 'street',
  zip: 'zipCode',
  city: 'city',
  country: 'country',
  department: 'department',
} as const satisfies Partial<Record<keyof XentralCustomerRecord, string>>;

/** An empty value clears the field in Xentral; Xentral's API clears with null. */
const orNull = (value: string) => (value === '' ? null : value);

/**
 * The body of `POST /api/v3/customers` or `PATCH /api/v3/customers/:id` for a patch of the
 * record. On create, the required address parts are always present (empty strings allowed).
 */
export function toCustomerBody(
  patch: Partial<XentralCustomerRecord>,
  mode: 'create' | 'update',
): Record<string, unknown> {
  const primaryAddress: Record<string, unknown> = {};
  for (const [field, key] of Object.entries(ADDRESS_FIELDS)) {
    const value = patch[field as keyof typeof ADDRESS_FIELDS];
    if (value === undefined) continue;
    const required = key === 'name' || key === 'street' || key === 'zipCode' || key === 'city';
    primaryAddress[key] = required || key === 'type' || key === 'country' ? value : orNull(value);
  }
  if (mode === 'create') {
    for (const key of ['name', 'street', 'zipCode', 'city'] as const) primaryAddress[key] ??= '';
  }
  const body: Record<string, unknown> = {};
  if (Object.keys(primaryAddress).length > 0) body.primaryAddress = primaryAddress;
  // CommunicationData.website is a string, not nullable: an empty one clears it.
  if (patch.website !== undefined) body.communication = { website: patch.website };
  if (patch.accountManagerId !== undefined) {
    body.accountManager = patch.accountManagerId === '' ? null : { id: patch.accountManagerId };
  }
  if (patch.projectId !== undefined && (mode === 'update' || patch.projectId !== '')) {
    body.mainProject = patch.projectId === '' ? null : { id: patch.projectId };
  }
  return body;
}

/** Body of the employee extension routes (create and change). */
export function toEmployeeBody(
  patch: Partial<XentralEmployeeRecord>,
  mode: 'create' | 'update',
): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  if (patch.type !== undefined && (patch.type === 'mr' || patch.type === 'mrs'))
    body.type = patch.type;
  if (patch.name !== undefined) body.name = patch.name;
  if (patch.email !== undefined) body.email = orNull(patch.email);
  if (mode === 'create' && patch.projectId) body.project = { id: patch.projectId };
  return body;
}

const money = z
  .looseObject({ amount: z.union([z.string(), z.number()]).transform(String) })
  .nullish();

export const XentralSalesOrder = z.looseObject({
  id: z.union([z.string(), z.number()]).transform(String),
  documentNumber: text,
  documentDate: text,
  status: z.enum(['draft', 'released', 'completed', 'cancelled']),
  address: reference,
  financials: z.looseObject({ currency: text }).nullish(),
  totals: z.looseObject({ net: money, gross: money }).nullish(),
  updatedAt: z.string(),
});
export type XentralSalesOrder = z.infer<typeof XentralSalesOrder>;

export function toOrderRecord(order: XentralSalesOrder): XentralOrderRecord {
  return {
    id: order.id,
    updatedAt: new Date(order.updatedAt).toISOString(),
    status: order.status,
    number: order.documentNumber,
    date: order.documentDate,
    customerId: order.address,
    currency: order.financials?.currency ?? '',
    gross: order.totals?.gross?.amount ?? '',
    net: order.totals?.net?.amount ?? '',
  };
}
