import type { PropertyValueError } from './errors';
import type { ObjectType } from './object-types';

/**
 * Property definitions and value rules of HubSpot's CRM (properties API v3). Everything here is
 * pure: the store keeps one copy of the definitions per portal, the routes present them.
 */

export const PROPERTY_TYPES = [
  'string',
  'number',
  'date',
  'datetime',
  'enumeration',
  'bool',
] as const;
export type PropertyType = (typeof PROPERTY_TYPES)[number];

export const FIELD_TYPES = [
  'text',
  'textarea',
  'select',
  'radio',
  'checkbox',
  'booleancheckbox',
  'number',
  'date',
  'phonenumber',
  'html',
  'file',
  'calculation_equation',
] as const;
export type FieldType = (typeof FIELD_TYPES)[number];

export interface PropertyOption {
  label: string;
  value: string;
  displayOrder: number;
  hidden: boolean;
  description?: string;
}

/** Options that HubSpot derives from other data in the portal instead of storing them. */
export type DynamicOptions = 'owners' | 'pipelines' | 'dealstages';

export interface PropertyDefinition {
  name: string;
  label: string;
  type: PropertyType;
  fieldType: FieldType;
  groupName: string;
  description: string;
  options: PropertyOption[];
  displayOrder: number;
  hasUniqueValue: boolean;
  hubspotDefined: boolean;
  calculated: boolean;
  externalOptions: boolean;
  hidden: boolean;
  formField: boolean;
  /** Set by HubSpot only (createdate, hs_object_id, …); writes to it are ignored. */
  readOnlyValue: boolean;
  createdAt: string;
  updatedAt: string;
  archived: boolean;
  dynamicOptions?: DynamicOptions;
  /** Contacts' `email` is checked for a valid address (HubSpot answers INVALID_EMAIL). */
  format?: 'email';
}

/** HubSpot's standard lifecycle stages, in their pipeline order, with HubSpot's labels. */
export const LIFECYCLE_STAGES: readonly { value: string; label: string }[] = [
  { value: 'subscriber', label: 'Subscriber' },
  { value: 'lead', label: 'Lead' },
  { value: 'marketingqualifiedlead', label: 'Marketing Qualified Lead' },
  { value: 'salesqualifiedlead', label: 'Sales Qualified Lead' },
  { value: 'opportunity', label: 'Opportunity' },
  { value: 'customer', label: 'Customer' },
  { value: 'evangelist', label: 'Evangelist' },
  { value: 'other', label: 'Other' },
];

const LEAD_STATUSES = [
  ['NEW', 'New'],
  ['OPEN', 'Open'],
  ['IN_PROGRESS', 'In Progress'],
  ['OPEN_DEAL', 'Open Deal'],
  ['UNQUALIFIED', 'Unqualified'],
  ['ATTEMPTED_TO_CONTACT', 'Attempted to Contact'],
  ['CONNECTED', 'Connected'],
  ['BAD_TIMING', 'Bad Timing'],
] as const;

/**
 * `deal_currency_code` only accepts the currencies enabled in the account; the mock enables the
 * ones a European Xentral customer typically sells in.
 */
export const DEAL_CURRENCIES = [
  'EUR',
  'USD',
  'GBP',
  'CHF',
  'PLN',
  'CZK',
  'HUF',
  'SEK',
  'DKK',
  'NOK',
  'JPY',
  'CAD',
  'AUD',
] as const;

/** The standard definitions are HubSpot's, so they carry a fixed, old creation date. */
const STANDARD_DATE = '2019-08-06T02:43:01.000Z';

function toOptions(pairs: readonly (readonly [string, string])[]): PropertyOption[] {
  return pairs.map(([value, label], displayOrder) => ({
    value,
    label,
    displayOrder,
    hidden: false,
  }));
}

function standard(
  name: string,
  label: string,
  type: PropertyType,
  fieldType: FieldType,
  groupName: string,
  extra: Partial<PropertyDefinition> = {},
): PropertyDefinition {
  return {
    name,
    label,
    type,
    fieldType,
    groupName,
    description: '',
    options: [],
    displayOrder: -1,
    hasUniqueValue: false,
    hubspotDefined: true,
    calculated: false,
    externalOptions: false,
    hidden: false,
    formField: fieldType !== 'calculation_equation' && !extra.readOnlyValue,
    readOnlyValue: false,
    createdAt: STANDARD_DATE,
    updatedAt: STANDARD_DATE,
    archived: false,
    ...extra,
  };
}

function systemProperties(group: string, lastModified: string): PropertyDefinition[] {
  return [
    standard('createdate', 'Create Date', 'datetime', 'date', group, { readOnlyValue: true }),
    standard(lastModified, 'Last Modified Date', 'datetime', 'date', group, {
      readOnlyValue: true,
    }),
    standard('hs_object_id', 'Record ID', 'number', 'number', group, { readOnlyValue: true }),
  ];
}

function addressProperties(group: string): PropertyDefinition[] {
  return [
    standard('phone', 'Phone Number', 'string', 'phonenumber', group),
    standard('address', 'Street Address', 'string', 'text', group),
    standard('city', 'City', 'string', 'text', group),
    standard('state', 'State/Region', 'string', 'text', group),
    standard('zip', 'Postal Code', 'string', 'text', group),
    standard('country', 'Country/Region', 'string', 'text', group),
  ];
}

function ownerProperty(group: string): PropertyDefinition {
  return standard('hubspot_owner_id', 'Contact owner', 'enumeration', 'select', group, {
    dynamicOptions: 'owners',
    externalOptions: true,
  });
}

function lifecycleProperty(group: string): PropertyDefinition {
  return standard('lifecyclestage', 'Lifecycle Stage', 'enumeration', 'radio', group, {
    options: toOptions(LIFECYCLE_STAGES.map((stage) => [stage.value, stage.label] as const)),
  });
}

function contactProperties(): PropertyDefinition[] {
  const group = 'contactinformation';
  return [
    standard('email', 'Email', 'string', 'text', group, { format: 'email' }),
    standard('firstname', 'First Name', 'string', 'text', group),
    standard('lastname', 'Last Name', 'string', 'text', group),
    standard('salutation', 'Salutation', 'string', 'text', group),
    standard('mobilephone', 'Mobile Phone Number', 'string', 'phonenumber', group),
    standard('fax', 'Fax Number', 'string', 'text', group),
    ...addressProperties(group),
    standard('jobtitle', 'Job Title', 'string', 'text', group),
    standard('company', 'Company Name', 'string', 'text', group),
    standard('website', 'Website URL', 'string', 'text', group),
    ownerProperty(group),
    lifecycleProperty(group),
    standard('hs_lead_status', 'Lead Status', 'enumeration', 'radio', 'sales_properties', {
      options: toOptions(LEAD_STATUSES),
    }),
    ...systemProperties(group, 'lastmodifieddate'),
  ];
}

function companyProperties(): PropertyDefinition[] {
  const group = 'companyinformation';
  return [
    standard('name', 'Company name', 'string', 'text', group),
    standard('domain', 'Company Domain Name', 'string', 'text', group),
    standard('website', 'Website URL', 'string', 'text', group),
    ...addressProperties(group),
    standard('address2', 'Street Address 2', 'string', 'text', group),
    standard('description', 'Description', 'string', 'textarea', group),
    standard('industry', 'Industry', 'string', 'text', group),
    standard('numberofemployees', 'Number of Employees', 'number', 'number', group),
    standard('annualrevenue', 'Annual Revenue', 'number', 'number', group),
    { ...ownerProperty(group), label: 'Company owner' },
    lifecycleProperty(group),
    ...systemProperties(group, 'hs_lastmodifieddate'),
  ];
}

function dealProperties(): PropertyDefinition[] {
  const group = 'dealinformation';
  return [
    standard('dealname', 'Deal Name', 'string', 'text', group),
    standard('amount', 'Amount', 'number', 'number', group),
    standard('deal_currency_code', 'Currency', 'enumeration', 'select', group, {
      options: toOptions(DEAL_CURRENCIES.map((code) => [code, code] as const)),
    }),
    standard('closedate', 'Close Date', 'datetime', 'date', group),
    standard('pipeline', 'Pipeline', 'enumeration', 'select', group, {
      dynamicOptions: 'pipelines',
    }),
    standard('dealstage', 'Deal Stage', 'enumeration', 'radio', group, {
      dynamicOptions: 'dealstages',
    }),
    { ...ownerProperty(group), label: 'Deal owner' },
    standard('dealtype', 'Deal Type', 'enumeration', 'radio', group, {
      options: toOptions([
        ['newbusiness', 'New Business'],
        ['existingbusiness', 'Existing Business'],
      ]),
    }),
    standard('description', 'Deal Description', 'string', 'textarea', group),
    ...systemProperties(group, 'hs_lastmodifieddate'),
  ];
}

export function standardProperties(type: ObjectType): PropertyDefinition[] {
  switch (type) {
    case 'contacts':
      return contactProperties();
    case 'companies':
      return companyProperties();
    case 'deals':
      return dealProperties();
  }
}

export interface PropertyGroup {
  name: string;
  label: string;
  displayOrder: number;
  archived: boolean;
}

export function standardGroups(type: ObjectType): PropertyGroup[] {
  const groups: Record<ObjectType, [string, string][]> = {
    contacts: [
      ['contactinformation', 'Contact information'],
      ['sales_properties', 'Sales properties'],
    ],
    companies: [['companyinformation', 'Company information']],
    deals: [['dealinformation', 'Deal information']],
  };
  return groups[type].map(([name, label], displayOrder) => ({
    name,
    label,
    displayOrder,
    archived: false,
  }));
}

/** Internal names: lower-case letters, digits and underscores, starting with a letter. */
export const PROPERTY_NAME_PATTERN = /^[a-z][a-z0-9_]*$/;

// A deliberately plain check: one "@", no spaces, a dot in the domain. HubSpot rejects the
// same obvious garbage; it does not implement full RFC 5322 either.
const EMAIL_PATTERN = /^[^\s@]+@[^\s@]+\.[^\s@.]{2,}$/;
const NUMBER_PATTERN = /^-?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/;
const EPOCH_MS_PATTERN = /^-?\d+$/;

export type ValueCheck = { ok: true; value: string } | { ok: false; problem: PropertyValueError };

function invalid(name: string, error: string, message: string): ValueCheck {
  return { ok: false, problem: { name, error, message } };
}

/** Epoch milliseconds of a value HubSpot accepts for date properties (ms string or ISO text). */
export function parseTimestamp(raw: string): number | undefined {
  const text = raw.trim();
  if (text === '') return undefined;
  const ms = EPOCH_MS_PATTERN.test(text) ? Number(text) : Date.parse(text);
  return Number.isFinite(ms) ? ms : undefined;
}

/**
 * Checks one written value against its definition and returns the value HubSpot would store:
 * e-mails lower-cased, datetimes as ISO strings, dates as YYYY-MM-DD, booleans as true/false.
 * An empty string clears the property. `allowedOptions` is the current option list of an
 * enumeration (static or derived from owners/pipelines).
 */
export function checkPropertyValue(
  definition: PropertyDefinition,
  raw: string,
  allowedOptions: readonly PropertyOption[],
): ValueCheck {
  const name = definition.name;
  if (raw === '') return { ok: true, value: '' };
  switch (definition.type) {
    case 'string': {
      if (definition.format === 'email') {
        const email = raw.trim().toLowerCase();
        if (!EMAIL_PATTERN.test(email)) {
          return invalid(name, 'INVALID_EMAIL', `Email address ${raw} is invalid`);
        }
        return { ok: true, value: email };
      }
      if (raw.length > 65_536) {
        return invalid(name, 'INVALID_STRING', `${name} is longer than 65536 characters`);
      }
      return { ok: true, value: raw };
    }
    case 'number': {
      const text = raw.trim();
      if (!NUMBER_PATTERN.test(text)) {
        return invalid(name, 'INVALID_NUMBER', `${raw} was not a valid number.`);
      }
      return { ok: true, value: text };
    }
    case 'bool': {
      const text = raw.trim().toLowerCase();
      if (text !== 'true' && text !== 'false') {
        return invalid(name, 'INVALID_BOOLEAN', `${raw} was not a valid boolean.`);
      }
      return { ok: true, value: text };
    }
    case 'datetime': {
      const ms = parseTimestamp(raw);
      if (ms === undefined) {
        return invalid(name, 'INVALID_DATE', `${raw} was not a valid long or ISO 8601 date.`);
      }
      return { ok: true, value: new Date(ms).toISOString() };
    }
    case 'date': {
      const ms = parseTimestamp(raw);
      if (ms === undefined) {
        return invalid(name, 'INVALID_DATE', `${raw} was not a valid long or ISO 8601 date.`);
      }
      // Date properties hold a day: HubSpot refuses timestamps that are not midnight UTC.
      if (ms % 86_400_000 !== 0) {
        return invalid(name, 'INVALID_DATE', `${raw} is not at midnight UTC.`);
      }
      return { ok: true, value: new Date(ms).toISOString().slice(0, 10) };
    }
    case 'enumeration': {
      // Multiple checkboxes hold several options separated by semicolons.
      const parts = definition.fieldType === 'checkbox' ? raw.split(';') : [raw];
      const allowed = new Set(allowedOptions.map((option) => option.value));
      const wrong = parts.find((part) => !allowed.has(part));
      if (wrong !== undefined) {
        const listed = allowedOptions.map((option) => option.value).join(', ');
        return invalid(
          name,
          'INVALID_OPTION',
          `${wrong} was not one of the allowed options: [${listed}]`,
        );
      }
      return { ok: true, value: raw };
    }
  }
}

/** Values arrive as JSON strings, numbers, booleans or null; HubSpot stores them all as text. */
export function stringifyInputValue(value: string | number | boolean | null): string {
  if (value === null) return '';
  return String(value);
}
