import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { XentralCustomer } from './index';
import type { ProblemBody } from './problems';
import type { V3List } from './query';
import { call, customerBody, filterQuery, startTestMock, type TestClock } from './test-support';

type Handle = Awaited<ReturnType<typeof startTestMock>>;
type CustomerList = V3List<XentralCustomer>;

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
    persons: 0,
    companies: 0,
    employees: 2,
    projects: 3,
    draftOrders: 0,
    releasedOrders: 0,
  });
});

const get = <T>(path: string) => call<T>(mock.url, 'GET', path);
const post = <T>(path: string, body: unknown) => call<T>(mock.url, 'POST', path, { body });
const patch = <T>(path: string, body: unknown) => call<T>(mock.url, 'PATCH', path, { body });

async function createCustomer(overrides: Record<string, unknown> = {}): Promise<XentralCustomer> {
  const reply = await post<{ data: XentralCustomer }>('/api/v3/customers', customerBody(overrides));
  expect(reply.status).toBe(201);
  return reply.body.data;
}

function employeeIds(): string[] {
  return mock.store.employees().map((row) => String(row.id));
}

describe('authentication', () => {
  it('answers 401 with a problem document without a valid personal access token', async () => {
    for (const token of [null, 'wrong-token']) {
      const reply = await call<ProblemBody>(mock.url, 'GET', '/api/v3/customers', { token });
      expect(reply.status).toBe(401);
      expect(reply.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(reply.body).toMatchObject({ status: 401, title: 'Unauthorized' });
    }
    const basic = await call(mock.url, 'GET', '/api/v3/customers', {
      token: null,
      headers: { authorization: `Basic ${mock.token}` },
    });
    expect(basic.status).toBe(401);
  });
});

describe('POST /api/v3/customers', () => {
  it('creates a customer: 201 {data}, customer number assigned, times from the clock', async () => {
    const created = await createCustomer({
      communication: { website: 'https://oeztuerk.example' },
      accountManager: { id: employeeIds()[0] },
      mainProject: { id: '1' },
    });
    expect(created).toMatchObject({
      number: '10000',
      mainProject: { id: '1' },
      accountManager: { id: employeeIds()[0] },
      communication: { website: 'https://oeztuerk.example' },
      primaryAddress: {
        type: 'mrs',
        name: 'Jülide Öztürk',
        street: 'Fuggerstraße 11',
        zipCode: '86150',
        city: 'Augsburg',
        country: 'DE',
        email: 'juelide.oeztuerk@example.com',
        phone: '+49 821 123456',
        mobile: '+49 170 1234567',
        department: 'Einkauf',
      },
      createdAt: '2026-03-02T09:00:00.000Z',
      updatedAt: '2026-03-02T09:00:00.000Z',
    });
    expect(created.id).toMatch(/^\d+$/);
    const second = await createCustomer();
    expect(second.number).toBe('10001');

    const stored = mock.store.getAdresse(Number(created.id));
    expect(stored).toMatchObject({
      typ: 'frau',
      kundennummer: '10000',
      land: 'DE',
      innendienst: Number(employeeIds()[0]),
    });
    expect(mock.store.rollenOf(Number(created.id))).toMatchObject([
      { subjekt: 'Kunde', projekt: 0 },
    ]);

    const fetched = await get<{ data: XentralCustomer }>(`/api/v3/customers/${created.id}`);
    expect(fetched.status).toBe(200);
    expect(fetched.body.data).toEqual(created);
  });

  it('accepts empty strings for the required address fields (but not a missing key)', async () => {
    const created = await createCustomer({
      primaryAddress: {
        type: 'company',
        name: 'Leer GmbH',
        street: '',
        zipCode: '',
        city: '',
        country: 'DE',
      },
    });
    expect(created.primaryAddress).toMatchObject({
      type: 'company',
      street: null,
      zipCode: null,
      city: null,
    });
  });

  it('answers 400 request-validation with violations per property path', async () => {
    const reply = await post<ProblemBody>('/api/v3/customers', {
      primaryAddress: { name: 'X', zipCode: '1', city: 'Y', country: 'de', type: 'sir', zip: '1' },
      unknownField: true,
    });
    expect(reply.status).toBe(400);
    expect(reply.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(reply.body).toMatchObject({
      type: 'https://api.xentral.biz/problems/request-validation',
      title: 'Request payload validation failed.',
      status: 400,
    });
    expect(reply.body.violations).toEqual({
      'primaryAddress.street': ['The primary address.street field is required.'],
      'primaryAddress.country': ['The primary address.country field format is invalid.'],
      'primaryAddress.type': ['The selected primary address.type is invalid.'],
      'primaryAddress.zip': ['The primary address.zip field is not allowed.'],
      unknownField: ['The unknown field field is not allowed.'],
    });

    const missing = await post<ProblemBody>('/api/v3/customers', {});
    expect(missing.body.violations).toEqual({
      primaryAddress: ['The primary address field is required.'],
    });

    const malformed = await fetch(`${mock.url}/api/v3/customers`, {
      method: 'POST',
      headers: { authorization: `Bearer ${mock.token}`, 'content-type': 'application/json' },
      body: '{"primaryAddress":',
    });
    expect(malformed.status).toBe(400);
  });

  it('checks references: the account manager must be an employee, projects must exist', async () => {
    const customer = await createCustomer();
    const reply = await post<ProblemBody>(
      '/api/v3/customers',
      customerBody({ accountManager: { id: customer.id }, mainProject: { id: '999' } }),
    );
    expect(reply.status).toBe(400);
    expect(Object.keys(reply.body.violations ?? {})).toEqual([
      'accountManager.id',
      'mainProject.id',
    ]);
  });

  it('answers 409 conflict for a customer number that is taken', async () => {
    await createCustomer({ number: 'K-1' });
    const reply = await post<ProblemBody>('/api/v3/customers', customerBody({ number: 'K-1' }));
    expect(reply.status).toBe(409);
    expect(reply.body).toMatchObject({
      type: 'https://api.xentral.biz/problems/conflict',
      status: 409,
    });
  });
});

describe('GET /api/v3/customers/:id', () => {
  it('answers 404 for unknown, malformed, deleted and non-customer ids', async () => {
    const customer = await createCustomer();
    for (const id of ['999999', 'abc', '0', employeeIds()[0] ?? '']) {
      const reply = await get<ProblemBody>(`/api/v3/customers/${id}`);
      expect(reply.status).toBe(404);
      expect(reply.body).toMatchObject({ status: 404, title: 'Not Found' });
    }
    const deleted = await call(mock.url, 'DELETE', `/api/v3/customers/${customer.id}`);
    expect(deleted.status).toBe(204);
    expect(mock.store.getAdresse(Number(customer.id))?.geloescht).toBe(1);
    expect((await get(`/api/v3/customers/${customer.id}`)).status).toBe(404);
    expect((await patch(`/api/v3/customers/${customer.id}`, {})).status).toBe(404);
    const list = await get<CustomerList>('/api/v3/customers');
    expect(list.body.data).toEqual([]);
  });

  it('includes customer roles on request', async () => {
    const customer = await createCustomer();
    const reply = await get<{ data: XentralCustomer }>(
      `/api/v3/customers/${customer.id}?include=customerRoles`,
    );
    expect(reply.body.data.customerRoles).toEqual([
      { project: null, validFrom: '2026-03-02', expiresAt: null },
    ]);
    expect((await get(`/api/v3/customers/${customer.id}?include=everything`)).status).toBe(400);
  });
});

describe('PATCH /api/v3/customers/:id', () => {
  it('updates address, website, account manager and main project; 200 {data}; updatedAt moves', async () => {
    const customer = await createCustomer({ accountManager: { id: employeeIds()[0] } });
    clock.advance(61_500);
    const reply = await patch<{ data: XentralCustomer }>(`/api/v3/customers/${customer.id}`, {
      primaryAddress: { city: 'München', zipCode: '80331', mobile: null },
      communication: { website: 'https://neu.example' },
      accountManager: { id: employeeIds()[1] },
      mainProject: { id: '2' },
    });
    expect(reply.status).toBe(200);
    expect(reply.body.data).toMatchObject({
      primaryAddress: {
        city: 'München',
        zipCode: '80331',
        mobile: null,
        street: 'Fuggerstraße 11',
      },
      communication: { website: 'https://neu.example' },
      accountManager: { id: employeeIds()[1] },
      mainProject: { id: '2' },
      createdAt: customer.createdAt,
      // Whole seconds, as Xentral's DATETIME columns keep them.
      updatedAt: '2026-03-02T09:01:01.000Z',
    });

    const cleared = await patch<{ data: XentralCustomer }>(`/api/v3/customers/${customer.id}`, {
      accountManager: null,
      mainProject: null,
    });
    expect(cleared.body.data).toMatchObject({ accountManager: null, mainProject: null });
  });

  it('rejects invalid bodies and unknown fields', async () => {
    const customer = await createCustomer();
    const reply = await patch<ProblemBody>(`/api/v3/customers/${customer.id}`, {
      primaryAddress: { country: 'Germany', name: null },
      accountManager: { id: 'x' },
      owner: '1',
    });
    expect(reply.status).toBe(400);
    expect(Object.keys(reply.body.violations ?? {}).sort()).toEqual([
      'accountManager.id',
      'owner',
      'primaryAddress.country',
      'primaryAddress.name',
    ]);
    expect((await patch('/api/v3/customers/424242', {})).status).toBe(404);
  });
});

describe('GET /api/v3/customers', () => {
  it('pages to the end with {data, links, meta}; perPage is capped at 100', async () => {
    mock.seed({
      persons: 30,
      companies: 7,
      employees: 0,
      projects: 1,
      draftOrders: 0,
      releasedOrders: 0,
    });
    const seen: string[] = [];
    let next: string | null = `${mock.url}/api/v3/customers?sort=id&perPage=10`;
    let pages = 0;
    while (next) {
      expect(next.startsWith(`${mock.url}/api/v3/customers?`)).toBe(true);
      const reply: { status: number; body: CustomerList } = await get<CustomerList>(
        next.slice(mock.url.length),
      );
      expect(reply.status).toBe(200);
      pages++;
      expect(reply.body.meta).toMatchObject({ currentPage: pages, perPage: 10 });
      seen.push(...reply.body.data.map((customer) => customer.id));
      next = reply.body.links.next;
    }
    expect(pages).toBe(4);
    expect(seen).toHaveLength(37);
    expect(seen.map(Number)).toEqual([...seen.map(Number)].sort((a, b) => a - b));

    const capped = await get<CustomerList>('/api/v3/customers?perPage=5000');
    expect(capped.body.meta.perPage).toBe(100);
    expect(capped.body.data).toHaveLength(37);

    const table = await call<CustomerList>(mock.url, 'GET', '/api/v3/customers?perPage=10&page=2', {
      headers: { 'x-pagination': 'table' },
    });
    expect(table.body.meta).toMatchObject({
      currentPage: 2,
      from: 11,
      to: 20,
      lastPage: 4,
      total: 37,
    });
    expect(table.body.links.last).toMatch(/page=4/);
  });

  it('sorts newest first by default, and by the given keys', async () => {
    const first = await createCustomer();
    clock.advance(5_000);
    const second = await createCustomer();
    const byDefault = await get<CustomerList>('/api/v3/customers');
    expect(byDefault.body.data.map((c) => c.id)).toEqual([second.id, first.id]);
    const byId = await get<CustomerList>('/api/v3/customers?sort=id');
    expect(byId.body.data.map((c) => c.id)).toEqual([first.id, second.id]);
    expect((await get('/api/v3/customers?sort=shoeSize')).status).toBe(400);
  });

  it('filters by email equals case-insensitively, duplicates included', async () => {
    const a = await createCustomer();
    const b = await createCustomer({
      primaryAddress: {
        ...(customerBody().primaryAddress as object),
        email: 'JUELIDE.OEZTUERK@EXAMPLE.COM',
      },
    });
    await createCustomer({
      primaryAddress: { ...(customerBody().primaryAddress as object), email: 'other@example.com' },
    });
    const reply = await get<CustomerList>(
      `/api/v3/customers?sort=id&${filterQuery(['email', 'equals', 'Juelide.Oeztuerk@example.com'])}`,
    );
    expect(reply.body.data.map((c) => c.id)).toEqual([a.id, b.id]);
    const none = await get<CustomerList>(
      `/api/v3/customers?${filterQuery(['email', 'equals', 'nobody@example.com'])}`,
    );
    expect(none.body.data).toEqual([]);
  });

  it('filters by updatedAt greaterThan strictly, and by createdAt', async () => {
    const before = await createCustomer();
    const boundary = before.updatedAt!;
    clock.advance(1_000);
    const after = await createCustomer();
    const newer = await get<CustomerList>(
      `/api/v3/customers?sort=id&${filterQuery(['updatedAt', 'greaterThan', boundary])}`,
    );
    expect(newer.body.data.map((c) => c.id)).toEqual([after.id]);

    clock.advance(1_000);
    await patch(`/api/v3/customers/${before.id}`, { primaryAddress: { city: 'Köln' } });
    const changed = await get<CustomerList>(
      `/api/v3/customers?sort=updatedAt&${filterQuery(['updatedAt', 'greaterThan', after.updatedAt!])}`,
    );
    expect(changed.body.data.map((c) => c.id)).toEqual([before.id]);

    const created = await get<CustomerList>(
      `/api/v3/customers?${filterQuery(['createdAt', 'lessThan', after.createdAt])}`,
    );
    expect(created.body.data.map((c) => c.id)).toEqual([before.id]);
  });

  it('filters by id, name, number and account manager; combines filters with AND', async () => {
    const [manager] = employeeIds();
    const a = await createCustomer({ accountManager: { id: manager } });
    const b = await createCustomer({
      primaryAddress: {
        ...(customerBody().primaryAddress as object),
        name: 'Nordlicht AG',
        type: 'company',
      },
    });
    const ids = async (query: string) =>
      (await get<CustomerList>(`/api/v3/customers?sort=id&${query}`)).body.data.map((c) => c.id);
    expect(await ids(filterQuery(['id', 'in', [a.id, b.id, '999']]))).toEqual([a.id, b.id]);
    expect(await ids(filterQuery(['name', 'contains', 'nordlicht']))).toEqual([b.id]);
    expect(await ids(filterQuery(['number', 'equals', b.number]))).toEqual([b.id]);
    expect(await ids(filterQuery(['accountManager.id', 'equals', manager ?? '']))).toEqual([a.id]);
    expect(await ids(filterQuery(['accountManager.id', 'isNull']))).toEqual([b.id]);
    expect(
      await ids(
        filterQuery(
          ['email', 'equals', 'juelide.oeztuerk@example.com'],
          ['name', 'startsWith', 'Nord'],
        ),
      ),
    ).toEqual([b.id]);
  });

  it('answers 400 for unknown filter keys, unsupported operators and bad values', async () => {
    for (const query of [
      filterQuery(['hubspotId', 'equals', '1']),
      filterQuery(['email', 'greaterThan', 'a']),
      filterQuery(['email', 'like', 'a']),
      filterQuery(['updatedAt', 'greaterThan', 'yesterday']),
      filterQuery(['email', 'equals']),
      'page=first',
    ]) {
      const reply = await get<ProblemBody>(`/api/v3/customers?${query}`);
      expect(reply.status, query).toBe(400);
      expect(reply.body.type).toBe('https://api.xentral.biz/problems/request-validation');
      expect(Object.keys(reply.body.violations ?? {})).toHaveLength(1);
    }
  });

  it('lists only current customers: employees are not customers', async () => {
    // The seeded employees have e-mails (anna.schmidt@example.com) and no customer role.
    expect(mock.store.adressenByEmail('anna.schmidt@example.com')).toHaveLength(1);
    const list = await get<CustomerList>(
      `/api/v3/customers?${filterQuery(['email', 'equals', 'anna.schmidt@example.com'])}`,
    );
    expect(list.body.data).toEqual([]);
  });
});

describe('a large instance', () => {
  it('seeds 100,000 customers and serves an e-mail lookup and the last page', async () => {
    const summary = mock.seed({
      persons: 70_000,
      companies: 30_000,
      employees: 8,
      projects: 2,
      draftOrders: 0,
      releasedOrders: 0,
      withoutEmailEvery: 0,
      duplicateEmailEvery: 0,
    });
    expect(summary.persons.count + summary.companies.count).toBe(100_000);
    const wanted = mock.store.getAdresse(summary.customerIds.first ?? 0);
    const hit = await get<CustomerList>(
      `/api/v3/customers?${filterQuery(['email', 'equals', wanted?.email ?? ''])}`,
    );
    expect(hit.body.data.map((c) => c.id)).toEqual([String(wanted?.id)]);
    const last = await get<CustomerList>('/api/v3/customers?sort=id&perPage=100&page=1000');
    expect(last.body.data).toHaveLength(100);
    expect(last.body.data.at(-1)?.id).toBe(String(summary.customerIds.last));
    expect(last.body.links.next).toBeNull();
  });
});
