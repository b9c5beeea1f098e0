import type { Client } from '@hubspot/api-client';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startHubSpotMock, type HubSpotMockHandle } from './index';
import { anyString, api, failure, sdk, testClock } from './test-helpers';

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
  mock.seed({ contacts: 25, companies: 12, owners: 2, withoutEmailEvery: 5 });
  token = mock.issueToken().access_token;
  client = sdk(mock, token);
});

describe('listing objects', () => {
  it('pages to the end with after cursors and no paging on the last page', async () => {
    const seen: string[] = [];
    let after: string | undefined;
    let pages = 0;
    do {
      const page = await client.crm.contacts.basicApi.getPage(10, after);
      pages++;
      seen.push(...page.results.map((record) => record.id));
      after = page.paging?.next?.after;
      if (after) expect(page.paging?.next?.link).toContain(`after=${after}`);
    } while (after);
    expect(pages).toBe(3);
    expect(seen).toHaveLength(25);
    expect(new Set(seen).size).toBe(25);
    expect(await client.crm.companies.getAll()).toHaveLength(12);
  });

  it('returns only the requested properties plus the ones HubSpot always adds', async () => {
    const page = await client.crm.contacts.basicApi.getPage(1, undefined, ['city', 'nonexistent']);
    expect(Object.keys(page.results[0]?.properties ?? {}).sort()).toEqual([
      'city',
      'createdate',
      'hs_object_id',
      'lastmodifieddate',
    ]);
    const defaults = await client.crm.contacts.basicApi.getPage(1);
    expect(Object.keys(defaults.results[0]?.properties ?? {}).sort()).toEqual([
      'createdate',
      'email',
      'firstname',
      'hs_object_id',
      'lastmodifieddate',
      'lastname',
    ]);
    const companies = await client.crm.companies.basicApi.getPage(1);
    expect(Object.keys(companies.results[0]?.properties ?? {})).toContain('hs_lastmodifieddate');
  });

  it('refuses a limit above 100', async () => {
    const error = await failure(client.crm.contacts.basicApi.getPage(101));
    expect(error.code).toBe(400);
    expect(error.body).toMatchObject({ status: 'error', category: 'VALIDATION_ERROR' });
  });

  it('lists archived records only when asked', async () => {
    const [first] = (await client.crm.contacts.basicApi.getPage(1)).results;
    await client.crm.contacts.basicApi.archive(first?.id ?? '');
    const live = await client.crm.contacts.getAll();
    expect(live).toHaveLength(24);
    const archived = await client.crm.contacts.basicApi.getPage(
      10,
      undefined,
      undefined,
      undefined,
      undefined,
      true,
    );
    expect(archived.results.map((record) => record.id)).toEqual([first?.id]);
    expect(archived.results[0]?.archived).toBe(true);
  });
});

describe('single records', () => {
  it('creates with 201, the HubSpot shape and the system properties', async () => {
    const response = await api(mock, 'POST', '/crm/v3/objects/contacts', {
      token,
      body: { properties: { email: 'Jane.Doe@Example.com', firstname: 'Jane', lastname: 'Doe' } },
    });
    expect(response.status).toBe(201);
    const created = await client.crm.contacts.basicApi.getById(
      'jane.doe@example.com',
      ['email', 'firstname'],
      undefined,
      undefined,
      false,
      'email',
    );
    expect(created.properties).toEqual({
      email: 'jane.doe@example.com',
      firstname: 'Jane',
      createdate: '2026-01-15T09:00:00.000Z',
      hs_object_id: created.id,
      lastmodifieddate: '2026-01-15T09:00:00.000Z',
    });
    expect(created.createdAt).toEqual(new Date('2026-01-15T09:00:00.000Z'));
    expect(created.updatedAt).toEqual(created.createdAt);
    expect(created.archived).toBe(false);
    for (const value of Object.values(created.properties)) expect(typeof value).toBe('string');
  });

  it('updates with 200 and moves the modification date', async () => {
    const company = await client.crm.companies.basicApi.create({
      properties: { name: 'Acme GmbH', domain: 'acme.example' },
      associations: [],
    });
    time.advance(60_000);
    const updated = await client.crm.companies.basicApi.update(company.id, {
      properties: { city: 'Augsburg' },
    });
    expect(updated.properties.city).toBe('Augsburg');
    expect(updated.properties.hs_lastmodifieddate).toBe(new Date(time.nowMs()).toISOString());
    expect(updated.updatedAt.getTime()).toBe(time.nowMs());
    expect(updated.createdAt.getTime()).toBe(time.nowMs() - 60_000);

    const deal = await client.crm.deals.basicApi.create({
      properties: { dealname: 'Order 1', amount: '99.5' },
      associations: [],
    });
    time.advance(1000);
    const dealUpdate = await client.crm.deals.basicApi.update(deal.id, {
      properties: { amount: '100' },
    });
    expect(dealUpdate.properties.hs_lastmodifieddate).toBe(new Date(time.nowMs()).toISOString());
  });

  it('reads by id and by any unique property, and answers 404 when missing', async () => {
    const [first] = (await client.crm.contacts.basicApi.getPage(1, undefined, ['email'])).results;
    const email = first?.properties.email ?? '';
    const byEmail = await client.crm.contacts.basicApi.getById(
      email.toUpperCase(),
      undefined,
      undefined,
      undefined,
      false,
      'email',
    );
    expect(byEmail.id).toBe(first?.id);
    const missing = await failure(client.crm.contacts.basicApi.getById('99999999'));
    expect(missing.code).toBe(404);
    expect(missing.body).toMatchObject({ status: 'error', category: 'OBJECT_NOT_FOUND' });
    const notUnique = await failure(
      client.crm.contacts.basicApi.getById(
        'Berlin',
        undefined,
        undefined,
        undefined,
        false,
        'city',
      ),
    );
    expect(notUnique.code).toBe(400);
  });

  it('archives with 204; the record is then only readable as archived', async () => {
    const created = await client.crm.contacts.basicApi.create({
      properties: { email: 'gone@example.com' },
      associations: [],
    });
    const response = await api(mock, 'DELETE', `/crm/v3/objects/contacts/${created.id}`, { token });
    expect(response.status).toBe(204);
    expect((await failure(client.crm.contacts.basicApi.getById(created.id))).code).toBe(404);
    const archived = await client.crm.contacts.basicApi.getById(
      created.id,
      undefined,
      undefined,
      undefined,
      true,
    );
    expect(archived.archived).toBe(true);
    // Its e-mail is free again, as in HubSpot.
    await client.crm.contacts.basicApi.create({
      properties: { email: 'gone@example.com' },
      associations: [],
    });
  });
});

describe('HubSpot validation', () => {
  it('keeps contact e-mails unique, case-insensitively, with the existing id in the 409', async () => {
    const created = await client.crm.contacts.basicApi.create({
      properties: { email: 'unique@example.com' },
      associations: [],
    });
    const duplicate = await failure(
      client.crm.contacts.basicApi.create({
        properties: { email: 'UNIQUE@example.com' },
        associations: [],
      }),
    );
    expect(duplicate.code).toBe(409);
    expect(duplicate.body).toMatchObject({
      status: 'error',
      message: `Contact already exists. Existing ID: ${created.id}`,
      category: 'CONFLICT',
      correlationId: anyString,
    });
    const other = await client.crm.contacts.basicApi.create({
      properties: { email: 'other@example.com' },
      associations: [],
    });
    const update = await failure(
      client.crm.contacts.basicApi.update(other.id, {
        properties: { email: 'Unique@Example.com' },
      }),
    );
    expect(update.code).toBe(409);
    expect(update.body.message).toBe(`Contact already exists. Existing ID: ${created.id}`);
  });

  it('refuses unknown properties with PROPERTY_DOESNT_EXIST', async () => {
    const error = await failure(
      client.crm.contacts.basicApi.create({
        properties: { email: 'x@example.com', xentral_id: '42' },
        associations: [],
      }),
    );
    expect(error.code).toBe(400);
    expect(error.body.category).toBe('VALIDATION_ERROR');
    expect(error.body.message).toContain('Property values were not valid');
    expect(error.body.message).toContain('PROPERTY_DOESNT_EXIST');
    expect(error.body.errors).toEqual([
      {
        message: 'Property "xentral_id" does not exist',
        code: 'PROPERTY_DOESNT_EXIST',
        context: { propertyName: ['xentral_id'] },
      },
    ]);
    // Nothing was written.
    expect(await client.crm.contacts.getAll()).toHaveLength(25);
  });

  it('refuses invalid e-mails, unknown options and stages outside the pipeline', async () => {
    const email = await failure(
      client.crm.contacts.basicApi.create({
        properties: { email: 'not-an-email' },
        associations: [],
      }),
    );
    expect(email.code).toBe(400);
    expect(email.body.message).toContain('INVALID_EMAIL');
    expect(email.body.message).toContain('Email address not-an-email is invalid');

    const stage = await failure(
      client.crm.contacts.basicApi.create({
        properties: { email: 'ok@example.com', lifecyclestage: 'kunde' },
        associations: [],
      }),
    );
    expect(stage.code).toBe(400);
    expect(stage.body.message).toContain('INVALID_OPTION');

    const owner = await failure(
      client.crm.contacts.basicApi.create({
        properties: { email: 'ok@example.com', hubspot_owner_id: '1' },
        associations: [],
      }),
    );
    expect(owner.code).toBe(400);

    const deal = await failure(
      client.crm.deals.basicApi.create({
        properties: { dealname: 'x', pipeline: 'default', dealstage: 'won' },
        associations: [],
      }),
    );
    expect(deal.code).toBe(400);

    const amount = await failure(
      client.crm.deals.basicApi.create({ properties: { amount: 'ten' }, associations: [] }),
    );
    expect(amount.code).toBe(400);
  });

  it('stores values as text and normalises dates', async () => {
    const response = await api(mock, 'POST', '/crm/v3/objects/deals', {
      token,
      body: {
        properties: {
          dealname: 'Typed',
          amount: 1200.5,
          closedate: '1768435200000',
          dealstage: 'closedwon',
          deal_currency_code: 'EUR',
        },
      },
    });
    expect(response.status).toBe(201);
    const deal = (await response.json()) as { properties: Record<string, string> };
    expect(deal.properties).toMatchObject({
      amount: '1200.5',
      closedate: '2026-01-15T00:00:00.000Z',
      pipeline: 'default',
      dealstage: 'closedwon',
    });
  });
});
