import type { Client } from '@hubspot/api-client';
import {
  FilterOperatorEnum,
  type PublicObjectSearchRequest,
} from '@hubspot/api-client/lib/codegen/crm/contacts';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startHubSpotMock, type HubSpotMockHandle } from './index';
import { anyString, api, control, failure, sdk, testClock } from './test-helpers';

const time = testClock();
let mock: HubSpotMockHandle;
let client: Client;
let token: string;

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
  mock.seed({ contacts: 120, companies: 10, withoutEmailEvery: 10 });
  token = mock.issueToken().access_token;
  client = sdk(mock, token);
});

function request(overrides: Partial<PublicObjectSearchRequest>): PublicObjectSearchRequest {
  return { filterGroups: [], sorts: [], properties: [], limit: 100, after: '0', ...overrides };
}

const filter = (
  propertyName: string,
  operator: FilterOperatorEnum,
  value?: string,
  extra: { values?: string[]; highValue?: string } = {},
) => ({ propertyName, operator, ...(value === undefined ? {} : { value }), ...extra });

describe('search', () => {
  it('pages through every match with a total and no paging on the last page', async () => {
    const ids: string[] = [];
    let after: string | undefined = '0';
    let pages = 0;
    while (after !== undefined) {
      const page = await client.crm.contacts.searchApi.doSearch(request({ limit: 50, after }));
      expect(page.total).toBe(120);
      ids.push(...page.results.map((record) => record.id));
      after = page.paging?.next?.after;
      pages++;
    }
    expect(pages).toBe(3);
    expect(new Set(ids).size).toBe(120);
  });

  it('finds records modified after an instant given as epoch ms or ISO, sorted', async () => {
    const contacts = await client.crm.contacts.getAll();
    const since = time.nowMs();
    time.advance(1000);
    const touched = [contacts[7], contacts[3], contacts[50]].map((contact) => contact?.id ?? '');
    for (const id of touched) {
      time.advance(1000);
      await client.crm.contacts.basicApi.update(id, { properties: { jobtitle: 'IT' } });
    }
    for (const value of [String(since), new Date(since).toISOString()]) {
      const result = await client.crm.contacts.searchApi.doSearch(
        request({
          filterGroups: [{ filters: [filter('lastmodifieddate', FilterOperatorEnum.Gt, value)] }],
          sorts: ['lastmodifieddate'],
          properties: ['jobtitle'],
        }),
      );
      expect(result.total).toBe(3);
      expect(result.results.map((record) => record.id)).toEqual(touched);
      expect(Object.keys(result.results[0]?.properties ?? {}).sort()).toEqual([
        'createdate',
        'hs_object_id',
        'jobtitle',
        'lastmodifieddate',
      ]);
    }
    const descending = await client.crm.contacts.searchApi.doSearch(
      request({
        filterGroups: [
          { filters: [filter('lastmodifieddate', FilterOperatorEnum.Gte, String(since))] },
        ],
        sorts: ['-lastmodifieddate'],
      }),
    );
    expect(descending.results.map((record) => record.id)).toEqual([...touched].reverse());
  });

  it('supports the operators HubSpot documents', async () => {
    const total = async (filters: ReturnType<typeof filter>[][]) =>
      (
        await client.crm.contacts.searchApi.doSearch(
          request({ filterGroups: filters.map((group) => ({ filters: group })) }),
        )
      ).total;
    const [first] = await client.crm.contacts.getAll(1, undefined, ['email']);
    const email = first?.properties.email ?? '';

    expect(await total([[filter('email', FilterOperatorEnum.Eq, email.toUpperCase())]])).toBe(1);
    expect(await total([[filter('email', FilterOperatorEnum.Neq, email)]])).toBe(119);
    expect(await total([[filter('email', FilterOperatorEnum.HasProperty)]])).toBe(108);
    expect(await total([[filter('email', FilterOperatorEnum.NotHasProperty)]])).toBe(12);
    // Lifecycle stages are spread evenly over HubSpot's eight stages.
    expect(await total([[filter('lifecyclestage', FilterOperatorEnum.Eq, 'customer')]])).toBe(15);
    expect(
      await total([
        [
          filter('lifecyclestage', FilterOperatorEnum.In, undefined, {
            values: ['lead', 'customer'],
          }),
        ],
      ]),
    ).toBe(30);
    expect(
      await total([
        [
          filter('lifecyclestage', FilterOperatorEnum.NotIn, undefined, {
            values: ['lead', 'customer'],
          }),
        ],
      ]),
    ).toBe(90);
    // Groups are OR-ed, filters inside a group AND-ed.
    expect(
      await total([
        [filter('lifecyclestage', FilterOperatorEnum.Eq, 'lead')],
        [filter('lifecyclestage', FilterOperatorEnum.Eq, 'customer')],
      ]),
    ).toBe(30);
    expect(
      await total([
        [
          filter('lifecyclestage', FilterOperatorEnum.Eq, 'lead'),
          filter('lifecyclestage', FilterOperatorEnum.Eq, 'customer'),
        ],
      ]),
    ).toBe(0);
    const domain = email.split('@')[1] ?? '';
    const atDomain = await total([
      [filter('email', FilterOperatorEnum.ContainsToken, `*@${domain}`)],
    ]);
    expect(atDomain).toBeGreaterThan(0);
    expect(
      await total([[filter('email', FilterOperatorEnum.NotContainsToken, `*@${domain}`)]]),
    ).toBe(120 - atDomain);
    const [low, high] = [Number(first?.id ?? 0), Number(first?.id ?? 0) + 9];
    expect(
      await total([
        [
          filter('hs_object_id', FilterOperatorEnum.Between, String(low), {
            highValue: String(high),
          }),
        ],
      ]),
    ).toBe(10);
    expect(await total([[filter('hs_object_id', FilterOperatorEnum.Lt, String(low + 5))]])).toBe(5);
    expect(await total([[filter('hs_object_id', FilterOperatorEnum.Lte, String(low + 5))]])).toBe(
      6,
    );
  });

  it('searches companies and deals by their own modification date', async () => {
    const result = await client.crm.companies.searchApi.doSearch(
      request({
        filterGroups: [
          {
            filters: [filter('hs_lastmodifieddate', FilterOperatorEnum.Lte, String(time.nowMs()))],
          },
        ],
      }),
    );
    expect(result.total).toBe(10);
    expect(result.results[0]?.properties.hs_lastmodifieddate).toEqual(anyString);
  });

  it('enforces HubSpot limits: page size, filter groups, filters and sorts', async () => {
    const search = (body: PublicObjectSearchRequest) =>
      failure(client.crm.contacts.searchApi.doSearch(body));
    const one = filter('email', FilterOperatorEnum.HasProperty);
    expect((await search(request({ limit: 201 }))).code).toBe(400);
    expect(
      (
        await search(
          request({ filterGroups: Array.from({ length: 6 }, () => ({ filters: [one] })) }),
        )
      ).code,
    ).toBe(400);
    expect(
      (await search(request({ filterGroups: [{ filters: Array.from({ length: 7 }, () => one) }] })))
        .code,
    ).toBe(400);
    const nineteen = [6, 6, 6, 1].map((count) => ({
      filters: Array.from({ length: count }, () => one),
    }));
    expect((await search(request({ filterGroups: nineteen }))).code).toBe(400);
    expect((await search(request({ sorts: ['createdate', 'email'] }))).code).toBe(400);
    const unknown = await search(
      request({ filterGroups: [{ filters: [filter('nope', FilterOperatorEnum.Eq, 'x')] }] }),
    );
    expect(unknown.code).toBe(400);
    expect(unknown.body.category).toBe('VALIDATION_ERROR');
    // 5 groups and 18 filters in total are still fine.
    const eighteen = [6, 6, 6].map((count) => ({
      filters: Array.from({ length: count }, () => one),
    }));
    const allowed = await client.crm.contacts.searchApi.doSearch(
      request({ filterGroups: eighteen, limit: 200 }),
    );
    expect(allowed.total).toBe(108);
  });

  it('refuses to page past the 10,000th result with 400', async () => {
    mock.seed({ contacts: 10_050, contactStartIndex: 1000 });
    const page = await client.crm.contacts.searchApi.doSearch(
      request({ limit: 100, after: '9900' }),
    );
    expect(page.total).toBe(10_170);
    expect(page.results).toHaveLength(100);
    expect(page.paging?.next?.after).toBe('10000');
    const past = await failure(
      client.crm.contacts.searchApi.doSearch(request({ limit: 100, after: '10000' })),
    );
    expect(past.code).toBe(400);
    expect(past.body).toMatchObject({ status: 'error', category: 'VALIDATION_ERROR' });
  });

  it('hides records written within the index lag set through /__mock/settings', async () => {
    const settings = await control(mock, '/settings', { searchIndexLagMs: 5000 });
    expect(settings.json.searchIndexLagMs).toBe(5000);
    const created = await client.crm.contacts.basicApi.create({
      properties: { email: 'lagging@example.com' },
      associations: [],
    });
    const byEmail = request({
      filterGroups: [{ filters: [filter('email', FilterOperatorEnum.Eq, 'lagging@example.com')] }],
    });
    expect((await client.crm.contacts.searchApi.doSearch(byEmail)).total).toBe(0);
    // Reads by id see the record at once; only the search index lags.
    expect((await client.crm.contacts.basicApi.getById(created.id)).id).toBe(created.id);
    time.advance(5000);
    expect((await client.crm.contacts.searchApi.doSearch(byEmail)).total).toBe(1);
  });

  it('answers the free-text query and raw JSON with object sorts', async () => {
    const [first] = await client.crm.contacts.getAll(1, undefined, ['lastname']);
    const lastname = first?.properties.lastname ?? '';
    const response = await api(mock, 'POST', '/crm/v3/objects/contacts/search', {
      token,
      body: {
        query: lastname,
        sorts: [{ propertyName: 'createdate', direction: 'DESCENDING' }],
        limit: 200,
      },
    });
    expect(response.status).toBe(200);
    const body = (await response.json()) as {
      total: number;
      results: { properties: Record<string, string> }[];
    };
    expect(body.total).toBeGreaterThan(0);
    for (const record of body.results) {
      expect(record.properties.lastname?.toLowerCase()).toContain(lastname.toLowerCase());
    }
  });
});
