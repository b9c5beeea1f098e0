import type { OwnerLinks } from './canonical';
import type {
  ExchangeSettings,
  HubSpotCompanyRecord,
  HubSpotContactRecord,
  HubSpotOwnerRecord,
  XentralCustomerRecord,
  XentralEmployeeRecord,
} from './model';

/** Builders with fixed dates for engine tests: override only what a test is about. */

export const T0 = '2026-01-05T08:00:00.000Z';

export function buildSettings(overrides: Partial<ExchangeSettings> = {}): ExchangeSettings {
  return {
    mode: 'sync',
    lifecycleStages: ['lead', 'customer'],
    projectId: null,
    defaultSalutation: 'mr',
    defaultCountry: 'DE',
    ...overrides,
  };
}

export function buildXentralCustomer(
  overrides: Partial<XentralCustomerRecord> = {},
): XentralCustomerRecord {
  return {
    id: '1',
    updatedAt: T0,
    number: '10001',
    type: 'mrs',
    name: '',
    email: '',
    phone: '',
    mobile: '',
    street: '',
    zip: '',
    city: '',
    country: '',
    department: '',
    website: '',
    accountManagerId: '',
    projectId: '',
    ...overrides,
  };
}

export function buildXentralEmployee(
  overrides: Partial<XentralEmployeeRecord> = {},
): XentralEmployeeRecord {
  return {
    id: '500',
    updatedAt: T0,
    number: '90001',
    type: 'mr',
    name: '',
    email: '',
    projectId: '',
    ...overrides,
  };
}

export function buildHubSpotContact(
  overrides: Partial<HubSpotContactRecord> = {},
): HubSpotContactRecord {
  return {
    id: '101',
    updatedAt: T0,
    email: '',
    firstName: '',
    lastName: '',
    salutation: '',
    phone: '',
    mobile: '',
    street: '',
    zip: '',
    city: '',
    country: '',
    jobTitle: '',
    ownerId: '',
    lifecycleStage: 'customer',
    xentralId: '',
    ...overrides,
  };
}

export function buildHubSpotCompany(
  overrides: Partial<HubSpotCompanyRecord> = {},
): HubSpotCompanyRecord {
  return {
    id: '201',
    updatedAt: T0,
    name: '',
    domain: '',
    phone: '',
    street: '',
    zip: '',
    city: '',
    country: '',
    ownerId: '',
    lifecycleStage: 'customer',
    xentralId: '',
    ...overrides,
  };
}

export function buildHubSpotOwner(overrides: Partial<HubSpotOwnerRecord> = {}): HubSpotOwnerRecord {
  return {
    id: '9001',
    updatedAt: T0,
    email: '',
    firstName: '',
    lastName: '',
    active: true,
    ...overrides,
  };
}

export function ownerLinks(pairs: [employeeId: string, ownerId: string][] = []): OwnerLinks {
  return {
    employeeByOwner: new Map(pairs.map(([employee, owner]) => [owner, employee])),
    ownerByEmployee: new Map(pairs),
  };
}
