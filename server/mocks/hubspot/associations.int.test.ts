import type { Client } from '@hubspot/api-client';
import { AssociationSpecAssociationCategoryEnum } from '@hubspot/api-client/lib/codegen/crm/associations/v4';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startHubSpotMock, type HubSpotMockHandle } from './index';
import { api, failure, sdk } from './test-helpers';

const HUBSPOT_DEFINED = AssociationSpecAssociationCategoryEnum.HubspotDefined;
let mock: HubSpotMockHandle;
let client: Client;
let token: string;
let contactIds: string[];
let companyIds: string[];

beforeAll(async () => {
  mock = await startHubSpotMock({
    host: '127.0.0.1',
    port: 0,
    settings: { searchIndexLagMs: 0 },
  });
});
afterAll(() => mock.close());
beforeEach(async () => {
  mock.reset();
  mock.seed({ contacts: 4, companies: 3 });
  token = mock.issueToken().access_token;
  client = sdk(mock, token);
  contactIds = (await client.crm.contacts.getAll()).map((record) => record.id);
  companyIds = (await client.crm.companies.getAll()).map((record) => record.id);
});

const contact = (index: number) => contactIds[index] ?? '';
const company = (index: number) => companyIds[index] ?? '';

describe('default associations', () => {
  it('associates one pair in both directions with the unlabeled HubSpot types', async () => {
    const result = await client.crm.associations.v4.basicApi.createDefault(
      'contacts',
      contact(0),
      'companies',
      company(0),
    );
    expect(result.status).toBe('COMPLETE');
    expect(
      result.results.map((row) => [row._from.id, row.to.id, row.associationSpec.associationTypeId]),
    ).toEqual([
      [contact(0), company(0), 279],
      [company(0), contact(0), 280],
    ]);
    const fromCompany = await client.crm.associations.v4.basicApi.getPage(
      'companies',
      company(0),
      'contacts',
    );
    expect(fromCompany.results).toEqual([
      expect.objectContaining({
        toObjectId: contact(0),
        associationTypes: [expect.objectContaining({ category: 'HUBSPOT_DEFINED', typeId: 280 })],
      }),
    ]);
  });

  it('associates in batches and reports unknown records inside the 200', async () => {
    const result = await client.crm.associations.v4.batchApi.createDefault('deals', 'contacts', {
      inputs: [],
    });
    expect(result.results).toEqual([]);
    const deal = await client.crm.deals.basicApi.create({
      properties: { dealname: 'Order 1' },
      associations: [],
    });
    const batch = await client.crm.associations.v4.batchApi.createDefault('deals', 'contacts', {
      inputs: [
        { _from: { id: deal.id }, to: { id: contact(1) } },
        { _from: { id: deal.id }, to: { id: '424242' } },
      ],
    });
    expect(batch.results.map((row) => row.associationSpec.associationTypeId)).toEqual([3, 4]);
    expect(batch.numErrors).toBe(1);
    expect(batch.errors?.[0]?.category).toBe('OBJECT_NOT_FOUND');
  });

  it('answers 404 when a record of the pair does not exist', async () => {
    const error = await failure(
      client.crm.associations.v4.basicApi.createDefault('contacts', contact(0), 'companies', '1'),
    );
    expect(error.code).toBe(404);
  });
});

describe('labelled associations', () => {
  it('creates a primary company with 201 and keeps one primary per contact', async () => {
    const first = await client.crm.associations.v4.basicApi.create(
      'contacts',
      contact(0),
      'companies',
      company(0),
      [{ associationCategory: HUBSPOT_DEFINED, associationTypeId: 1 }],
    );
    expect(first).toMatchObject({
      fromObjectTypeId: '0-1',
      toObjectTypeId: '0-2',
      labels: ['Primary'],
    });
    expect(first.fromObjectId).toBe(contact(0));
    expect(first.toObjectId).toBe(company(0));
    await client.crm.associations.v4.basicApi.create(
      'contacts',
      contact(0),
      'companies',
      company(1),
      [{ associationCategory: HUBSPOT_DEFINED, associationTypeId: 1 }],
    );
    const page = await client.crm.associations.v4.basicApi.getPage(
      'contacts',
      contact(0),
      'companies',
    );
    const types = new Map(
      page.results.map((row) => [
        String(row.toObjectId),
        row.associationTypes.map((type) => type.typeId).sort((a, b) => a - b),
      ]),
    );
    // The label implies the unlabeled association; the old primary keeps only that.
    expect(types.get(company(0))).toEqual([279]);
    expect(types.get(company(1))).toEqual([1, 279]);

    const wrongType = await failure(
      client.crm.associations.v4.basicApi.create('contacts', contact(0), 'companies', company(1), [
        { associationCategory: HUBSPOT_DEFINED, associationTypeId: 3 },
      ]),
    );
    expect(wrongType.code).toBe(400);
  });

  it('creates, reads and archives in batches', async () => {
    const created = await api(
      mock,
      'POST',
      '/crm/v4/associations/companies/contacts/batch/create',
      {
        token,
        body: {
          inputs: [
            {
              from: { id: company(0) },
              to: { id: contact(0) },
              types: [{ associationCategory: 'HUBSPOT_DEFINED', associationTypeId: 280 }],
            },
            {
              from: { id: company(0) },
              to: { id: contact(1) },
              types: [{ associationCategory: 'HUBSPOT_DEFINED', associationTypeId: 280 }],
            },
          ],
        },
      },
    );
    expect(created.status).toBe(201);

    const read = await client.crm.associations.v4.batchApi.getPage('companies', 'contacts', {
      inputs: [{ id: company(0) }, { id: company(2) }],
    });
    expect(read.results).toHaveLength(1);
    expect(read.results[0]?.to.map((row) => String(row.toObjectId))).toEqual([
      contact(0),
      contact(1),
    ]);
    expect('errors' in read && read.errors?.[0]?.context).toEqual({ fromObjectId: [company(2)] });

    await client.crm.associations.v4.batchApi.archive('companies', 'contacts', {
      inputs: [{ _from: { id: company(0) }, to: [{ id: contact(0) }] }],
    });
    const after = await client.crm.associations.v4.basicApi.getPage(
      'contacts',
      contact(0),
      'companies',
    );
    expect(after.results).toEqual([]);
    await client.crm.associations.v4.basicApi.archive(
      'contacts',
      contact(1),
      'companies',
      company(0),
    );
    expect(
      (await client.crm.associations.v4.basicApi.getPage('companies', company(0), 'contacts'))
        .results,
    ).toEqual([]);
  });
});

describe('associations on create', () => {
  it('links a new deal to its contact and company with HubSpot default type ids', async () => {
    const deal = await client.crm.deals.basicApi.create({
      properties: { dealname: 'Order 7', dealstage: 'closedwon' },
      associations: [
        {
          to: { id: contact(2) },
          types: [{ associationCategory: HUBSPOT_DEFINED, associationTypeId: 3 }],
        },
        {
          to: { id: company(2) },
          types: [{ associationCategory: HUBSPOT_DEFINED, associationTypeId: 5 }],
        },
      ],
    });
    const toContact = await client.crm.associations.v4.basicApi.getPage(
      'deals',
      deal.id,
      'contacts',
    );
    expect(toContact.results.map((row) => String(row.toObjectId))).toEqual([contact(2)]);
    const fromContact = await client.crm.associations.v4.basicApi.getPage(
      'contacts',
      contact(2),
      'deals',
    );
    expect(fromContact.results[0]?.associationTypes.map((type) => type.typeId)).toEqual([4]);
    const toCompany = await client.crm.associations.v4.basicApi.getPage(
      'deals',
      deal.id,
      'companies',
    );
    expect(toCompany.results[0]?.associationTypes.map((type) => [type.typeId, type.label])).toEqual(
      [
        [5, 'Primary'],
        [341, null],
      ],
    );

    const read = await client.crm.deals.basicApi.getById(deal.id, undefined, undefined, [
      'contacts',
    ]);
    expect(read.associations?.contacts?.results).toEqual([
      expect.objectContaining({ id: contact(2), type: 'deal_to_contact' }),
    ]);
  });

  it('fails the create when an associated record does not exist', async () => {
    const error = await failure(
      client.crm.deals.basicApi.create({
        properties: { dealname: 'Orphan' },
        associations: [
          {
            to: { id: '99999' },
            types: [{ associationCategory: HUBSPOT_DEFINED, associationTypeId: 3 }],
          },
        ],
      }),
    );
    expect(error.code).toBe(400);
    expect(mock.store.firstPortal()?.tables.deals.size).toBe(0);
  });
});
