import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  DEMO_HUBSPOT_LOGIN,
  MOCK_HUBSPOT_CLIENT_ID,
  MOCK_HUBSPOT_CLIENT_SECRET,
  startHubSpotMock,
  type HubSpotMockHandle,
} from './index';
import { anyString, api, control, failure, sdk, testClock } from './test-helpers';

const REDIRECT_URI = 'http://127.0.0.1:3999/api/oauth/callback';
const time = testClock();
let mock: HubSpotMockHandle;

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
});

function authorizeUrl(params: Record<string, string>): string {
  const url = new URL(`${mock.url}/oauth/authorize`);
  for (const [key, value] of Object.entries(params)) url.searchParams.set(key, value);
  return url.toString();
}

const baseParams = {
  client_id: MOCK_HUBSPOT_CLIENT_ID,
  redirect_uri: REDIRECT_URI,
  scope: 'oauth crm.objects.contacts.read crm.objects.contacts.write',
  state: 'state-123',
};

function hidden(html: string, name: string): string {
  const match = new RegExp(`name="${name}" value="([^"]*)"`).exec(html);
  if (!match?.[1]) throw new Error(`no hidden field ${name}`);
  return match[1];
}

async function postForm(path: string, fields: Record<string, string>): Promise<Response> {
  return fetch(`${mock.url}${path}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(fields).toString(),
    redirect: 'manual',
  });
}

/** Login + Choose Account, as the browser does it; returns the code from the redirect. */
async function authorize(hubId: number, params = baseParams): Promise<URL> {
  const page = await fetch(authorizeUrl(params));
  expect(page.status).toBe(200);
  const login = await postForm('/oauth/authorize', { ...params, ...DEMO_HUBSPOT_LOGIN });
  expect(login.status).toBe(200);
  const choose = await login.text();
  const redirect = await postForm('/oauth/authorize/choose', {
    session: hidden(choose, 'session'),
    hub_id: String(hubId),
  });
  expect(redirect.status).toBe(302);
  return new URL(redirect.headers.get('location') ?? '');
}

describe('the authorize page', () => {
  it('shows a login form, refuses wrong credentials, then offers both portals', async () => {
    const page = await fetch(authorizeUrl(baseParams));
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/text\/html/);
    const html = await page.text();
    expect(html).toContain('<form method="post" action="/oauth/authorize">');
    expect(html).toContain('name="password"');
    expect(hidden(html, 'state')).toBe('state-123');

    const wrong = await postForm('/oauth/authorize', {
      ...baseParams,
      email: DEMO_HUBSPOT_LOGIN.email,
      password: 'nope',
    });
    expect(wrong.status).toBe(401);
    const again = await wrong.text();
    expect(again).toContain('The email address or password is incorrect');
    expect(again).toContain('name="password"');

    const right = await postForm('/oauth/authorize', { ...baseParams, ...DEMO_HUBSPOT_LOGIN });
    expect(right.status).toBe(200);
    const choose = await right.text();
    expect(choose).toContain('Choose an account');
    expect(choose).toContain('Demo GmbH');
    expect(choose).toContain('Demo Sandbox');
    expect(choose).toContain('value="1234567"');
    expect(choose).toContain('value="7654321"');
  });

  it('redirects with a code and the state after the account is chosen', async () => {
    const target = await authorize(7654321);
    expect(`${target.origin}${target.pathname}`).toBe(REDIRECT_URI);
    expect(target.searchParams.get('state')).toBe('state-123');
    expect(target.searchParams.get('code')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('skips Choose Account for a user with a single portal', async () => {
    mock.reset();
    await control(mock, '/seed', {
      portals: [{ hubId: 555, name: 'Solo', domain: 'solo.example' }],
      login: { email: 'solo@example.com', password: 'pw' },
    });
    const response = await postForm('/oauth/authorize', {
      ...baseParams,
      email: 'solo@example.com',
      password: 'pw',
    });
    expect(response.status).toBe(302);
    expect(new URL(response.headers.get('location') ?? '').searchParams.get('code')).toBeTruthy();
  });

  it('answers an unknown client_id or a foreign redirect_uri with an error page, not a redirect', async () => {
    const unknownClient = await fetch(authorizeUrl({ ...baseParams, client_id: 'someone-else' }), {
      redirect: 'manual',
    });
    expect(unknownClient.status).toBe(400);
    expect(await unknownClient.text()).toContain('client_id');

    const foreign = await fetch(
      authorizeUrl({ ...baseParams, redirect_uri: 'https://evil.example/callback' }),
      { redirect: 'manual' },
    );
    expect(foreign.status).toBe(400);
    expect(foreign.headers.get('location')).toBeNull();

    const posted = await postForm('/oauth/authorize', {
      ...baseParams,
      redirect_uri: 'https://evil.example/callback',
      ...DEMO_HUBSPOT_LOGIN,
    });
    expect(posted.status).toBe(400);
  });

  it('escapes whatever the query carries', async () => {
    const page = await fetch(authorizeUrl({ ...baseParams, state: '"><script>alert(1)</script>' }));
    const html = await page.text();
    expect(html).not.toContain('<script>');
    expect(html).toContain('&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(page.headers.get('content-security-policy')).toContain("default-src 'none'");
  });

  it('accepts only the configured redirect URIs when the app lists them', async () => {
    const strict = await startHubSpotMock({
      host: '127.0.0.1',
      port: 0,
      oauthApp: {
        clientId: 'strict-id',
        clientSecret: 'strict-secret',
        redirectUris: ['https://app.example/callback'],
      },
    });
    try {
      const params = { ...baseParams, client_id: 'strict-id' };
      const listed = await fetch(
        `${strict.url}/oauth/authorize?${new URLSearchParams({ ...params, redirect_uri: 'https://app.example/callback' }).toString()}`,
      );
      expect(listed.status).toBe(200);
      const loopback = await fetch(
        `${strict.url}/oauth/authorize?${new URLSearchParams(params).toString()}`,
      );
      expect(loopback.status).toBe(400);
    } finally {
      await strict.close();
    }
  });
});

describe('the token endpoint through the official SDK', () => {
  it('exchanges the code, reads token info, refreshes and revokes', async () => {
    const code = (await authorize(7654321)).searchParams.get('code') ?? '';
    const oauth = sdk(mock).oauth;

    const tokens = await oauth.tokensApi.create(
      'authorization_code',
      code,
      REDIRECT_URI,
      MOCK_HUBSPOT_CLIENT_ID,
      MOCK_HUBSPOT_CLIENT_SECRET,
    );
    expect(tokens.tokenType).toBe('bearer');
    expect(tokens.expiresIn).toBe(1800);
    expect(tokens.accessToken).toBeTruthy();
    expect(tokens.refreshToken).toMatch(/^na1-/);

    const info = await oauth.accessTokensApi.get(tokens.accessToken);
    expect(info).toMatchObject({
      token: tokens.accessToken,
      user: DEMO_HUBSPOT_LOGIN.email,
      hubDomain: 'demo-sandbox.example',
      hubId: 7654321,
      expiresIn: 1800,
      tokenType: 'access',
    });
    expect(info.scopes).toEqual(
      expect.arrayContaining(['oauth', 'crm.objects.contacts.read', 'crm.objects.contacts.write']),
    );
    expect(info.userId).toBeGreaterThan(0);
    expect(info.appId).toBeGreaterThan(0);

    // The token belongs to the chosen portal: it sees the sandbox's 200 contacts.
    const contacts = await sdk(mock, tokens.accessToken).crm.contacts.getAll();
    expect(contacts).toHaveLength(200);

    time.advance(60_000);
    const refreshed = await oauth.tokensApi.create(
      'refresh_token',
      undefined,
      undefined,
      MOCK_HUBSPOT_CLIENT_ID,
      MOCK_HUBSPOT_CLIENT_SECRET,
      tokens.refreshToken,
    );
    expect(refreshed.accessToken).not.toBe(tokens.accessToken);
    expect(refreshed.refreshToken).toBe(tokens.refreshToken);
    expect(refreshed.expiresIn).toBe(1800);

    const refreshInfo = await oauth.refreshTokensApi.get(tokens.refreshToken);
    expect(refreshInfo).toMatchObject({
      token: tokens.refreshToken,
      hubId: 7654321,
      clientId: MOCK_HUBSPOT_CLIENT_ID,
      tokenType: 'refresh',
      user: DEMO_HUBSPOT_LOGIN.email,
    });

    await oauth.refreshTokensApi.archive(tokens.refreshToken);
    const again = await failure(
      oauth.tokensApi.create(
        'refresh_token',
        undefined,
        undefined,
        MOCK_HUBSPOT_CLIENT_ID,
        MOCK_HUBSPOT_CLIENT_SECRET,
        tokens.refreshToken,
      ),
    );
    expect(again.code).toBe(400);
    expect(again.body.status).toBe('BAD_REFRESH_TOKEN');
    // Revoking the refresh token revokes the access tokens made from it.
    const revoked = await failure(sdk(mock, refreshed.accessToken).crm.contacts.basicApi.getPage());
    expect(revoked.code).toBe(401);
    expect((await failure(oauth.refreshTokensApi.get(tokens.refreshToken))).code).toBe(404);
  });

  it('uses a code once only and refuses unknown, expired and mismatched ones', async () => {
    const oauth = sdk(mock).oauth;
    const exchange = (
      code: string,
      redirectUri = REDIRECT_URI,
      secret = MOCK_HUBSPOT_CLIENT_SECRET,
    ) =>
      oauth.tokensApi.create(
        'authorization_code',
        code,
        redirectUri,
        MOCK_HUBSPOT_CLIENT_ID,
        secret,
      );

    const code = (await authorize(1234567)).searchParams.get('code') ?? '';
    await exchange(code);
    const reused = await failure(exchange(code));
    expect(reused.code).toBe(400);
    expect(reused.body).toMatchObject({ status: 'BAD_AUTH_CODE' });
    expect(reused.body.correlationId).toEqual(anyString);
    expect(reused.body.message).toEqual(anyString);

    expect((await failure(exchange('not-a-code'))).body.status).toBe('BAD_AUTH_CODE');

    const mismatched = (await authorize(1234567)).searchParams.get('code') ?? '';
    expect((await failure(exchange(mismatched, 'http://localhost:1/other'))).body.status).toBe(
      'BAD_REDIRECT_URI',
    );
    expect((await failure(exchange(mismatched, REDIRECT_URI, 'wrong'))).body.status).toBe(
      'BAD_CLIENT_SECRET',
    );
    const wrongClient = await failure(
      oauth.tokensApi.create('authorization_code', mismatched, REDIRECT_URI, 'x', 'y'),
    );
    expect(wrongClient.body.status).toBe('BAD_CLIENT_ID');

    const late = (await authorize(1234567)).searchParams.get('code') ?? '';
    time.advance(11 * 60_000);
    const expired = await failure(exchange(late));
    expect(expired.code).toBe(400);
    expect(expired.body.status).toBe('EXPIRED_AUTH_CODE');
  });

  it('refuses an unknown refresh token', async () => {
    const error = await failure(
      sdk(mock).oauth.tokensApi.create(
        'refresh_token',
        undefined,
        undefined,
        MOCK_HUBSPOT_CLIENT_ID,
        MOCK_HUBSPOT_CLIENT_SECRET,
        'na1-0000-0000-0000-0000-000000000000',
      ),
    );
    expect(error.code).toBe(400);
    expect(error.body.status).toBe('BAD_REFRESH_TOKEN');
  });
});

describe('API authentication', () => {
  it('answers a missing or unknown token with 401 INVALID_AUTHENTICATION', async () => {
    const missing = await api(mock, 'GET', '/crm/v3/objects/contacts');
    expect(missing.status).toBe(401);
    expect(await missing.json()).toMatchObject({
      status: 'error',
      category: 'INVALID_AUTHENTICATION',
      correlationId: anyString,
    });
    const unknown = await failure(sdk(mock, 'CO-unknown').crm.contacts.basicApi.getPage());
    expect(unknown.code).toBe(401);
    expect(unknown.body.category).toBe('INVALID_AUTHENTICATION');
  });

  it('answers an expired token with 401 EXPIRED_AUTHENTICATION', async () => {
    const token = mock.issueToken({ hubId: 1234567 });
    const client = sdk(mock, token.access_token);
    await client.crm.contacts.basicApi.getPage(1);
    time.advance(1800 * 1000 + 5000);
    const expired = await failure(client.crm.contacts.basicApi.getPage(1));
    expect(expired.code).toBe(401);
    expect(expired.body).toMatchObject({
      status: 'error',
      category: 'EXPIRED_AUTHENTICATION',
      message: 'The OAuth token used to make this call expired 5 second(s) ago.',
    });
    expect((await failure(sdk(mock).oauth.accessTokensApi.get(token.access_token))).code).toBe(404);
  });

  it('expires tokens on demand through /__mock/tokens/expire', async () => {
    const token = mock.issueToken();
    const response = await control(mock, '/tokens/expire', { access_token: token.access_token });
    expect(response.json).toEqual({ expired: 1 });
    const error = await failure(sdk(mock, token.access_token).crm.contacts.basicApi.getPage(1));
    expect(error.body.category).toBe('EXPIRED_AUTHENTICATION');
  });

  it('answers calls outside the granted scopes with 403 MISSING_SCOPES', async () => {
    const token = mock.issueToken({ scopes: ['crm.objects.contacts.read'] });
    const client = sdk(mock, token.access_token);
    await client.crm.contacts.basicApi.getPage(1);
    const denied = await failure(client.crm.owners.ownersApi.getPage());
    expect(denied.code).toBe(403);
    expect(denied.body).toMatchObject({ status: 'error', category: 'MISSING_SCOPES' });
    const write = await failure(
      client.crm.contacts.basicApi.create({
        properties: { email: 'a@b.example' },
        associations: [],
      }),
    );
    expect(write.code).toBe(403);
  });

  it('issues tokens for seeded portals only', async () => {
    const issued = await control(mock, '/tokens', { hubId: 7654321, expiresInSeconds: 60 });
    expect(issued.status).toBe(200);
    expect(issued.json).toMatchObject({ hub_id: 7654321, expires_in: 60, token_type: 'bearer' });
    const unknown = await control(mock, '/tokens', { hubId: 1 });
    expect(unknown.status).toBe(404);
  });
});
