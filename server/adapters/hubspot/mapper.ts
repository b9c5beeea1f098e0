import { z } from 'zod';
import type {
  DealDraft,
  HubSpotCompanyRecord,
  HubSpotContactRecord,
  HubSpotOwnerRecord,
} from '../../engine/model';

/**
 * HubSpot CRM JSON ↔ the engine's records, both ways, pure. Property names are HubSpot's
 * internal names; every property value travels as a string, and '' clears a value.
 */

/** Our unique custom property: the Xentral id a record was created from. */
export const XENTRAL_ID_PROPERTY = 'xentral_id';
/** The unique deal property: the Xentral sales order a deal was made from. */
export const XENTRAL_ORDER_ID_PROPERTY = 'xentral_order_id';

export const CONTACT_PROPERTIES = {
  email: 'email',
  firstName: 'firstname',
  lastName: 'lastname',
  salutation: 'salutation',
  phone: 'phone',
  mobile: 'mobilephone',
  street: 'address',
  zip: 'zip',
  city: 'city',
  country: 'country',
  jobTitle: 'jobtitle',
  ownerId: 'hubspot_owner_id',
  lifecycleStage: 'lifecyclestage',
  xentralId: XENTRAL_ID_PROPERTY,
} as const satisfies Record<Exclude<keyof HubSpotContactRecord, 'id' | 'updatedAt'>, string>;

export const COMPANY_PROPERTIES = {
  name: 'name',
  domain: 'domain',
  phone: 'phone',
  street: 'address',
  zip: 'zip',
  city: 'city',
  country: 'country',
  ownerId: 'hubspot_owner_id',
  lifecycleStage: 'lifecyclestage',
  xentralId: XENTRAL_ID_PROPERTY,
} as const satisfies Record<Exclude<keyof HubSpotCompanyRecord, 'id' | 'updatedAt'>, string>;

/** The property whose change time drives incremental reads (contacts and the rest differ). */
export const LAST_MODIFIED = {
  contact: 'lastmodifieddate',
  company: 'hs_lastmodifieddate',
} as const;

export const HubSpotObject = z.looseObject({
  id: z.string(),
  properties: z.record(z.string(), z.string().nullable()),
  updatedAt: z.union([z.string(), z.date()]).optional(),
});
export type HubSpotObject = z.infer<typeof HubSpotObject>;

export const HubSpotOwner = z.looseObject({
  id: z.string(),
  email: z.string().nullish(),
  firstName: z.string().nullish(),
  lastName: z.string().nullish(),
  type: z.string().nullish(),
  archived: z.boolean().nullish(),
  updatedAt: z.union([z.string(), z.date()]).nullish(),
});
export type HubSpotOwner = z.infer<typeof HubSpotOwner>;

/** CollectionResponsePipelineNoPaging (CRM Pipelines v3, GET /crm/v3/pipelines/{objectType}). */
export const HubSpotPipelines = z.looseObject({
  results: z.array(
    z.looseObject({
      id: z.string(),
      label: z.string(),
      archived: z.boolean().nullish(),
      stages: z.array(
        z.looseObject({
          id: z.string(),
          label: z.string(),
          archived: z.boolean().nullish(),
          metadata: z.record(z.string(), z.string()).nullish(),
        }),
      ),
    }),
  ),
});

/** Property (CRM Properties v3, GET /crm/v3/properties/{objectType}/{propertyName}): its options. */
export const HubSpotProperty = z.looseObject({
  options: z.array(
    z.looseObject({
      value: z.string(),
      label: z.string(),
      displayOrder: z.number().int().nullish(),
      hidden: z.boolean().nullish(),
    }),
  ),
});

function toIso(value: string | Date | null | undefined): string {
  if (value === null || value === undefined || value === '') return new Date(0).toISOString();
  if (value instanceof Date) return value.toISOString();
  // Date properties may come as epoch milliseconds or as ISO text.
  const ms = /^\d+$/.test(value) ? Number(value) : Date.parse(value);
  return Number.isNaN(ms) ? new Date(0).toISOString() : new Date(ms).toISOString();
}

function read<K extends string>(
  object: HubSpotObject,
  names: Record<K, string>,
): Record<K, string> {
  const out = {} as Record<K, string>;
  for (const [field, property] of Object.entries(names) as [K, string][]) {
    out[field] = object.properties[property] ?? '';
  }
  return out;
}

export function toContactRecord(object: HubSpotObject): HubSpotContactRecord {
  return {
    id: object.id,
    updatedAt: toIso(object.properties[LAST_MODIFIED.contact] ?? object.updatedAt),
    ...read(object, CONTACT_PROPERTIES),
  };
}

export function toCompanyRecord(object: HubSpotObject): HubSpotCompanyRecord {
  return {
    id: object.id,
    updatedAt: toIso(object.properties[LAST_MODIFIED.company] ?? object.updatedAt),
    ...read(object, COMPANY_PROPERTIES),
  };
}

/** Users of HubSpot: people who can own records. Queues (type QUEUE) are not people. */
export function toOwnerRecord(owner: HubSpotOwner): HubSpotOwnerRecord | undefined {
  if (owner.type && owner.type !== 'PERSON') return undefined;
  return {
    id: owner.id,
    updatedAt: toIso(owner.updatedAt),
    email: owner.email ?? '',
    firstName: owner.firstName ?? '',
    lastName: owner.lastName ?? '',
    active: owner.archived !== true,
  };
}

/** HubSpot properties for a patch of a record. */
export function toProperties<R extends HubSpotContactRecord | HubSpotCompanyRecord>(
  names: Record<string, string>,
  patch: Partial<R>,
): Record<string, string> {
  const properties: Record<string, string> = {};
  for (const [field, value] of Object.entries(patch)) {
    const property = names[field];
    if (property !== undefined && typeof value === 'string') properties[property] = value;
  }
  return properties;
}

/** A deal's properties: amount stays the decimal string Xentral gave, never a float. */
export function toDealProperties(deal: DealDraft): Record<string, string> {
  return {
    dealname: deal.name,
    amount: deal.amount,
    deal_currency_code: deal.currency,
    closedate: deal.closeDate,
    pipeline: deal.pipelineId,
    dealstage: deal.stageId,
    ...(deal.ownerId ? { hubspot_owner_id: deal.ownerId } : {}),
    [XENTRAL_ORDER_ID_PROPERTY]: deal.orderId,
  };
}
