import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
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
const createEmployee = (body: unknown) =>
  call<{ data: XentralEmployeeExtended } & ProblemBody>(mock.url, 'POST', '/api/v1/employees', {
    body,
  });

describe('GET /api/v1/projects', () => {
  it('lists projects with page[number]/page[size] and {data, extra}', async () => {
    const all = await get<V1List<XentralProject>>('/api/v1/projects');
    expect(all.status).toBe(200);
    expect(all.body.extra).toEqual({ totalCount: 6, page: { number: 1, size: 10 } });
    expect(all.body.data[0]).toEqual({ id: '1', name: 'Standard', keyName: 'STANDARD' });

    const page = await get<V1List<XentralProject>>('/api/v1/projects?page[number]=3&page[size]=2');
    expect(page.body.data.map((project) => project.keyName)).toEqual(['SERVICE', 'MESSE']);
    expect(page.body.extra).toEqual({ totalCount: 6, page: { number: 3, size: 2 } });
  });

  it('filters by name and keyName, and serves one project', async () => {
    const byName = await get<V1List<XentralProject>>(
      `/api/v1/projects?${filterQuery(['name', 'contains', 'handel'])}`,
    );
    expect(byName.body.data).toEqual([{ id: '4', name: 'Großhandel', keyName: 'B2B' }]);
    const byKey = await get<V1List<XentralProject>>(
      `/api/v1/projects?${filterQuery(['keyName', 'equals', 'shop'])}`,
    );
    expect(byKey.body.data.map((project) => project.id)).toEqual(['3']);
    const one = await get<{ data: XentralProject }>('/api/v1/projects/2');
    expect(one.body.data).toEqual({ id: '2', name: 'Vertrieb', keyName: 'VERTRIEB' });
    expect((await get('/api/v1/projects/99')).status).toBe(404);
  });

  it('answers 400 for a page size above 50 and for unknown filter keys', async () => {
    const big = await get<ProblemBody>('/api/v1/projects?page[size]=51');
    expect(big.status).toBe(400);
    expect(big.body.violations).toHaveProperty(['page[size]']);
    expect((await get(`/api/v1/projects?${filterQuery(['color', 'equals', 'red'])}`)).status).toBe(
      400,
    );
  });
});

describe('GET /api/v1/employees', () => {
  it('lists employees as {id, number, name} and searches by name or number', async () => {
    const all = await get<V1List<XentralEmployee>>('/api/v1/employees');
    expect(all.body.data).toEqual([
      { id: '1', number: '90000', name: 'Anna Schmidt' },
      { id: '2', number: '90001', name: 'Lukas Weber' },
      { id: '3', number: '90002', name: 'Sophie Becker' },
    ]);
    expect(all.body.extra.totalCount).toBe(3);
    const found = await get<V1List<XentralEmployee>>('/api/v1/employees?searchTerm=weber');
    expect(found.body.data.map((employee) => employee.id)).toEqual(['2']);
    const byNumber = await get<V1List<XentralEmployee>>('/api/v1/employees?searchTerm=90002');
    expect(byNumber.body.data.map((employee) => employee.id)).toEqual(['3']);
  });

  it('requires the token like every API route', async () => {
    expect((await call(mock.url, 'GET', '/api/v1/employees', { token: null })).status).toBe(401);
  });
});

describe('MOCK EXTENSION: employees with e-mail', () => {
  it('GET /api/v1/employees/extended pages and filters by email and updatedAt', async () => {
    const all = await get<V1List<XentralEmployeeExtended>>(
      '/api/v1/employees/extended?page[size]=2',
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
      `/api/v1/employees/extended?${filterQuery(['email', 'equals', 'LUKAS.WEBER@example.com'])}`,
    );
    expect(byEmail.body.data.map((employee) => employee.id)).toEqual(['2']);

    clock.advance(3_000);
    const created = await createEmployee({
      type: 'mr',
      name: 'Tomasz Nowak',
      email: 'tomasz.nowak@example.com',
    });
    const changed = await get<V1List<XentralEmployeeExtended>>(
      `/api/v1/employees/extended?${filterQuery(['updatedAt', 'greaterThan', '2026-03-02T09:00:00.000Z'])}`,
    );
    expect(changed.body.data.map((employee) => employee.id)).toEqual([created.body.data.id]);
    expect(
      (await get(`/api/v1/employees/extended?${filterQuery(['email', 'greaterThan', 'a'])}`))
        .status,
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

    const list = await get<V1List<XentralEmployee>>('/api/v1/employees?searchTerm=ingrid');
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

describe('a Xentral without the extensions', () => {
  const control = (path: string, body?: unknown) =>
    call<{ extensions: boolean }>(mock.url, body === undefined ? 'GET' : 'POST', `/__mock${path}`, {
      ...(body === undefined ? {} : { body }),
      token: null,
    });

  it('answers 404 on the extension routes and keeps the public list; reset restores them', async () => {
    expect((await control('/settings')).body).toEqual({ extensions: true });
    expect((await control('/settings', { extensions: false })).body).toEqual({ extensions: false });

    const extended = await get<ProblemBody>('/api/v1/employees/extended');
    expect(extended.status).toBe(404);
    expect(extended.body.type).toBe('https://api.xentral.biz/problems/not-found');
    expect((await createEmployee({ type: 'mr', name: 'Max' })).status).toBe(404);
    const patched = await call(mock.url, 'PATCH', '/api/v1/employees/1', { body: { name: 'X' } });
    expect(patched.status).toBe(404);
    const list = await get<V1List<XentralEmployee>>('/api/v1/employees');
    expect(list.status).toBe(200);
    expect(list.body.data).toHaveLength(3);

    expect((await control('/settings', { extensions: 'no' })).status).toBe(400);
    await call(mock.url, 'POST', '/__mock/reset', { token: null });
    expect((await control('/settings')).body).toEqual({ extensions: true });
  });
});
