import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { AuftragRow, XentralSalesOrder } from './index';
import type { ProblemBody } from './problems';
import type { V3List } from './query';
import { call, filterQuery, startTestMock, type TestClock } from './test-support';

type Handle = Awaited<ReturnType<typeof startTestMock>>;
type OrderList = V3List<XentralSalesOrder>;
interface ControlOrder {
  data: XentralSalesOrder;
  row: AuftragRow;
}

let mock: Handle;
let clock: TestClock;
let customerId: string;

beforeAll(async () => {
  mock = await startTestMock();
  clock = mock.clock;
});

afterAll(async () => {
  await mock.close();
});

beforeEach(() => {
  const summary = mock.seed({
    persons: 3,
    companies: 1,
    employees: 1,
    projects: 2,
    draftOrders: 0,
    releasedOrders: 0,
  });
  customerId = String(summary.customerIds.first);
});

const get = <T>(path: string) => call<T>(mock.url, 'GET', path);
const release = (id: string) =>
  call<ProblemBody | string>(mock.url, 'PATCH', `/api/v3/salesOrders/${id}/actions/release`);

async function draft(body: Record<string, unknown> = {}): Promise<ControlOrder> {
  const reply = await call<ControlOrder>(mock.url, 'POST', '/__mock/orders', {
    token: null,
    body: { customerId, total: '1234.56', ...body },
  });
  expect(reply.status).toBe(201);
  return reply.body;
}

describe('GET /api/v3/salesOrders/:id', () => {
  it('serves a draft: no document number, status draft, totals as exact decimal strings', async () => {
    const created = await draft({ net: '1037.45', date: '2026-02-27', currency: 'EUR' });
    expect(created.row).toMatchObject({ status: 'angelegt', belegnr: '', gesamtsumme: '1234.56' });
    const reply = await get<{ data: XentralSalesOrder }>(`/api/v3/salesOrders/${created.data.id}`);
    expect(reply.status).toBe(200);
    const customer = mock.store.getAdresse(Number(customerId));
    expect(reply.body.data).toMatchObject({
      id: created.data.id,
      documentNumber: null,
      documentDate: '2026-02-27',
      status: 'draft',
      customerNumber: customer?.kundennummer,
      address: { id: customerId },
      project: { id: '1' },
      documentAddress: { name: customer?.name, country: customer?.land },
      financials: { currency: 'EUR' },
      totals: {
        net: { amount: '1037.45', currency: 'EUR' },
        gross: { amount: '1234.56', currency: 'EUR' },
      },
      createdAt: '2026-03-02T09:00:00.000Z',
      updatedAt: '2026-03-02T09:00:00.000Z',
    });
  });

  it('computes a 19 % net when none is given and keeps cents exact', async () => {
    const created = await draft({ total: 119.99 });
    expect(created.data.totals).toEqual({
      gross: { amount: '119.99', currency: 'EUR' },
      net: { amount: '100.83', currency: 'EUR' },
    });
  });

  it('answers 404 for unknown and malformed ids', async () => {
    for (const id of ['424242', 'x1']) {
      const reply = await get<ProblemBody>(`/api/v3/salesOrders/${id}`);
      expect(reply.status).toBe(404);
      expect(reply.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    }
  });
});

describe('PATCH /api/v3/salesOrders/:id/actions/release', () => {
  it('releases a draft: 204, document number assigned, updatedAt moves', async () => {
    const created = await draft();
    clock.advance(2_000);
    const reply = await release(created.data.id);
    expect(reply.status).toBe(204);
    expect(reply.body).toBe('');
    const order = await get<{ data: XentralSalesOrder }>(`/api/v3/salesOrders/${created.data.id}`);
    expect(order.body.data).toMatchObject({
      status: 'released',
      documentNumber: '200000',
      updatedAt: '2026-03-02T09:00:02.000Z',
      createdAt: '2026-03-02T09:00:00.000Z',
    });
    const next = await draft();
    await release(next.data.id);
    expect(mock.store.getAuftrag(Number(next.data.id)).belegnr).toBe('200001');
  });

  it('answers 409 invalid-status for a non-draft and for a draft without customer', async () => {
    const created = await draft();
    await release(created.data.id);
    const again = await release(created.data.id);
    expect(again.status).toBe(409);
    expect(again.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(again.body).toMatchObject({
      type: 'https://api.xentral.biz/problems/invalid-status',
      title: 'The resource cannot be modified in its current status.',
      status: 409,
    });

    const orphan = await call<ControlOrder>(mock.url, 'POST', '/__mock/orders', {
      body: { total: 10 },
    });
    expect(orphan.body.data).toMatchObject({ address: null, status: 'draft' });
    const refused = await release(orphan.body.data.id);
    expect(refused.status).toBe(409);
    expect(refused.body).toMatchObject({ type: 'https://api.xentral.biz/problems/invalid-status' });
    expect(mock.store.getAuftrag(Number(orphan.body.data.id)).status).toBe('angelegt');

    const cancelled = await draft();
    await call(mock.url, 'POST', `/__mock/orders/${cancelled.data.id}/cancel`);
    expect((await release(cancelled.data.id)).status).toBe(409);

    expect((await release('999999')).status).toBe(404);
  });
});

describe('GET /api/v3/salesOrders', () => {
  it('filters by status and updatedAt, sorts and pages', async () => {
    const orders: ControlOrder[] = [];
    for (let i = 0; i < 5; i++) orders.push(await draft({ total: `${10 + i}.00` }));
    const boundary = orders[4]?.data.updatedAt ?? '';
    clock.advance(1_000);
    await release(orders[1]?.data.id ?? '');
    await release(orders[3]?.data.id ?? '');
    await call(mock.url, 'POST', `/__mock/orders/${orders[3]?.data.id}/complete`);

    const ids = async (query: string) =>
      (await get<OrderList>(`/api/v3/salesOrders?${query}`)).body.data.map((order) => order.id);
    expect(await ids(filterQuery(['status', 'equals', 'released']))).toEqual([orders[1]?.data.id]);
    expect(await ids(filterQuery(['status', 'in', ['released', 'completed']]))).toEqual([
      orders[1]?.data.id,
      orders[3]?.data.id,
    ]);
    expect(
      await ids(filterQuery(['status', 'equals', 'draft'], ['updatedAt', 'greaterThan', boundary])),
    ).toEqual([]);
    expect(await ids(filterQuery(['updatedAt', 'greaterThan', boundary]))).toEqual([
      orders[1]?.data.id,
      orders[3]?.data.id,
    ]);
    expect(await ids(`sort=-id&${filterQuery(['status', 'equals', 'draft'])}`)).toEqual(
      [orders[4], orders[2], orders[0]].map((order) => order?.data.id),
    );

    const page = await get<OrderList>('/api/v3/salesOrders?perPage=2&page=3');
    expect(page.body.data.map((order) => order.id)).toEqual([orders[4]?.data.id]);
    expect(page.body.meta).toMatchObject({ currentPage: 3, from: 5, to: 5, perPage: 2 });
    expect(page.body.links.next).toBeNull();
    const capped = await get<OrderList>('/api/v3/salesOrders?perPage=5000');
    expect(capped.body.meta.perPage).toBe(1000);

    const completed = await get<{ data: XentralSalesOrder }>(
      `/api/v3/salesOrders/${orders[3]?.data.id}`,
    );
    expect(completed.body.data.status).toBe('completed');
  });

  it('answers 400 for unknown statuses, keys and operators', async () => {
    for (const query of [
      filterQuery(['status', 'equals', 'open']),
      filterQuery(['status', 'contains', 'rel']),
      filterQuery(['dealId', 'equals', '1']),
      'sort=amount',
    ]) {
      const reply = await get<ProblemBody>(`/api/v3/salesOrders?${query}`);
      expect(reply.status, query).toBe(400);
      expect(reply.body.type).toBe('https://api.xentral.biz/problems/request-validation');
    }
  });
});

describe('order controls', () => {
  it('validates bodies and refuses impossible transitions', async () => {
    const bad = await call<{ error: string }>(mock.url, 'POST', '/__mock/orders', {
      body: { total: '1.234' },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error).toBe('invalid_request');
    const unknownCustomer = await call<{ error: string }>(mock.url, 'POST', '/__mock/orders', {
      body: { total: 1, customerId: '999999' },
    });
    expect(unknownCustomer.status).toBe(404);
    const created = await draft({ status: 'released' });
    expect(created.data).toMatchObject({ status: 'released', documentNumber: '200000' });
    const complete = await call<ControlOrder>(
      mock.url,
      'POST',
      `/__mock/orders/${created.data.id}/complete`,
    );
    expect(complete.body.data.status).toBe('completed');
    const cancel = await call<{ error: string }>(
      mock.url,
      'POST',
      `/__mock/orders/${created.data.id}/cancel`,
    );
    expect(cancel.status).toBe(409);
    expect(cancel.body.error).toBe('invalid_status');
  });
});
