import { createHmac, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signLaunchToken } from '../auth/launch-token';
import { LAUNCH_SECRET, startAppEnv, type AppEnv } from '../testing/app-env';

/**
 * Launch tokens and sessions, held to what once went wrong there: a token with `exp` ten years
 * ahead or from another issuer opened a session, a HEAD (a link scanner) used a token up and got a
 * session, there was no logout, and sessions lived on after the connection was removed.
 */

let env: AppEnv;
beforeAll(async () => {
  env = await startAppEnv();
});
afterAll(async () => {
  await env?.close();
});

const launch = (token: string, method = 'GET') =>
  fetch(`${env.url}/launch?token=${encodeURIComponent(token)}`, { method, redirect: 'manual' });

/** A token as a signer with the shared secret could make it, whatever it claims. */
function signed(claims: Record<string, unknown>): string {
  const now = Math.floor(Date.now() / 1000);
  const payload = {
    iss: env.launchIssuer,
    aud: 'xentral-hubspot-app',
    sub: 'admin',
    iat: now,
    exp: now + 120,
    jti: randomUUID(),
    ...claims,
  };
  const body = `v1.${Buffer.from(JSON.stringify(payload)).toString('base64url')}`;
  return `${body}.${createHmac('sha256', LAUNCH_SECRET).update(body).digest('base64url')}`;
}

describe('launch tokens', () => {
  it('a well-signed token is refused when it lives too long, or is of another issuer or app', async () => {
    const now = Math.floor(Date.now() / 1000);
    expect((await launch(signed({}))).status).toBe(303);
    for (const [claims, words] of [
      [{ exp: now + 10 * 365 * 86_400 }, 'länger gültig'],
      [{ exp: now + 301 }, 'länger gültig'],
      [{ iss: 'https://another-xentral.example' }, 'nicht von dem Xentral'],
      [{ aud: 'another-app' }, 'andere App'],
    ] as const) {
      const response = await launch(signed(claims));
      expect(response.status, JSON.stringify(claims)).toBe(401);
      expect(response.headers.get('set-cookie')).toBeNull();
      expect(await response.text()).toContain(words);
    }
  });

  it('HEAD neither uses a token up nor opens a session; the GET after it does', async () => {
    const token = signLaunchToken(
      LAUNCH_SECRET,
      { iss: env.launchIssuer, sub: 'admin' },
      new Date(),
    );
    const head = await launch(token, 'HEAD');
    expect(head.status).toBe(200);
    expect(head.headers.get('set-cookie')).toBeNull();
    const get = await launch(token);
    expect(get.status).toBe(303);
    expect(get.headers.get('set-cookie')).toMatch(/^xhs_session=/);
    expect((await launch(token)).status).toBe(401);
  });
});

describe('sessions', () => {
  it('logout ends the session; it needs the CSRF token like every change', async () => {
    const admin = env.browser();
    await admin.launch();
    const cookie = admin.sessionCookie;
    expect((await admin.fetch('/api/logout', { method: 'POST', csrf: false })).status).toBe(403);
    const out = await admin.fetch('/api/logout', { method: 'POST' });
    expect(out.status).toBe(200);
    expect(await out.json()).toEqual({ signedOut: true });
    expect(out.headers.get('set-cookie')).toMatch(/^xhs_session=;.*Expires=Thu, 01 Jan 1970/);
    const after = await fetch(`${env.url}/api/session`, { headers: { cookie } });
    expect(after.status).toBe(401);
    // The API token has no session to end.
    expect((await env.api('POST', '/api/logout')).body).toEqual({ signedOut: false });
  });

  it('removing the connection ends every other session', async () => {
    const remover = env.browser();
    await remover.launch();
    const elsewhere = env.browser();
    await elsewhere.launch();
    expect((await remover.json('DELETE', '/api/connection')).status).toBe(200);
    expect((await elsewhere.json('GET', '/api/session')).status).toBe(401);
    expect((await remover.json('GET', '/api/session')).status).toBe(200);
  });

  // Last: it moves the app's clock hours ahead of the launch tokens' real time.
  it('a session idles out after 30 minutes without a request, and ends after 8 hours in any case', async () => {
    const idle = env.browser();
    await idle.launch();
    const busy = env.browser();
    await busy.launch();
    const session = await busy.json<{ expiresAt: string }>('GET', '/api/session');
    expect(Date.parse(session.body.expiresAt) - Date.now()).toBeLessThanOrEqual(30 * 60_000);

    env.advance(29 * 60_000);
    expect((await busy.json('GET', '/api/session')).status).toBe(200);
    env.advance(2 * 60_000);
    expect((await idle.json('GET', '/api/session')).status).toBe(401);
    // The busy one made a request two minutes ago: still in.
    expect((await busy.json('GET', '/api/session')).status).toBe(200);

    for (let minutes = 31; minutes < 8 * 60 - 20; minutes += 20) {
      env.advance(20 * 60_000);
      expect((await busy.json('GET', '/api/session')).status, `${minutes + 20} min`).toBe(200);
    }
    env.advance(25 * 60_000);
    expect((await busy.json('GET', '/api/session')).status).toBe(401);
  });
});
