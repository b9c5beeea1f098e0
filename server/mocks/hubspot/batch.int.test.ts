import type { Client } from '@hubspot/api-client';
import { AssociationSpecAssociationCategoryEnum } from '@hubspot/api-client/lib/codegen/crm/contacts';
import {
  PropertyCreateFieldTypeEnum,
  PropertyCreateTypeEnum,
} from '@hubspot/api-client/lib/codegen/crm/properties';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startHubSpotMock, type HubSpotMockHandle } from './index';
import { anyString, api, failure, sdk } from './test-helpers';

let mock: HubSpotMockHandle;
let client: Client;
let token: string;

beforeAll(async () => {
  mock = await startHubSpotMock({
    host: '127.0.0.1',
    port: 0,
    settings: { searchIndexLagMs: 0 },
  });
});
afterAll(() => mock.close());
beforeEach(() => {
  mock.reset();
  mock.seed({ contacts: 5, companies: 3 });
  token = mock.issueToken().access_token;
  client = sdk(mock, token);
});

const contactCount = () => mock.store.firstPortal()?.tables.contacts.size ?? 0;
const newContact = (i: number) => ({
  properties: { email: `batch.${i}@example.com`, firstname: `B${i}` },
  associations: [],
});

describe('batch create', () => {
  it('creates up to 100 inputs with 201', async () => {
    const response = await api(mock, 'POST', '/crm/v3/objects/contacts/batch/create', {
      token,
      body: { inputs: Array.from({ length: 100 }, (_, i) => newContact(i)) },
    });
    expect(response.status).toBe(201);
    const body = (await response.json()) as { status: string; results: unknown[] };
    expect(body.status).toBe('COMPLETE');
    expect(body.results).toHaveLength(100);
    expect(contactCount()).toBe(105);
  });

  it('refuses more than 100 inputs with 400', async () => {
    const error = await failure(
      client.crm.contacts.batchApi.create({
        inputs: Array.from({ length: 101 }, (_, i) => newContact(i)),
      }),
    );
    expect(error.code).toBe(400);
    expect(error.body.category).toBe('VALIDATION_ERROR');
    expect(contactCount()).toBe(5);
  });

  it('is all-or-nothing: one duplicate e-mail rejects the whole batch with 409', async () => {
    const existing = await client.crm.contacts.basicApi.create({
      properties: { email: 'taken@example.com' },
      associations: [],
    });
    const error = await failure(
      client.crm.contacts.batchApi.create({
        inputs: [
          newContact(1),
          { properties: { email: 'Taken@Example.com' }, associations: [] },
          newContact(2),
        ],
      }),
    );
    expect(error.code).toBe(409);
    expect(error.body).toMatchObject({
      status: 'error',
      category: 'CONFLICT',
      message: `Contact already exists. Existing ID: ${existing.id}`,
    });
    expect(contactCount()).toBe(6);
  });

  it('reports per-input errors in a 207 when inputs carry objectWriteTraceId', async () => {
    await client.crm.contacts.basicApi.create({
      properties: { email: 'taken@example.com' },
      associations: [],
    });
    const result = await client.crm.contacts.batchApi.create({
      inputs: [
        { ...newContact(1), objectWriteTraceId: 'a' },
        { properties: { email: 'taken@example.com' }, associations: [], objectWriteTraceId: 'b' },
        { properties: { email: 'broken' }, associations: [], objectWriteTraceId: 'c' },
        { ...newContact(2), objectWriteTraceId: 'd' },
      ],
    });
    expect('numErrors' in result && result.numErrors).toBe(2);
    expect(result.results.map((record) => record.objectWriteTraceId)).toEqual(['a', 'd']);
    const errors = 'errors' in result ? result.errors : [];
    expect(errors.map((error) => [error.category, error.context?.objectWriteTraceId])).toEqual([
      ['CONFLICT', ['b']],
      ['VALIDATION_ERROR', ['c']],
    ]);
    expect(contactCount()).toBe(8);

    const raw = await api(mock, 'POST', '/crm/v3/objects/contacts/batch/create', {
      token,
      body: { inputs: [{ properties: { email: 'taken@example.com' }, objectWriteTraceId: 'x' }] },
    });
    expect(raw.status).toBe(207);
  });

  it('creates inline associations', async () => {
    const [company] = await client.crm.companies.getAll();
    const result = await client.crm.contacts.batchApi.create({
      inputs: [
        {
          properties: { email: 'with.company@example.com' },
          associations: [
            {
              to: { id: company?.id ?? '' },
              types: [
                {
                  associationCategory: AssociationSpecAssociationCategoryEnum.HubspotDefined,
                  associationTypeId: 279,
                },
              ],
            },
          ],
        },
      ],
    });
    const contactId = result.results[0]?.id ?? '';
    const read = await client.crm.associations.v4.basicApi.getPage(
      'contacts',
      contactId,
      'companies',
    );
    expect(read.results.map((row) => String(row.toObjectId))).toEqual([company?.id]);
  });
});

describe('batch read', () => {
  it('answers missing ids with 207 and their ids in the error context', async () => {
    const [first, second] = await client.crm.contacts.getAll();
    const response = await client.crm.contacts.batchApi.read({
      inputs: [{ id: first?.id ?? '' }, { id: '404404' }, { id: second?.id ?? '' }, { id: '1' }],
      properties: ['email'],
      propertiesWithHistory: [],
    });
    expect(response.results.map((record) => record.id).sort()).toEqual(
      [first?.id, second?.id].sort(),
    );
    expect(response.results[0]?.properties.email).toEqual(anyString);
    expect('errors' in response && response.errors).toEqual([
      expect.objectContaining({
        status: 'error',
        category: 'OBJECT_NOT_FOUND',
        context: { ids: ['404404', '1'] },
      }),
    ]);
  });

  it('answers 200 when every id exists, also by idProperty email', async () => {
    const contacts = await client.crm.contacts.getAll(undefined, undefined, ['email']);
    const raw = await api(mock, 'POST', '/crm/v3/objects/contacts/batch/read', {
      token,
      body: {
        idProperty: 'email',
        properties: ['firstname'],
        inputs: contacts.map((contact) => ({ id: contact.properties.email?.toUpperCase() })),
      },
    });
    expect(raw.status).toBe(200);
    const body = (await raw.json()) as { results: { id: string }[] };
    expect(body.results).toHaveLength(5);
  });
});

describe('batch update', () => {
  it('updates found records and reports missing ids in a 207', async () => {
    const [first] = await client.crm.contacts.getAll();
    const response = await api(mock, 'POST', '/crm/v3/objects/contacts/batch/update', {
      token,
      body: {
        inputs: [
          { id: first?.id, properties: { city: 'Wien' } },
          { id: '777777', properties: { city: 'Graz' } },
        ],
      },
    });
    expect(response.status).toBe(207);
    const body = (await response.json()) as {
      results: { id: string; properties: Record<string, string> }[];
      errors: { category: string; context: { ids: string[] } }[];
      numErrors: number;
    };
    expect(body.results.map((record) => [record.id, record.properties.city])).toEqual([
      [first?.id, 'Wien'],
    ]);
    expect(body.numErrors).toBe(1);
    expect(body.errors[0]).toMatchObject({
      category: 'OBJECT_NOT_FOUND',
      context: { ids: ['777777'] },
    });
    const again = await client.crm.contacts.basicApi.getById(first?.id ?? '', ['city']);
    expect(again.properties.city).toBe('Wien');
  });

  it('answers 200 through the SDK when all ids exist; duplicate ids are a 400', async () => {
    const contacts = await client.crm.contacts.getAll();
    const result = await client.crm.contacts.batchApi.update({
      inputs: contacts.map((contact) => ({ id: contact.id, properties: { jobtitle: 'Einkauf' } })),
    });
    expect(result.results).toHaveLength(5);
    expect('errors' in result).toBe(false);
    const duplicate = await failure(
      client.crm.contacts.batchApi.update({
        inputs: [
          { id: contacts[0]?.id ?? '', properties: { city: 'A' } },
          { id: contacts[0]?.id ?? '', properties: { city: 'B' } },
        ],
      }),
    );
    expect(duplicate.code).toBe(400);
  });

  it('rejects the batch when a value is invalid or an e-mail is taken', async () => {
    const [first, second] = await client.crm.contacts.getAll(undefined, undefined, ['email']);
    const invalid = await failure(
      client.crm.contacts.batchApi.update({
        inputs: [
          { id: first?.id ?? '', properties: { city: 'Köln' } },
          { id: second?.id ?? '', properties: { unknown_field: 'x' } },
        ],
      }),
    );
    expect(invalid.code).toBe(400);
    expect(invalid.body.message).toContain('PROPERTY_DOESNT_EXIST');
    const taken = await failure(
      client.crm.contacts.batchApi.update({
        inputs: [{ id: first?.id ?? '', properties: { email: second?.properties.email ?? '' } }],
      }),
    );
    expect(taken.code).toBe(409);
    expect(taken.body.message).toBe(`Contact already exists. Existing ID: ${second?.id}`);
    const unchanged = await client.crm.contacts.basicApi.getById(first?.id ?? '', ['city']);
    expect(unchanged.properties.city).not.toBe('Köln');
  });
});

describe('batch upsert', () => {
  it('updates existing and creates missing records by e-mail', async () => {
    const [first] = await client.crm.contacts.getAll(undefined, undefined, ['email']);
    const result = await client.crm.contacts.batchApi.upsert({
      inputs: [
        {
          id: first?.properties.email?.toUpperCase() ?? '',
          idProperty: 'email',
          properties: { city: 'Zürich' },
        },
        { id: 'fresh@example.com', idProperty: 'email', properties: { firstname: 'Fresh' } },
      ],
    });
    const byEmail = new Map(result.results.map((record) => [record.properties.email, record]));
    expect(byEmail.get(first?.properties.email ?? '')).toMatchObject({
      id: first?.id,
      _new: false,
    });
    expect(byEmail.get('fresh@example.com')).toMatchObject({ _new: true });
    expect(byEmail.get('fresh@example.com')?.properties.firstname).toBe('Fresh');
    expect(contactCount()).toBe(6);
  });

  it('upserts by a custom unique property and refuses non-unique ones', async () => {
    await client.crm.properties.coreApi.create('companies', {
      name: 'xentral_id',
      label: 'Xentral ID',
      type: PropertyCreateTypeEnum.String,
      fieldType: PropertyCreateFieldTypeEnum.Text,
      groupName: 'companyinformation',
      hasUniqueValue: true,
    });
    const first = await client.crm.companies.batchApi.upsert({
      inputs: [{ id: 'X-1', idProperty: 'xentral_id', properties: { name: 'Xentral One' } }],
    });
    const second = await client.crm.companies.batchApi.upsert({
      inputs: [{ id: 'X-1', idProperty: 'xentral_id', properties: { city: 'Augsburg' } }],
    });
    expect(second.results[0]?.id).toBe(first.results[0]?.id);
    expect(second.results[0]?.properties).toMatchObject({
      name: 'Xentral One',
      city: 'Augsburg',
      xentral_id: 'X-1',
    });
    const notUnique = await failure(
      client.crm.companies.batchApi.upsert({
        inputs: [{ id: 'Augsburg', idProperty: 'city', properties: {} }],
      }),
    );
    expect(notUnique.code).toBe(400);
  });
});

describe('batch archive', () => {
  it('archives with 204 and ignores unknown ids', async () => {
    const [first] = await client.crm.contacts.getAll();
    const response = await api(mock, 'POST', '/crm/v3/objects/contacts/batch/archive', {
      token,
      body: { inputs: [{ id: first?.id }, { id: '123456789' }] },
    });
    expect(response.status).toBe(204);
    await client.crm.contacts.batchApi.archive({ inputs: [] });
    expect(await client.crm.contacts.getAll()).toHaveLength(4);
  });
});
