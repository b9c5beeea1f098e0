import fs from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { signLaunchToken } from '../auth/launch-token';
import { DEMO_PORTALS } from '../mocks/hubspot';
import {
  API_TOKEN,
  APP_SECRET,
  LAUNCH_SECRET,
  startAppEnv,
  type AppEnv,
  type Browser,
} from '../testing/app-env';
import { CHANGING, pathFor, SIGNED_IN } from '../testing/endpoints';
import { rawRequest } from '../testing/raw-request';

/**
 * Access — what server/api.int.test.ts does not cover already: a wrong API token on
 * every route, sessions that ended or never were, launch tokens replayed after expiry or
 * tampered with, OAuth callbacks without the session that started them, CSRF on every change,
 * and tokens absent from every response, stream, page, log line and file.
 * (The browser check that HTML from HubSpot or Xentral shows as text is the UI's e2e suite's.)
 */

const HUB = DEMO_PORTALS[0].hubId;

/** Every signed-in endpoint of the table, as a method and a path: a new one is in here too. */
const ROUTES: [string, string][] = SIGNED_IN.map(({ endpoint }) => [
  endpoint.method,
  pathFor(endpoint),
]);
const CHANGES: [string, string][] = CHANGING.map(({ endpoint }) => [
  endpoint.method,
  pathFor(endpoint),
]);

let env: AppEnv;
let admin: Browser;
beforeEach(async () => {
  env = await startAppEnv();
  admin = env.browser();
  await admin.launch();
});
afterEach(() => env.close());

function connectionCount(): number {
  return (
    env.server.composed.db.prepare<[], { n: number }>('SELECT count(*) AS n FROM connection').get()
      ?.n ?? 0
  );
}

async function connect(browser = admin): Promise<void> {
  const back = await browser.connect(HUB);
  expect(back.status).toBe(303);
}

describe('the API token', () => {
  const WRONG = [
    ['another token', 'Bearer wrong-token-wrong-token-wrong-token'],
    ['the token with one character more', `Bearer ${API_TOKEN}x`],
    ['the token with one character less', `Bearer ${API_TOKEN.slice(0, -1)}`],
    ['the token in capitals', `Bearer ${API_TOKEN.toUpperCase()}`],
    ['an empty bearer', 'Bearer '],
    [
      'the token as Basic credentials',
      `Basic ${Buffer.from(`api:${API_TOKEN}`).toString('base64')}`,
    ],
    ['the token without a scheme', API_TOKEN],
    ['the launch secret', `Bearer ${LAUNCH_SECRET}`],
    ['the encryption secret', `Bearer ${APP_SECRET}`],
  ];

  it.each(WRONG)('%s is refused on every route', async (_name, authorization) => {
    for (const [method, route] of ROUTES) {
      const response = await fetch(`${env.url}${route}`, { method, headers: { authorization } });
      expect(response.status, `${method} ${route}`).toBe(401);
      expect(((await response.json()) as { error: { code: string } }).error.code).toBe(
        'unauthorized',
      );
    }
    expect(connectionCount()).toBe(0);
  });

  it('a wrong token is refused even next to a valid session cookie', async () => {
    const response = await admin.fetch('/api/settings', {
      headers: { authorization: 'Bearer wrong-token-wrong-token-wrong' },
    });
    expect(response.status).toBe(401);
  });
});

describe('sessions', () => {
  it('a made-up session cookie is refused on every route', async () => {
    for (const [method, route] of ROUTES) {
      const response = await fetch(`${env.url}${route}`, {
        method,
        headers: { cookie: 'xhs_session=made-up-session-id-000000000000000000' },
      });
      expect(response.status, `${method} ${route}`).toBe(401);
    }
  });

  it('a session ends after eight hours', async () => {
    expect((await admin.json('GET', '/api/settings')).status).toBe(200);
    env.advance(8 * 60 * 60_000 + 1_000);
    for (const [method, route] of ROUTES) {
      const response = await admin.fetch(route, { method });
      expect(response.status, `${method} ${route}`).toBe(401);
    }
  });
});

/** Bodies a client without credentials must not get past the sign-in check with. */
const BAD_BODIES: { name: string; headers: Record<string, string>; body: string | Buffer }[] = [
  { name: 'malformed JSON', headers: { 'content-type': 'application/json' }, body: '{"kind":' },
  {
    name: 'a body over 100 kB',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ padding: 'x'.repeat(110_000) }),
  },
  {
    name: 'a body that is not JSON',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: 'kind=sync',
  },
  {
    name: 'an encoding the API does not take',
    headers: { 'content-type': 'application/json', 'content-encoding': 'compress' },
    body: '{}',
  },
  {
    name: 'gzip garbage',
    headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' },
    body: Buffer.from('this is not gzip at all'),
  },
  {
    name: 'a truncated gzip body',
    headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' },
    body: gzipSync('{"kind":"sync"}').subarray(0, 12),
  },
];

describe('credentials come before the body', () => {
  it.each(BAD_BODIES.map((bad) => [bad.name, bad] as const))(
    'without credentials, %s gets 401 on every route',
    async (_name, bad) => {
      for (const [method, route] of ROUTES) {
        const answer = await rawRequest(`${env.url}${route}`, {
          method,
          headers: bad.headers,
          body: bad.body,
        });
        expect(answer.status, `${method} ${route}`).toBe(401);
        expect(answer.body).toMatchObject({ error: { code: 'unauthorized' } });
      }
    },
  );

  it.each(BAD_BODIES.map((bad) => [bad.name, bad] as const))(
    'with a session but without the CSRF token, %s gets 403 on every change',
    async (_name, bad) => {
      const cookie = admin.sessionCookie;
      for (const [method, route] of CHANGES) {
        const answer = await rawRequest(`${env.url}${route}`, {
          method,
          headers: { ...bad.headers, cookie },
          body: bad.body,
        });
        expect(answer.status, `${method} ${route}`).toBe(403);
        expect(answer.body).toMatchObject({ error: { code: 'csrf_failed' } });
      }
    },
  );
});

describe('launch tokens', () => {
  const launch = (token: string) =>
    fetch(`${env.url}/launch?token=${encodeURIComponent(token)}`, { redirect: 'manual' });
  const parts = (token: string) => {
    const [version, payload, signature] = token.split('.') as [string, string, string];
    return {
      version,
      payload: JSON.parse(Buffer.from(payload, 'base64url').toString()) as Record<string, unknown>,
      signature,
    };
  };
  const encode = (payload: Record<string, unknown>) =>
    Buffer.from(JSON.stringify(payload)).toString('base64url');

  it('a used token stays refused after it expired and the used ids were cleaned up', async () => {
    const token = signLaunchToken(
      LAUNCH_SECRET,
      { iss: env.launchIssuer, sub: 'admin' },
      new Date(),
    );
    expect((await launch(token)).status).toBe(303);
    env.advance(10 * 60_000);
    // a restart prunes what expired
    const later = new Date(Date.now() + 10 * 60_000).toISOString();
    env.server.composed.services.store.pruneExpired(later, later);
    const replay = await launch(token);
    expect(replay.status).toBe(401);
    expect(replay.headers.get('set-cookie')).toBeNull();
  });

  it('a token with a changed user, expiry or id but the old signature is refused', async () => {
    const token = signLaunchToken(
      LAUNCH_SECRET,
      { iss: env.launchIssuer, sub: 'viewer' },
      new Date(),
    );
    const { version, payload, signature } = parts(token);
    for (const change of [
      { sub: 'admin' },
      { exp: Number(payload.exp) + 86_400 },
      { jti: 'another-id-123' },
    ]) {
      const forged = `${version}.${encode({ ...payload, ...change })}.${signature}`;
      const response = await launch(forged);
      expect(response.status, JSON.stringify(change)).toBe(401);
      expect(await response.text()).toContain('nicht vom Xentral App Center signiert');
    }
  });

  it('tokens without a signature, of another version, or issued in the future are refused', async () => {
    const token = signLaunchToken(
      LAUNCH_SECRET,
      { iss: env.launchIssuer, sub: 'admin' },
      new Date(),
    );
    const { payload, signature } = parts(token);
    const future = signLaunchToken(
      LAUNCH_SECRET,
      { iss: env.launchIssuer, sub: 'admin' },
      new Date(Date.now() + 3_600_000),
    );
    for (const bad of [
      `v1.${encode(payload)}.`,
      `v1.${encode(payload)}`,
      `v2.${encode(payload)}.${signature}`,
      `v1.${encode({ ...payload, alg: 'none' })}.`,
      future,
      'v1..',
      '<script>alert(1)</script>',
    ]) {
      const response = await launch(bad);
      expect(response.status, bad).toBe(401);
      expect(await response.text()).not.toContain('<script>alert(1)</script>');
    }
  });
});

describe('the OAuth callback', () => {
  it('is refused without the session that started the connection', async () => {
    const start = await admin.fetch('/api/connection/start');
    const state = new URL(start.headers.get('location') ?? '').searchParams.get('state') ?? '';
    const stranger = await fetch(`${env.url}/api/oauth/callback?code=abc&state=${state}`, {
      redirect: 'manual',
    });
    expect(stranger.status).toBe(400);
    expect(await stranger.text()).toContain('in another session');
    expect(connectionCount()).toBe(0);
  });

  it("is refused in another admin's session", async () => {
    const other = env.browser();
    await other.launch();
    const start = await admin.fetch('/api/connection/start');
    const state = new URL(start.headers.get('location') ?? '').searchParams.get('state') ?? '';
    const response = await other.fetch(`/api/oauth/callback?code=abc&state=${state}`);
    expect(response.status).toBe(400);
    expect(connectionCount()).toBe(0);
  });

  it('is refused once the state has expired (10 minutes)', async () => {
    const start = await admin.fetch('/api/connection/start');
    const state = new URL(start.headers.get('location') ?? '').searchParams.get('state') ?? '';
    env.advance(11 * 60_000);
    const response = await admin.fetch(`/api/oauth/callback?code=abc&state=${state}`);
    expect(response.status).toBe(400);
  });

  it('is refused when replayed after a successful connection', async () => {
    const start = await admin.fetch('/api/connection/start');
    const authorize = new URL(start.headers.get('location') ?? '');
    const login = await fetch(`${env.server.mocks.hubspot!.url}/oauth/authorize`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        ...Object.fromEntries(authorize.searchParams),
        email: 'admin@example.com',
        password: 'demo',
      }).toString(),
      redirect: 'manual',
    });
    const page = await login.text();
    const session = /name="session" value="([^"]*)"/.exec(page)?.[1] ?? '';
    const chosen = await fetch(`${env.server.mocks.hubspot!.url}/oauth/authorize/choose`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ session, hub_id: String(HUB) }).toString(),
      redirect: 'manual',
    });
    const callback = chosen.headers.get('location') ?? '';
    expect((await admin.fetch(callback)).status).toBe(303);
    const replay = await admin.fetch(callback);
    expect(replay.status).toBe(400);
  });

  it('shows what HubSpot says as text, never as HTML', async () => {
    const response = await admin.fetch(
      `/api/oauth/callback?error=access_denied&error_description=${encodeURIComponent('<script>alert(1)</script>')}`,
    );
    const page = await response.text();
    expect(response.status).toBe(400);
    expect(page).not.toContain('<script>alert(1)</script>');
    expect(page).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(response.headers.get('content-security-policy')).toContain("script-src 'self'");
  });
});

describe('CSRF', () => {
  it('every change made with the session cookie needs the token, and only its own', async () => {
    await connect();
    const other = env.browser();
    await other.launch();
    for (const [method, route] of CHANGES) {
      for (const token of [undefined, other.csrf, `${admin.csrf}x`, '']) {
        const response = await admin.fetch(route, {
          method,
          csrf: false,
          headers: {
            'content-type': 'application/json',
            ...(token === undefined ? {} : { 'x-csrf-token': token }),
          },
          body: '{}',
        });
        expect(response.status, `${method} ${route} with ${String(token)}`).toBe(403);
      }
    }
    // nothing happened: still connected, no run
    expect(connectionCount()).toBe(1);
    expect(env.server.composed.db.prepare('SELECT count(*) AS n FROM runs').get()).toEqual({
      n: 0,
    });
  });
});

describe('tokens never leave the server', () => {
  it('in no response, event stream, page, log line or file', async () => {
    await connect();
    // a refresh mints a second pair; a run and a changed setting give every route content
    env.server.composed.db
      .prepare('UPDATE connection SET expires_at = ? WHERE id = 1')
      .run(new Date(Date.now() + 60_000).toISOString());
    const controller = new AbortController();
    const stream = await admin.fetch('/api/events', { signal: controller.signal });
    const reader = stream.body!.getReader();
    let events = '';
    const reading = (async () => {
      const decoder = new TextDecoder();
      while (!events.includes('event: run.finished')) {
        const { value, done } = await reader.read();
        if (done) break;
        events += decoder.decode(value);
      }
    })();
    expect((await admin.json('POST', '/api/lifecycle-stages/refresh')).status).toBe(200);
    env.advance(1_100);
    const run = await admin.json<{ id: number }>('POST', '/api/runs', { kind: 'sync' });
    await env.server.composed.services.runs.idle();
    await reading;
    controller.abort();

    const bodies: string[] = [events];
    for (const { endpoint } of SIGNED_IN) {
      if (endpoint.changes || endpoint.kind === 'events') continue;
      const response = await admin.fetch(pathFor(endpoint, run.body.id));
      bodies.push(await response.text(), JSON.stringify([...response.headers]));
    }
    bodies.push(await (await fetch(`${env.url}/api/health`)).text());
    bodies.push(await (await admin.fetch('/api/oauth/callback?code=x&state=y')).text());

    const hubspot = env.server.mocks.hubspot!.store;
    const tokens = [...hubspot.accessTokens.keys(), ...hubspot.refreshTokens.keys()];
    // two access tokens (the refresh minted the second) and the refresh token
    expect(tokens.length).toBeGreaterThanOrEqual(3);
    env.server.composed.db.pragma('wal_checkpoint(TRUNCATE)');
    const files = fs
      .readdirSync(env.dataDir)
      .map((file) => fs.readFileSync(path.join(env.dataDir, file)).toString('latin1'));
    const secrets = [...tokens, API_TOKEN, APP_SECRET, LAUNCH_SECRET];
    for (const secret of secrets) {
      for (const body of bodies) expect(body.includes(secret)).toBe(false);
      expect(env.logs.join('\n').includes(secret)).toBe(false);
    }
    for (const token of tokens) {
      for (const file of files) expect(file.includes(token)).toBe(false);
    }
  });
});
