import { describe, expect, it } from 'vitest';
import {
  toCustomerBody,
  toCustomerRecord,
  toEmployeeBody,
  toEmployeeRecord,
  XentralCustomer,
  XentralEmployee,
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
