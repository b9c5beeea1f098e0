import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { z } from 'zod';
import {
  ENDPOINTS,
  pathParamNames,
  type EndpointName,
  type Endpoints,
  type PartSchema,
} from '../../shared/api/endpoints';
import { ErrorEnvelope } from '../../shared/api/errors';
import type { Settings } from '../../shared/api/settings';
import { DEMO_PORTALS } from '../mocks/hubspot';
import { API_TOKEN, startAppEnv, type AppEnv } from '../testing/app-env';
import { labelOf, pathFor, SIGNED_IN } from '../testing/endpoints';
import { rawRequest } from '../testing/raw-request';
import { writeRequests } from './invariants';

/**
 * Bad input through the App API: malformed JSON, wrong types, oversized bodies, unknown
 * fields, bodies that are not JSON or not what their Content-Encoding says, loose ids, on
 * every signed-in endpoint of the table. Each is refused with a 4xx and a
 * clear message in the error envelope, and nothing is written — not in the app's database, not
 * in HubSpot or Xentral. (Oversized bodies get 413 and non-JSON bodies 415, the status codes
 * HTTP has for them; everything else 400.)
 *
 * The routes third parties call stay lenient about extra query parameters: the OAuth callback
 * (HubSpot), /launch (the App Center) and /api/health (monitors).
 */

let env: AppEnv;
let runId = 0;
let conflictId = 0;

interface Answer {
  status: number;
  body: unknown;
}

/** A raw request with the API token: any method may carry a body, any content type. */
async function send(
  method: string,
  path: string,
  body?: string | Buffer,
  contentType = 'application/json',
  headers: Record<string, string> = {},
): Promise<Answer> {
  const answer = await rawRequest(`${env.url}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${API_TOKEN}`,
      ...(body === undefined ? {} : { 'content-type': contentType }),
      ...headers,
    },
    ...(body === undefined ? {} : { body }),
  });
  return { status: answer.status, body: answer.body };
}

/** What a request could change: settings, runs, conflicts, the connection, links, OAuth states. */
function snapshot(): string {
  const db = env.server.composed.db;
  return JSON.stringify([
    db.prepare('SELECT key, value FROM kv ORDER BY key').all(),
    db.prepare('SELECT id, status, finished_at FROM runs ORDER BY id').all(),
    db.prepare('SELECT count(*) AS n FROM run_items').get(),
    db.prepare('SELECT id, status, resolution FROM conflicts ORDER BY id').all(),
    db.prepare('SELECT hub_id, status, access_token, refresh_token FROM connection').all(),
    db.prepare('SELECT count(*) AS n FROM links').get(),
    db.prepare('SELECT count(*) AS n FROM oauth_states').get(),
    db.prepare('SELECT count(*) AS n FROM sessions').get(),
  ]);
}

const VALID_SETTINGS: Settings = {
  mode: 'sync',
  automatic: false,
  intervalMinutes: 60,
  lifecycleStages: ['customer'],
  projectId: null,
  dealSync: false,
  defaultSalutation: 'mr',
  defaultCountry: 'DE',
};

type WithBody = {
  [K in EndpointName]: PartSchema<Endpoints[K]['body']> extends z.ZodType ? K : never;
}[EndpointName];

/** A valid body for every endpoint that takes one: the compiler asks for a new one's. */
const VALID_BODIES: { [K in WithBody]: () => z.input<PartSchema<Endpoints[K]['body']>> } = {
  saveSettings: () => VALID_SETTINGS,
  startRun: () => ({ kind: 'sync' }),
  resolveConflict: () => ({ choice: 'keep' }),
};

/** The record each endpoint with an id in its path is tried with. */
const IDS: Partial<Record<EndpointName, () => number>> = {
  run: () => runId,
  runItemsCsv: () => runId,
  resolveConflict: () => conflictId,
};

function validBodyOf(name: EndpointName): (() => unknown) | undefined {
  return Object.hasOwn(VALID_BODIES, name) ? VALID_BODIES[name as WithBody] : undefined;
}

/** Every signed-in endpoint of the table, with a path to a real record and a valid body. */
const ROUTES = SIGNED_IN.map(({ name, endpoint }) => {
  const id = IDS[name];
  if (pathParamNames(endpoint.path).length > 0 && !id) {
    throw new Error(`${labelOf(endpoint)}: say in IDS which record to try it with`);
  }
  const valid = validBodyOf(name);
  return {
    endpoint,
    method: endpoint.method,
    path: () => pathFor(endpoint, id?.() ?? 1),
    ...(valid ? { valid } : {}),
  };
});

/**
 * Spellings of an id that JavaScript's Number() reads as that id, each pointing at a real run or
 * conflict: ids are decimal digits without a leading zero, within the safe integer range.
 */
const LOOSE_IDS: [string, (id: number) => string][] = [
  ['in hex', (id) => `0x${id.toString(16)}`],
  ['with an exponent', (id) => `${id}e0`],
  ['with a leading zero', (id) => `0${id}`],
  ['with a plus sign', (id) => `+${id}`],
  ['with a leading space', (id) => `%20${id}`],
  ['with a trailing space', (id) => `${id}%20`],
  ['with a decimal point', (id) => `${id}.0`],
  ['beyond the safe integer range', () => '9007199254740993'],
  ['of 25 digits', () => '1'.repeat(25)],
];

interface Case {
  name: string;
  method: string;
  path: () => string;
  body?: () => string | Buffer;
  contentType?: string;
  headers?: Record<string, string>;
  status: number;
  code: string;
}

const CASES: Case[] = [];
for (const route of ROUTES) {
  const label = labelOf(route.endpoint);
  const withValid = (extra: Record<string, unknown>) => () =>
    JSON.stringify(Object.assign({}, route.valid?.(), extra));
  CASES.push(
    {
      name: `${label}: an unknown query parameter`,
      method: route.method,
      path: () => `${route.path()}?debug=1`,
      ...(route.valid ? { body: withValid({}) } : {}),
      status: 400,
      code: 'validation_failed',
    },
    {
      name: `${label}: malformed JSON`,
      method: route.method,
      path: route.path,
      body: () => '{"kind": "sync",',
      status: 400,
      code: 'malformed_json',
    },
    {
      name: `${label}: JSON that is no object (a bare number)`,
      method: route.method,
      path: route.path,
      body: () => '42',
      status: 400,
      code: 'malformed_json',
    },
    {
      name: `${label}: a body over 100 kB`,
      method: route.method,
      path: route.path,
      body: () => JSON.stringify({ padding: 'x'.repeat(110_000) }),
      status: 413,
      code: 'payload_too_large',
    },
    {
      name: `${label}: an unknown field in the body`,
      method: route.method,
      path: route.path,
      body: withValid({ unexpected: true }),
      status: 400,
      code: 'validation_failed',
    },
    {
      name: `${label}: a body that is not JSON`,
      method: route.method,
      path: route.path,
      body: () => 'kind=sync',
      contentType: 'application/x-www-form-urlencoded',
      status: 415,
      code: 'unsupported_media_type',
    },
    {
      name: `${label}: a Content-Encoding the API does not take`,
      method: route.method,
      path: route.path,
      body: withValid({}),
      headers: { 'content-encoding': 'compress' },
      status: 415,
      code: 'unsupported_encoding',
    },
    {
      name: `${label}: gzip garbage`,
      method: route.method,
      path: route.path,
      body: () => Buffer.from('this is not gzip at all'),
      headers: { 'content-encoding': 'gzip' },
      status: 400,
      code: 'unreadable_body',
    },
    {
      name: `${label}: a truncated gzip body`,
      method: route.method,
      path: route.path,
      body: () => gzipSync(withValid({})()).subarray(0, 12),
      headers: { 'content-encoding': 'gzip' },
      status: 400,
      code: 'unreadable_body',
    },
  );
}

const invalid = (name: string, method: string, path: () => string, body?: unknown): Case => ({
  name,
  method,
  path,
  ...(body === undefined
    ? {}
    : { body: () => (typeof body === 'string' ? body : JSON.stringify(body)) }),
  status: 400,
  code: 'validation_failed',
});
const settings = (change: Record<string, unknown>) => ({ ...VALID_SETTINGS, ...change });
const PUT_SETTINGS = () => '/api/settings';
CASES.push(
  invalid('PUT /api/settings: mode in capitals', 'PUT', PUT_SETTINGS, settings({ mode: 'SYNC' })),
  invalid('PUT /api/settings: mode as a number', 'PUT', PUT_SETTINGS, settings({ mode: 1 })),
  invalid(
    'PUT /api/settings: automatic as a string',
    'PUT',
    PUT_SETTINGS,
    settings({ automatic: 'true' }),
  ),
  invalid(
    'PUT /api/settings: interval as a string',
    'PUT',
    PUT_SETTINGS,
    settings({ intervalMinutes: '60' }),
  ),
  invalid(
    'PUT /api/settings: interval with decimals',
    'PUT',
    PUT_SETTINGS,
    settings({ intervalMinutes: 60.5 }),
  ),
  invalid(
    'PUT /api/settings: interval below 5 minutes',
    'PUT',
    PUT_SETTINGS,
    settings({ intervalMinutes: 4 }),
  ),
  invalid(
    'PUT /api/settings: interval over a week',
    'PUT',
    PUT_SETTINGS,
    settings({ intervalMinutes: 20_000 }),
  ),
  invalid(
    'PUT /api/settings: stages as a string',
    'PUT',
    PUT_SETTINGS,
    settings({ lifecycleStages: 'lead' }),
  ),
  invalid(
    'PUT /api/settings: a stage that is a number',
    'PUT',
    PUT_SETTINGS,
    settings({ lifecycleStages: [1] }),
  ),
  invalid(
    'PUT /api/settings: an empty stage',
    'PUT',
    PUT_SETTINGS,
    settings({ lifecycleStages: [''] }),
  ),
  invalid(
    'PUT /api/settings: a stage HubSpot does not have',
    'PUT',
    PUT_SETTINGS,
    settings({ lifecycleStages: ['nonsense'] }),
  ),
  invalid(
    'PUT /api/settings: a project that is a number',
    'PUT',
    PUT_SETTINGS,
    settings({ projectId: 5 }),
  ),
  invalid(
    'PUT /api/settings: a project Xentral does not have',
    'PUT',
    PUT_SETTINGS,
    settings({ projectId: '999' }),
  ),
  invalid(
    'PUT /api/settings: deal sync as "yes"',
    'PUT',
    PUT_SETTINGS,
    settings({ dealSync: 'yes' }),
  ),
  invalid(
    'PUT /api/settings: an unknown salutation',
    'PUT',
    PUT_SETTINGS,
    settings({ defaultSalutation: 'dr' }),
  ),
  invalid(
    'PUT /api/settings: a country in lower case',
    'PUT',
    PUT_SETTINGS,
    settings({ defaultCountry: 'de' }),
  ),
  invalid(
    'PUT /api/settings: a three-letter country',
    'PUT',
    PUT_SETTINGS,
    settings({ defaultCountry: 'DEU' }),
  ),
  invalid('PUT /api/settings: every field missing', 'PUT', PUT_SETTINGS, {}),
  invalid(
    'PUT /api/settings: every field null',
    'PUT',
    PUT_SETTINGS,
    Object.fromEntries(Object.keys(VALID_SETTINGS).map((k) => [k, null])),
  ),
  invalid('PUT /api/settings: an array instead of an object', 'PUT', PUT_SETTINGS, [
    VALID_SETTINGS,
  ]),
  invalid(
    'PUT /api/settings: a __proto__ key',
    'PUT',
    PUT_SETTINGS,
    `{"__proto__":{"automatic":true},${JSON.stringify(VALID_SETTINGS).slice(1)}`,
  ),
  invalid('POST /api/runs: no kind', 'POST', () => '/api/runs', {}),
  invalid('POST /api/runs: kind null', 'POST', () => '/api/runs', { kind: null }),
  invalid('POST /api/runs: kind as a number', 'POST', () => '/api/runs', { kind: 5 }),
  invalid('POST /api/runs: kind in capitals', 'POST', () => '/api/runs', { kind: 'SYNC' }),
  invalid('POST /api/runs: kind as a list', 'POST', () => '/api/runs', { kind: ['sync'] }),
  invalid(
    'POST /api/runs: a __proto__ key',
    'POST',
    () => '/api/runs',
    '{"__proto__":{"kind":"sync"}}',
  ),
  invalid(
    'POST /api/conflicts/:id/resolve: no choice',
    'POST',
    () => `/api/conflicts/${conflictId}/resolve`,
    {},
  ),
  invalid(
    'POST /api/conflicts/:id/resolve: an unknown choice',
    'POST',
    () => `/api/conflicts/${conflictId}/resolve`,
    { choice: 'both' },
  ),
  invalid(
    'POST /api/conflicts/:id/resolve: choice as a number',
    'POST',
    () => `/api/conflicts/${conflictId}/resolve`,
    { choice: 1 },
  ),
  ...['abc', '0', '-3', '1.5'].map((id) =>
    invalid(
      `POST /api/conflicts/${id}/resolve: an id that is no id`,
      'POST',
      () => `/api/conflicts/${id}/resolve`,
      { choice: 'keep' },
    ),
  ),
  ...LOOSE_IDS.map(([what, spell]) =>
    invalid(
      `POST /api/conflicts/:id/resolve: the id ${what}`,
      'POST',
      () => `/api/conflicts/${spell(conflictId)}/resolve`,
      { choice: 'keep' },
    ),
  ),
  ...LOOSE_IDS.map(([what, spell]) =>
    invalid(`GET /api/runs/:id: the id ${what}`, 'GET', () => `/api/runs/${spell(runId)}`),
  ),
  ...LOOSE_IDS.map(([what, spell]) =>
    invalid(
      `GET /api/conflicts?runId=: the id ${what}`,
      'GET',
      () => `/api/conflicts?runId=${spell(runId)}`,
    ),
  ),
  ...['before=0x10', 'before=1e3', 'limit=1e1', 'limit=%2010', 'limit=010'].map((query) =>
    invalid(`GET /api/runs?${query}`, 'GET', () => `/api/runs?${query}`),
  ),
  ...['after=0x1', 'after=1e0', 'after=00', 'limit=+5'].map((query) =>
    invalid(`GET /api/runs/:id?${query}`, 'GET', () => `/api/runs/${runId}?${query}`),
  ),
  ...['before=1e9', 'limit=0x10'].map((query) =>
    invalid(`GET /api/conflicts?${query}`, 'GET', () => `/api/conflicts?${query}`),
  ),
  ...['limit=0', 'limit=101', 'limit=abc', 'before=-1', 'limit=1&limit=2'].map((query) =>
    invalid(`GET /api/runs?${query}`, 'GET', () => `/api/runs?${query}`),
  ),
  ...['abc', '0', '-1', '2.5'].map((id) =>
    invalid(`GET /api/runs/${id}: an id that is no id`, 'GET', () => `/api/runs/${id}`),
  ),
  ...['after=-1', 'limit=5000', 'limit=two'].map((query) =>
    invalid(`GET /api/runs/:id?${query}`, 'GET', () => `/api/runs/${runId}?${query}`),
  ),
  ...['status=bogus', 'runId=abc', 'limit=0', 'before=x'].map((query) =>
    invalid(`GET /api/conflicts?${query}`, 'GET', () => `/api/conflicts?${query}`),
  ),
  invalid(
    'GET /api/projects: a search of 101 characters',
    'GET',
    () => `/api/projects?search=${'a'.repeat(101)}`,
  ),
  invalid('GET /api/projects: two searches', 'GET', () => '/api/projects?search=a&search=b'),
);

beforeAll(async () => {
  env = await startAppEnv();
  const admin = env.browser();
  await admin.launch();
  const back = await admin.connect(DEMO_PORTALS[0].hubId);
  expect(back.status).toBe(303);
  // A conflict to resolve: one person in both systems with two different cities.
  const { systems } = env.server.composed;
  await systems.xentral.createCustomer({
    type: 'mr',
    name: 'Karl Konflikt',
    email: 'karl@example.com',
    city: 'Kassel',
    country: 'DE',
  });
  const client = (await systems.hubspot()).client;
  await client.crm.contacts.basicApi.create({
    properties: { email: 'karl@example.com', city: 'Kiel', lifecyclestage: 'customer' },
    associations: [],
  });
  expect((await env.api('PUT', '/api/settings', VALID_SETTINGS)).status).toBe(200);
  env.advance(1_100);
  runId = (await env.api<{ id: number }>('POST', '/api/runs', { kind: 'sync' })).body.id;
  await env.server.composed.services.runs.idle();
  const open = await env.api<{ conflicts: { id: number; field: string | null }[] }>(
    'GET',
    '/api/conflicts?status=open',
  );
  conflictId = open.body.conflicts.find((c) => c.field === 'city')!.id;
  env.server.mocks.hubspot!.stats.reset();
  env.server.mocks.xentral!.stats.reset();
}, 60_000);

afterAll(async () => {
  console.log(`[reliability] bad input through the App API: ${CASES.length} requests`);
  await env?.close();
});

describe('bad input through the App API', () => {
  it.each(CASES.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    const before = snapshot();
    const answer = await send(c.method, c.path(), c.body?.(), c.contentType, c.headers);
    expect(answer.status, JSON.stringify(answer.body)).toBe(c.status);
    const envelope = ErrorEnvelope.parse(answer.body);
    expect(envelope.error.code).toBe(c.code);
    // A message a person can act on, and for invalid fields the path of each one.
    expect(envelope.error.message.length).toBeGreaterThan(15);
    if (c.code === 'validation_failed') {
      expect(envelope.error.details).toEqual(
        expect.arrayContaining([expect.objectContaining({ message: expect.any(String) })]),
      );
    }
    expect(snapshot()).toBe(before);
  });

  it('wrote nothing to HubSpot or Xentral either', () => {
    expect(writeRequests(env.server.mocks.hubspot!.stats.snapshot())).toBe(0);
    expect(writeRequests(env.server.mocks.xentral!.stats.snapshot())).toBe(0);
  });

  it('still takes valid input on every route afterwards', async () => {
    for (const route of ROUTES) {
      // Removing the connection is not undone by anything after it.
      if (route.endpoint === ENDPOINTS.removeConnection) continue;
      const valid = route.valid?.();
      const answer = await send(
        route.method,
        route.path(),
        valid === undefined ? undefined : JSON.stringify(valid),
      );
      expect(answer.status, `${route.method} ${route.path()}`).toBeLessThan(400);
      await env.server.composed.services.runs.idle();
    }
  });

  it('takes a gzip-compressed JSON body', async () => {
    const answer = await send(
      'PUT',
      '/api/settings',
      gzipSync(JSON.stringify(VALID_SETTINGS)),
      'application/json',
      {
        'content-encoding': 'gzip',
      },
    );
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
  });

  it('answers a corrupt body on the public routes with 400, never 500', async () => {
    for (const path of ['/api/health', '/api/oauth/callback?code=x&state=y']) {
      const answer = await rawRequest(`${env.url}${path}`, {
        method: 'GET',
        headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' },
        body: Buffer.from('this is not gzip at all'),
      });
      expect(answer.status, path).toBe(400);
    }
  });

  it('stays lenient where third parties call: health, OAuth callback, launch', async () => {
    expect((await send('GET', '/api/health?_=123')).status).toBe(200);
    const callback = await send('GET', '/api/oauth/callback?code=x&state=unknown&extra=1');
    expect(callback.status).toBe(400);
    expect(String(callback.body)).toContain('unknown, expired or was used already');
  });
});
