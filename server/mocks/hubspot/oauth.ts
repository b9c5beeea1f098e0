import { randomBytes, randomUUID } from 'node:crypto';
import express, { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import { chooseAccountPage, errorPage, loginPage, type AuthorizeParams } from './pages';
import type { AccessToken, HubSpotStore, Portal, RefreshToken } from './store';

/**
 * OAuth v1 as HubSpot runs it: an authorize page (login, then Choose Account when the user
 * has several portals) redirecting with a single-use code, and /oauth/v1/token for the
 * authorization_code and refresh_token grants (form-encoded, errors as {status, message}).
 */

export interface OAuthApp {
  clientId: string;
  clientSecret: string;
  appId: number;
  /** Absent: any http(s) redirect to localhost / a loopback address is accepted. */
  redirectUris?: string[] | undefined;
  name: string;
}

function tokenString(prefix: string, bytes: number): string {
  return `${prefix}${randomBytes(bytes).toString('base64url')}`;
}

/** HubSpot refresh tokens look like `na1-ab12-cd34-ef56-gh78-abcdef123456`. */
function refreshTokenString(): string {
  const hex = randomBytes(14).toString('hex');
  return `na1-${hex.slice(0, 4)}-${hex.slice(4, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 28)}`;
}

export function issueAccessToken(
  store: HubSpotStore,
  refresh: RefreshToken,
  expiresInSeconds: number,
): AccessToken {
  const token: AccessToken = {
    token: tokenString('CO', 48),
    clientId: refresh.clientId,
    hubId: refresh.hubId,
    userId: refresh.userId,
    scopes: [...refresh.scopes],
    expiresAtMs: store.nowMs() + expiresInSeconds * 1000,
    refreshToken: refresh.token,
    revoked: false,
  };
  store.accessTokens.set(token.token, token);
  return token;
}

export function issueTokenPair(
  store: HubSpotStore,
  input: {
    clientId: string;
    hubId: number;
    userId: number;
    scopes: readonly string[];
    expiresInSeconds?: number | undefined;
  },
): { access: AccessToken; refresh: RefreshToken } {
  const refresh: RefreshToken = {
    token: refreshTokenString(),
    clientId: input.clientId,
    hubId: input.hubId,
    userId: input.userId,
    scopes: [...new Set(['oauth', ...input.scopes])],
    revoked: false,
  };
  store.refreshTokens.set(refresh.token, refresh);
  const access = issueAccessToken(
    store,
    refresh,
    input.expiresInSeconds ?? store.settings.accessTokenTtlSeconds,
  );
  return { access, refresh };
}

/**
 * Seconds the token has left, rounded up: a token issued a few milliseconds ago still says its
 * whole lifetime (1800), as HubSpot's answer does.
 */
export function expiresIn(store: HubSpotStore, token: AccessToken): number {
  return Math.max(0, Math.ceil((token.expiresAtMs - store.nowMs()) / 1000));
}

/**
 * AccessTokenResponse (Auth OAuth v1, POST /oauth/v1/token): access_token, refresh_token,
 * expires_in, token_type and token_use are required; hub_id, user_id and scopes are optional and
 * sent by HubSpot (hub_id and scopes joined in August 2025, developer changelog). id_token only
 * comes with the OpenID Connect `openid` scope, which this mock does not offer.
 */
export function tokenResponse(store: HubSpotStore, access: AccessToken, refresh: RefreshToken) {
  return {
    token_type: 'bearer',
    token_use: 'access_token',
    refresh_token: refresh.token,
    access_token: access.token,
    expires_in: expiresIn(store, access),
    hub_id: access.hubId,
    user_id: access.userId,
    scopes: access.scopes,
  };
}

/** Revokes a refresh token and every access token made from it. */
export function revokeRefreshToken(store: HubSpotStore, refresh: RefreshToken): void {
  refresh.revoked = true;
  for (const access of store.accessTokens.values()) {
    if (access.refreshToken === refresh.token) access.revoked = true;
  }
}

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]', '::1']);

export function redirectAllowed(app: OAuthApp, redirectUri: string): boolean {
  if (app.redirectUris) return app.redirectUris.includes(redirectUri);
  let url: URL;
  try {
    url = new URL(redirectUri);
  } catch {
    return false;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return false;
  return LOOPBACK_HOSTS.has(url.hostname) || url.hostname.endsWith('.localhost');
}

/**
 * OAuth refusals: the spec's Error requires category, correlationId and message; HubSpot puts the
 * reason code (BAD_REFRESH_TOKEN, BAD_AUTH_CODE, …) in `status`, which is what clients test.
 */
function oauthError(res: Response, status: string, message: string, httpStatus = 400): void {
  res
    .status(httpStatus)
    .json({ status, message, correlationId: randomUUID(), category: 'VALIDATION_ERROR' });
}

function notFound(res: Response, message: string): void {
  res
    .status(404)
    .json({ status: 'error', message, correlationId: randomUUID(), category: 'OBJECT_NOT_FOUND' });
}

const text = z.string().optional();
const AuthorizeQuery = z.object({
  client_id: text,
  redirect_uri: text,
  scope: text,
  optional_scope: text,
  state: text,
});
const LoginForm = AuthorizeQuery.extend({ email: text, password: text });
const ChooseForm = z.object({ session: text, hub_id: text });
const TokenForm = z.object({
  grant_type: text,
  code: text,
  redirect_uri: text,
  client_id: text,
  client_secret: text,
  refresh_token: text,
});

function firstValues(input: unknown): Record<string, string | undefined> {
  // Repeated parameters arrive as arrays; HubSpot reads the first one.
  const out: Record<string, string | undefined> = {};
  if (typeof input !== 'object' || input === null) return out;
  for (const [key, value] of Object.entries(input)) {
    const first: unknown = Array.isArray(value) ? (value as unknown[])[0] : value;
    if (typeof first === 'string') out[key] = first;
  }
  return out;
}

function scopesOf(params: AuthorizeParams): string[] {
  const split = (value: string) => value.split(/[\s+,]+/).filter((scope) => scope !== '');
  return [...new Set(['oauth', ...split(params.scope), ...split(params.optionalScope)])];
}

function sendPage(res: Response, status: number, body: string): void {
  res
    .status(status)
    .set({
      'Content-Type': 'text/html; charset=utf-8',
      'Cache-Control': 'no-store',
      'X-Content-Type-Options': 'nosniff',
      // No scripts, no framing. form-action stays open: the final step redirects to the app.
      'Content-Security-Policy':
        "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'; base-uri 'none'",
      'Referrer-Policy': 'no-referrer',
    })
    .send(body);
}

export function oauthRouter(store: HubSpotStore, app: OAuthApp): Router {
  const router = Router();
  const form = express.urlencoded({ extended: false, limit: '100kb' });

  /** Checks client and redirect; on failure answers the error page and returns undefined. */
  const authorizeParams = (
    res: Response,
    raw: z.infer<typeof AuthorizeQuery>,
  ): AuthorizeParams | undefined => {
    if (!raw.client_id || raw.client_id !== app.clientId) {
      sendPage(
        res,
        400,
        errorPage('Authorization failed', 'The client_id of this request is unknown.'),
      );
      return undefined;
    }
    if (!raw.redirect_uri || !redirectAllowed(app, raw.redirect_uri)) {
      sendPage(
        res,
        400,
        errorPage(
          'Authorization failed',
          "The redirect_uri doesn't match the redirect URLs configured for this app.",
        ),
      );
      return undefined;
    }
    return {
      clientId: raw.client_id,
      redirectUri: raw.redirect_uri,
      scope: raw.scope ?? '',
      optionalScope: raw.optional_scope ?? '',
      state: raw.state,
    };
  };

  const pathOf = (req: Request, path: string) => `${req.baseUrl}${path}`;

  const finish = (
    res: Response,
    params: { redirectUri: string; clientId: string; state: string | undefined; scopes: string[] },
    userId: number,
    portal: Portal,
  ) => {
    const code = randomUUID();
    store.authCodes.set(code, {
      code,
      clientId: params.clientId,
      redirectUri: params.redirectUri,
      hubId: portal.hubId,
      userId,
      scopes: params.scopes,
      expiresAtMs: store.nowMs() + store.settings.authCodeTtlSeconds * 1000,
      used: false,
    });
    const target = new URL(params.redirectUri);
    target.searchParams.set('code', code);
    if (params.state !== undefined) target.searchParams.set('state', params.state);
    res.redirect(302, target.toString());
  };

  const showLogin = (req: Request, res: Response) => {
    const params = authorizeParams(res, AuthorizeQuery.parse(firstValues(req.query)));
    if (!params) return;
    sendPage(
      res,
      200,
      loginPage({ action: pathOf(req, '/oauth/authorize'), params, appName: app.name }),
    );
  };
  // app.hubspot.com/oauth/authorize is the real page; /oauth/v1/authorize is accepted as well.
  router.get('/oauth/authorize', showLogin);
  router.get('/oauth/v1/authorize', showLogin);

  router.post('/oauth/authorize', form, (req, res) => {
    const body = LoginForm.parse(firstValues(req.body));
    const params = authorizeParams(res, body);
    if (!params) return;
    const user = body.email ? store.userByEmail(body.email) : undefined;
    if (!user || body.password !== user.password) {
      sendPage(
        res,
        401,
        loginPage({
          action: pathOf(req, '/oauth/authorize'),
          params,
          appName: app.name,
          email: body.email,
          error: 'The email address or password is incorrect. Please try again.',
        }),
      );
      return;
    }
    const portals = user.hubIds
      .map((hubId) => store.portal(hubId))
      .filter((portal): portal is Portal => portal !== undefined);
    const scopes = scopesOf(params);
    const [only] = portals;
    if (portals.length === 1 && only) {
      finish(res, { ...params, scopes }, user.userId, only);
      return;
    }
    if (portals.length === 0) {
      sendPage(
        res,
        403,
        errorPage('No account', 'This user has no HubSpot account to connect to.'),
      );
      return;
    }
    const session = randomUUID();
    store.loginSessions.set(session, {
      id: session,
      userId: user.userId,
      clientId: params.clientId,
      redirectUri: params.redirectUri,
      scopes,
      state: params.state,
      expiresAtMs: store.nowMs() + 30 * 60_000,
    });
    sendPage(
      res,
      200,
      chooseAccountPage({
        action: pathOf(req, '/oauth/authorize/choose'),
        session,
        email: user.email,
        appName: app.name,
        portals: portals.map(({ hubId, name, domain }) => ({ hubId, name, domain })),
      }),
    );
  });

  router.post('/oauth/authorize/choose', form, (req, res) => {
    const body = ChooseForm.parse(firstValues(req.body));
    const session = body.session ? store.loginSessions.get(body.session) : undefined;
    if (!session || session.expiresAtMs <= store.nowMs()) {
      sendPage(
        res,
        400,
        errorPage('Session expired', 'Please start the connection from the app again.'),
      );
      return;
    }
    const user = store.users.get(session.userId);
    const hubId = Number(body.hub_id);
    const portal = user?.hubIds.includes(hubId) ? store.portal(hubId) : undefined;
    if (!user || !portal) {
      sendPage(res, 400, errorPage('Unknown account', 'Choose one of the listed accounts.'));
      return;
    }
    store.loginSessions.delete(session.id);
    finish(res, session, user.userId, portal);
  });

  router.post('/oauth/v1/token', form, (req, res) => {
    // POST /oauth/v1/token (Auth OAuth v1) takes its fields form-encoded; client_secret and
    // refresh_token may also come as query parameters.
    const query = firstValues(req.query);
    const body = TokenForm.parse({
      client_secret: query.client_secret,
      refresh_token: query.refresh_token,
      ...firstValues(req.body),
    });
    if (body.grant_type !== 'authorization_code' && body.grant_type !== 'refresh_token') {
      oauthError(res, 'BAD_GRANT_TYPE', 'missing or unknown grant_type');
      return;
    }
    if (body.client_id !== app.clientId) {
      oauthError(res, 'BAD_CLIENT_ID', 'missing or unknown client id');
      return;
    }
    if (body.client_secret !== app.clientSecret) {
      oauthError(res, 'BAD_CLIENT_SECRET', 'missing or invalid client secret');
      return;
    }
    if (body.grant_type === 'authorization_code') {
      const code = body.code ? store.authCodes.get(body.code) : undefined;
      // Codes are single-use and belong to the app that asked for them.
      if (!code || code.used || code.clientId !== app.clientId) {
        oauthError(res, 'BAD_AUTH_CODE', 'missing or unknown auth code');
        return;
      }
      if (code.expiresAtMs <= store.nowMs()) {
        oauthError(res, 'EXPIRED_AUTH_CODE', 'auth code is expired');
        return;
      }
      if (body.redirect_uri !== code.redirectUri) {
        oauthError(
          res,
          'BAD_REDIRECT_URI',
          'redirect_uri does not match the redirect_uri used to get the auth code',
        );
        return;
      }
      code.used = true;
      const { access, refresh } = issueTokenPair(store, {
        clientId: code.clientId,
        hubId: code.hubId,
        userId: code.userId,
        scopes: code.scopes,
      });
      res.json(tokenResponse(store, access, refresh));
      return;
    }
    const refresh = body.refresh_token ? store.refreshTokens.get(body.refresh_token) : undefined;
    if (!refresh || refresh.revoked || refresh.clientId !== app.clientId) {
      oauthError(res, 'BAD_REFRESH_TOKEN', 'missing or invalid refresh token');
      return;
    }
    // A refresh keeps the refresh token and mints a new access token; older ones stay valid.
    const access = issueAccessToken(store, refresh, store.settings.accessTokenTtlSeconds);
    res.json(tokenResponse(store, access, refresh));
  });

  router.get('/oauth/v1/access-tokens/:token', (req, res) => {
    const token = store.accessTokens.get(req.params.token);
    if (!token || token.revoked || token.expiresAtMs <= store.nowMs()) {
      notFound(res, 'The access token does not exist or has expired.');
      return;
    }
    const portal = store.portal(token.hubId);
    const user = store.users.get(token.userId);
    // AccessTokenInfoResponse: token, hub_id, user_id, app_id, scopes, token_type and expires_in
    // are required; user and hub_domain are optional and left out when unknown.
    res.json({
      token: token.token,
      ...(user ? { user: user.email } : {}),
      ...(portal ? { hub_domain: portal.domain } : {}),
      scopes: token.scopes,
      hub_id: token.hubId,
      app_id: app.appId,
      expires_in: expiresIn(store, token),
      user_id: token.userId,
      token_type: 'access',
      is_private_distribution: false,
    });
  });

  router.get('/oauth/v1/refresh-tokens/:token', (req, res) => {
    const refresh = store.refreshTokens.get(req.params.token);
    if (!refresh || refresh.revoked) {
      notFound(res, 'The refresh token does not exist or was revoked.');
      return;
    }
    const portal = store.portal(refresh.hubId);
    const user = store.users.get(refresh.userId);
    res.json({
      token: refresh.token,
      ...(user ? { user: user.email } : {}),
      ...(portal ? { hub_domain: portal.domain } : {}),
      scopes: refresh.scopes,
      hub_id: refresh.hubId,
      client_id: refresh.clientId,
      user_id: refresh.userId,
      token_type: 'refresh',
    });
  });

  router.delete('/oauth/v1/refresh-tokens/:token', (req, res) => {
    const refresh = store.refreshTokens.get(req.params.token);
    if (!refresh || refresh.revoked) {
      notFound(res, 'The refresh token does not exist or was revoked.');
      return;
    }
    revokeRefreshToken(store, refresh);
    res.status(204).end();
  });

  return router;
}
