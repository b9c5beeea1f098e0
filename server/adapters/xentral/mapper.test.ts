import { describe, expect, it } from 'vitest';
import {
  publicEmployeeToRecord,
  toCustomerBody,
  toCustomerRecord,
  toEmployeeBody,
  toEmployeeRecord,
  XentralCustomer,
  XentralEmployee,
  XentralPublicEmployee,
} from './mapper';

/** Recorded from the Xentral mock, which follows the published v3 customer schema. */
const customerJson = {
  id: '3',
  number: '10002',
  mainProject: { id: '1' },
  primaryAddress: {
    name: 'Leon Klein',
    type: 'mr',
    title: null,
    contactPerson: null,
    salutation: null,
    department: 'Einkauf',
    subDepartment: null,
    addressSupplement: null,
    street: 'Am Markt 138',
    zipCode: '86150',
    city: 'Augsburg',
    state: null,
    country: 'DE',
    gln: null,
    email: 'leon.klein.2@example.com',
    phone: '+49 821 1234567',
    fax: null,
    mobile: null,
  },
  communication: { language: null, website: null },
  accountManager: { id: '7' },
  salesManager: null,
  createdAt: '2026-03-02T09:00:00.000Z',
  updatedAt: '2026-03-02T09:05:00.000Z',
};

describe('Xentral mapper', () => {
  it('reads a v3 customer into the engine record', () => {
    expect(toCustomerRecord(XentralCustomer.parse(customerJson))).toEqual({
      id: '3',
      updatedAt: '2026-03-02T09:05:00.000Z',
      number: '10002',
      type: 'mr',
      name: 'Leon Klein',
      email: 'leon.klein.2@example.com',
      phone: '+49 821 1234567',
      mobile: '',
      street: 'Am Markt 138',
      zip: '86150',
      city: 'Augsburg',
      country: 'DE',
      department: 'Einkauf',
      website: '',
      accountManagerId: '7',
      projectId: '1',
    });
  });

  it('writes a create body with the required address keys and the project', () => {
    expect(
      toCustomerBody(
        {
          type: 'mrs',
          name: 'Anna',
          email: 'a@example.com',
          country: 'DE',
          projectId: '4',
          zip: '',
        },
        'create',
      ),
    ).toEqual({
      primaryAddress: {
        type: 'mrs',
        name: 'Anna',
        email: 'a@example.com',
        country: 'DE',
        zipCode: '',
        street: '',
        city: '',
      },
      mainProject: { id: '4' },
    });
  });

  it('writes an update body with only the given fields', () => {
    expect(
      toCustomerBody({ phone: '+49 1', website: 'acme.com', accountManagerId: '9' }, 'update'),
    ).toEqual({
      primaryAddress: { phone: '+49 1' },
      communication: { website: 'acme.com' },
      accountManager: { id: '9' },
    });
    expect(toCustomerBody({ department: '' }, 'update')).toEqual({
      primaryAddress: { department: null },
    });
  });

  it('round-trips an employee', () => {
    const employee = XentralEmployee.parse({
      id: 12,
      number: '90001',
      name: 'Max Meier',
      type: 'mr',
      email: 'max@example.com',
      phone: null,
      mobile: null,
      project: null,
      createdAt: '2026-03-02T09:00:00.000Z',
      updatedAt: '2026-03-02T09:00:00.000Z',
    });
    const record = toEmployeeRecord(employee);
    expect(record).toMatchObject({
      id: '12',
      name: 'Max Meier',
      email: 'max@example.com',
      projectId: '',
    });
    expect(toEmployeeBody({ ...record, projectId: '2' }, 'create')).toEqual({
      type: 'mr',
      name: 'Max Meier',
      email: 'max@example.com',
      project: { id: '2' },
    });
  });
});

/**
 * Shaped like the published `Customer` (xentral-documents-api.openapi-3.1.0.json): string ids,
 * a `PostalAddress` with every part, `communication` with the flags the app ignores, times
 * with a bare "Z" and whole seconds.
 */
const specShapedCustomer = {
  id: '1',
  number: '700042',
  deviatingDebtorAccountNumber: null,
  mainProject: { id: '1' },
  primaryAddress: {
    name: 'Laura Schneider',
    type: 'mrs',
    title: 'Dr.',
    contactPerson: null,
    salutation: 'Sehr geehrte Frau Dr. Schneider',
    department: 'Research & Development',
    subDepartment: 'AI Lab',
    addressSupplement: 'Gebäude B',
    street: 'Fuggerstraße 11',
    zipCode: '86150',
    city: 'Augsburg',
    state: 'BY',
    country: 'DE',
    gln: null,
    email: 'l.schneider@example.com',
    phone: '+4915112345670',
    fax: null,
    mobile: '+4917612345671',
  },
  communication: {
    language: 'DE',
    website: 'https://www.example.com',
    allowTrackingEmails: true,
    allowMarketingEmails: false,
  },
  accountManager: { id: '1' },
  salesManager: null,
  customFields: [],
  tags: [],
  createdAt: '2023-10-01T12:00:00Z',
  updatedAt: '2023-10-02T08:30:00Z',
};

describe('Xentral mapper on payloads shaped like the published spec', () => {
  it('reads a spec-shaped customer, ignoring the fields it does not map', () => {
    expect(toCustomerRecord(XentralCustomer.parse(specShapedCustomer))).toEqual({
      id: '1',
      updatedAt: '2023-10-02T08:30:00.000Z',
      number: '700042',
      type: 'mrs',
      name: 'Laura Schneider',
      email: 'l.schneider@example.com',
      phone: '+4915112345670',
      mobile: '+4917612345671',
      street: 'Fuggerstraße 11',
      zip: '86150',
      city: 'Augsburg',
      country: 'DE',
      department: 'Research & Development',
      website: 'https://www.example.com',
      accountManagerId: '1',
      projectId: '1',
    });
  });

  it('reads `primaryAddress: null`, which the spec allows, as a customer it cannot use', () => {
    const record = toCustomerRecord(
      XentralCustomer.parse({ ...specShapedCustomer, primaryAddress: null }),
    );
    expect(record).toMatchObject({ id: '1', type: 'other', name: '', email: '' });
    expect(record.unusable).toEqual({ why: 'no_primary_address' });
  });

  it('reads a customer without updatedAt (not required by the spec) with its creation time', () => {
    const { updatedAt: _updatedAt, ...withoutUpdatedAt } = specShapedCustomer;
    const record = toCustomerRecord(XentralCustomer.parse(withoutUpdatedAt));
    expect(record.updatedAt).toBe('2023-10-01T12:00:00.000Z');
    expect(record.unusable).toBeUndefined();
    const { createdAt: _createdAt, ...neither } = withoutUpdatedAt;
    expect(toCustomerRecord(XentralCustomer.parse(neither)).updatedAt).toBe(
      '1970-01-01T00:00:00.000Z',
    );
  });

  it('reads type other and a type the app does not know without failing the page', () => {
    const other = toCustomerRecord(
      XentralCustomer.parse({
        ...specShapedCustomer,
        primaryAddress: { ...specShapedCustomer.primaryAddress, type: 'other' },
      }),
    );
    expect(other.type).toBe('other');
    expect(other.unusable).toBeUndefined();
    const unknown = toCustomerRecord(
      XentralCustomer.parse({
        ...specShapedCustomer,
        primaryAddress: { ...specShapedCustomer.primaryAddress, type: 'diverse' },
      }),
    );
    expect(unknown).toMatchObject({
      type: 'other',
      unusable: { why: 'unknown_type', value: 'diverse' },
    });
    const none = toCustomerRecord(
      XentralCustomer.parse({
        ...specShapedCustomer,
        primaryAddress: { ...specShapedCustomer.primaryAddress, type: null },
      }),
    );
    expect(none.type).toBe('other');
  });

  it('writes a create body with every key CustomerAddressData requires', () => {
    const body = toCustomerBody({ type: 'company', name: 'Acme GmbH', country: 'DE' }, 'create');
    const address = body.primaryAddress as Record<string, unknown>;
    for (const key of ['name', 'street', 'zipCode', 'city', 'country']) {
      expect(address).toHaveProperty(key);
      expect(typeof address[key]).toBe('string');
    }
    // additionalProperties: false — nothing outside CreateCustomerData.
    expect(
      Object.keys(body).every((key) =>
        ['primaryAddress', 'communication', 'accountManager', 'mainProject'].includes(key),
      ),
    ).toBe(true);
  });

  it('reads the public employee list item (id, number, name) without an e-mail', () => {
    const employee = XentralPublicEmployee.parse({
      id: '17',
      number: '90001',
      name: 'Anna Schmidt',
    });
    expect(publicEmployeeToRecord(employee)).toEqual({
      id: '17',
      updatedAt: '1970-01-01T00:00:00.000Z',
      number: '90001',
      type: 'other',
      name: 'Anna Schmidt',
      email: '',
      projectId: '',
    });
  });
});
