/**
 * The engine's vocabulary. Adapters turn vendor JSON into these system records (field renames
 * only); the engine applies the field mapping of RULES.md, M1–M6 (name split, salutation, country,
 * owner) on top.
 */

export type System = 'xentral' | 'hubspot';
export type ObjectType = 'user' | 'company' | 'contact';
export const OBJECT_TYPES: readonly ObjectType[] = ['user', 'company', 'contact'];

export type ExchangeMode = 'sync' | 'import' | 'export';
export type Direction = 'xentral_to_hubspot' | 'hubspot_to_xentral';
export type Salutation = 'mr' | 'mrs';

/** A HubSpot contact as the engine sees it; every value is HubSpot's string, '' when unset. */
export interface HubSpotContactRecord {
  id: string;
  updatedAt: string;
  email: string;
  firstName: string;
  lastName: string;
  salutation: string;
  phone: string;
  mobile: string;
  street: string;
  zip: string;
  city: string;
  /** A country name in any language, or a code, as typed into HubSpot. */
  country: string;
  jobTitle: string;
  ownerId: string;
  lifecycleStage: string;
  /** Our unique custom property: the Xentral id this record was created from or linked to. */
  xentralId: string;
}

export interface HubSpotCompanyRecord {
  id: string;
  updatedAt: string;
  name: string;
  /** Host name as HubSpot keeps it, e.g. "acme.com". */
  domain: string;
  phone: string;
  street: string;
  zip: string;
  city: string;
  country: string;
  ownerId: string;
  lifecycleStage: string;
  xentralId: string;
}

/** A HubSpot user (owner). Only active owners of type PERSON are imported. */
export interface HubSpotOwnerRecord {
  id: string;
  updatedAt: string;
  email: string;
  firstName: string;
  lastName: string;
  active: boolean;
}

export type XentralAddressType = 'mr' | 'mrs' | 'company' | 'other';

/** A Xentral customer (an address with a current customer role). */
export interface XentralCustomerRecord {
  id: string;
  updatedAt: string;
  number: string;
  type: XentralAddressType;
  name: string;
  email: string;
  phone: string;
  mobile: string;
  street: string;
  zip: string;
  city: string;
  /** ISO 3166 alpha-2, '' when unset. */
  country: string;
  department: string;
  website: string;
  /** The Back office (Innendienst): an employee address id, '' when unset. */
  accountManagerId: string;
  projectId: string;
  /**
   * Why the app cannot exchange this customer (its type is then 'other'): Xentral sent no
   * primary address, or an address type the app does not know. Absent for a usable one.
   */
  unusable?: { why: 'no_primary_address' | 'unknown_type'; value?: string };
}

/** A Xentral employee (an address with the Mitarbeiter role). */
export interface XentralEmployeeRecord {
  id: string;
  updatedAt: string;
  number: string;
  type: XentralAddressType;
  name: string;
  email: string;
  projectId: string;
}

export interface HubSpotRecordByType {
  user: HubSpotOwnerRecord;
  company: HubSpotCompanyRecord;
  contact: HubSpotContactRecord;
}

export interface XentralRecordByType {
  user: XentralEmployeeRecord;
  company: XentralCustomerRecord;
  contact: XentralCustomerRecord;
}

export type AnyHubSpotRecord = HubSpotRecordByType[ObjectType];
export type AnyXentralRecord = XentralRecordByType[ObjectType];

/** The canonical, compared fields of each object type (the unit of the exchange ledger). */
export const FIELDS = {
  user: ['email', 'name'],
  company: ['name', 'domain', 'phone', 'street', 'zip', 'city', 'country', 'owner'],
  contact: [
    'email',
    'name',
    'salutation',
    'phone',
    'mobile',
    'street',
    'zip',
    'city',
    'country',
    'jobTitle',
    'owner',
  ],
} as const satisfies Record<ObjectType, readonly string[]>;

export type FieldOf<T extends ObjectType> = (typeof FIELDS)[T][number];
export type Field = FieldOf<ObjectType>;

/** How a link came about. */
export type MatchedBy = 'created' | 'email' | 'name_domain' | 'name' | 'xentral_id' | 'resolved';

export interface Link {
  id: number;
  /** 'deal' links a sales order to the deal made from it. */
  type: ObjectType | 'deal';
  xentralId: string;
  hubspotId: string;
  matchedBy: MatchedBy;
}

export interface ExchangeSettings {
  mode: ExchangeMode;
  lifecycleStages: readonly string[];
  /** Xentral project for records the import creates; null = none. */
  projectId: string | null;
  defaultSalutation: Salutation;
  /** ISO alpha-2, used when Xentral requires a country that HubSpot does not have. */
  defaultCountry: string;
}

export type XentralOrderStatus = 'draft' | 'released' | 'completed' | 'cancelled';

/** A Xentral sales order, as deal synchronisation needs it. Money stays a decimal string. */
export interface XentralOrderRecord {
  id: string;
  updatedAt: string;
  status: XentralOrderStatus;
  /** Document number (Belegnummer), assigned on release. */
  number: string;
  /** Document date, YYYY-MM-DD. */
  date: string;
  /** The buyer: a customer address id, '' when the order has none. */
  customerId: string;
  currency: string;
  /** Total incl. tax, e.g. "1234.56"; '' when unknown. */
  gross: string;
  net: string;
}

/** The HubSpot deal made from one released order (RULES.md, rule 17). */
export interface DealDraft {
  orderId: string;
  name: string;
  amount: string;
  currency: string;
  /** ISO date-time. */
  closeDate: string;
  pipelineId: string;
  stageId: string;
  ownerId: string;
}

export interface DealPipeline {
  pipelineId: string;
  stageId: string;
}
