import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AdresseRow } from '../mocks/xentral';
import { startExchangeEnv, TEST_HUB_ID, type ExchangeEnv } from './exchange-env';

/**
 * A whole cycle against a stock Xentral: the mock with none of its extension routes, serving
 * records the published spec allows and a tidy instance rarely shows (no primary address, no
 * updatedAt, type other). Import, export, sync and deals run; nothing fails, nothing the app
 * reads is silently absent, and no route outside the public API is asked for.
 */

let env: ExchangeEnv;
beforeEach(async () => {
  env = await startExchangeEnv({ xentralExtensions: false });
});
afterEach(() => env.close());

const rows = (): AdresseRow[] => env.xentralMock.store.dump().adresse;
const byEmail = (email: string) => rows().filter((row) => row.email === email);

async function setting(body: Record<string, boolean>): Promise<void> {
  await fetch(`${env.xentralMock.url}/__mock/settings`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
}

async function addHubSpotContact(properties: Record<string, string>): Promise<string> {
  const created = await env.hubspotClient.crm.contacts.basicApi.create({
    properties,
    associations: [],
  });
  return created.id;
}

function xentralEndpoints(): string[] {
  return Object.keys(env.xentralMock.stats.snapshot().endpoints);
}

describe('a stock Xentral through import, export, sync and deals', () => {
  it('exchanges what it can, says why for the rest, and asks only for public routes', async () => {
    env.hubspotMock.seed({ hubId: TEST_HUB_ID, owners: 1, ownerStartIndex: 900_000 });
    const owner = (
      await env.hubspotClient.crm.owners.ownersApi.getPage(undefined, undefined, 100, false)
    ).results.find((o) => o.email !== 'admin@example.com')!;
    env.xentralMock.seed({
      persons: 3,
      companies: 1,
      employees: 0,
      projects: 2,
      draftOrders: 0,
      releasedOrders: 0,
      withoutEmailEvery: 0,
      duplicateEmailEvery: 0,
      unusualCustomers: true,
    });
    const employee = env.xentralMock.store.createEmployee({
      type: 'mr',
      name: `${owner.firstName} ${owner.lastName}`,
    });
    await addHubSpotContact({
      email: 'neu@example.com',
      firstname: 'Nina',
      lastname: 'Neu',
      address: 'Hauptstraße 1',
      zip: '89073',
      city: 'Ulm',
      hubspot_owner_id: owner.id,
      lifecyclestage: 'lead',
    });
    env.xentralMock.stats.reset();

    // Export: the usable customers reach HubSpot, Ida without updatedAt among them.
    const exported = await env.run('export');
    expect(exported.status).toBe('succeeded');
    const hubspotEmails = env.hubspotRecords('contacts').map((c) => c.properties.email);
    expect(hubspotEmails).toContain('ida.import@example.com');
    expect(hubspotEmails).not.toContain('ohne-adresse@example.com');
    expect(hubspotEmails).not.toContain('verwaltung@sonnenhof.example');
    const exportItems = env.runs.items(exported.runId, 200);
    const unusable = exportItems.filter((item) => item.reasonCode === 'customer_unusable');
    expect(unusable.map((item) => item.reasonParams.why).sort()).toEqual([
      'no_primary_address',
      'other_type',
    ]);
    expect(unusable.every((item) => item.action === 'skipped' && item.reason)).toBe(true);
    expect(exportItems.filter((item) => item.action === 'failed')).toEqual([]);
    // Users are linked in every mode, so the Back office maps both ways.
    expect(exportItems).toContainEqual(
      expect.objectContaining({
        type: 'user',
        action: 'linked',
        xentralId: String(employee.id),
        reasonCode: 'matched_by',
      }),
    );

    // Import with a project; the contact's owner is the employee of that name.
    const imported = await env.run('import', {}, { projectId: '2' });
    expect(imported.status).toBe('succeeded');
    expect(byEmail('neu@example.com')).toMatchObject([
      { name: 'Nina Neu', strasse: 'Hauptstraße 1', projekt: 2, innendienst: employee.id },
    ]);

    // Sync twice: the second writes nothing and repeats no skip.
    await env.run('sync');
    const again = await env.run('sync');
    expect(env.runs.summary(again.runId)!.totals).toMatchObject({
      created: 0,
      edited: 0,
      failed: 0,
      skipped: 0,
    });

    // Unchanged: two Xentral requests a run — the public employee list (one page per 50) and
    // one empty page of changed customers. The extension route's 404 is remembered for a day.
    const seenEndpoints = xentralEndpoints();
    const unchangedSync = async (): Promise<string[]> => {
      env.xentralMock.stats.reset();
      expect((await env.run('sync')).status).toBe('succeeded');
      return Object.keys(env.xentralMock.stats.snapshot().endpoints);
    };
    expect(await unchangedSync()).toHaveLength(2);
    expect(env.xentralMock.stats.snapshot().total).toBe(2);
    // A day later the route is asked for once more, in case this Xentral has gained it.
    const fact = `xentral_employee_route_missing:${env.xentral.instance}`;
    const seenMissingMs = (JSON.parse(env.store.getFact(fact)!) as { ms: number }).ms;
    env.store.setFact(fact, JSON.stringify({ ms: seenMissingMs - 24 * 60 * 60 * 1000 }));
    expect((await unchangedSync()).some((e) => e.includes('/employees/extended'))).toBe(true);
    expect(env.xentralMock.stats.snapshot().total).toBe(3);
    expect((await unchangedSync()).some((e) => e.includes('/employees/extended'))).toBe(false);

    // Deals: a released order of a usable customer becomes a deal.
    const buyer = byEmail('ida.import@example.com')[0]!;
    const order = env.xentralMock.store.createOrder({
      customerId: buyer.id,
      grossCents: 11_900,
      currency: 'EUR',
    });
    env.advance(2_000);
    env.xentralMock.store.releaseOrder(order.id);
    const deals = await env.runDeals();
    expect(deals.status).toBe('succeeded');
    expect(
      env.hubspotRecords('deals').filter((d) => d.properties.xentral_order_id === String(order.id)),
    ).toHaveLength(1);

    // Only the public API, and the one look for the extension route that says it is missing.
    const endpoints = [...seenEndpoints, ...xentralEndpoints()];
    expect(endpoints.filter((e) => /projects\/:id|POST \/api\/v1\/employees/.test(e))).toEqual([]);
    expect(endpoints.some((e) => e.startsWith('PATCH /api/v1/employees'))).toBe(false);
    expect(rows().filter((row) => row.mitarbeiternummer !== '')).toHaveLength(1);
  });

  it('fails the one record whose required address part Xentral refuses empty, naming it', async () => {
    await setting({ refuseEmptyAddress: true });
    await addHubSpotContact({
      email: 'ohne-strasse@example.com',
      firstname: 'Otto',
      lastname: 'Ohne',
      zip: '89073',
      city: 'Ulm',
      lifecyclestage: 'lead',
    });
    await addHubSpotContact({
      email: 'komplett@example.com',
      firstname: 'Karla',
      lastname: 'Komplett',
      address: 'Münsterplatz 1',
      zip: '89073',
      city: 'Ulm',
      lifecyclestage: 'lead',
    });
    const result = await env.run('import');
    expect(result.status).toBe('succeeded');
    expect(byEmail('komplett@example.com')).toHaveLength(1);
    expect(byEmail('ohne-strasse@example.com')).toEqual([]);
    const failed = env.runs.items(result.runId, 100).filter((item) => item.action === 'failed');
    expect(failed).toHaveLength(1);
    expect(failed[0]!.label).toMatch(/Otto/);
    expect(failed[0]!.reason).toMatch(/street \(primaryAddress\.street\)/);
  });
});
