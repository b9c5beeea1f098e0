import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { signLaunchToken } from './auth/launch-token';
import { ConflictsResponse } from '../shared/api/conflicts';
import type { ServerEvent } from '../shared/api/events';
import { ENDPOINTS } from '../shared/api/endpoints';
import { ConnectionResponse } from '../shared/api/connection';
import { RunDetailResponse, RunsResponse } from '../shared/api/runs';
import { SettingsResponse } from '../shared/api/settings';
import { DEMO_PORTALS } from './mocks/hubspot';
import { revokeRefreshToken } from './mocks/hubspot/oauth';
import {
  API_TOKEN,
  LAUNCH_SECRET,
  startAppEnv,
  type AppEnv,
  type Browser,
} from './testing/app-env';
import { ALL_ENDPOINTS, CHANGING, labelOf, pathFor, SIGNED_IN } from './testing/endpoints';

/**
 * The App API over HTTP: server, SQLite file and both mocks — connection, settings, runs,
 * conflicts and the access rules, as the README's App API section describes them.
 */

const HUB = DEMO_PORTALS[0].hubId;
const OTHER_HUB = DEMO_PORTALS[1].hubId;

let env: AppEnv;
let admin: Browser;
beforeEach(async () => {
  env = await startAppEnv();
  admin = env.browser();
  await admin.launch();
});
afterEach(() => env.close());

async function connect(browser = admin, hubId = HUB) {
  const back = await browser.connect(hubId);
  expect(back.status).toBe(303);
  expect(back.headers.get('location')).toBe('/?connected=1');
}

/** Starts a run the way the UI does, a moment after whatever the test changed. */
async function startRun(kind: string, browser = admin) {
  env.advance(1_100);
  return browser.json<{ id: number; error?: { code: string } }>('POST', '/api/runs', { kind });
}

async function waitForRun(id: number) {
  await env.server.composed.services.runs.idle();
  return RunDetailResponse.parse((await admin.json('GET', `/api/runs/${id}?limit=1000`)).body);
}

describe('sign-in', () => {
  it('refuses every endpoint but health, launch and the OAuth callback without credentials', async () => {
    // Public by decision: monitors, and the two arrivals that sign in on their own.
    expect(ALL_ENDPOINTS.filter(({ endpoint }) => endpoint.access === 'public')).toEqual([
      { name: 'health', endpoint: ENDPOINTS.health },
      { name: 'launch', endpoint: ENDPOINTS.launch },
      { name: 'oauthCallback', endpoint: ENDPOINTS.oauthCallback },
    ]);
    for (const { endpoint } of SIGNED_IN) {
      const response = await fetch(`${env.url}${pathFor(endpoint)}`, { method: endpoint.method });
      expect(response.status, labelOf(endpoint)).toBe(401);
      expect((await response.json()) as unknown).toMatchObject({ error: { code: 'unauthorized' } });
    }
    // Unknown API paths too: nobody learns what exists without credentials.
    expect((await fetch(`${env.url}/api/nothing-here`)).status).toBe(401);
    expect((await fetch(`${env.url}/api/health`)).status).toBe(200);
    const wrongToken = await fetch(`${env.url}/api/settings`, {
      headers: { authorization: 'Bearer nope' },
    });
    expect(wrongToken.status).toBe(401);
  });

  it('accepts a launch token once, and refuses forged and expired ones', async () => {
    const token = signLaunchToken(
      LAUNCH_SECRET,
      { iss: env.launchIssuer, sub: 'admin' },
      new Date(),
    );
    const first = await fetch(`${env.url}/launch?token=${token}`, { redirect: 'manual' });
    expect(first.status).toBe(303);
    expect(first.headers.get('set-cookie')).toMatch(/xhs_session=.*HttpOnly.*SameSite=Lax/i);
    const replay = await fetch(`${env.url}/launch?token=${token}`, { redirect: 'manual' });
    expect(replay.status).toBe(401);
    const forged = signLaunchToken(
      'f'.repeat(32),
      { iss: env.launchIssuer, sub: 'admin' },
      new Date(),
    );
    expect((await fetch(`${env.url}/launch?token=${forged}`)).status).toBe(401);
    const old = signLaunchToken(
      LAUNCH_SECRET,
      { iss: env.launchIssuer, sub: 'admin' },
      new Date(Date.now() - 3600_000),
    );
    expect((await fetch(`${env.url}/launch?token=${old}`)).status).toBe(401);
  });

  it('needs the CSRF token for every change made with the session cookie', async () => {
    expect(CHANGING.length).toBeGreaterThan(0);
    for (const { endpoint } of CHANGING) {
      const without = await admin.fetch(pathFor(endpoint), {
        method: endpoint.method,
        csrf: false,
        body: JSON.stringify({ kind: 'sync' }),
        headers: { 'content-type': 'application/json' },
      });
      expect(without.status, labelOf(endpoint)).toBe(403);
      expect(((await without.json()) as { error: { code: string } }).error.code).toBe(
        'csrf_failed',
      );
    }
    expect(env.server.composed.db.prepare('SELECT count(*) AS n FROM runs').get()).toEqual({
      n: 0,
    });
  });
});

describe('the HubSpot connection', () => {
  it('connects through the OAuth dance, shows the portal and loads the lifecycle stages', async () => {
    expect((await admin.json('GET', '/api/connection')).body).toMatchObject({
      status: 'disconnected',
    });
    await connect();
    const status = ConnectionResponse.parse((await admin.json('GET', '/api/connection')).body);
    expect(status).toMatchObject({
      status: 'connected',
      portal: { hubId: String(HUB), domain: DEMO_PORTALS[0].domain, user: 'admin@example.com' },
    });
    const stages = (await admin.json<{ stages: { id: string }[] }>('GET', '/api/lifecycle-stages'))
      .body;
    expect(stages.stages.map((stage) => stage.id)).toContain('customer');
    // the custom unique properties exist in the portal
    const state = env.server.mocks.hubspot!.state();
    const portal = (
      state.portals as { hubId: number; customProperties: Record<string, { name: string }[]> }[]
    ).find((p) => p.hubId === HUB);
    expect(portal?.customProperties.contacts?.map((p) => p.name)).toContain('xentral_id');
  });

  it('refuses a callback with a wrong or reused state', async () => {
    const wrong = await admin.fetch('/api/oauth/callback?code=abc&state=made-up');
    expect(wrong.status).toBe(400);
    const start = await admin.fetch('/api/connection/start');
    const state = new URL(start.headers.get('location') ?? '').searchParams.get('state') ?? '';
    await admin.fetch(`/api/oauth/callback?code=bad-code&state=${state}`);
    const reused = await admin.fetch(`/api/oauth/callback?code=bad-code&state=${state}`);
    expect(reused.status).toBe(400);
    expect((await admin.json('GET', '/api/connection')).body).toMatchObject({
      status: 'disconnected',
    });
  });

  it('refreshes before expiry, and turns a refused refresh into "needs reconnect"', async () => {
    await connect();
    const services = env.server.composed.services;
    const db = env.server.composed.db;
    // Pretend the token is about to expire: the next request refreshes it first.
    db.prepare('UPDATE connection SET expires_at = ? WHERE id = 1').run(
      new Date(Date.now() + 60_000).toISOString(),
    );
    const before = db
      .prepare<[], { access_token: string }>('SELECT access_token FROM connection')
      .get();
    expect((await admin.json('POST', '/api/lifecycle-stages/refresh')).status).toBe(200);
    const after = db
      .prepare<[], { access_token: string; expires_at: string }>(
        'SELECT access_token, expires_at FROM connection',
      )
      .get();
    expect(after?.access_token).not.toBe(before?.access_token);
    expect(Date.parse(after!.expires_at) - Date.now()).toBeGreaterThan(25 * 60_000);

    // HubSpot forgets the refresh token (revoked in HubSpot's settings).
    await fetch(`${env.server.mocks.hubspot!.url}/__mock/reset`, { method: 'POST' });
    db.prepare('UPDATE connection SET expires_at = ? WHERE id = 1').run(new Date().toISOString());
    const run = await startRun('sync');
    const detail = await waitForRun(run.body.id);
    expect(detail.run).toMatchObject({
      status: 'failed',
      message: expect.stringMatching(/HubSpot connection needs to be renewed/),
    });
    expect((await admin.json('GET', '/api/connection')).body).toMatchObject({
      status: 'needs_reconnect',
    });
    expect((await admin.json('POST', '/api/runs', { kind: 'sync' })).status).toBe(409);
    void services;
  });

  it('answers 409 needs_reconnect when HubSpot refuses the access outside a run, and says so', async () => {
    await connect();
    // The portal forgets every token it issued (the app was uninstalled in HubSpot, say).
    await fetch(`${env.server.mocks.hubspot!.url}/__mock/reset`, { method: 'POST' });
    const refresh = await admin.json<{ error: { code: string; message: string } }>(
      'POST',
      '/api/lifecycle-stages/refresh',
    );
    expect(refresh.status).toBe(409);
    expect(refresh.body.error).toMatchObject({ code: 'needs_reconnect' });
    expect((await admin.json('GET', '/api/connection')).body).toMatchObject({
      status: 'needs_reconnect',
      message: expect.stringMatching(/renewed/),
    });
  });

  it('removes the connection: revoked, deleted, automatic runs stopped, history kept', async () => {
    await connect();
    await admin.json('PUT', '/api/settings', {
      ...defaults(),
      automatic: true,
      intervalMinutes: 30,
    });
    const run = await startRun('export');
    await waitForRun(run.body.id);
    const removed = await admin.json('DELETE', '/api/connection');
    expect(removed.body).toMatchObject({ status: 'disconnected' });
    const refreshTokens = [...env.server.mocks.hubspot!.store.refreshTokens.values()];
    expect(refreshTokens.length).toBeGreaterThan(0);
    expect(refreshTokens.every((token) => token.revoked)).toBe(true);
    expect(env.server.composed.db.prepare('SELECT count(*) AS n FROM connection').get()).toEqual({
      n: 0,
    });
    expect(SettingsResponse.parse((await admin.json('GET', '/api/settings')).body).automatic).toBe(
      false,
    );
    expect(RunsResponse.parse((await admin.json('GET', '/api/runs')).body).runs).toHaveLength(1);
  });

  it('keeps the links of two portals apart', async () => {
    await connect();
    const first = await startRun('export');
    await waitForRun(first.body.id);
    await connect(admin, OTHER_HUB as number as typeof HUB);
    const second = await startRun('export');
    const detail = await waitForRun(second.body.id);
    // The other portal gets every customer created again: nothing of the first portal's links applies.
    expect(detail.run.totals.created).toBeGreaterThan(0);
    const portals = env.server.composed.db
      .prepare<[], { portal_id: string; n: number }>(
        'SELECT portal_id, count(*) AS n FROM links GROUP BY portal_id',
      )
      .all();
    expect(portals.map((p) => p.portal_id).sort()).toEqual([String(HUB), String(OTHER_HUB)].sort());
  });

  it('keeps tokens out of the SQLite file and the logs', async () => {
    await connect();
    const issued = env.server.mocks.hubspot!.store.accessTokens;
    const tokens = [...issued.keys(), ...env.server.mocks.hubspot!.store.refreshTokens.keys()];
    expect(tokens.length).toBeGreaterThan(0);
    env.server.composed.db.pragma('wal_checkpoint(TRUNCATE)');
    const files = fs
      .readdirSync(env.dataDir)
      .map((file) => fs.readFileSync(path.join(env.dataDir, file)));
    const logs = env.logs.join('\n');
    for (const token of tokens) {
      for (const file of files) expect(file.includes(token)).toBe(false);
      expect(logs.includes(token)).toBe(false);
    }
    const status = JSON.stringify((await admin.json('GET', '/api/connection')).body);
    for (const token of tokens) expect(status.includes(token)).toBe(false);
  });
});

function defaults() {
  return {
    mode: 'sync',
    automatic: false,
    intervalMinutes: 60,
    lifecycleStages: [],
    projectId: null,
    dealSync: false,
    defaultSalutation: 'mr',
    defaultCountry: 'DE',
  };
}

describe('settings', () => {
  it('saves valid settings and refuses unknown stages, projects and fields with clear messages', async () => {
    await connect();
    const saved = await admin.json('PUT', '/api/settings', {
      ...defaults(),
      mode: 'import',
      lifecycleStages: ['lead', 'customer'],
      projectId: '1',
    });
    expect(saved.status).toBe(200);
    expect(SettingsResponse.parse(saved.body)).toMatchObject({
      mode: 'import',
      lifecycleStages: ['lead', 'customer'],
    });

    const bad = await admin.json<{
      error: { code: string; details: { path: string; message: string }[] };
    }>('PUT', '/api/settings', { ...defaults(), lifecycleStages: ['nonsense'], projectId: '999' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details.map((d) => d.path).sort()).toEqual([
      'lifecycleStages.0',
      'projectId',
    ]);

    const unknown = await admin.json<{ error: { code: string } }>('PUT', '/api/settings', {
      ...defaults(),
      extra: 1,
    });
    expect(unknown.status).toBe(400);
    const wrongType = await admin.json('PUT', '/api/settings', {
      ...defaults(),
      intervalMinutes: '60',
    });
    expect(wrongType.status).toBe(400);
    expect(SettingsResponse.parse((await admin.json('GET', '/api/settings')).body).mode).toBe(
      'import',
    );
  });

  it('takes back what GET answered, read-only fields included, and changes nothing', async () => {
    await connect();
    expect(
      (await admin.json('PUT', '/api/settings', { ...defaults(), dealSync: true, projectId: '1' }))
        .status,
    ).toBe(200);
    const before = SettingsResponse.parse((await admin.json('GET', '/api/settings')).body);
    expect(before.dealSyncActivatedAt).not.toBeNull();
    env.advance(60_000);
    const again = await admin.json('PUT', '/api/settings', before);
    expect(again.status, JSON.stringify(again.body)).toBe(200);
    expect(again.body).toEqual(before);
    expect((await admin.json('GET', '/api/settings')).body).toEqual(before);

    // The read-only fields are ignored, not taken: the server keeps its own.
    const edited = await admin.json('PUT', '/api/settings', {
      ...before,
      mode: 'export',
      dealSyncActivatedAt: '2000-01-01T00:00:00.000Z',
      updatedAt: null,
    });
    expect(edited.status).toBe(200);
    const taken = SettingsResponse.parse(edited.body);
    expect(taken).toMatchObject({
      mode: 'export',
      dealSyncActivatedAt: before.dealSyncActivatedAt,
    });
    expect(taken.updatedAt).not.toBeNull();
    expect(taken.updatedAt).not.toBe(before.updatedAt);
    // …and still have to be what GET gives: a string or null.
    expect((await admin.json('PUT', '/api/settings', { ...before, updatedAt: 5 })).status).toBe(
      400,
    );
    expect((await admin.json('PUT', '/api/settings', { ...before, extra: 1 })).status).toBe(400);
  });

  it('searches Xentral projects', async () => {
    const all = await admin.json<{ projects: { name: string }[] }>('GET', '/api/projects');
    expect(all.body.projects.length).toBeGreaterThan(1);
    const some = await admin.json<{ projects: { name: string }[] }>(
      'GET',
      `/api/projects?search=${encodeURIComponent(all.body.projects[0]!.name.slice(0, 4))}`,
    );
    expect(some.body.projects.length).toBeGreaterThanOrEqual(1);
  });
});

describe('runs', () => {
  it('starts a run in the background (202), refuses a second one (409), and lists it', async () => {
    await connect();
    const first = await startRun('sync');
    expect(first.status).toBe(202);
    const second = await admin.json<{ error: { code: string } }>('POST', '/api/runs', {
      kind: 'export',
    });
    expect(second.status).toBe(409);
    expect(second.body.error.code).toBe('run_active');
    const detail = await waitForRun(first.body.id);
    expect(detail.run).toMatchObject({ kind: 'sync', trigger: 'manual', status: 'succeeded' });
    expect(detail.items.length).toBeGreaterThan(0);
    const list = RunsResponse.parse((await env.api('GET', '/api/runs')).body);
    expect(list.runs[0]?.id).toBe(first.body.id);
    expect((await admin.json('POST', '/api/runs', { kind: 'everything' })).status).toBe(400);
  });

  it('runs deal synchronisation as its own kind of run once it is active', async () => {
    await connect();
    const inactive = await startRun('deals');
    expect(inactive.status).toBe(409);
    expect(inactive.body.error?.code).toBe('deal_sync_inactive');
    await admin.json('PUT', '/api/settings', { ...defaults(), dealSync: true });
    // an order released after activation, for a customer of the demo data
    const xentral = env.server.mocks.xentral!;
    const customerId = xentral.store.customers()[0]!.id;
    env.advance(1_100);
    const order = xentral.store.createOrder({ customerId, grossCents: 4200, currency: 'EUR' });
    xentral.store.releaseOrder(order.id);
    const run = await startRun('deals');
    expect(run.status).toBe(202);
    const detail = await waitForRun(run.body.id);
    expect(detail.run).toMatchObject({ kind: 'deals', status: 'succeeded' });
    expect(detail.items).toContainEqual(
      expect.objectContaining({ type: 'deal', action: 'created', xentralId: String(order.id) }),
    );
  });

  it('streams progress and the finish to every open tab', async () => {
    await connect();
    const tabs = [admin, admin].map(async () => {
      const controller = new AbortController();
      const response = await admin.fetch('/api/events', { signal: controller.signal });
      return { response, controller };
    });
    const streams = await Promise.all(tabs);
    const received = streams.map(async ({ response, controller }) => {
      const reader = response.body!.getReader();
      let text = '';
      const decoder = new TextDecoder();
      while (!text.includes('event: run.finished')) {
        const { value, done } = await reader.read();
        if (done) break;
        text += decoder.decode(value);
      }
      controller.abort();
      return text;
    });
    await startRun('export');
    for (const text of await Promise.all(received)) {
      expect(text).toContain('event: run.started');
      expect(text).toContain('event: run.progress');
      expect(text).toContain('event: run.finished');
    }
  });
});

describe('progress events', () => {
  it('never say more is done than there is, and count the whole run on one tally', async () => {
    await connect();
    const progress: Extract<ServerEvent, { name: 'run.progress' }>['data'][] = [];
    let finished: Extract<ServerEvent, { name: 'run.finished' }>['data'] | undefined;
    const stop = env.server.composed.services.events.subscribe((event) => {
      if (event.name === 'run.progress') progress.push(event.data);
      if (event.name === 'run.finished') finished = event.data;
    });
    const run = await startRun('sync');
    await waitForRun(run.body.id);
    stop();
    expect(progress.length).toBeGreaterThan(0);
    for (const event of progress) {
      expect(event.total === null || event.done <= event.total, JSON.stringify(event)).toBe(true);
    }
    // One bar for the whole run: its count only grows, never passes its total, and once the
    // reads are done and the plans counted, the total is no longer an estimate.
    const overall = progress.map((event) => event.overall);
    for (const [index, tally] of overall.entries()) {
      expect(tally, JSON.stringify(progress[index])).toBeDefined();
      expect(tally!.done).toBeLessThanOrEqual(tally!.total);
      if (index > 0) expect(tally!.done).toBeGreaterThanOrEqual(overall[index - 1]!.done);
    }
    expect(overall.at(-1)?.growing).toBe(false);
    expect(new Set(progress.map((event) => `${event.phase}:${event.type}`)).size).toBeGreaterThan(
      1,
    );
    // Each system's requests so far, with the limit the run paces itself by.
    expect(progress.at(-1)?.requests?.map((r) => r.system)).toEqual(['xentral', 'hubspot']);
    expect(progress.at(-1)?.requests?.[0]?.sent).toBeGreaterThan(0);
    expect(finished?.readOverlapMs).toBeGreaterThan(0);
    // Reading a change feed: how much it holds is not known ahead.
    expect(progress.some((event) => event.total === null && event.done > 0)).toBe(true);
  });
});

describe('a run stopped by removing the connection', () => {
  it('says that the connection was removed, not that HubSpot refused the access', async () => {
    await connect();
    const hubspot = env.server.mocks.hubspot!;
    let removed = false;
    const stop = env.server.composed.services.events.subscribe((event) => {
      if (removed || event.name !== 'run.progress') return;
      removed = true;
      // What DELETE /api/connection does, at once: HubSpot revokes the tokens, the app forgets
      // them; the run's next request to HubSpot is refused.
      for (const refresh of hubspot.store.refreshTokens.values()) {
        revokeRefreshToken(hubspot.store, refresh);
      }
      env.server.composed.services.store.deleteConnection();
    });
    const run = await startRun('export');
    const detail = await waitForRun(run.body.id);
    stop();
    expect(removed).toBe(true);
    expect(detail.run).toMatchObject({ status: 'failed', messageCode: 'connection_removed' });
    expect(detail.run.message).toMatch(/connection was removed while the run was active/);
    expect(detail.run.message).not.toMatch(/access was refused/);
  });
});

describe('conflicts', () => {
  it('resolves field conflicts either way and ambiguities with keep; never twice', async () => {
    await connect();
    const xentral = env.server.mocks.xentral!;
    const systems = env.server.composed.systems;
    const hubspotClient = async () => (await systems.hubspot()).client;
    // Two records that match by e-mail but disagree on the city and the phone.
    const customer = await systems.xentral.createCustomer({
      type: 'mr',
      name: 'Karl Konflikt',
      email: 'karl@example.com',
      city: 'Kassel',
      phone: '+49 561 1',
      country: 'DE',
    });
    expect(customer.ok).toBe(true);
    const client = await hubspotClient();
    const contact = await client.crm.contacts.basicApi.create({
      properties: {
        email: 'karl@example.com',
        city: 'Kiel',
        phone: '+49 431 9',
        lifecyclestage: 'customer',
      },
      associations: [],
    });
    await admin.json('PUT', '/api/settings', { ...defaults(), lifecycleStages: ['customer'] });
    const run = await startRun('sync');
    await waitForRun(run.body.id);
    const open = ConflictsResponse.parse(
      (await admin.json('GET', '/api/conflicts?status=open')).body,
    );
    const city = open.conflicts.find((c) => c.field === 'city')!;
    const phone = open.conflicts.find((c) => c.field === 'phone')!;
    expect(city).toMatchObject({
      xentralValue: 'Kassel',
      hubspotValue: 'Kiel',
      label: 'Karl Konflikt',
    });

    const takeXentral = await admin.json('POST', `/api/conflicts/${city.id}/resolve`, {
      choice: 'xentral',
    });
    expect(takeXentral.status).toBe(200);
    const fresh = await client.crm.contacts.basicApi.getById(contact.id, ['city']);
    expect(fresh.properties.city).toBe('Kassel');
    const takeHubSpot = await admin.json('POST', `/api/conflicts/${phone.id}/resolve`, {
      choice: 'hubspot',
    });
    expect(takeHubSpot.status).toBe(200);
    const row = xentral.store.dump().adresse.find((r) => r.email === 'karl@example.com');
    expect(row?.telefon).toBe('+49 431 9');
    const twice = await admin.json<{ error: { code: string } }>(
      'POST',
      `/api/conflicts/${phone.id}/resolve`,
      { choice: 'keep' },
    );
    expect(twice.status).toBe(409);
    expect(twice.body.error.code).toBe('already_resolved');

    // An ambiguity: only "keep" applies.
    await systems.xentral.createCustomer({
      type: 'mr',
      name: 'A',
      email: 'twin@example.com',
      country: 'DE',
    });
    await systems.xentral.createCustomer({
      type: 'mr',
      name: 'B',
      email: 'twin@example.com',
      country: 'DE',
    });
    await client.crm.contacts.basicApi.create({
      properties: { email: 'twin@example.com', lifecyclestage: 'customer' },
      associations: [],
    });
    const second = await startRun('sync');
    await waitForRun(second.body.id);
    const ambiguous = ConflictsResponse.parse(
      (await admin.json('GET', '/api/conflicts?status=open')).body,
    ).conflicts.find((c) => c.kind === 'ambiguous')!;
    expect(
      (await admin.json('POST', `/api/conflicts/${ambiguous.id}/resolve`, { choice: 'xentral' }))
        .status,
    ).toBe(400);
    expect(
      (await admin.json('POST', `/api/conflicts/${ambiguous.id}/resolve`, { choice: 'keep' }))
        .status,
    ).toBe(200);
    const third = await startRun('sync');
    expect((await waitForRun(third.body.id)).run.totals.conflicts).toBe(0);
    void API_TOKEN;
  });
});
