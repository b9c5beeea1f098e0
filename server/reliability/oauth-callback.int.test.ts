import { createHash } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ConnectionResponse } from '../../shared/api/connection';
import { DEMO_HUBSPOT_LOGIN, DEMO_PORTALS } from '../mocks/hubspot';
import { API_TOKEN, startAppEnv, type AppEnv, type Browser } from '../testing/app-env';

/**
 * The OAuth callback, held to what once went wrong there: a request carrying the state used it up
 * even from another session, a state started with the API token could be completed from any
 * browser, and duplicated parameters or a 2000-character code got JSON instead of the app's page.
 */

let env: AppEnv;
let admin: Browser;
beforeAll(async () => {
  env = await startAppEnv();
});
afterAll(async () => {
  await env?.close();
});
beforeEach(async () => {
  // Removing the connection with the API token ends every session: sign in again after it.
  await env.api('DELETE', '/api/connection');
  admin = env.browser();
  await admin.launch();
});

const hubspotUrl = () => env.server.mocks.hubspot?.url ?? '';

/** HubSpot's side of the dance for an authorize URL: login, choose the portal; the callback URL. */
async function authorize(location: string): Promise<URL> {
  const authorizeUrl = new URL(location);
  const form = (action: string, values: Record<string, string>) =>
    fetch(`${hubspotUrl()}${action}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(values).toString(),
      redirect: 'manual',
    });
  const login = await form('/oauth/authorize', {
    ...Object.fromEntries(authorizeUrl.searchParams),
    ...DEMO_HUBSPOT_LOGIN,
  });
  const session = /name="session" value="([^"]*)"/.exec(await login.text())?.[1] ?? '';
  const chosen = await form('/oauth/authorize/choose', {
    session,
    hub_id: String(DEMO_PORTALS[0].hubId),
  });
  return new URL(chosen.headers.get('location') ?? '');
}

const callbackPath = (url: URL) => `${url.pathname}${url.search}`;
const status = async () =>
  (await env.api<ConnectionResponse>('GET', '/api/connection')).body.status;

describe('the OAuth state is bound to the client that started the dance', () => {
  it("a callback from another session is refused and does not use the admin's state up", async () => {
    const start = await admin.fetch('/api/connection/start');
    const callback = await authorize(start.headers.get('location') ?? '');

    const other = env.browser();
    await other.launch();
    const foreign = await other.fetch(callbackPath(callback));
    expect(foreign.status).toBe(400);
    expect(await foreign.text()).toContain('in another session or browser');
    const stranger = await fetch(`${env.url}${callbackPath(callback)}`, { redirect: 'manual' });
    expect(stranger.status).toBe(400);
    // A link scanner's HEAD does nothing either.
    expect((await admin.fetch(callbackPath(callback), { method: 'HEAD' })).status).toBe(200);
    expect(await status()).toBe('disconnected');

    const own = await admin.fetch(callbackPath(callback));
    expect(own.status).toBe(303);
    expect(own.headers.get('location')).toBe('/?connected=1');
    expect(await status()).toBe('connected');
    expect((await admin.fetch(callbackPath(callback))).status).toBe(400); // used up now
  });

  it('a state started with the API token completes only with that client', async () => {
    const start = await fetch(`${env.url}/api/connection/start`, {
      headers: { authorization: `Bearer ${API_TOKEN}` },
      redirect: 'manual',
    });
    expect(start.status).toBe(302);
    const binding = start.headers
      .getSetCookie()
      .map((line) => line.split(';')[0] ?? '')
      .find((pair) => pair.startsWith('xhs_oauth='));
    expect(binding).toBeDefined();
    const callback = await authorize(start.headers.get('location') ?? '');

    const browser = await admin.fetch(callbackPath(callback));
    expect(browser.status).toBe(400);
    expect(await status()).toBe('disconnected');

    const own = await fetch(`${env.url}${callbackPath(callback)}`, {
      headers: { cookie: binding ?? '' },
      redirect: 'manual',
    });
    expect(own.status).toBe(303);
    expect(await status()).toBe('connected');
  });
});

describe('every failure of the callback is the app page', () => {
  const cases: [string, string][] = [
    ['a duplicated code', 'code=a&code=b&state=s'],
    ['a duplicated state', 'code=a&state=s&state=t'],
    ['a duplicated error', 'error=access_denied&error=other'],
    ['a code of 2001 characters', `code=${'c'.repeat(2001)}&state=s`],
    ['a state of 201 characters', `code=c&state=${'s'.repeat(201)}`],
    ['an unknown state', 'code=c&state=unknown-state'],
    ['no code', 'state=s'],
    ['a refusal by HubSpot', 'error=access_denied&error_description=The+user+said+no'],
  ];
  for (const [what, query] of cases) {
    it(what, async () => {
      const response = await admin.fetch(`/api/oauth/callback?${query}`);
      expect(response.status).toBe(400);
      expect(response.headers.get('content-type')).toMatch(/^text\/html/);
      const page = await response.text();
      expect(page).toContain('Verbindung zu HubSpot fehlgeschlagen');
      expect(page).toContain('<a href="/">Zurück zur App</a>');
    });
  }

  it("the pages carry no style attribute, and the app's CSP allows their style block", async () => {
    for (const path of ['/api/oauth/callback?code=a&code=b', '/launch?token=garbage']) {
      const response = await fetch(`${env.url}${path}`, { redirect: 'manual' });
      const page = await response.text();
      expect(page, path).not.toMatch(/\sstyle=/);
      const style = /<style>([^<]*)<\/style>/.exec(page)?.[1] ?? '';
      expect(style, path).toContain('font-family');
      const hash = createHash('sha256').update(style).digest('base64');
      const csp = response.headers.get('content-security-policy') ?? '';
      const styleSrc = /style-src ([^;]*)/.exec(csp)?.[1] ?? '';
      expect(styleSrc.split(' '), path).toContain(`'sha256-${hash}'`);
    }
  });
});
