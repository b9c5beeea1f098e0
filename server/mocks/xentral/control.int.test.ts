import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { verifyLaunchToken } from '../../auth/launch-token';
import type { StatsSnapshot } from '../common/stats';
import { demoCompany, demoPerson } from '../common/demo-data';
import type { SeedSummary, XentralCustomer, XentralState } from './index';
import type { ProblemBody } from './problems';
import type { V3List } from './query';
import { call, filterQuery, startTestMock, TestClock } from './test-support';

type Handle = Awaited<ReturnType<typeof startTestMock>>;

const SECRET = 'launch-secret-for-tests-0123456789abcdef';

let mock: Handle;

beforeAll(async () => {
  mock = await startTestMock({ seed: 7 });
});

afterAll(async () => {
  await mock.close();
});

afterEach(async () => {
  await call(mock.url, 'POST', '/__mock/reset');
});

const control = <T>(method: string, path: string, body?: unknown) =>
  call<T>(mock.url, method, `/__mock${path}`, {
    token: null,
    ...(body === undefined ? {} : { body }),
  });

describe('seed, state and reset', () => {
  it('seeds the demo world: persons of both types, companies, employees, projects, orders', async () => {
    const seeded = await control<SeedSummary>('POST', '/seed', {});
    expect(seeded.status).toBe(200);
    expect(seeded.body).toMatchObject({
      seed: 7,
      persons: { count: 240, firstIndex: 0 },
      companies: { count: 80, firstIndex: 0 },
      employees: 8,
      projects: 6,
      draftOrders: 12,
      releasedOrders: 12,
    });
    const state = (await control<XentralState>('GET', '/state')).body;
    const types = new Set(
      state.adresse.filter((row) => row.kundennummer !== '').map((row) => row.typ),
    );
    expect(types).toEqual(new Set(['herr', 'frau', 'firma']));
    const customers = state.adresse.filter((row) => row.kundennummer !== '');
    expect(customers.filter((row) => row.email === '').length).toBe(15);
    const emails = customers.map((row) => row.email.toLowerCase()).filter((email) => email !== '');
    expect(emails.length - new Set(emails).size).toBe(4);
    expect(state.adresse_rolle.filter((rolle) => rolle.subjekt === 'Mitarbeiter')).toHaveLength(8);
    expect(state.projekt.map((row) => row.abkuerzung)).toContain('STANDARD');
    expect(state.auftrag.filter((row) => row.status === 'freigegeben')).toHaveLength(12);
    expect(
      state.auftrag.filter((row) => row.status === 'angelegt' && row.belegnr === ''),
    ).toHaveLength(12);
    expect(customers.some((row) => row.innendienst > 0)).toBe(true);
  });

  it('is deterministic and uses the shared generator by index', async () => {
    const body = {
      persons: 5,
      companies: 3,
      employees: 1,
      projects: 1,
      draftOrders: 2,
      releasedOrders: 1,
      personStartIndex: 100,
      companyStartIndex: 50,
      withoutEmailEvery: 0,
      duplicateEmailEvery: 0,
    };
    await control('POST', '/seed', body);
    const first = (await control<XentralState>('GET', '/state')).body;
    await control('POST', '/seed', body);
    const second = (await control<XentralState>('GET', '/state')).body;
    expect(second).toEqual(first);

    const person = demoPerson(7, 100);
    expect(first.adresse.find((row) => row.email === person.email)).toMatchObject({
      name: `${person.firstName} ${person.lastName}`,
      typ: person.salutation === 'mrs' ? 'frau' : 'herr',
      land: person.countryCode,
      abteilung: person.jobTitle,
    });
    const company = demoCompany(7, 50);
    expect(first.adresse.find((row) => row.name === company.name)).toMatchObject({
      typ: 'firma',
      internetseite: `https://${company.domain}`,
    });
  });

  it('appends on request and rejects bad bodies', async () => {
    await control('POST', '/seed', {
      persons: 2,
      companies: 0,
      employees: 0,
      projects: 0,
      draftOrders: 0,
      releasedOrders: 0,
    });
    await control('POST', '/seed', {
      persons: 2,
      personStartIndex: 2,
      companies: 0,
      employees: 0,
      projects: 0,
      draftOrders: 0,
      releasedOrders: 0,
      append: true,
    });
    expect(mock.store.customers()).toHaveLength(4);
    const bad = await control<{ error: string }>('POST', '/seed', { persons: -1 });
    expect(bad.status).toBe(400);
    const both = await control<{ error: string }>('POST', '/seed', { persons: 1, customers: 1 });
    expect(both.status).toBe(400);
  });

  it('resets to an empty instance', async () => {
    mock.seedDemo();
    expect((await control('POST', '/reset')).status).toBe(200);
    expect((await control<XentralState>('GET', '/state')).body).toEqual({
      adresse: [],
      adresse_rolle: [],
      projekt: [],
      auftrag: [],
    });
    const list = await call<V3List<XentralCustomer>>(mock.url, 'GET', '/api/v3/customers');
    expect(list.body.data).toEqual([]);
  });

  it('soft-deletes an address through the control API', async () => {
    const seeded = mock.seed({
      persons: 1,
      companies: 0,
      employees: 0,
      projects: 0,
      draftOrders: 0,
      releasedOrders: 0,
    });
    const id = seeded.customerIds.first ?? 0;
    expect((await control('DELETE', `/addresses/${id}`)).status).toBe(200);
    expect((await call(mock.url, 'GET', `/api/v3/customers/${id}`)).status).toBe(404);
    expect((await control('DELETE', `/addresses/${id}`)).status).toBe(404);
  });
});

describe('stats and faults', () => {
  it('counts requests per endpoint, not the control calls', async () => {
    await call(mock.url, 'GET', '/api/v3/customers');
    await call(mock.url, 'GET', '/api/v3/customers/5');
    await call(mock.url, 'GET', '/api/v3/customers', { token: null });
    const stats = (await control<StatsSnapshot>('GET', '/stats')).body;
    expect(stats.total).toBe(3);
    expect(stats.endpoints['GET /api/v3/customers']).toEqual({
      count: 2,
      statuses: { '200': 1, '401': 1 },
    });
    expect(stats.endpoints['GET /api/v3/customers/:id']).toEqual({
      count: 1,
      statuses: { '404': 1 },
    });
  });

  it('injects scripted faults as Xentral bodies', async () => {
    await control('POST', '/faults', {
      scripted: [
        { status: 503, match: 'salesOrders', retryAfter: 2 },
        { status: 429, match: 'customers' },
      ],
    });
    const unavailable = await call<ProblemBody>(mock.url, 'GET', '/api/v3/salesOrders');
    expect(unavailable.status).toBe(503);
    expect(unavailable.headers.get('retry-after')).toBe('2');
    expect(unavailable.body).toMatchObject({ status: 503, title: 'Service Unavailable' });
    const limited = await call(mock.url, 'GET', '/api/v3/customers');
    expect(limited.status).toBe(429);
    expect(limited.body).toEqual({ message: 'Too Many Requests' });
    expect((await call(mock.url, 'GET', '/api/v3/customers')).status).toBe(200);
    expect((await control<StatsSnapshot>('GET', '/stats')).body.rateLimited).toBe(1);
  });
});

describe('rate limit', () => {
  it('allows 100 requests per sliding minute when rateLimits is on, then 429', async () => {
    const clock = new TestClock();
    const limited = await startTestMock({ clock });
    try {
      await call(limited.url, 'POST', '/__mock/faults', { body: { rateLimits: true } });
      for (let i = 0; i < 100; i++) {
        clock.advance(100);
        const reply = await call(
          limited.url,
          'GET',
          '/api/v1/projects?page[number]=1&page[size]=10',
        );
        expect(reply.status).toBe(200);
        expect(reply.headers.get('x-ratelimit-remaining')).toBe(String(99 - i));
      }
      const refused = await call(limited.url, 'GET', '/api/v3/customers');
      expect(refused.status).toBe(429);
      expect(refused.body).toEqual({ message: 'Too Many Requests' });
      expect(refused.headers.get('x-ratelimit-limit')).toBe('100');
      // The oldest request (at +100 ms) leaves the window 60 s later: 50.1 s from now.
      expect(refused.headers.get('retry-after')).toBe('51');
      clock.advance(50_100);
      expect(
        (await call(limited.url, 'GET', '/api/v1/projects?page[number]=1&page[size]=10')).status,
      ).toBe(200);
      expect(
        (await call(limited.url, 'GET', '/api/v1/projects?page[number]=1&page[size]=10')).status,
      ).toBe(429);
      expect((await call(limited.url, 'GET', '/__mock/stats')).body).toMatchObject({
        rateLimited: 2,
      });

      // With timeScale 10 the window lasts 6 s.
      await call(limited.url, 'POST', '/__mock/faults', {
        body: { rateLimits: true, timeScale: 10 },
      });
      clock.advance(6_000);
      expect(
        (await call(limited.url, 'GET', '/api/v1/projects?page[number]=1&page[size]=10')).status,
      ).toBe(200);
    } finally {
      await limited.close();
    }
  });

  it('is off by default', async () => {
    for (let i = 0; i < 120; i++) {
      expect(
        (await call(mock.url, 'GET', `/api/v3/customers?${filterQuery(['id', 'equals', '1'])}`))
          .status,
      ).toBe(200);
    }
  });
});

describe('App Center', () => {
  it('redirects / to the App Center and says when no app is installed', async () => {
    const root = await call(mock.url, 'GET', '/', { token: null });
    expect(root.status).toBe(302);
    expect(root.headers.get('location')).toBe('/appcenter');
    const page = await call<string>(mock.url, 'GET', '/appcenter', { token: null });
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    expect(page.body).toContain('Es ist noch keine App installiert.');
    expect(
      (await call(mock.url, 'GET', '/appcenter/apps/hubspot/open', { token: null })).status,
    ).toBe(404);
  });

  it('lists the HubSpot app and opens it with a launch token the app accepts', async () => {
    mock.setAppCenterApp({
      launchUrl: 'http://127.0.0.1:3999/launch?from=appcenter',
      launchSecret: SECRET,
    });
    const page = await call<string>(mock.url, 'GET', '/appcenter', { token: null });
    expect(page.body).toContain('<h2>HubSpot');
    const href = /<a class="open" href="([^"]+)">Öffnen<\/a>/.exec(page.body)?.[1];
    expect(href).toBe('/appcenter/apps/hubspot/open');

    const open = await call(mock.url, 'GET', href ?? '', { token: null });
    expect(open.status).toBe(302);
    const location = new URL(open.headers.get('location') ?? '');
    expect(`${location.origin}${location.pathname}`).toBe('http://127.0.0.1:3999/launch');
    expect(location.searchParams.get('from')).toBe('appcenter');
    const token = location.searchParams.get('token') ?? '';
    const check = verifyLaunchToken(SECRET, token, mock.clock.now(), { issuer: mock.url });
    expect(check).toMatchObject({
      ok: true,
      payload: { iss: mock.url, sub: 'admin', name: 'Admin' },
    });
    expect(
      verifyLaunchToken('another-secret-another-secret-0000', token, mock.clock.now(), {
        issuer: mock.url,
      }).ok,
    ).toBe(false);
  });

  it('escapes what it shows', async () => {
    mock.setAppCenterApp({
      appName: '<script>alert(1)</script>',
      launchUrl: 'http://x.example/launch',
      launchSecret: SECRET,
    });
    const page = await call<string>(mock.url, 'GET', '/appcenter', { token: null });
    expect(page.body).not.toContain('<script>');
    expect(page.body).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    mock.setAppCenterApp({
      appName: 'HubSpot',
      launchUrl: 'http://x.example/launch',
      launchSecret: SECRET,
    });
  });
});
