import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RunDetailResponse } from '../../shared/api/runs';
import { SettingsResponse } from '../../shared/api/settings';
import { DEMO_PORTALS } from '../mocks/hubspot';
import { startAppEnv, type AppEnv, type Browser } from './app-env';

/**
 * Switching deal synchronisation off and on again once moved its activation, and the next deal run
 * took every order released before the new activation as "already there": orders released while it
 * was on, not yet sent, were dropped without a word.
 */

let env: AppEnv;
let admin: Browser;
beforeAll(async () => {
  env = await startAppEnv();
  admin = env.browser();
  await admin.launch();
  expect((await admin.connect(DEMO_PORTALS[0].hubId)).status).toBe(303);
});
afterAll(async () => {
  await env?.close();
});

async function saveDealSync(dealSync: boolean) {
  env.advance(60_000);
  const current = SettingsResponse.parse((await admin.json('GET', '/api/settings')).body);
  const saved = await admin.json('PUT', '/api/settings', { ...current, dealSync });
  expect(saved.status).toBe(200);
  return SettingsResponse.parse(saved.body);
}

/** A new customer's order, released in Xentral. */
async function releasedOrder(name: string): Promise<string> {
  const buyer = await env.server.composed.systems.xentral.createCustomer({
    type: 'mrs',
    name,
    email: `${name.toLowerCase().replace(/\s+/g, '.')}@example.com`,
    country: 'DE',
  });
  if (!buyer.ok) throw new Error(buyer.error);
  env.advance(1_100);
  const response = await fetch(`${env.server.mocks.xentral?.url ?? ''}/__mock/orders`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ customerId: buyer.record.id, total: '99.00', status: 'released' }),
  });
  expect(response.status).toBe(201);
  return ((await response.json()) as { data: { id: string } }).data.id;
}

async function runDeals(): Promise<RunDetailResponse> {
  env.advance(1_100);
  const started = await admin.json<{ id: number }>('POST', '/api/runs', { kind: 'deals' });
  expect(started.status).toBe(202);
  await env.server.composed.services.runs.idle();
  return RunDetailResponse.parse(
    (await admin.json('GET', `/api/runs/${started.body.id}?limit=1000`)).body,
  );
}

const createdDeals = (detail: RunDetailResponse) =>
  detail.items
    .filter((item) => item.type === 'deal' && item.action === 'created')
    .map((item) => item.xentralId);

describe('deal synchronisation switched off and on again', () => {
  it('keeps its first activation and sends the orders released while it was on', async () => {
    const first = await saveDealSync(true);
    expect((await runDeals()).run.status).toBe('succeeded'); // the baseline of older orders

    const whileOn = await releasedOrder('Ona Active');
    const off = await saveDealSync(false);
    const whileOff = await releasedOrder('Otto Paused');
    const on = await saveDealSync(true);
    expect(off.dealSyncActivatedAt).toBe(first.dealSyncActivatedAt);
    expect(on.dealSyncActivatedAt).toBe(first.dealSyncActivatedAt);
    const afterwards = await releasedOrder('Nora Again');

    const detail = await runDeals();
    expect(detail.run.status).toBe('succeeded');
    // All three were released after the activation: none is dropped, each is one deal.
    expect(createdDeals(detail).sort()).toEqual([whileOn, whileOff, afterwards].sort());
    expect(createdDeals(await runDeals())).toEqual([]);
  });
});
