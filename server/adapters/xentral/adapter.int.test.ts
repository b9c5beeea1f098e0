import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { CapabilityMissingError, RunAbortedError } from '../../engine/errors';
import { startXentralMock, type XentralMockHandle } from '../../mocks/xentral';
import { XentralAdapter } from './adapter';

const TOKEN = 'xentral-adapter-test-token-000000';
let mock: XentralMockHandle;
let adapter: XentralAdapter;

beforeAll(async () => {
  mock = await startXentralMock({ host: '127.0.0.1', port: 0, token: TOKEN });
  adapter = new XentralAdapter({
    baseUrl: mock.url,
    token: TOKEN,
    retry: { maxAttempts: 3, baseDelayMs: 5, maxDelayMs: 20 },
  });
});
afterAll(() => mock.close());
const settings = (body: Record<string, boolean>) =>
  fetch(`${mock.url}/__mock/settings`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });

beforeEach(async () => {
  await settings({ extensions: false, refuseEmptyAddress: false });
  mock.faults.reset();
  mock.seed({
    persons: 230,
    companies: 20,
    employees: 3,
    projects: 2,
    draftOrders: 0,
    releasedOrders: 0,
    withoutEmailEvery: 0,
    duplicateEmailEvery: 0,
  });
});

async function readAll<T>(pages: AsyncIterable<T[]>): Promise<T[]> {
  const all: T[] = [];
  for await (const page of pages) all.push(...page);
  return all;
}

describe('Xentral adapter against the Xentral mock', () => {
  it('reads every customer page by page, oldest change first, and counts a window', async () => {
    const until = Date.now() + 60_000;
    const totals: number[] = [];
    const customers = await readAll(
      adapter.readChangedCustomers({
        sinceMs: null,
        untilMs: until,
        onTotal: (total) => totals.push(total),
      }),
    );
    expect(customers).toHaveLength(250);
    // Told once, with the first page: what the progress bar counts on ahead.
    expect(totals).toEqual([250]);
    expect(new Set(customers.map((c) => c.id)).size).toBe(250);
    const types = new Set(customers.map((c) => c.type));
    expect(types).toEqual(new Set(['mr', 'mrs', 'company']));
    expect(await adapter.countChangedCustomers({ sinceMs: 0, untilMs: until })).toBe(250);
  });

  it('creates and updates a customer and finds it by e-mail and name', async () => {
    const created = await adapter.createCustomer({
      type: 'mrs',
      name: 'Zoë Krüger',
      email: 'zoe.krueger@example.com',
      country: 'AT',
      city: 'Wien',
    });
    expect(created.ok).toBe(true);
    if (!created.ok) return;
    expect(created.record).toMatchObject({
      type: 'mrs',
      name: 'Zoë Krüger',
      country: 'AT',
      street: '',
    });
    const updated = await adapter.updateCustomer(created.record.id, {
      phone: '+43 1 234',
      website: 'krueger.at',
    });
    expect(updated).toMatchObject({
      ok: true,
      record: { phone: '+43 1 234', website: 'krueger.at' },
    });
    expect(await adapter.findCustomersByEmail('zoe.krueger@example.com')).toHaveLength(1);
    expect(await adapter.findCustomersByName('Zoë Krüger')).toHaveLength(1);
  });

  it("reports a refused record with Xentral's reason and goes on", async () => {
    const refused = await adapter.createCustomer({ type: 'mr', name: 'X', country: 'Narnia' });
    expect(refused.ok).toBe(false);
    if (refused.ok) return;
    expect(refused.error).toMatch(/Xentral refused \(400\).*country/);
    expect(refused.uncertain).toBeUndefined();
  });

  it('reads a project through the list filtered by id, never /projects/{id}', async () => {
    mock.stats.reset();
    expect(await adapter.project('2')).toMatchObject({ id: '2', name: 'Vertrieb' });
    expect(await adapter.project('99')).toBeUndefined();
    expect(await adapter.project('x')).toBeUndefined();
    const endpoints = Object.keys(mock.stats.snapshot().endpoints);
    expect(endpoints).toEqual(['GET /api/v1/projects']);
    expect((await adapter.projects('')).map((p) => p.id)).toEqual(['1', '2']);
  });

  it('on a stock Xentral: lists employees by name only, and says the e-mail route is missing', async () => {
    const listed = await adapter.listEmployees();
    expect(listed.map((e) => e.name)).toEqual(['Anna Schmidt', 'Lukas Weber', 'Sophie Becker']);
    expect(listed.every((e) => e.email === '')).toBe(true);
    await expect(
      readAll(adapter.readChangedEmployees({ sinceMs: null, untilMs: Date.now() + 60_000 })),
    ).rejects.toThrow(CapabilityMissingError);
    expect((await adapter.createEmployee({ type: 'mr', name: 'Max' })).ok).toBe(false);
  });

  it('reads customers the spec allows: no primary address, no updatedAt, type other', async () => {
    mock.seed({ persons: 1, companies: 0, employees: 0, projects: 0, unusualCustomers: true });
    const customers = await readAll(
      adapter.readChangedCustomers({ sinceMs: null, untilMs: Date.now() - 60_000 }),
    );
    expect(customers).toHaveLength(4);
    expect(customers.find((c) => c.email === 'ohne-adresse@example.com')).toBeUndefined();
    expect(customers.find((c) => c.unusable?.why === 'no_primary_address')).toMatchObject({
      type: 'other',
    });
    // Never changed since an import: no updatedAt, read all the same, its creation time stands in.
    const ida = customers.find((c) => c.email === 'ida.import@example.com');
    expect(ida).toMatchObject({ type: 'mrs', name: 'Ida Import' });
    expect(ida?.unusable).toBeUndefined();
    expect(customers.find((c) => c.name === 'Hausverwaltung Sonnenhof')).toMatchObject({
      type: 'other',
    });
  });

  it('names the required address field Xentral refuses empty, and only that record fails', async () => {
    await settings({ refuseEmptyAddress: true });
    const refused = await adapter.createCustomer({
      type: 'mr',
      name: 'Ohne Strasse',
      street: '',
      zip: '86150',
      city: 'Augsburg',
      country: 'DE',
    });
    expect(refused.ok).toBe(false);
    if (refused.ok) return;
    expect(refused.error).toMatch(/requires the street \(primaryAddress\.street\)/);
    const fine = await adapter.createCustomer({
      type: 'mr',
      name: 'Mit Strasse',
      street: 'Am Markt 1',
      zip: '86150',
      city: 'Augsburg',
      country: 'DE',
    });
    expect(fine.ok).toBe(true);
  });

  it('creates, reads and changes employees through the extension routes', async () => {
    await settings({ extensions: true });
    const created = await adapter.createEmployee({
      type: 'mr',
      name: 'Max Meier',
      email: 'max@example.com',
      projectId: '1',
    });
    expect(created).toMatchObject({ ok: true, record: { name: 'Max Meier', projectId: '1' } });
    const all = await readAll(
      adapter.readChangedEmployees({ sinceMs: null, untilMs: Date.now() + 60_000 }),
    );
    expect(all).toHaveLength(4);
    if (!created.ok) return;
    expect(await adapter.updateEmployee(created.record.id, { name: 'Max M. Meier' })).toMatchObject(
      {
        ok: true,
        record: { name: 'Max M. Meier' },
      },
    );
    expect(await adapter.findEmployeesByEmail('max@example.com')).toHaveLength(1);
  });

  it('retries reads after 503 and a reset, and waits out a 429', async () => {
    await fetch(`${mock.url}/__mock/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        scripted: [
          { status: 503, count: 1, match: 'GET /api/v3/customers' },
          { status: 'reset', count: 1, match: 'GET /api/v3/customers' },
          { status: 429, count: 1, retryAfter: 0, match: 'GET /api/v3/customers' },
        ],
      }),
    });
    expect(await adapter.countChangedCustomers({ sinceMs: 0, untilMs: Date.now() + 60_000 })).toBe(
      250,
    );
  });

  it('says while it backs off what it retries, and counts every request it sent', async () => {
    const seen: unknown[] = [];
    const watched: XentralAdapter = new XentralAdapter({
      baseUrl: mock.url,
      token: TOKEN,
      retry: { maxAttempts: 3, baseDelayMs: 5, maxDelayMs: 20 },
      clock: {
        now: () => Date.now(),
        sleep: () => {
          seen.push(
            watched.http.activity().waits.map(({ reason, status }) => ({ reason, status })),
          );
          return Promise.resolve();
        },
      },
    });
    await fetch(`${mock.url}/__mock/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        scripted: [
          { status: 503, count: 1, match: 'GET /api/v3/customers' },
          { status: 'reset', count: 1, match: 'GET /api/v3/customers' },
        ],
      }),
    });
    await watched.countChangedCustomers({ sinceMs: 0, untilMs: Date.now() + 60_000 });
    expect(seen).toEqual([[{ reason: 'retry', status: 503 }], [{ reason: 'retry', status: null }]]);
    expect(watched.http.activity()).toMatchObject({ sent: 3, limit: 98, waits: [] });
  });

  it('does not repeat a create after a 500 but says its outcome is uncertain', async () => {
    await fetch(`${mock.url}/__mock/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        scripted: [{ status: 500, count: 1, match: 'POST /api/v3/customers' }],
      }),
    });
    const result = await adapter.createCustomer({
      type: 'mr',
      name: 'Uncertain',
      email: 'u@example.com',
    });
    expect(result).toMatchObject({ ok: false, uncertain: true });
    expect(mock.store.dump().adresse.filter((row) => row.email === 'u@example.com')).toHaveLength(
      0,
    );
  });

  it('stops the run when the token is refused', async () => {
    const wrong = new XentralAdapter({ baseUrl: mock.url, token: 'nope' });
    await expect(wrong.countChangedCustomers({ sinceMs: 0, untilMs: Date.now() })).rejects.toThrow(
      RunAbortedError,
    );
  });
});
