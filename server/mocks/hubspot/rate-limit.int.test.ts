import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startHubSpotMock, type HubSpotMockHandle } from './index';
import { anyString, api, control, failure, sdk, testClock } from './test-helpers';

const time = testClock();
let mock: HubSpotMockHandle;
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
  mock.seedDemo();
  token = mock.issueToken({ hubId: 1234567 }).access_token;
});

const list = (accessToken = token) =>
  api(mock, 'GET', '/crm/v3/objects/contacts?limit=1', { token: accessToken });
const search = () =>
  api(mock, 'POST', '/crm/v3/objects/contacts/search', { token, body: { limit: 1 } });

async function burn(count: number, call: () => Promise<Response>): Promise<Response[]> {
  const responses: Response[] = [];
  for (let i = 0; i < count; i++) {
    const response = await call();
    await response.arrayBuffer();
    responses.push(response);
  }
  return responses;
}

describe('rate limits', () => {
  it('are off by default: no 429, but the headers count the real window', async () => {
    const responses = await burn(130, list);
    expect(responses.every((response) => response.status === 200)).toBe(true);
    const remaining = responses.map((response) =>
      Number(response.headers.get('x-hubspot-ratelimit-remaining')),
    );
    expect(responses[0]?.headers.get('x-hubspot-ratelimit-max')).toBe('110');
    expect(responses[0]?.headers.get('x-hubspot-ratelimit-interval-milliseconds')).toBe('10000');
    expect(remaining.slice(0, 3)).toEqual([109, 108, 107]);
    expect(remaining[109]).toBe(0);
    expect(remaining[129]).toBe(0);
    time.advance(10_000);
    expect((await list()).headers.get('x-hubspot-ratelimit-remaining')).toBe('109');
  });

  it('leave the headers off search answers and OAuth calls off the daily pair', async () => {
    const searched = await search();
    expect(searched.status).toBe(200);
    for (const header of [
      'max',
      'remaining',
      'interval-milliseconds',
      'daily',
      'daily-remaining',
    ]) {
      expect(searched.headers.get(`x-hubspot-ratelimit-${header}`)).toBeNull();
    }
    const listed = await list();
    expect(listed.headers.get('x-hubspot-ratelimit-daily')).toBeNull();
    expect(listed.headers.get('x-hubspot-ratelimit-daily-remaining')).toBeNull();
    // The search still used up one request of the portal's window.
    expect(listed.headers.get('x-hubspot-ratelimit-remaining')).toBe('108');
  });

  it('come on error answers too, but not on refused authentication', async () => {
    const missing = await api(mock, 'GET', '/crm/v3/objects/contacts/999999999', { token });
    expect(missing.status).toBe(404);
    expect(missing.headers.get('x-hubspot-ratelimit-remaining')).toBe('109');
    const invalid = await api(mock, 'POST', '/crm/v3/objects/contacts', { token, body: {} });
    expect(invalid.status).toBe(400);
    expect(invalid.headers.get('x-hubspot-ratelimit-max')).toBe('110');
    const refused = await list('not-a-token');
    expect(refused.status).toBe(401);
    expect(refused.headers.get('x-hubspot-ratelimit-max')).toBeNull();
  });

  it('allow 110 requests per rolling 10 s per portal, with HubSpot headers and 429 body', async () => {
    await control(mock, '/faults', { rateLimits: true });
    const responses = await burn(110, list);
    expect(responses.map((response) => response.status)).toEqual(Array(110).fill(200));
    expect(responses[0]?.headers.get('x-hubspot-ratelimit-max')).toBe('110');
    expect(responses[0]?.headers.get('x-hubspot-ratelimit-remaining')).toBe('109');
    expect(responses[0]?.headers.get('x-hubspot-ratelimit-interval-milliseconds')).toBe('10000');
    expect(responses[109]?.headers.get('x-hubspot-ratelimit-remaining')).toBe('0');
    // OAuth calls carry no daily headers.
    expect(responses[0]?.headers.get('x-hubspot-ratelimit-daily')).toBeNull();

    const refused = await list();
    expect(refused.status).toBe(429);
    expect(refused.headers.get('x-hubspot-ratelimit-remaining')).toBe('0');
    expect(await refused.json()).toEqual({
      status: 'error',
      message: 'You have reached your ten_secondly_rolling limit.',
      errorType: 'RATE_LIMIT',
      correlationId: anyString,
      policyName: 'TEN_SECONDLY_ROLLING',
      groupName: anyString,
    });

    // Through the SDK the 429 surfaces with its body, so clients can read policyName.
    const error = await failure(sdk(mock, token).crm.contacts.basicApi.getPage(1));
    expect(error.code).toBe(429);
    expect(error.body.policyName).toBe('TEN_SECONDLY_ROLLING');

    // Another portal has its own window.
    const other = mock.issueToken({ hubId: 7654321 }).access_token;
    expect((await list(other)).status).toBe(200);

    // The window rolls: ten seconds later the portal may call again.
    time.advance(10_000);
    expect((await list()).status).toBe(200);

    const stats = (await (await fetch(`${mock.url}/__mock/stats`)).json()) as {
      rateLimited: number;
    };
    expect(stats.rateLimited).toBe(2);
  });

  it('shrink their windows by faults.timeScale and follow /__mock/settings', async () => {
    await control(mock, '/faults', { rateLimits: true, timeScale: 10 });
    await control(mock, '/settings', { rateLimit: { max: 3 } });
    const responses = await burn(4, list);
    expect(responses.map((response) => response.status)).toEqual([200, 200, 200, 429]);
    expect(responses[0]?.headers.get('x-hubspot-ratelimit-interval-milliseconds')).toBe('1000');
    expect(responses[0]?.headers.get('x-hubspot-ratelimit-max')).toBe('3');
    time.advance(1000);
    expect((await list()).status).toBe(200);
  });

  it('limit search separately to 5 requests per second', async () => {
    await control(mock, '/faults', { rateLimits: true });
    const responses = await burn(5, search);
    expect(responses.every((response) => response.status === 200)).toBe(true);
    const refused = await search();
    expect(refused.status).toBe(429);
    expect(await refused.json()).toMatchObject({
      status: 'error',
      message: 'You have reached your secondly limit.',
      errorType: 'RATE_LIMIT',
      policyName: 'SECONDLY',
    });
    // Other endpoints are not affected by the search limit.
    expect((await list()).status).toBe(200);
    time.advance(1000);
    expect((await search()).status).toBe(200);
  });

  it('render injected 429s exactly like real ones, with Retry-After when scripted', async () => {
    await control(mock, '/faults', {
      scripted: [
        { status: 429, count: 1, match: '/search', policyName: 'SECONDLY', retryAfter: 2 },
      ],
    });
    expect((await list()).status).toBe(200);
    const injected = await search();
    expect(injected.status).toBe(429);
    expect(injected.headers.get('retry-after')).toBe('2');
    const body = (await injected.json()) as Record<string, unknown>;
    expect(Object.keys(body).sort()).toEqual(
      ['correlationId', 'errorType', 'groupName', 'message', 'policyName', 'status'].sort(),
    );
    expect(body).toMatchObject({
      message: 'You have reached your secondly limit.',
      policyName: 'SECONDLY',
      errorType: 'RATE_LIMIT',
    });
    expect((await search()).status).toBe(200);
  });

  it('render other injected faults with the HubSpot error body', async () => {
    await control(mock, '/faults', { scripted: [{ status: 503, count: 1 }] });
    const response = await list();
    expect(response.status).toBe(503);
    expect(await response.json()).toMatchObject({
      status: 'error',
      category: anyString,
      correlationId: anyString,
    });
  });
});
