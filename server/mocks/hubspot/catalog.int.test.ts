import type { Client } from '@hubspot/api-client';
import {
  PropertyCreateFieldTypeEnum,
  PropertyCreateTypeEnum,
} from '@hubspot/api-client/lib/codegen/crm/properties';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startHubSpotMock, type HubSpotMockHandle } from './index';
import { anyNumber, anyString, api, control, failure, sdk } from './test-helpers';

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
  mock.seed({ contacts: 3, owners: 7 });
  token = mock.issueToken().access_token;
  client = sdk(mock, token);
});

const xentralIdProperty = {
  name: 'xentral_id',
  label: 'Xentral ID',
  type: PropertyCreateTypeEnum.String,
  fieldType: PropertyCreateFieldTypeEnum.Text,
  groupName: 'contactinformation',
  hasUniqueValue: true,
};

describe('properties', () => {
  it('lists the standard properties of each object', async () => {
    const names = async (type: string) =>
      (await client.crm.properties.coreApi.getAll(type)).results.map((property) => property.name);
    expect(await names('contacts')).toEqual(
      expect.arrayContaining([
        'email',
        'firstname',
        'lastname',
        'salutation',
        'phone',
        'mobilephone',
        'address',
        'zip',
        'city',
        'country',
        'jobtitle',
        'hubspot_owner_id',
        'lifecyclestage',
        'createdate',
        'lastmodifieddate',
        'hs_object_id',
      ]),
    );
    expect(await names('companies')).toEqual(
      expect.arrayContaining([
        'name',
        'domain',
        'phone',
        'hubspot_owner_id',
        'hs_lastmodifieddate',
      ]),
    );
    expect(await names('deals')).toEqual(
      expect.arrayContaining([
        'dealname',
        'amount',
        'deal_currency_code',
        'closedate',
        'pipeline',
        'dealstage',
        'hubspot_owner_id',
      ]),
    );
  });

  it('reads lifecyclestage with HubSpot standard options and labels', async () => {
    const property = await client.crm.properties.coreApi.getByName('contacts', 'lifecyclestage');
    expect(property.type).toBe('enumeration');
    expect(property.options.map((option) => [option.value, option.label])).toEqual([
      ['subscriber', 'Subscriber'],
      ['lead', 'Lead'],
      ['marketingqualifiedlead', 'Marketing Qualified Lead'],
      ['salesqualifiedlead', 'Sales Qualified Lead'],
      ['opportunity', 'Opportunity'],
      ['customer', 'Customer'],
      ['evangelist', 'Evangelist'],
      ['other', 'Other'],
    ]);
    const owner = await client.crm.properties.coreApi.getByName('contacts', 'hubspot_owner_id');
    expect(owner.options).toHaveLength(7);
    expect((await failure(client.crm.properties.coreApi.getByName('contacts', 'nope'))).code).toBe(
      404,
    );
  });

  it('creates a unique custom property (201), refuses it twice (409) and enforces its values', async () => {
    const created = await client.crm.properties.coreApi.create('contacts', xentralIdProperty);
    expect(created).toMatchObject({
      name: 'xentral_id',
      hasUniqueValue: true,
      hubspotDefined: false,
    });
    const raw = await api(mock, 'POST', '/crm/v3/properties/contacts', {
      token,
      body: { ...xentralIdProperty, label: 'Again' },
    });
    expect(raw.status).toBe(409);
    expect(await raw.json()).toMatchObject({ status: 'error', category: 'OBJECT_ALREADY_EXISTS' });

    const contact = await client.crm.contacts.basicApi.create({
      properties: { email: 'linked@example.com', xentral_id: 'A-1' },
      associations: [],
    });
    const duplicate = await failure(
      client.crm.contacts.basicApi.create({
        properties: { email: 'other@example.com', xentral_id: 'A-1' },
        associations: [],
      }),
    );
    expect(duplicate.code).toBe(409);
    expect(duplicate.body.message).toContain(`Existing ID: ${contact.id}`);
    const byId = await client.crm.contacts.basicApi.getById(
      'A-1',
      ['xentral_id'],
      undefined,
      undefined,
      false,
      'xentral_id',
    );
    expect(byId.id).toBe(contact.id);
  });

  it('validates new property definitions', async () => {
    const badName = await failure(
      client.crm.properties.coreApi.create('contacts', { ...xentralIdProperty, name: 'Bad Name' }),
    );
    expect(badName.code).toBe(400);
    const badGroup = await failure(
      client.crm.properties.coreApi.create('contacts', {
        ...xentralIdProperty,
        name: 'other_id',
        groupName: 'no_such_group',
      }),
    );
    expect(badGroup.code).toBe(400);
  });
});

describe('owners', () => {
  it('answers both /crm/v3/owners and /crm/v3/owners/ and pages with limit/after', async () => {
    for (const path of ['/crm/v3/owners', '/crm/v3/owners/']) {
      const response = await api(mock, 'GET', `${path}?limit=5`, { token });
      expect(response.status).toBe(200);
      const body = (await response.json()) as {
        results: unknown[];
        paging?: { next: { after: string } };
      };
      expect(body.results).toHaveLength(5);
      expect(body.paging?.next.after).toEqual(anyString);
    }
    const first = await client.crm.owners.ownersApi.getPage(undefined, undefined, 5);
    const second = await client.crm.owners.ownersApi.getPage(
      undefined,
      first.paging?.next?.after,
      5,
    );
    expect(second.results).toHaveLength(2);
    expect(second.paging).toBeUndefined();
    const owner = first.results[0];
    expect(owner).toMatchObject({
      type: 'PERSON',
      archived: false,
      teams: [],
      id: anyString,
      email: anyString,
      firstName: anyString,
      lastName: anyString,
      userId: anyNumber,
    });
    expect(owner?.createdAt).toBeInstanceOf(Date);
  });

  it('filters by email and reads one owner by id or userId', async () => {
    const [owner] = (await client.crm.owners.ownersApi.getPage(undefined, undefined, 1)).results;
    const byEmail = await client.crm.owners.ownersApi.getPage((owner?.email ?? '').toUpperCase());
    expect(byEmail.results.map((candidate) => candidate.id)).toEqual([owner?.id]);
    expect((await client.crm.owners.ownersApi.getById(Number(owner?.id))).email).toBe(owner?.email);
    const byUser = await client.crm.owners.ownersApi.getById(owner?.userId ?? 0, 'userId');
    expect(byUser.id).toBe(owner?.id);
    expect((await failure(client.crm.owners.ownersApi.getById(1))).code).toBe(404);
  });
});

describe('pipelines', () => {
  it('serves the default deal pipeline with HubSpot stages and closedwon closed at 1.0', async () => {
    const all = await client.crm.pipelines.pipelinesApi.getAll('deals');
    expect(all.results.map((pipeline) => [pipeline.id, pipeline.label])).toEqual([
      ['default', 'Sales Pipeline'],
    ]);
    const pipeline = await client.crm.pipelines.pipelinesApi.getById('deals', 'default');
    expect(pipeline.stages.map((stage) => stage.id)).toEqual([
      'appointmentscheduled',
      'qualifiedtobuy',
      'presentationscheduled',
      'decisionmakerboughtin',
      'contractsent',
      'closedwon',
      'closedlost',
    ]);
    const won = pipeline.stages.find((stage) => stage.id === 'closedwon');
    expect(won?.metadata).toEqual({ isClosed: 'true', probability: '1.0' });
    expect((await failure(client.crm.pipelines.pipelinesApi.getById('deals', 'nope'))).code).toBe(
      404,
    );
  });

  it('can lose its won stage through the mock control, and deals then cannot use it', async () => {
    const tampered = await control(mock, '/pipelines', { removeStages: ['closedwon'] });
    expect(tampered.status).toBe(200);
    const pipeline = await client.crm.pipelines.pipelinesApi.getById('deals', 'default');
    expect(pipeline.stages.map((stage) => stage.id)).not.toContain('closedwon');
    const deal = await failure(
      client.crm.deals.basicApi.create({
        properties: { dealname: 'x', pipeline: 'default', dealstage: 'closedwon' },
        associations: [],
      }),
    );
    expect(deal.code).toBe(400);

    await control(mock, '/pipelines', { archived: true });
    expect((await client.crm.pipelines.pipelinesApi.getAll('deals')).results).toEqual([]);
    await control(mock, '/pipelines', { restoreDefault: true });
    const restored = await client.crm.pipelines.pipelinesApi.getById('deals', 'default');
    expect(restored.stages.map((stage) => stage.id)).toContain('closedwon');
  });
});
