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
const addressType = z
  .enum(['mr', 'mrs', 'company', 'other'])
  .nullish()
  .transform((value): XentralAddressType => value ?? 'other');

export const XentralCustomer = z.looseObject({
  id: z.union([z.string(), z.number()]).transform(String),
  number: text,
  mainProject: reference,
  primaryAddress: z.looseObject({
    name: text,
    type: addressType,
    department: text,
    street: text,
    zipCode: text,
    city: text,
    country: text,
    email: text,
    phone: text,
    mobile: text,
  }),
  communication: z.looseObject({ website: text }).nullish(),
  accountManager: reference,
  createdAt: z.string(),
  updatedAt: z.string(),
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

export function toCustomerRecord(customer: XentralCustomer): XentralCustomerRecord {
  const address = customer.primaryAddress;
  return {
    id: customer.id,
    updatedAt: new Date(customer.updatedAt).toISOString(),
    number: customer.number,
    type: address.type,
    name: address.name,
    email: address.email,
    phone: address.phone,
    mobile: address.mobile,
    street: address.street,
    zip: address.zipCode,
    city: address.city,
    country: address.country,
    department: address.department,
    website: customer.communication?.website ?? '',
    accountManagerId: customer.accountManager,
    projectId: customer.mainProject,
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
  if (patch.website !== undefined) body.communication = { website: orNull(patch.website) };
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
