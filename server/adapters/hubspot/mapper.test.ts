import { describe, expect, it } from 'vitest';
import {
  COMPANY_PROPERTIES,
  CONTACT_PROPERTIES,
  HubSpotObject,
  HubSpotOwner,
  toCompanyRecord,
  toContactRecord,
  toOwnerRecord,
  toProperties,
} from './mapper';

/** Shaped like HubSpot's CRM v3 responses (SimplePublicObject). */
const contactJson = {
  id: '151',
  properties: {
    createdate: '2026-02-01T10:00:00.000Z',
    email: 'anna.mueller@example.com',
    firstname: 'Anna',
    lastname: 'Müller',
    salutation: null,
    phone: '+49 821 1',
    mobilephone: null,
    address: 'Hauptstraße 1',
    zip: '86150',
    city: 'Augsburg',
    country: 'Deutschland',
    jobtitle: null,
    hubspot_owner_id: '9001',
    lifecyclestage: 'customer',
    lastmodifieddate: '2026-02-03T11:22:33.444Z',
    hs_object_id: '151',
  },
  createdAt: '2026-02-01T10:00:00.000Z',
  updatedAt: '2026-02-03T11:22:33.444Z',
  archived: false,
};

describe('HubSpot mapper', () => {
  it('reads a contact, missing properties as empty strings', () => {
    expect(toContactRecord(HubSpotObject.parse(contactJson))).toEqual({
      id: '151',
      updatedAt: '2026-02-03T11:22:33.444Z',
      email: 'anna.mueller@example.com',
      firstName: 'Anna',
      lastName: 'Müller',
      salutation: '',
      phone: '+49 821 1',
      mobile: '',
      street: 'Hauptstraße 1',
      zip: '86150',
      city: 'Augsburg',
      country: 'Deutschland',
      jobTitle: '',
      ownerId: '9001',
      lifecycleStage: 'customer',
      xentralId: '',
    });
  });

  it('reads a company with hs_lastmodifieddate as epoch milliseconds', () => {
    const company = toCompanyRecord(
      HubSpotObject.parse({
        id: '77',
        properties: {
          name: 'Acme GmbH',
          domain: 'acme.com',
          hs_lastmodifieddate: '1767225600000',
          xentral_id: '12',
        },
      }),
    );
    expect(company).toMatchObject({
      id: '77',
      name: 'Acme GmbH',
      domain: 'acme.com',
      xentralId: '12',
    });
    expect(company.updatedAt).toBe('2026-01-01T00:00:00.000Z');
  });

  it('writes only the patched properties, under HubSpot names', () => {
    expect(
      toProperties(CONTACT_PROPERTIES, {
        mobile: '+49 170',
        street: '',
        xentralId: '5',
        ownerId: '9',
      }),
    ).toEqual({ mobilephone: '+49 170', address: '', xentral_id: '5', hubspot_owner_id: '9' });
    expect(toProperties(COMPANY_PROPERTIES, { domain: 'acme.com' })).toEqual({
      domain: 'acme.com',
    });
  });

  it('reads people as users and leaves queues out', () => {
    const owner = HubSpotOwner.parse({
      id: '9001',
      email: 'max@example.com',
      firstName: 'Max',
      lastName: 'Meier',
      type: 'PERSON',
      archived: false,
      updatedAt: '2026-01-02T00:00:00.000Z',
    });
    expect(toOwnerRecord(owner)).toEqual({
      id: '9001',
      updatedAt: '2026-01-02T00:00:00.000Z',
      email: 'max@example.com',
      firstName: 'Max',
      lastName: 'Meier',
      active: true,
    });
    expect(toOwnerRecord(HubSpotOwner.parse({ id: '3', type: 'QUEUE' }))).toBeUndefined();
  });
});
