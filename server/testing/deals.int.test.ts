import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  startExchangeEnv,
  TEST_HUB_ID,
  type ExchangeEnv,
  type HubSpotStored,
} from './exchange-env';

/**
 * Deal synchronisation (RULES.md, rule 17) end to end: released Xentral orders become exactly one
 * won HubSpot deal each.
 */

let env: ExchangeEnv;
beforeEach(async () => {
  env = await startExchangeEnv();
});
afterEach(() => env.close());

async function control<T>(path: string, body: unknown = {}): Promise<T> {
  const response = await fetch(`${env.xentralMock.url}/__mock${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`${path}: ${response.status} ${await response.text()}`);
  return (await response.json()) as T;
}

/** A draft order for a customer, released through Xentral's own API (as a user releases it). */
async function releasedOrder(
  customerId: string | undefined,
  total: string,
  extra: Record<string, unknown> = {},
) {
  const { data } = await control<{ data: { id: string } }>('/orders', {
    ...(customerId ? { customerId } : {}),
    total,
    ...extra,
  });
  const release = await fetch(
    `${env.xentralMock.url}/api/v3/salesOrders/${data.id}/actions/release`,
    {
      method: 'PATCH',
      headers: { authorization: `Bearer ${env.xentral.http['options'].token}` },
    },
  );
  if (customerId && release.status !== 204) throw new Error(`release: ${release.status}`);
  return data.id;
}

async function customer(
  fields: Parameters<ExchangeEnv['xentral']['createCustomer']>[0],
): Promise<string> {
  const result = await env.xentral.createCustomer({ country: 'DE', ...fields });
  if (!result.ok) throw new Error(result.error);
  return result.record.id;
}

function deals(): HubSpotStored[] {
  return env.hubspotRecords('deals');
}

function dealOf(orderId: string): HubSpotStored | undefined {
  return deals().find((deal) => deal.properties.xentral_order_id === orderId);
}

async function associated(dealId: string, to: 'contacts' | 'companies'): Promise<string[]> {
  const page = await env.hubspotClient.crm.associations.v4.basicApi.getPage('deals', dealId, to);
  return page.results.map((result) => String(result.toObjectId));
}

describe('deal synchronisation', () => {
  it('turns a released order into a won deal in the default pipeline with the order data', async () => {
    // A customer whose Back office is an employee linked to a HubSpot user.
    env.hubspotMock.seed({ hubId: TEST_HUB_ID, owners: 1 });
    const owner = (
      await env.hubspotClient.crm.owners.ownersApi.getPage(undefined, undefined, 100, false)
    ).results.find((o) => o.email !== 'admin@example.com')!;
    const employee = await env.xentral.createEmployee({
      type: 'mr',
      name: 'Back Office',
      email: owner.email!,
    });
    expect(employee.ok).toBe(true);
    const buyer = await customer({
      type: 'company',
      name: 'Handel AG',
      website: 'handel.example',
      accountManagerId: employee.ok ? employee.record.id : '',
    });
    await env.run('export');
    const order = await releasedOrder(buyer, '1190.50', { currency: 'CHF', date: '2026-03-15' });

    env.hubspotMock.stats.reset();
    const result = await env.runDeals();
    expect(result.status).toBe('succeeded');
    // The buyer goes inline with the create: no association request of its own.
    const endpoints = Object.keys(env.hubspotMock.stats.snapshot().endpoints);
    expect(endpoints).toContain('POST /crm/v3/objects/:objectType/batch/create');
    expect(endpoints.filter((endpoint) => endpoint.includes('associations'))).toEqual([]);
    const deal = dealOf(order);
    expect(deal?.properties).toMatchObject({
      pipeline: 'default',
      dealstage: 'closedwon',
      amount: '1190.50',
      deal_currency_code: 'CHF',
      hubspot_owner_id: owner.id,
    });
    expect(deal?.properties.dealname).toMatch(/ – Handel AG$/);
    expect(deal?.properties.closedate).toMatch(/^2026-03-15/);
    const company = env.hubspotRecords('companies').find((c) => c.properties.name === 'Handel AG')!;
    expect(await associated(deal!.id, 'companies')).toEqual([company.id]);
    expect(env.runs.summary(result.runId)?.counts).toContainEqual(
      expect.objectContaining({ type: 'deal', created: 1 }),
    );
  });

  it('on a stock Xentral, the deal owner is the HubSpot user linked to the Back office by name', async () => {
    await env.close();
    env = await startExchangeEnv({ xentralExtensions: false });
    env.hubspotMock.seed({ hubId: TEST_HUB_ID, owners: 1 });
    const owner = (
      await env.hubspotClient.crm.owners.ownersApi.getPage(undefined, undefined, 100, false)
    ).results.find((o) => o.email !== 'admin@example.com')!;
    // The public API cannot create an employee: someone made it in Xentral, by the same name.
    expect((await env.xentral.createEmployee({ type: 'mr', name: 'X' })).ok).toBe(false);
    const employee = env.xentralMock.store.createEmployee({
      type: 'mr',
      name: `${owner.firstName} ${owner.lastName}`,
    });
    const buyer = await customer({
      type: 'company',
      name: 'Handel AG',
      website: 'handel.example',
      accountManagerId: String(employee.id),
    });
    await env.run('export');
    const order = await releasedOrder(buyer, '99.00');
    const result = await env.runDeals();
    expect(result.status).toBe('succeeded');
    expect(dealOf(order)?.properties).toMatchObject({ hubspot_owner_id: owner.id });
  });

  it('matches an unlinked buyer by e-mail (any case) before it would create one', async () => {
    const buyer = await customer({ type: 'mrs', name: 'Mia Match', email: 'mia@example.com' });
    const contact = await env.hubspotClient.crm.contacts.basicApi.create({
      properties: { email: 'MIA@example.com' },
      associations: [],
    });
    const order = await releasedOrder(buyer, '10.00');
    await env.runDeals();
    expect(env.hubspotRecords('contacts')).toHaveLength(1);
    expect(await associated(dealOf(order)!.id, 'contacts')).toEqual([contact.id]);
  });

  it('creates an unknown buyer in HubSpot first, then associates the deal', async () => {
    const buyer = await customer({
      type: 'mr',
      name: 'Neu Kunde',
      email: 'neu@example.com',
      city: 'Ulm',
    });
    const order = await releasedOrder(buyer, '99.99');
    const result = await env.runDeals();
    const [contact] = env.hubspotRecords('contacts');
    expect(contact?.properties).toMatchObject({
      email: 'neu@example.com',
      city: 'Ulm',
      xentral_id: buyer,
    });
    expect(await associated(dealOf(order)!.id, 'contacts')).toEqual([contact!.id]);
    expect(env.runs.summary(result.runId)?.counts).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ type: 'contact', created: 1 }),
        expect.objectContaining({ type: 'deal', created: 1 }),
      ]),
    );
  });

  it('ignores orders released before activation, drafts and cancelled orders', async () => {
    const buyer = await customer({ type: 'mr', name: 'Alt Kunde', email: 'alt@example.com' });
    const before = await releasedOrder(buyer, '5.00');
    env.advance(2_000);
    const activation = env.now().toISOString();
    env.advance(2_000);
    await control('/orders', { customerId: buyer, total: '7.00' }); // stays a draft
    const cancelled = await releasedOrder(buyer, '8.00');
    await control(`/orders/${cancelled}/cancel`);
    const after = await releasedOrder(buyer, '9.00');
    await env.runDeals(activation);
    expect(dealOf(before)).toBeUndefined();
    expect(dealOf(cancelled)).toBeUndefined();
    expect(deals().map((d) => d.properties.xentral_order_id)).toEqual([after]);
  });

  it('makes one deal per order across runs and after a crash right after HubSpot created it', async () => {
    const buyer = await customer({ type: 'mr', name: 'Einmal', email: 'einmal@example.com' });
    const first = await releasedOrder(buyer, '1.00');
    await env.runDeals();
    await env.runDeals();
    expect(deals()).toHaveLength(1);

    const second = await releasedOrder(buyer, '2.00');
    const crashed = await env.runDeals(undefined, {
      afterConfirmedWrite: () => {
        throw new Error('simulated crash');
      },
    });
    expect(crashed.status).toBe('failed');
    expect(dealOf(second)).toBeDefined();
    // HubSpot refuses to create the order's deal again; the run finds it by the order id.
    env.hubspotMock.stats.reset();
    const again = await env.runDeals();
    expect(Object.keys(env.hubspotMock.stats.snapshot().endpoints)).toContain(
      'POST /crm/v3/objects/:objectType/batch/upsert',
    );
    expect(again.status).toBe('succeeded');
    expect(deals()).toHaveLength(2);
    expect(
      deals()
        .map((d) => d.properties.xentral_order_id)
        .sort(),
    ).toEqual([first, second].sort());
    expect(await associated(dealOf(second)!.id, 'contacts')).toHaveLength(1);
  });

  it('handles unusual orders or skips them with a stated reason', async () => {
    const company = await customer({ type: 'company', name: 'Ohne Domain GmbH' });
    const noMail = await customer({ type: 'mrs', name: 'Keine Mail' });
    const exact = await releasedOrder(company, '0.30');
    const large = await releasedOrder(company, '123456789.99', { currency: 'USD' });
    const mailless = await releasedOrder(noMail, '3.00');
    // Xentral refuses to release an order without a customer: it stays a draft, never a deal.
    const orphan = await releasedOrder(undefined, '4.00');
    const result = await env.runDeals();
    expect(dealOf(exact)?.properties.amount).toBe('0.30');
    expect(dealOf(large)?.properties).toMatchObject({
      amount: '123456789.99',
      deal_currency_code: 'USD',
    });
    expect(dealOf(mailless)).toBeUndefined();
    expect(dealOf(orphan)).toBeUndefined();
    const skipped = env.runs
      .items(result.runId, 100)
      .filter((item) => item.type === 'deal' && item.action === 'skipped');
    expect(skipped).toEqual([
      expect.objectContaining({ xentralId: mailless, reason: expect.stringMatching(/no e-mail/) }),
    ]);
    // skipped once, not again while nothing changes
    const again = await env.runDeals();
    expect(env.runs.summary(again.runId)?.totals).toMatchObject({ skipped: 0, created: 0 });
  });

  it('stops with a clear reason when the default pipeline has no won stage', async () => {
    await fetch(`${env.hubspotMock.url}/__mock/pipelines`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ hubId: TEST_HUB_ID, removeStages: ['closedwon'] }),
    });
    const result = await env.runDeals();
    expect(result).toMatchObject({
      status: 'failed',
      message: expect.stringMatching(/no won stage/),
    });
  });
});
