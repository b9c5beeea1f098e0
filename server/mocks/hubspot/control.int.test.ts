import { FilterOperatorEnum } from '@hubspot/api-client/lib/codegen/crm/contacts';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { demoCompany, demoPerson } from '../common/demo-data';
import { DEMO_HUBSPOT_LOGIN, startHubSpotMock, type HubSpotMockHandle } from './index';
import { anyNumber, anyString, api, control, sdk, testClock } from './test-helpers';

const time = testClock();
let mock: HubSpotMockHandle;

beforeAll(async () => {
  mock = await startHubSpotMock({
    host: '127.0.0.1',
    port: 0,
    clock: time.clock,
    settings: { searchIndexLagMs: 0 },
  });
});
afterAll(() => mock.close());
beforeEach(() => {
  mock.reset();
});

interface StateRecord {
  id: string;
  properties: Record<string, string>;
}
interface StatePortal {
  hubId: number;
  name: string;
  counts: Record<string, number>;
  contacts: StateRecord[];
  companies: StateRecord[];
  deals: StateRecord[];
  owners: { id: string; email: string }[];
  associations: { fromType: string; toType: string; typeIds: number[] }[];
  customProperties: Record<string, { name: string }[]>;
}
interface State {
  users: { email: string; hubIds: number[] }[];
  tokens: Record<string, number>;
  portals: StatePortal[];
}

async function state(): Promise<State> {
  return (await (await fetch(`${mock.url}/__mock/state`)).json()) as State;
}

describe('POST /__mock/seed', () => {
  it('creates portals and deterministic records from the shared generator', async () => {
    const seeded = await control(mock, '/seed', {
      seed: 7,
      portals: [{ hubId: 1111, name: 'Seeded AG', domain: 'seeded.example' }],
      contacts: 40,
      companies: 6,
      owners: 3,
      deals: 4,
      contactStartIndex: 100,
      companyStartIndex: 20,
      withoutEmailEvery: 8,
    });
    expect(seeded.status).toBe(200);
    expect(seeded.json).toMatchObject({
      hubId: 1111,
      created: { contacts: 40, companies: 6, owners: 3, deals: 4 },
      login: DEMO_HUBSPOT_LOGIN.email,
    });
    const [portal] = (await state()).portals;
    expect(portal?.counts).toEqual({ contacts: 40, companies: 6, deals: 4 });
    const emails = portal?.contacts.map((record) => record.properties.email) ?? [];
    expect(emails[0]).toBe(demoPerson(7, 100).email);
    // Indexes 103, 111, 119, … (index + 1 divisible by 8) have no e-mail.
    expect(emails.filter((email) => email === undefined)).toHaveLength(5);
    expect(emails[3]).toBeUndefined();
    expect(portal?.companies[0]?.properties).toMatchObject({
      name: demoCompany(7, 20).name,
      domain: demoCompany(7, 20).domain,
    });
    const stages = new Set(portal?.contacts.map((record) => record.properties.lifecyclestage));
    expect(stages.size).toBe(8);
    expect(portal?.owners).toHaveLength(3);
    expect(portal?.associations.filter((row) => row.fromType === 'deals')).toHaveLength(4);
  });

  it('is deterministic: the same input gives the same data', async () => {
    const input = { contacts: 20, companies: 5, owners: 2, seed: 3 };
    await control(mock, '/seed', input);
    const first = (await state()).portals[0];
    mock.reset();
    await control(mock, '/seed', input);
    const second = (await state()).portals[0];
    expect(second?.contacts).toEqual(first?.contacts);
    expect(second?.companies).toEqual(first?.companies);
    expect(second?.owners).toEqual(first?.owners);
  });

  it('skips contacts whose e-mail already exists when seeding twice', async () => {
    await control(mock, '/seed', { contacts: 10 });
    const again = await control(mock, '/seed', { contacts: 15 });
    expect(again.json).toMatchObject({ created: { contacts: 5 }, skippedContacts: 10 });
  });

  it('seeds 100,000 contacts and still answers batch and search requests', async () => {
    const seeded = await control(mock, '/seed', { contacts: 100_000, withoutEmailEvery: 10 });
    expect(seeded.json).toMatchObject({ created: { contacts: 100_000 } });
    const client = sdk(mock, mock.issueToken().access_token);
    const batch = await client.crm.contacts.batchApi.read({
      inputs: Array.from({ length: 100 }, (_, i) => ({ id: demoPerson(1, i * 997).email })),
      idProperty: 'email',
      properties: ['email'],
      propertiesWithHistory: [],
    });
    expect(batch.results.length).toBeGreaterThan(80);
    const found = await client.crm.contacts.searchApi.doSearch({
      filterGroups: [
        { filters: [{ propertyName: 'email', operator: FilterOperatorEnum.NotHasProperty }] },
      ],
      limit: 1,
      after: '0',
      sorts: [],
      properties: [],
    });
    expect(found.total).toBe(10_000);
  });
});

describe('the demo world', () => {
  it('has the admin login with two portals, contacts, companies, owners and the pipeline', async () => {
    mock.seedDemo();
    const snapshot = await state();
    expect(snapshot.users).toEqual([
      { email: DEMO_HUBSPOT_LOGIN.email, userId: anyNumber, hubIds: [1234567, 7654321] },
    ]);
    expect(snapshot.portals.map((portal) => [portal.hubId, portal.name])).toEqual([
      [1234567, 'Demo GmbH'],
      [7654321, 'Demo Sandbox'],
    ]);
    for (const portal of snapshot.portals) {
      expect(portal.counts.contacts).toBeGreaterThanOrEqual(200);
      expect(portal.counts.companies).toBeGreaterThanOrEqual(30);
      expect(portal.owners.length).toBeGreaterThanOrEqual(3);
      expect(portal.owners.map((owner) => owner.email)).toContain(DEMO_HUBSPOT_LOGIN.email);
      expect(portal.contacts.some((record) => record.properties.email === undefined)).toBe(true);
    }
  });
});

describe('state, reset, stats and faults', () => {
  it('dumps custom properties and token counts but no token values', async () => {
    mock.seedDemo();
    const token = mock.issueToken().access_token;
    await api(mock, 'POST', '/crm/v3/properties/contacts', {
      token,
      body: {
        name: 'xentral_id',
        label: 'Xentral ID',
        type: 'string',
        fieldType: 'text',
        groupName: 'contactinformation',
      },
    });
    const snapshot = await state();
    expect(
      snapshot.portals[0]?.customProperties.contacts?.map((property) => property.name),
    ).toEqual(['xentral_id']);
    expect(snapshot.tokens).toEqual({ accessTokens: 1, refreshTokens: 1, authorizationCodes: 0 });
    expect(JSON.stringify(snapshot)).not.toContain(token);
  });

  it('resets everything', async () => {
    mock.seedDemo();
    const token = mock.issueToken().access_token;
    const reset = await control(mock, '/reset');
    expect(reset.json).toEqual({ ok: true });
    const snapshot = await state();
    expect(snapshot.portals).toEqual([]);
    expect(snapshot.users).toEqual([]);
    expect((await api(mock, 'GET', '/crm/v3/objects/contacts', { token })).status).toBe(401);
  });

  it('counts API requests per endpoint, leaving control routes out', async () => {
    mock.seedDemo();
    const token = mock.issueToken().access_token;
    await api(mock, 'GET', '/crm/v3/objects/contacts', { token });
    await api(mock, 'GET', '/crm/v3/objects/companies', { token });
    await api(mock, 'GET', '/crm/v3/objects/contacts/1', { token });
    await state();
    const stats = (await (await fetch(`${mock.url}/__mock/stats`)).json()) as {
      total: number;
      endpoints: Record<string, { count: number; statuses: Record<string, number> }>;
    };
    expect(stats.total).toBe(3);
    expect(stats.endpoints['GET /crm/v3/objects/:objectType']?.count).toBe(2);
    expect(stats.endpoints['GET /crm/v3/objects/:objectType/:objectId']?.statuses).toEqual({
      '404': 1,
    });
  });

  it('injects random errors from the seeded fault generator', async () => {
    mock.seedDemo();
    const token = mock.issueToken().access_token;
    await control(mock, '/faults', { errorRate: 1, errorStatuses: [502] });
    const response = await api(mock, 'GET', '/crm/v3/objects/contacts', { token });
    expect(response.status).toBe(502);
    expect(await response.json()).toMatchObject({
      status: 'error',
      correlationId: anyString,
    });
    await control(mock, '/faults', {});
    expect((await api(mock, 'GET', '/crm/v3/objects/contacts', { token })).status).toBe(200);
  });
});
