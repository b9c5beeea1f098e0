import { describe, expect, it } from 'vitest';
import {
  COMPANY_PROPERTIES,
  CONTACT_PROPERTIES,
  HubSpotObject,
  HubSpotOwner,
  HubSpotPipelines,
  HubSpotProperty,
  toCompanyRecord,
  toContactRecord,
  toOwnerRecord,
  toProperties,
} from './mapper';

/**
 * Payloads shaped like the examples in HubSpot's published specs
 * (github.com/HubSpot/HubSpot-public-api-spec-collection): SimplePublicObject in CRM Contacts v3,
 * PublicOwner in CRM Owners v3, Pipeline in CRM Pipelines v3, Property in CRM Properties v3.
 * The spec examples' envelopes (ids, timestamps, value formats) with this product's properties.
 */
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

  it('reads a record like the spec example: only requested properties, dates as epoch text', () => {
    // SimplePublicObject example: properties hold only what was asked for, every value is a
    // string (dates as epoch milliseconds), and the change time is the top-level updatedAt.
    const contact = toContactRecord(
      HubSpotObject.parse({
        archived: false,
        createdAt: '2019-10-30T03:30:17.883Z',
        id: '512',
        properties: { email: 'bh@hubspot.com', firstname: 'Brian', zip: '1572480000000' },
        updatedAt: '2019-12-07T16:50:06.678Z',
      }),
    );
    expect(contact).toMatchObject({
      id: '512',
      updatedAt: '2019-12-07T16:50:06.678Z',
      email: 'bh@hubspot.com',
      firstName: 'Brian',
      lastName: '',
      zip: '1572480000000',
    });
  });

  it('refuses a record without the fields the spec requires', () => {
    expect(HubSpotObject.safeParse({ properties: {} }).success).toBe(false);
    expect(HubSpotObject.safeParse({ id: 512, properties: {} }).success).toBe(false);
    expect(HubSpotObject.safeParse({ id: '512', properties: { city: 7 } }).success).toBe(false);
  });

  it('reads the spec example owner, which names no type, as a person with teams', () => {
    const owner = HubSpotOwner.parse({
      archived: false,
      createdAt: '2019-10-30T03:30:17.883Z',
      email: 'jsmith@example.com',
      firstName: 'John',
      id: '6166860',
      lastName: 'Smith',
      teams: [
        { id: '178588', name: 'West Coast Sales', primary: true },
        { id: '178590', name: 'California Sales', primary: false },
      ],
      updatedAt: '2019-12-07T16:50:06.678Z',
      userId: 1296619,
    });
    expect(toOwnerRecord(owner)).toEqual({
      id: '6166860',
      updatedAt: '2019-12-07T16:50:06.678Z',
      email: 'jsmith@example.com',
      firstName: 'John',
      lastName: 'Smith',
      active: true,
    });
  });

  it('reads pipelines shaped like the spec example, whose stage metadata are strings', () => {
    const answer = HubSpotPipelines.parse({
      results: [
        {
          archived: false,
          createdAt: '2019-10-30T03:30:17.883Z',
          displayOrder: 0,
          id: 'default',
          label: 'Sales Pipeline',
          stages: [
            {
              archived: false,
              createdAt: '2019-10-30T03:30:17.883Z',
              displayOrder: 0,
              id: 'appointmentscheduled',
              label: 'Appointment Scheduled',
              metadata: { isClosed: 'false', probability: '0.2' },
              updatedAt: '2019-12-07T16:50:06.678Z',
            },
            {
              archived: false,
              createdAt: '2019-10-30T03:30:17.883Z',
              displayOrder: 1,
              id: 'closedwon',
              label: 'Closed Won',
              metadata: { isClosed: 'true', probability: '1.0' },
              updatedAt: '2019-12-07T16:50:06.678Z',
            },
          ],
          updatedAt: '2019-12-07T16:50:06.678Z',
        },
      ],
    });
    expect(answer.results[0]?.stages.map((stage) => stage.metadata?.isClosed)).toEqual([
      'false',
      'true',
    ]);
    // HubSpot sends metadata values as text; a number there is not HubSpot's shape.
    expect(
      HubSpotPipelines.safeParse({
        results: [{ id: 'p', label: 'P', stages: [{ id: 's', label: 'S', metadata: { p: 1 } }] }],
      }).success,
    ).toBe(false);
  });

  it('reads the options of a property shaped like the spec example', () => {
    const property = HubSpotProperty.parse({
      displayOrder: 2,
      fieldType: 'select',
      formField: true,
      groupName: 'contactinformation',
      hasUniqueValue: false,
      hidden: false,
      label: 'Lifecycle Stage',
      modificationMetadata: {
        archivable: true,
        readOnlyDefinition: false,
        readOnlyOptions: false,
        readOnlyValue: false,
      },
      name: 'lifecyclestage',
      options: [
        { description: '', displayOrder: 1, hidden: false, label: 'Lead', value: 'lead' },
        { description: '', displayOrder: 2, hidden: false, label: 'Customer', value: 'customer' },
      ],
      type: 'enumeration',
    });
    expect(property.options.map((option) => option.value)).toEqual(['lead', 'customer']);
  });
});
