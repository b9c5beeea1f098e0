import { Client } from '@hubspot/api-client';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { RunAbortedError } from '../../engine/errors';
import { startHubSpotMock, type HubSpotMockHandle } from '../../mocks/hubspot';
import { createHubSpotGates, HubSpotAdapter } from './adapter';

const HUB_ID = 4_200_001;
let mock: HubSpotMockHandle;

beforeAll(async () => {
  mock = await startHubSpotMock({
    host: '127.0.0.1',
    port: 0,
    settings: { searchIndexLagMs: 0 },
  });
});
afterAll(() => mock.close());
beforeEach(() => {
  mock.reset();
  mock.seed({
    portals: [{ hubId: HUB_ID, name: 'Adapter Test', domain: 'adapter.example' }],
    contacts: 450,
    owners: 3,
  });
});

function adapter(options: { refresh?: () => Promise<string>; expiresInSeconds?: number } = {}) {
  const token = mock.issueToken({
    hubId: HUB_ID,
    expiresInSeconds: options.expiresInSeconds ?? 3600,
  });
  const client = new Client({ accessToken: token.access_token, basePath: mock.url });
  return new HubSpotAdapter({
    client,
    portalId: String(HUB_ID),
    gates: createHubSpotGates(),
    retry: { maxAttempts: 4, baseDelayMs: 5, maxDelayMs: 50 },
    ...(options.refresh ? { refreshAccessToken: options.refresh } : {}),
  });
}

async function faults(body: unknown) {
  await fetch(`${mock.url}/__mock/faults`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
}

async function readAll(
  hubspot: HubSpotAdapter,
  sinceMs: number | null = null,
  onTotal?: (total: number) => void,
) {
  const all = [];
  for await (const page of hubspot.readChanged('contact', {
    sinceMs,
    untilMs: Date.now() + 60_000,
    ...(onTotal ? { onTotal } : {}),
  })) {
    all.push(...page);
  }
  return all;
}

describe('HubSpot adapter against the HubSpot mock', () => {
  it('reads every contact through search pages in ascending modification order', async () => {
    const totals: number[] = [];
    const contacts = await readAll(adapter(), null, (total) => totals.push(total));
    expect(contacts).toHaveLength(450);
    // Told once, with the first page: what the progress bar counts on ahead.
    expect(totals).toEqual([450]);
    expect(new Set(contacts.map((c) => c.id)).size).toBe(450);
    const times = contacts.map((c) => Date.parse(c.updatedAt));
    expect(times).toEqual([...times].sort((a, b) => a - b));
    expect(
      await adapter().countChanged('contact', { sinceMs: 0, untilMs: Date.now() + 60_000 }),
    ).toBe(450);
  });

  it('lists the active owners', async () => {
    const owners = await adapter().listOwners();
    expect(owners.length).toBeGreaterThanOrEqual(3);
    expect(owners.every((owner) => owner.active && owner.email.includes('@'))).toBe(true);
  });

  it('creates by xentral_id idempotently and updates in one batch', async () => {
    const hubspot = adapter();
    await hubspot.ensureProperties();
    await hubspot.ensureProperties();
    const inputs = [
      { xentralId: 'x1', patch: { email: 'new1@example.com', firstName: 'Neu' } },
      { xentralId: 'x2', patch: { email: 'new2@example.com' } },
    ];
    const first = await hubspot.createByXentralId('contact', inputs);
    expect(first.every((r) => r.ok)).toBe(true);
    // the same create again (a lost answer retried) finds the records made the first time
    const again = await hubspot.createByXentralId('contact', inputs);
    expect(again.map((r) => r.ok && r.record.id)).toEqual(first.map((r) => r.ok && r.record.id));
    const ids = first.map((r) => (r.ok ? r.record.id : ''));
    const updated = await hubspot.update('contact', [
      { id: ids[0]!, patch: { city: 'Ulm' } },
      { id: '999999999', patch: { city: 'Nowhere' } },
    ]);
    expect(updated[0]).toMatchObject({ ok: true, record: { city: 'Ulm' } });
    expect(updated[1]).toMatchObject({ ok: false });
  });

  it('isolates a refused record in a batch and writes the others', async () => {
    const hubspot = adapter();
    await hubspot.ensureProperties();
    const results = await hubspot.createByXentralId('contact', [
      { xentralId: 'a', patch: { email: 'good-a@example.com' } },
      { xentralId: 'b', patch: { email: 'not an e-mail' } },
      { xentralId: 'c', patch: { email: 'good-c@example.com' } },
    ]);
    expect(results.map((r) => r.ok)).toEqual([true, false, true]);
    expect(results[1]).toMatchObject({ error: expect.stringMatching(/email/i) });
  });

  it('waits out 429s (with and without Retry-After) and retries 5xx and resets', async () => {
    await faults({
      // HubSpot's windows at 1/50 of their length: waiting one out takes a fifth of a second
      timeScale: 50,
      scripted: [
        {
          status: 429,
          count: 1,
          policyName: 'TEN_SECONDLY_ROLLING',
          retryAfter: 0,
          match: '/search',
        },
        { status: 429, count: 1, policyName: 'SECONDLY', match: '/search' },
        { status: 502, count: 1, match: '/search' },
        { status: 'reset', count: 1, match: '/search' },
      ],
    });
    expect(
      await adapter().countChanged('contact', { sinceMs: 0, untilMs: Date.now() + 60_000 }),
    ).toBe(450);
  });

  it('stops the run on the daily limit', async () => {
    await faults({ scripted: [{ status: 429, count: 1, policyName: 'DAILY', match: '/owners' }] });
    await expect(adapter().listOwners()).rejects.toThrow(/daily API limit/);
  });

  it('renews an expired token once and goes on; without renewal the run stops', async () => {
    let renewed = 0;
    const hubspot = adapter({
      refresh: () => {
        renewed++;
        return Promise.resolve(mock.issueToken({ hubId: HUB_ID }).access_token);
      },
    });
    await hubspot.listOwners();
    mock.expireAccessTokens({ hubId: HUB_ID });
    await hubspot.listOwners();
    expect(renewed).toBe(1);

    const stuck = adapter();
    mock.expireAccessTokens({ hubId: HUB_ID });
    await expect(stuck.listOwners()).rejects.toBeInstanceOf(RunAbortedError);
  });

  it('stays under the rate limit it is told about', async () => {
    await faults({ rateLimits: true, timeScale: 20 });
    const hubspot = adapter();
    const gates = createHubSpotGates(undefined, 20);
    const paced = new HubSpotAdapter({
      client: (hubspot as unknown as { client: Client }).client,
      portalId: String(HUB_ID),
      gates,
    });
    for (let i = 0; i < 150; i++) await paced.listOwners();
    expect(mock.stats.snapshot().rateLimited).toBe(0);
  });

  it('keeps unlimited gates unlimited until HubSpot refuses, then follows its window', async () => {
    const token = mock.issueToken({ hubId: HUB_ID }).access_token;
    const gates = createHubSpotGates(undefined, Number.POSITIVE_INFINITY);
    const unlimited = new HubSpotAdapter({
      client: new Client({ accessToken: token, basePath: mock.url }),
      portalId: String(HUB_ID),
      gates,
    });
    for (let i = 0; i < 3; i++) await unlimited.listOwners();
    expect(gates.general.settings.limit).toBe(Number.POSITIVE_INFINITY);
    await faults({ scripted: [{ status: 429, count: 1, retryAfter: 0, match: '/owners' }] });
    await unlimited.listOwners();
    expect(gates.general.settings.limit).toBe(108);
    const paced = createHubSpotGates();
    await new HubSpotAdapter({
      client: new Client({ accessToken: token, basePath: mock.url }),
      portalId: String(HUB_ID),
      gates: paced,
    }).listOwners();
    // X-HubSpot-RateLimit-Max 110, two below it for clock skew.
    expect(paced.general.settings.limit).toBe(108);
  });

  it('backs off on search refusals that announce nothing, instead of asking again at once', async () => {
    const token = mock.issueToken({ hubId: HUB_ID }).access_token;
    const gates = createHubSpotGates(undefined, Number.POSITIVE_INFINITY);
    // The waits the adapter asks for, as it asks: timers on a loaded machine say nothing exact.
    const waits: number[] = [];
    for (const gate of [gates.general, gates.search]) {
      const pause = gate.pause.bind(gate);
      gate.pause = (until: number) => {
        waits.push(until - Date.now());
        pause(until);
      };
    }
    const unlimited = new HubSpotAdapter({
      client: new Client({ accessToken: token, basePath: mock.url }),
      portalId: String(HUB_ID),
      gates,
    });
    // Search answers carry no rate-limit headers and the 429s no Retry-After: both policies.
    await faults({
      scripted: [
        { status: 429, count: 6, match: '/search' },
        { status: 429, count: 2, policyName: 'SECONDLY', match: '/search' },
      ],
    });
    expect(await readAll(unlimited)).toHaveLength(450);
    expect(mock.stats.snapshot().rateLimited).toBe(8);
    // The same request refused eight times: each wait doubles from 10 ms, up to the refusing
    // policy's window (ten seconds for the first six, one second for SECONDLY).
    const expected = [10, 20, 40, 80, 160, 320, 640, 1050];
    expect(waits).toHaveLength(8);
    waits.forEach((wait, i) => {
      expect(wait).toBeGreaterThan((expected[i] as number) - 5);
      expect(wait).toBeLessThanOrEqual(expected[i] as number);
    });
  });

  it('reports the pairs a batch associate refused inside its 200 answer', async () => {
    const token = mock.issueToken({ hubId: HUB_ID }).access_token;
    const client = new Client({ accessToken: token, basePath: mock.url });
    const deal = await client.crm.deals.basicApi.create({
      properties: { dealname: 'Adapter deal' },
      associations: [],
    });
    const [contact] = (await client.crm.contacts.basicApi.getPage(1)).results;
    const results = await adapter().associateDeals('contact', [
      { dealId: deal.id, buyerId: contact?.id ?? '' },
      { dealId: deal.id, buyerId: '999999999' },
    ]);
    expect(results[0]).toEqual({ ok: true, record: null });
    expect(results[1]).toMatchObject({ ok: false, error: expect.stringMatching(/999999999/) });
  });
});
