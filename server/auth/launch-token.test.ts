import { describe, expect, it } from 'vitest';
import { createHmac } from 'node:crypto';
import { signLaunchToken, verifyLaunchToken } from './launch-token';

const SECRET = 's'.repeat(32);
const NOW = new Date('2026-03-01T10:00:00Z');
const claims = { iss: 'http://127.0.0.1:4020', sub: 'admin', name: 'Admin' };
const WANT = { issuer: 'http://127.0.0.1:4020' };

describe('launch tokens', () => {
  it('round-trips claims and gives each token its own id', () => {
    const first = signLaunchToken(SECRET, claims, NOW);
    const second = signLaunchToken(SECRET, claims, NOW);
    const check = verifyLaunchToken(SECRET, first, NOW, WANT);
    expect(check).toMatchObject({
      ok: true,
      payload: { ...claims, exp: NOW.getTime() / 1000 + 120 },
    });
    const other = verifyLaunchToken(SECRET, second, NOW, WANT);
    expect(check.ok && other.ok && check.payload.jti !== other.payload.jti).toBe(true);
  });

  it('refuses a token signed with another secret or altered on the way', () => {
    const token = signLaunchToken(SECRET, claims, NOW);
    expect(verifyLaunchToken('x'.repeat(32), token, NOW, WANT)).toEqual({
      ok: false,
      reason: 'bad_signature',
    });
    const [version, payload, signature] = token.split('.') as [string, string, string];
    const forged = Buffer.from(
      Buffer.from(payload, 'base64url').toString().replace('admin', 'root'),
    ).toString('base64url');
    expect(verifyLaunchToken(SECRET, `${version}.${forged}.${signature}`, NOW, WANT).ok).toBe(
      false,
    );
  });

  it('refuses expired and malformed tokens', () => {
    const token = signLaunchToken(SECRET, claims, NOW, 60);
    expect(verifyLaunchToken(SECRET, token, new Date(NOW.getTime() + 60_000), WANT)).toEqual({
      ok: false,
      reason: 'expired',
    });
    expect(verifyLaunchToken(SECRET, 'garbage', NOW, WANT)).toEqual({
      ok: false,
      reason: 'malformed',
    });
    expect(verifyLaunchToken(SECRET, 'v1.a.b', NOW, WANT)).toEqual({
      ok: false,
      reason: 'bad_signature',
    });
  });

  /** A token as another signer would make it: any payload, signed with the shared secret. */
  const signed = (payload: Record<string, unknown>) => {
    const body = `v1.${Buffer.from(JSON.stringify(payload)).toString('base64url')}`;
    return `${body}.${createHmac('sha256', SECRET).update(body).digest('base64url')}`;
  };
  const nowSeconds = NOW.getTime() / 1000;
  const base = {
    ...claims,
    aud: 'xentral-hubspot-app',
    iat: nowSeconds,
    exp: nowSeconds + 120,
    jti: 'a-unique-id-1',
  };

  it('refuses a well-signed token that lives longer than five minutes', () => {
    expect(verifyLaunchToken(SECRET, signed(base), NOW, WANT).ok).toBe(true);
    const tenYears = signed({ ...base, exp: nowSeconds + 10 * 365 * 86_400 });
    expect(verifyLaunchToken(SECRET, tenYears, NOW, WANT)).toEqual({
      ok: false,
      reason: 'too_long_lived',
    });
    expect(
      verifyLaunchToken(SECRET, signed({ ...base, exp: nowSeconds + 301 }), NOW, WANT),
    ).toEqual({ ok: false, reason: 'too_long_lived' });
    expect(signLaunchToken(SECRET, claims, NOW, 300)).toSatisfy(
      (token: string) => verifyLaunchToken(SECRET, token, NOW, WANT).ok,
    );
  });

  it('refuses a token of another issuer or for another app', () => {
    expect(
      verifyLaunchToken(SECRET, signed({ ...base, iss: 'https://evil.example' }), NOW, WANT),
    ).toEqual({ ok: false, reason: 'wrong_issuer' });
    expect(verifyLaunchToken(SECRET, signed({ ...base, aud: 'another-app' }), NOW, WANT)).toEqual({
      ok: false,
      reason: 'wrong_audience',
    });
    const { aud: _aud, ...withoutAudience } = base;
    expect(verifyLaunchToken(SECRET, signed(withoutAudience), NOW, WANT)).toEqual({
      ok: false,
      reason: 'malformed',
    });
    // A trailing slash names the same issuer.
    expect(verifyLaunchToken(SECRET, signed(base), NOW, { issuer: `${WANT.issuer}/` }).ok).toBe(
      true,
    );
  });
});
