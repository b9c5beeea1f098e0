import type {
  Field,
  HubSpotRecordByType,
  ObjectType,
  Salutation,
  System,
  XentralRecordByType,
} from './model';
import {
  cleanText,
  companyNameKey,
  countryCode,
  countryName,
  domainKey,
  emailKey,
  isCountryCode,
  joinName,
  phoneKey,
  salutationFromText,
  salutationText,
  splitName,
  textKey,
} from './normalize';

/**
 * The field mapping (RULES.md, M3–M5), both ways. A canonical value is system-neutral (a country is
 * its ISO code, a salutation mr/mrs, an owner the linked Xentral employee id); `key` is its
 * comparison form. `null` means "set, but not expressible on the other side this run" (an unknown
 * country name, an owner whose user is not linked yet): such a field is left alone.
 */
export interface CanonValue {
  value: string;
  key: string;
}

export interface OwnerLinks {
  /** HubSpot owner id → linked Xentral employee id */
  employeeByOwner: ReadonlyMap<string, string>;
  /** Xentral employee id → linked HubSpot owner id */
  ownerByEmployee: ReadonlyMap<string, string>;
}

export interface CanonContext {
  defaultSalutation: Salutation;
  owners: OwnerLinks;
}

export const EMPTY: CanonValue = { value: '', key: '' };

const text = (value: string, key: (v: string) => string = textKey): CanonValue => {
  const clean = cleanText(value);
  return clean === '' ? EMPTY : { value: clean, key: key(clean) };
};

interface FieldSpec<T extends ObjectType> {
  fromXentral(record: XentralRecordByType[T], ctx: CanonContext): CanonValue | null;
  fromHubSpot(record: HubSpotRecordByType[T], ctx: CanonContext): CanonValue | null;
  /** System-record fields to set on Xentral for a canonical value; null when not expressible. */
  toXentral(value: string, ctx: CanonContext): Partial<XentralRecordByType[T]> | null;
  toHubSpot(value: string, ctx: CanonContext): Partial<HubSpotRecordByType[T]> | null;
}

type Specs<T extends ObjectType> = Record<Field & keyof SpecFields[T], FieldSpec<T>>;
interface SpecFields {
  user: Record<'email' | 'name', true>;
  company: Record<
    'name' | 'domain' | 'phone' | 'street' | 'zip' | 'city' | 'country' | 'owner',
    true
  >;
  contact: Record<
    | 'email'
    | 'name'
    | 'salutation'
    | 'phone'
    | 'mobile'
    | 'street'
    | 'zip'
    | 'city'
    | 'country'
    | 'jobTitle'
    | 'owner',
    true
  >;
}

/** A field that is the same plain string on both sides. */
function plain<T extends 'contact' | 'company'>(
  x: keyof XentralRecordByType[T] & string,
  h: keyof HubSpotRecordByType[T] & string,
  key: (value: string) => string = textKey,
): FieldSpec<T> {
  return {
    fromXentral: (record) => text(record[x] as string, key),
    fromHubSpot: (record) => text(record[h] as string, key),
    toXentral: (value) => ({ [x]: value }) as Partial<XentralRecordByType[T]>,
    toHubSpot: (value) => ({ [h]: value }) as Partial<HubSpotRecordByType[T]>,
  };
}

function country<T extends 'contact' | 'company'>(): FieldSpec<T> {
  return {
    fromXentral: (record) => {
      const code = countryCode(record.country);
      return code === null ? null : code === '' ? EMPTY : { value: code, key: code };
    },
    fromHubSpot: (record) => {
      const code = countryCode(record.country);
      return code === null ? null : code === '' ? EMPTY : { value: code, key: code };
    },
    toXentral: (value) =>
      isCountryCode(value) ? ({ country: value } as Partial<XentralRecordByType[T]>) : null,
    toHubSpot: (value) =>
      isCountryCode(value)
        ? ({ country: countryName(value) } as Partial<HubSpotRecordByType[T]>)
        : null,
  };
}

/**
 * A country that is set but names no country we know (such a value is never replaced by a
 * default): the value as written, else null.
 */
export function unmappedCountry(record: { country: string }): string | null {
  const value = cleanText(record.country);
  return value !== '' && countryCode(value) === null ? value : null;
}

/** RULES.md, M5: hubspot_owner_id ↔ Back office, through the owner ↔ employee link. */
function owner<T extends 'contact' | 'company'>(): FieldSpec<T> {
  return {
    fromXentral: (record, ctx) => {
      const id = cleanText(record.accountManagerId);
      if (id === '') return EMPTY;
      return ctx.owners.ownerByEmployee.has(id) ? { value: id, key: id } : null;
    },
    fromHubSpot: (record, ctx) => {
      const id = cleanText(record.ownerId);
      if (id === '') return EMPTY;
      const employee = ctx.owners.employeeByOwner.get(id);
      return employee === undefined ? null : { value: employee, key: employee };
    },
    toXentral: (value) => ({ accountManagerId: value }) as Partial<XentralRecordByType[T]>,
    toHubSpot: (value, ctx) => {
      const ownerId = ctx.owners.ownerByEmployee.get(value);
      return ownerId === undefined ? null : ({ ownerId } as Partial<HubSpotRecordByType[T]>);
    },
  };
}

const CONTACT: Specs<'contact'> = {
  email: plain('email', 'email', emailKey),
  name: {
    fromXentral: (record) => text(record.name),
    fromHubSpot: (record) => text(joinName(record.firstName, record.lastName)),
    toXentral: (value) => ({ name: value }),
    toHubSpot: (value) => splitName(value),
  },
  salutation: {
    fromXentral: (record) =>
      record.type === 'mr' || record.type === 'mrs'
        ? { value: record.type, key: record.type }
        : EMPTY,
    fromHubSpot: (record, ctx) => {
      const value = salutationFromText(record.salutation, ctx.defaultSalutation);
      return value === '' ? EMPTY : { value, key: value };
    },
    toXentral: (value) => (value === 'mr' || value === 'mrs' ? { type: value } : null),
    toHubSpot: (value) =>
      value === 'mr' || value === 'mrs' ? { salutation: salutationText(value) } : null,
  },
  phone: plain('phone', 'phone', phoneKey),
  mobile: plain('mobile', 'mobile', phoneKey),
  street: plain('street', 'street'),
  zip: plain('zip', 'zip'),
  city: plain('city', 'city'),
  country: country(),
  jobTitle: plain('department', 'jobTitle'),
  owner: owner(),
};

const COMPANY: Specs<'company'> = {
  name: plain('name', 'name', companyNameKey),
  domain: {
    fromXentral: (record) => {
      const host = domainKey(record.website);
      return host === '' ? EMPTY : { value: host, key: host };
    },
    fromHubSpot: (record) => {
      const host = domainKey(record.domain);
      return host === '' ? EMPTY : { value: host, key: host };
    },
    toXentral: (value) => ({ website: value }),
    toHubSpot: (value) => ({ domain: value }),
  },
  phone: plain('phone', 'phone', phoneKey),
  street: plain('street', 'street'),
  zip: plain('zip', 'zip'),
  city: plain('city', 'city'),
  country: country(),
  owner: owner(),
};

const USER: Specs<'user'> = {
  email: {
    fromXentral: (record) => text(record.email, emailKey),
    fromHubSpot: (record) => text(record.email, emailKey),
    toXentral: (value) => ({ email: value }),
    // HubSpot users are managed in HubSpot's own user settings; the API cannot write them.
    toHubSpot: () => null,
  },
  name: {
    fromXentral: (record) => text(record.name),
    fromHubSpot: (record) => text(joinName(record.firstName, record.lastName)),
    toXentral: (value) => ({ name: value }),
    toHubSpot: () => null,
  },
};

const SPECS: { [T in ObjectType]: Specs<T> } = { user: USER, company: COMPANY, contact: CONTACT };

function specOf<T extends ObjectType>(type: T, field: Field): FieldSpec<T> {
  const spec = (SPECS[type] as Partial<Record<Field, FieldSpec<T>>>)[field];
  if (!spec) throw new Error(`No mapping for ${type}.${field}`);
  return spec;
}

export function canonicalOf<T extends ObjectType>(
  system: System,
  type: T,
  field: Field,
  record: XentralRecordByType[T] | HubSpotRecordByType[T],
  ctx: CanonContext,
): CanonValue | null {
  const spec = specOf(type, field);
  return system === 'xentral'
    ? spec.fromXentral(record as XentralRecordByType[T], ctx)
    : spec.fromHubSpot(record as HubSpotRecordByType[T], ctx);
}

/** The system-record fields that carry `value` for `field` on `system`; null when impossible. */
export function patchFor<T extends ObjectType>(
  system: System,
  type: T,
  field: Field,
  value: string,
  ctx: CanonContext,
): Partial<XentralRecordByType[T]> | Partial<HubSpotRecordByType[T]> | null {
  const spec = specOf(type, field);
  return system === 'xentral' ? spec.toXentral(value, ctx) : spec.toHubSpot(value, ctx);
}
