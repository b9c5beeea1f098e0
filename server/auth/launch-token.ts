import { createHmac, randomUUID, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';

/**
 * The App Center launch token: how Xentral tells the app "this admin opened you". Xentral signs
 * it with the secret shared with the app (APP_LAUNCH_SECRET); the app checks the signature and
 * the expiry, and remembers the id so a token opens one session only.
 *
 * Format: `v1.<base64url(JSON payload)>.<base64url(HMAC-SHA256(secret, "v1.<payload>"))>`.
 */
export const LaunchTokenPayload = z
  .object({
    /** Who issued it: the Xentral instance's URL. */
    iss: z.string().min(1),
    /** The Xentral user who opened the app. */
    sub: z.string().min(1),
    /** Display name of that user. */
    name: z.string().optional(),
    /** Issued at and expires at, in seconds since the epoch. */
    iat: z.number().int(),
    exp: z.number().int(),
    /** Unique id: a token is accepted once. */
    jti: z.string().min(8),
  })
  .strict();
export type LaunchTokenPayload = z.infer<typeof LaunchTokenPayload>;

/** Long enough to follow the App Center link, short enough that a leaked URL is soon useless. */
export const LAUNCH_TOKEN_TTL_SECONDS = 120;

const VERSION = 'v1';

function sign(secret: string, body: string): string {
  return createHmac('sha256', secret).update(body).digest('base64url');
}

export function signLaunchToken(
  secret: string,
  claims: { iss: string; sub: string; name?: string },
  now: Date,
  ttlSeconds: number = LAUNCH_TOKEN_TTL_SECONDS,
): string {
  const iat = Math.floor(now.getTime() / 1000);
  const payload: LaunchTokenPayload = { ...claims, iat, exp: iat + ttlSeconds, jti: randomUUID() };
  const body = `${VERSION}.${Buffer.from(JSON.stringify(payload)).toString('base64url')}`;
  return `${body}.${sign(secret, body)}`;
}

export type LaunchTokenCheck =
  | { ok: true; payload: LaunchTokenPayload }
  | { ok: false; reason: 'malformed' | 'bad_signature' | 'expired' | 'not_yet_valid' };

/** Checks form, signature and time. Single use is the caller's job (it owns the storage). */
export function verifyLaunchToken(secret: string, token: string, now: Date): LaunchTokenCheck {
  const parts = token.split('.');
  if (parts.length !== 3 || parts[0] !== VERSION) return { ok: false, reason: 'malformed' };
  const [version, encoded, signature] = parts as [string, string, string];
  const expected = Buffer.from(sign(secret, `${version}.${encoded}`));
  const given = Buffer.from(signature);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    return { ok: false, reason: 'bad_signature' };
  }
  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(encoded, 'base64url').toString('utf8'));
  } catch {
    return { ok: false, reason: 'malformed' };
  }
  const payload = LaunchTokenPayload.safeParse(json);
  if (!payload.success) return { ok: false, reason: 'malformed' };
  const nowSeconds = Math.floor(now.getTime() / 1000);
  // A little leeway for clocks of two machines that disagree by a few seconds.
  if (payload.data.iat > nowSeconds + 30) return { ok: false, reason: 'not_yet_valid' };
  if (payload.data.exp <= nowSeconds) return { ok: false, reason: 'expired' };
  return { ok: true, payload: payload.data };
}
