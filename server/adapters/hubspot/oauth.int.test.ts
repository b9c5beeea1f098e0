import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  DEMO_HUBSPOT_LOGIN,
  DEMO_PORTALS,
  MOCK_HUBSPOT_CLIENT_ID,
  MOCK_HUBSPOT_CLIENT_SECRET,
  startHubSpotMock,
  type HubSpotMockHandle,
} from '../../mocks/hubspot';
import { authorizationCode } from '../../mocks/hubspot/test-helpers';
import { HubSpotOAuth, OAuthRefusedError } from './oauth';

const REDIRECT_URI = 'http://127.0.0.1:3999/api/oauth/callback';
const HUB_ID = DEMO_PORTALS[0].hubId;

describe('HubSpot OAuth client against the HubSpot mock', () => {
  let mock: HubSpotMockHandle;
  let oauth: HubSpotOAuth;

  beforeAll(async () => {
    mock = await startHubSpotMock({ host: '127.0.0.1', port: 0 });
    oauth = new HubSpotOAuth({
      apiUrl: mock.url,
      clientId: MOCK_HUBSPOT_CLIENT_ID,
      clientSecret: MOCK_HUBSPOT_CLIENT_SECRET,
    });
  });
  afterAll(() => mock.close());
  beforeEach(() => {
    mock.reset();
    mock.seedDemo();
  });

  it('exchanges a code, reads the token info, refreshes and revokes', async () => {
    const code = await authorizationCode(mock, {
      hubId: HUB_ID,
      clientId: MOCK_HUBSPOT_CLIENT_ID,
      redirectUri: REDIRECT_URI,
      login: DEMO_HUBSPOT_LOGIN,
    });
    const tokens = await oauth.exchangeCode(code, REDIRECT_URI);
    expect(tokens.expiresInSeconds).toBe(1800);
    expect(await oauth.tokenInfo(tokens.accessToken)).toEqual({
      hubId: String(HUB_ID),
      hubDomain: DEMO_PORTALS[0].domain,
      user: DEMO_HUBSPOT_LOGIN.email,
      scopes: expect.arrayContaining(['oauth', 'crm.objects.contacts.read']) as unknown,
    });
    const renewed = await oauth.refresh(tokens.refreshToken);
    expect(renewed.refreshToken).toBe(tokens.refreshToken);
    expect(renewed.accessToken).not.toBe(tokens.accessToken);
    await oauth.revoke(tokens.refreshToken);
    await oauth.revoke(tokens.refreshToken);
    await expect(oauth.refresh(tokens.refreshToken)).rejects.toMatchObject({
      code: 'BAD_REFRESH_TOKEN',
    });
  });

  it("turns HubSpot's refusals into OAuthRefusedError with the reason code", async () => {
    const refused = await oauth.exchangeCode('no-such-code', REDIRECT_URI).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(OAuthRefusedError);
    expect(refused).toMatchObject({ code: 'BAD_AUTH_CODE' });
  });
});

describe('HubSpot OAuth client on answers that are not what the spec says', () => {
  let server: http.Server;
  let url: string;
  let reply: { status: number; body: unknown } = { status: 200, body: {} };

  beforeAll(async () => {
    server = http.createServer((_req, res) => {
      res.writeHead(reply.status, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify(reply.body));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise((resolve) => server.close(resolve)));

  const client = () => new HubSpotOAuth({ apiUrl: url, clientId: 'id', clientSecret: 'secret' });
  const complete = {
    access_token: 'CO-access',
    refresh_token: 'na1-refresh',
    expires_in: 1800,
    token_type: 'bearer',
    token_use: 'access_token',
    hub_id: 42,
    user_id: 7,
    scopes: ['oauth'],
  };

  it('accepts a complete token answer, and one from before token_use existed', async () => {
    reply = { status: 200, body: complete };
    expect(await client().refresh('r')).toEqual({
      accessToken: 'CO-access',
      refreshToken: 'na1-refresh',
      expiresInSeconds: 1800,
    });
    const { token_use: _tokenUse, hub_id: _hubId, user_id: _userId, ...older } = complete;
    reply = { status: 200, body: older };
    expect((await client().refresh('r')).accessToken).toBe('CO-access');
  });

  it('refuses token answers that are not an access token pair', async () => {
    const cases: [string, unknown][] = [
      ['token_use', { ...complete, token_use: 'client_credentials' }],
      ['refresh_token', { ...complete, refresh_token: undefined }],
      ['expires_in', { ...complete, expires_in: '1800' }],
      ['token_type', { ...complete, token_type: 'mac' }],
      ['body', 'not json at all'],
    ];
    for (const [field, body] of cases) {
      reply = { status: 200, body };
      await expect(client().refresh('r'), field).rejects.toThrow(field);
    }
  });

  it('reads the reason of a refusal from status, else from category', async () => {
    reply = { status: 400, body: { status: 'BAD_GRANT_TYPE', message: 'no', category: 'X' } };
    await expect(client().refresh('r')).rejects.toMatchObject({ code: 'BAD_GRANT_TYPE' });
    reply = { status: 400, body: { message: 'Invalid input', category: 'VALIDATION_ERROR' } };
    await expect(client().refresh('r')).rejects.toMatchObject({ code: 'VALIDATION_ERROR' });
    reply = { status: 503, body: {} };
    await expect(client().refresh('r')).rejects.not.toBeInstanceOf(OAuthRefusedError);
  });

  it('refuses token info without the fields the spec requires', async () => {
    const info = {
      token: 'CO-access',
      hub_id: 42,
      user_id: 7,
      app_id: 1,
      scopes: ['oauth'],
      token_type: 'access',
      expires_in: 1700,
      hub_domain: 'x.example',
      user: 'a@x.example',
    };
    reply = { status: 200, body: info };
    expect(await client().tokenInfo('CO-access')).toEqual({
      hubId: '42',
      hubDomain: 'x.example',
      user: 'a@x.example',
      scopes: ['oauth'],
    });
    reply = { status: 200, body: { ...info, hub_id: undefined } };
    await expect(client().tokenInfo('CO-access')).rejects.toThrow();
    reply = { status: 200, body: { ...info, scopes: undefined } };
    await expect(client().tokenInfo('CO-access')).rejects.toThrow();
  });
});
