import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { XentralCustomer, XentralSalesOrder } from './index';
import type { ProblemBody } from './problems';
import { call, customerBody, filterQuery, startTestMock, type Reply } from './test-support';

/**
 * The operations the app uses, against facts of Xentral's published specs
 * (github.com/xentral/api-spec-public): `openapi/xentral-documents-api.openapi-3.1.0.json` for
 * v3 customers and sales orders, `openapi/xentral-api.openapi-3.0.0.json` for the v1 lists.
 * The mock runs as a stock Xentral (no extensions), as a customer's instance would.
 */

/** Response codes each operation documents (the success code first). */
const DOCUMENTED = {
  'GET /api/v3/customers': [200, 401, 403, 429],
  'POST /api/v3/customers': [201, 400, 401, 403, 429],
  'GET /api/v3/customers/{id}': [200, 401, 403, 404, 429],
  'PATCH /api/v3/customers/{id}': [200, 400, 401, 403, 404, 429],
  'GET /api/v3/salesOrders': [200, 401, 403, 429],
  'GET /api/v3/salesOrders/{id}': [200, 401, 403, 404, 429],
  'PATCH /api/v3/salesOrders/{id}/actions/release': [204, 400, 401, 403, 404, 409, 429],
  // v1 lists: success, and 400 for a `page` deep object without `number` or `size`.
  'GET /api/v1/projects': [200, 400, 401, 403, 429],
  'GET /api/v1/employees': [200, 400, 401, 403, 429],
} as const;
type Operation = keyof typeof DOCUMENTED;

/** `#/components/schemas/Customer`: the properties it names (no additional ones are sent). */
const CUSTOMER_PROPERTIES = new Set([
  'accountManager',
  'communication',
  'contactPersons',
  'createdAt',
  'customFields',
  'customerRoles',
  'deliveryAddresses',
  'deviatingBillingAddress',
  'deviatingDebtorAccountNumber',
  'documentDelivery',
  'financials',
  'fulfillment',
  'groups',
  'id',
  'mainProject',
  'notes',
  'number',
  'originSalesChannel',
  'primaryAddress',
  'salesManager',
  'tags',
  'updatedAt',
]);
/** `#/components/schemas/PostalAddress`: `name` required, `additionalProperties: false`. */
const POSTAL_ADDRESS_PROPERTIES = new Set([
  'name',
  'type',
  'title',
  'contactPerson',
  'salutation',
  'department',
  'subDepartment',
  'addressSupplement',
  'street',
  'zipCode',
  'city',
  'state',
  'country',
  'gln',
  'email',
  'phone',
  'fax',
  'mobile',
]);
/** `PostalAddress.type` and `SalesOrder.status` enums. */
const ADDRESS_TYPES = ['mrs', 'mr', 'company', 'other'];
const SALES_ORDER_STATUSES = ['draft', 'released', 'completed', 'cancelled'];
const VALIDATION = 'https://api.xentral.biz/problems/request-validation';
const PAGE = 'page[number]=1&page[size]=10';

type Handle = Awaited<ReturnType<typeof startTestMock>>;
let mock: Handle;
const seen = new Map<Operation, Set<number>>();

beforeAll(async () => {
  mock = await startTestMock();
});
afterAll(async () => {
  await mock.close();
});
beforeEach(() => {
  mock.seed({
    persons: 3,
    companies: 1,
    employees: 2,
    projects: 2,
    draftOrders: 1,
    releasedOrders: 1,
    unusualCustomers: true,
  });
});

async function op<T>(
  operation: Operation,
  path: string,
  options: { body?: unknown; token?: string | null } = {},
): Promise<Reply<T>> {
  const method = operation.split(' ')[0]!;
  const reply = await call<T>(mock.url, method, path, options);
  expect(DOCUMENTED[operation], `${operation} answered ${reply.status}`).toContain(reply.status);
  const codes = seen.get(operation) ?? new Set<number>();
  codes.add(reply.status);
  seen.set(operation, codes);
  return reply;
}

function expectProblem(reply: Reply<ProblemBody>, status: number, type?: string): void {
  expect(reply.status).toBe(status);
  expect(reply.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  expect(typeof reply.body.title).toBe('string');
  if (type) expect(reply.body.type).toBe(type);
}

function expectValidation(reply: Reply<ProblemBody>, paths: string[]): void {
  expectProblem(reply, 400, VALIDATION);
  // `violations`: property path → messages.
  expect(reply.body.violations).toBeTypeOf('object');
  for (const path of paths) {
    expect(reply.body.violations, `violation at ${path}`).toHaveProperty([path]);
    expect(reply.body.violations?.[path]?.every((m) => typeof m === 'string')).toBe(true);
  }
}

function expectCustomerShape(customer: XentralCustomer): void {
  for (const key of Object.keys(customer)) expect(CUSTOMER_PROPERTIES).toContain(key);
  expect(customer.id).toMatch(/^\d+$/);
  if (customer.primaryAddress === null) return;
  for (const key of Object.keys(customer.primaryAddress)) {
    expect(POSTAL_ADDRESS_PROPERTIES).toContain(key);
  }
  expect(typeof customer.primaryAddress.name).toBe('string');
  if (customer.primaryAddress.type !== null) {
    expect(ADDRESS_TYPES).toContain(customer.primaryAddress.type);
  }
}

describe('Xentral mock against the published specs', () => {
  it('GET /api/v3/customers: {data, links, meta}, records the spec allows, 401', async () => {
    const list = await op<{ data: XentralCustomer[]; links: unknown; meta: unknown }>(
      'GET /api/v3/customers',
      '/api/v3/customers?perPage=100',
    );
    expect(list.status).toBe(200);
    expect(list.body).toHaveProperty('links');
    expect(list.body).toHaveProperty('meta');
    list.body.data.forEach(expectCustomerShape);
    // Allowed by the schema and served: no primary address, no updatedAt, type other.
    expect(list.body.data.some((c) => c.primaryAddress === null)).toBe(true);
    expect(list.body.data.some((c) => !('updatedAt' in c))).toBe(true);
    expect(list.body.data.some((c) => c.primaryAddress?.type === 'other')).toBe(true);

    const filtered = await op<{ data: XentralCustomer[] }>(
      'GET /api/v3/customers',
      `/api/v3/customers?${filterQuery(['updatedAt', 'greaterThan', '2000-01-01T00:00:00Z'])}`,
    );
    expect(filtered.body.data.every((c) => c.updatedAt !== undefined)).toBe(true);
    const anonymous = await op<ProblemBody>('GET /api/v3/customers', '/api/v3/customers', {
      token: null,
    });
    expect(anonymous.status).toBe(401);
  });

  it('POST /api/v3/customers: 201 {data}; 400 for required, type, enum and unknown fields', async () => {
    const created = await op<{ data: XentralCustomer }>(
      'POST /api/v3/customers',
      '/api/v3/customers',
      { body: customerBody() },
    );
    expect(created.status).toBe(201);
    expectCustomerShape(created.body.data);

    // CreateCustomerData requires primaryAddress; CustomerAddressData requires five parts.
    expectValidation(
      await op<ProblemBody>('POST /api/v3/customers', '/api/v3/customers', { body: {} }),
      ['primaryAddress'],
    );
    expectValidation(
      await op<ProblemBody>('POST /api/v3/customers', '/api/v3/customers', {
        body: { primaryAddress: { name: 'Nur Name' } },
      }),
      [
        'primaryAddress.street',
        'primaryAddress.zipCode',
        'primaryAddress.city',
        'primaryAddress.country',
      ],
    );
    // Types: `number` is a string.
    expectValidation(
      await op<ProblemBody>('POST /api/v3/customers', '/api/v3/customers', {
        body: customerBody({ number: 42 }),
      }),
      ['number'],
    );
    // CommunicationData.website is a string, not nullable.
    expectValidation(
      await op<ProblemBody>('POST /api/v3/customers', '/api/v3/customers', {
        body: customerBody({ communication: { website: null } }),
      }),
      ['communication.website'],
    );
    // Enum: PostalAddress.type.
    const address = customerBody().primaryAddress as Record<string, unknown>;
    expectValidation(
      await op<ProblemBody>('POST /api/v3/customers', '/api/v3/customers', {
        body: { primaryAddress: { ...address, type: 'family' } },
      }),
      ['primaryAddress.type'],
    );
    // additionalProperties: false, at the top and inside the address.
    expectValidation(
      await op<ProblemBody>('POST /api/v3/customers', '/api/v3/customers', {
        body: { ...customerBody(), vip: true, primaryAddress: { ...address, floor: '3' } },
      }),
      ['vip', 'primaryAddress.floor'],
    );
    expect(
      (await op('POST /api/v3/customers', '/api/v3/customers', { body: {}, token: null })).status,
    ).toBe(401);
  });

  it('GET and PATCH /api/v3/customers/{id}: 200 {data}; 400; 404', async () => {
    const id = (await call<{ data: XentralCustomer[] }>(mock.url, 'GET', '/api/v3/customers')).body
      .data[0]!.id;
    const one = await op<{ data: XentralCustomer }>(
      'GET /api/v3/customers/{id}',
      `/api/v3/customers/${id}`,
    );
    expect(one.status).toBe(200);
    expectCustomerShape(one.body.data);
    expectProblem(
      await op<ProblemBody>('GET /api/v3/customers/{id}', '/api/v3/customers/999999'),
      404,
    );

    const patched = await op<{ data: XentralCustomer }>(
      'PATCH /api/v3/customers/{id}',
      `/api/v3/customers/${id}`,
      { body: { primaryAddress: { city: 'Köln' } } },
    );
    expect(patched.status).toBe(200);
    expect(patched.body.data.primaryAddress?.city).toBe('Köln');
    // UpdateCustomerData: everything optional, nothing unknown; the type is not nullable there.
    expectValidation(
      await op<ProblemBody>('PATCH /api/v3/customers/{id}', `/api/v3/customers/${id}`, {
        body: { primaryAddress: { type: null }, nickname: 'x' },
      }),
      ['primaryAddress.type', 'nickname'],
    );
    expectProblem(
      await op<ProblemBody>('PATCH /api/v3/customers/{id}', '/api/v3/customers/999999', {
        body: { primaryAddress: { city: 'Köln' } },
      }),
      404,
    );
  });

  it('sales orders: list and view with the spec status enum, release 204 then 409', async () => {
    const list = await op<{ data: XentralSalesOrder[] }>(
      'GET /api/v3/salesOrders',
      `/api/v3/salesOrders?${filterQuery(['status', 'in', ['draft', 'released']])}`,
    );
    expect(list.status).toBe(200);
    expect(list.body.data).toHaveLength(2);
    for (const order of list.body.data) expect(SALES_ORDER_STATUSES).toContain(order.status);
    const draft = list.body.data.find((order) => order.status === 'draft')!;
    const view = await op<{ data: XentralSalesOrder }>(
      'GET /api/v3/salesOrders/{id}',
      `/api/v3/salesOrders/${draft.id}`,
    );
    expect(view.body.data.id).toBe(draft.id);
    expectProblem(
      await op<ProblemBody>('GET /api/v3/salesOrders/{id}', '/api/v3/salesOrders/999999'),
      404,
    );
    const release = `/api/v3/salesOrders/${draft.id}/actions/release`;
    expect((await op('PATCH /api/v3/salesOrders/{id}/actions/release', release)).status).toBe(204);
    expectProblem(
      await op<ProblemBody>('PATCH /api/v3/salesOrders/{id}/actions/release', release),
      409,
      'https://api.xentral.biz/problems/invalid-status',
    );
  });

  it('v1 lists: both page parameters required, {data, extra: {totalCount, page}}', async () => {
    for (const operation of ['GET /api/v1/projects', 'GET /api/v1/employees'] as const) {
      const path = operation.split(' ')[1]!;
      const list = await op<{ data: unknown[]; extra: unknown }>(operation, `${path}?${PAGE}`);
      expect(list.status).toBe(200);
      expect(list.body.extra).toEqual({
        totalCount: 2,
        page: { number: 1, size: 10 },
      });
      for (const query of ['', '?page[number]=1', '?page[size]=10']) {
        expectProblem(await op<ProblemBody>(operation, `${path}${query}`), 400, VALIDATION);
      }
      expect((await op(operation, `${path}?${PAGE}`, { token: null })).status).toBe(401);
    }
    // The public employee list: id, number and name, nothing else.
    const employees = await call<{ data: Record<string, unknown>[] }>(
      mock.url,
      'GET',
      `/api/v1/employees?${PAGE}`,
    );
    expect(Object.keys(employees.body.data[0]!).sort()).toEqual(['id', 'name', 'number']);
  });

  it('has none of the routes the public API lacks', async () => {
    for (const [method, path] of [
      ['GET', '/api/v1/projects/1'],
      ['GET', `/api/v1/employees/extended?${PAGE}`],
      ['POST', '/api/v1/employees'],
      ['PATCH', '/api/v1/employees/1'],
    ] as const) {
      const reply = await call<ProblemBody>(mock.url, method, path, {
        ...(method === 'GET' ? {} : { body: { name: 'X' } }),
      });
      expect(reply.status, `${method} ${path}`).toBe(404);
      expect(reply.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    }
  });

  it('answered every documented success code and each error code tested above', () => {
    for (const [operation, codes] of Object.entries(DOCUMENTED) as [
      Operation,
      readonly number[],
    ][]) {
      expect(seen.get(operation), operation).toContain(codes[0]);
    }
  });
});
