import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type {
  XentralCustomer,
  XentralEmployee,
  XentralEmployeeExtended,
  XentralProject,
} from './index';
import type { ProblemBody } from './problems';
import type { V1List } from './query';
import { call, customerBody, filterQuery, startTestMock, type TestClock } from './test-support';

type Handle = Awaited<ReturnType<typeof startTestMock>>;

let mock: Handle;
let clock: TestClock;

beforeAll(async () => {
  mock = await startTestMock();
  clock = mock.clock;
});

afterAll(async () => {
  await mock.close();
});

beforeEach(() => {
  mock.seed({
    persons: 2,
    companies: 0,
    employees: 3,
    projects: 6,
    draftOrders: 0,
    releasedOrders: 0,
  });
});

const get = <T>(path: string) => call<T>(mock.url, 'GET', path);
/** Every v1 list requires both page parameters (xentral-api.openapi-3.0.0.json). */
const PAGE = 'page[number]=1&page[size]=50';
const control = (path: string, body?: unknown) =>
  call<{ extensions: boolean; refuseEmptyAddress: boolean }>(
    mock.url,
    body === undefined ? 'GET' : 'POST',
    `/__mock${path}`,
    { ...(body === undefined ? {} : { body }), token: null },
  );
const createEmployee = (body: unknown) =>
  call<{ data: XentralEmployeeExtended } & ProblemBody>(mock.url, 'POST', '/api/v1/employees', {
    body,
  });

describe('GET /api/v1/projects', () => {
  it('lists projects with page[number]/page[size] and {data, extra}', async () => {
    const all = await get<V1List<XentralProject>>(`/api/v1/projects?${PAGE}`);
    expect(all.status).toBe(200);
    expect(all.body.extra).toEqual({ totalCount: 6, page: { number: 1, size: 50 } });
    expect(all.body.data[0]).toEqual({ id: '1', name: 'Standard', keyName: 'STANDARD' });

    const page = await get<V1List<XentralProject>>('/api/v1/projects?page[number]=3&page[size]=2');
    expect(page.body.data.map((project) => project.keyName)).toEqual(['SERVICE', 'MESSE']);
    expect(page.body.extra).toEqual({ totalCount: 6, page: { number: 3, size: 2 } });
  });

  it('filters by id, name and keyName; one project is read through the list', async () => {
    const byName = await get<V1List<XentralProject>>(
      `/api/v1/projects?${PAGE}&${filterQuery(['name', 'contains', 'handel'])}`,
    );
    expect(byName.body.data).toEqual([{ id: '4', name: 'Großhandel', keyName: 'B2B' }]);
    const byKey = await get<V1List<XentralProject>>(
      `/api/v1/projects?${PAGE}&${filterQuery(['keyName', 'equals', 'shop'])}`,
    );
    expect(byKey.body.data.map((project) => project.id)).toEqual(['3']);
    const byId = await get<V1List<XentralProject>>(
      `/api/v1/projects?${PAGE}&${filterQuery(['id', 'equals', '2'])}`,
    );
    expect(byId.body.data).toEqual([{ id: '2', name: 'Vertrieb', keyName: 'VERTRIEB' }]);
  });

  it('has no route for one project: GET /api/v1/projects/{id} is a 404', async () => {
    const one = await get<ProblemBody>('/api/v1/projects/2');
    expect(one.status).toBe(404);
    expect(one.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(one.body.type).toBe('https://api.xentral.biz/problems/not-found');
  });

  it('answers 400 without page[number] or page[size], for a size above 50 and unknown keys', async () => {
    for (const query of ['', '?page[number]=1', '?page[size]=10']) {
      const missing = await get<ProblemBody>(`/api/v1/projects${query}`);
      expect(missing.status).toBe(400);
      expect(missing.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(missing.body.type).toBe('https://api.xentral.biz/problems/request-validation');
      expect(Object.keys(missing.body.violations ?? {}).length).toBeGreaterThan(0);
    }
    const big = await get<ProblemBody>('/api/v1/projects?page[number]=1&page[size]=51');
    expect(big.status).toBe(400);
    expect(big.body.violations).toHaveProperty(['page[size]']);
    expect(
      (await get(`/api/v1/projects?${PAGE}&${filterQuery(['color', 'equals', 'red'])}`)).status,
    ).toBe(400);
  });
});

describe('GET /api/v1/employees', () => {
  it('lists employees as {id, number, name} and searches by name or number', async () => {
    const all = await get<V1List<XentralEmployee>>(`/api/v1/employees?${PAGE}`);
    expect(all.body.data).toEqual([
      { id: '1', number: '90000', name: 'Anna Schmidt' },
      { id: '2', number: '90001', name: 'Lukas Weber' },
      { id: '3', number: '90002', name: 'Sophie Becker' },
    ]);
    expect(all.body.extra.totalCount).toBe(3);
    const found = await get<V1List<XentralEmployee>>(`/api/v1/employees?${PAGE}&searchTerm=weber`);
    expect(found.body.data.map((employee) => employee.id)).toEqual(['2']);
    const byNumber = await get<V1List<XentralEmployee>>(
      `/api/v1/employees?${PAGE}&searchTerm=90002`,
    );
    expect(byNumber.body.data.map((employee) => employee.id)).toEqual(['3']);
  });

  it('requires the token like every API route', async () => {
    expect((await call(mock.url, 'GET', `/api/v1/employees?${PAGE}`, { token: null })).status).toBe(
      401,
    );
    expect((await get('/api/v1/employees')).status).toBe(400);
  });
});

describe('MOCK EXTENSION: employees with e-mail', () => {
  beforeEach(async () => {
    await control('/settings', { extensions: true });
  });
  afterEach(async () => {
    await control('/settings', { extensions: false });
  });

  it('GET /api/v1/employees/extended pages and filters by email and updatedAt', async () => {
    const all = await get<V1List<XentralEmployeeExtended>>(
      '/api/v1/employees/extended?page[number]=1&page[size]=2',
    );
    expect(all.body.extra).toEqual({ totalCount: 3, page: { number: 1, size: 2 } });
    expect(all.body.data[0]).toEqual({
      id: '1',
      number: '90000',
      name: 'Anna Schmidt',
      type: 'mrs',
      email: 'anna.schmidt@example.com',
      phone: '+49 821 5000100',
      mobile: null,
      project: { id: '1' },
      createdAt: '2026-03-02T09:00:00.000Z',
      updatedAt: '2026-03-02T09:00:00.000Z',
    });
    const byEmail = await get<V1List<XentralEmployeeExtended>>(
      `/api/v1/employees/extended?${PAGE}&${filterQuery(['email', 'equals', 'LUKAS.WEBER@example.com'])}`,
    );
    expect(byEmail.body.data.map((employee) => employee.id)).toEqual(['2']);

    clock.advance(3_000);
    const created = await createEmployee({
      type: 'mr',
      name: 'Tomasz Nowak',
      email: 'tomasz.nowak@example.com',
    });
    const changed = await get<V1List<XentralEmployeeExtended>>(
      `/api/v1/employees/extended?${PAGE}&${filterQuery(['updatedAt', 'greaterThan', '2026-03-02T09:00:00.000Z'])}`,
    );
    expect(changed.body.data.map((employee) => employee.id)).toEqual([created.body.data.id]);
    expect(
      (
        await get(
          `/api/v1/employees/extended?${PAGE}&${filterQuery(['email', 'greaterThan', 'a'])}`,
        )
      ).status,
    ).toBe(400);
  });

  it('POST /api/v1/employees creates an employee address with role and project', async () => {
    const reply = await createEmployee({
      type: 'mrs',
      name: 'Ingrid Wolf',
      email: 'ingrid.wolf@example.com',
      phone: '+49 821 1',
      project: { id: '2' },
    });
    expect(reply.status).toBe(201);
    expect(reply.body.data).toMatchObject({
      number: '90003',
      name: 'Ingrid Wolf',
      type: 'mrs',
      email: 'ingrid.wolf@example.com',
      project: { id: '2' },
    });
    const id = Number(reply.body.data.id);
    expect(mock.store.getAdresse(id)).toMatchObject({
      typ: 'frau',
      mitarbeiternummer: '90003',
      projekt: 2,
      kundennummer: '',
    });
    expect(mock.store.rollenOf(id)).toMatchObject([{ subjekt: 'Mitarbeiter', projekt: 2 }]);

    const list = await get<V1List<XentralEmployee>>(`/api/v1/employees?${PAGE}&searchTerm=ingrid`);
    expect(list.body.data).toEqual([{ id: String(id), number: '90003', name: 'Ingrid Wolf' }]);

    // The new employee can be a customer's Back office right away.
    const customer = await call<{ data: XentralCustomer }>(mock.url, 'POST', '/api/v3/customers', {
      body: customerBody({ accountManager: { id: String(id) } }),
    });
    expect(customer.body.data.accountManager).toEqual({ id: String(id) });
  });

  it('validates the body: type Mr./Mrs. only, known project, unique number', async () => {
    const company = await createEmployee({ type: 'company', name: 'Firma' });
    expect(company.status).toBe(400);
    expect(company.body.violations).toHaveProperty(['type']);
    const noName = await createEmployee({ type: 'mr', extra: 1 });
    expect(Object.keys(noName.body.violations ?? {}).sort()).toEqual(['extra', 'name']);
    const project = await createEmployee({ type: 'mr', name: 'A', project: { id: '77' } });
    expect(project.body.violations).toHaveProperty(['project.id']);
    const taken = await createEmployee({ type: 'mr', name: 'B', number: '90000' });
    expect(taken.status).toBe(409);
    expect(taken.body.type).toBe('https://api.xentral.biz/problems/conflict');
  });

  it('PATCH /api/v1/employees/:id changes an employee and moves updatedAt', async () => {
    const created = await createEmployee({ type: 'mr', name: 'Max', email: 'max@example.com' });
    const id = created.body.data.id;
    const before = created.body.data.updatedAt;
    clock.advance(5_000);
    const reply = await call<{ data: XentralEmployeeExtended } & ProblemBody>(
      mock.url,
      'PATCH',
      `/api/v1/employees/${id}`,
      { body: { name: 'Max Meier', type: 'mr' } },
    );
    expect(reply.status).toBe(200);
    expect(reply.body.data).toMatchObject({ id, name: 'Max Meier', email: 'max@example.com' });
    expect(reply.body.data.updatedAt > before).toBe(true);
    const unknownField = await call<ProblemBody>(mock.url, 'PATCH', `/api/v1/employees/${id}`, {
      body: { website: 'x' },
    });
    expect(unknownField.status).toBe(400);
    const customerId = (await get<{ data: XentralCustomer[] }>('/api/v3/customers')).body.data[0]!
      .id;
    const notEmployee = await call<ProblemBody>(
      mock.url,
      'PATCH',
      `/api/v1/employees/${customerId}`,
      {
        body: { name: 'X' },
      },
    );
    expect(notEmployee.status).toBe(404);
  });
});

describe('a stock Xentral: the extensions are off unless switched on', () => {
  it('answers 404 on the extension routes and keeps the public list; reset returns to off', async () => {
    expect((await control('/settings')).body).toEqual({
      extensions: false,
      refuseEmptyAddress: false,
    });
    const extended = await get<ProblemBody>(`/api/v1/employees/extended?${PAGE}`);
    expect(extended.status).toBe(404);
    expect(extended.body.type).toBe('https://api.xentral.biz/problems/not-found');
    expect((await createEmployee({ type: 'mr', name: 'Max' })).status).toBe(404);
    const patched = await call(mock.url, 'PATCH', '/api/v1/employees/1', { body: { name: 'X' } });
    expect(patched.status).toBe(404);
    const list = await get<V1List<XentralEmployee>>(`/api/v1/employees?${PAGE}`);
    expect(list.status).toBe(200);
    expect(list.body.data).toHaveLength(3);

    expect((await control('/settings', { extensions: true })).body.extensions).toBe(true);
    expect((await get(`/api/v1/employees/extended?${PAGE}`)).status).toBe(200);
    expect((await control('/settings', { extensions: 'no' })).status).toBe(400);
    await call(mock.url, 'POST', '/__mock/reset', { token: null });
    expect((await control('/settings')).body.extensions).toBe(false);
  });

  it('starts with the extensions when the option says so, and reset keeps that', async () => {
    const extended = await startTestMock({ extensions: true });
    try {
      extended.seed({ persons: 0, companies: 0, employees: 1, projects: 0 });
      const list = await call(extended.url, 'GET', `/api/v1/employees/extended?${PAGE}`);
      expect(list.status).toBe(200);
      await call(extended.url, 'POST', '/__mock/reset', { token: null });
      expect(extended.settings.extensions).toBe(true);
    } finally {
      await extended.close();
    }
  });
});
