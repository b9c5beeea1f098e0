import { describe, expect, it } from 'vitest';
import { signLaunchToken, verifyLaunchToken } from './launch-token';

const SECRET = 's'.repeat(32);
const NOW = new Date('2026-03-01T10:00:00Z');
const claims = { iss: 'http://127.0.0.1:4020', sub: 'admin', name: 'Admin' };

describe('launch tokens', () => {
  it('round-trips claims and gives each token its own id', () => {
    const first = signLaunchToken(SECRET, claims, NOW);
    const second = signLaunchToken(SECRET, claims, NOW);
    const check = verifyLaunchToken(SECRET, first, NOW);
    expect(check).toMatchObject({
      ok: true,
      payload: { ...claims, exp: NOW.getTime() / 1000 + 120 },
    });
    const other = verifyLaunchToken(SECRET, second, NOW);
    expect(check.ok && other.ok && check.payload.jti !== other.payload.jti).toBe(true);
  });

  it('refuses a token signed with another secret or altered on the way', () => {
    const token = signLaunchToken(SECRET, claims, NOW);
    expect(verifyLaunchToken('x'.repeat(32), token, NOW)).toEqual({
      ok: false,
      reason: 'bad_signature',
    });
    const [version, payload, signature] = token.split('.') as [string, string, string];
    const forged = Buffer.from(
      Buffer.from(payload, 'base64url').toString().replace('admin', 'root'),
    ).toString('base64url');
    expect(verifyLaunchToken(SECRET, `${version}.${forged}.${signature}`, NOW).ok).toBe(false);
  });

  it('refuses expired and malformed tokens', () => {
    const token = signLaunchToken(SECRET, claims, NOW, 60);
    expect(verifyLaunchToken(SECRET, token, new Date(NOW.getTime() + 60_000))).toEqual({
      ok: false,
      reason: 'expired',
    });
    expect(verifyLaunchToken(SECRET, 'garbage', NOW)).toEqual({ ok: false, reason: 'malformed' });
    expect(verifyLaunchToken(SECRET, 'v1.a.b', NOW)).toEqual({
      ok: false,
      reason: 'bad_signature',
    });
  });
});
