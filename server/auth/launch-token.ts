import { createHmac, randomUUID, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';

/**
 * The App Center launch token: how Xentral tells the app "this admin opened you". Xentral signs
 * it with the secret shared with the app (APP_LAUNCH_SECRET); the app checks the signature, who
 * issued it (the Xentral the app is configured with) and for whom (this app), that it lives at
 * most five minutes, and remembers the id so a token opens one session only.
 *
 * Format: `v1.<base64url(JSON payload)>.<base64url(HMAC-SHA256(secret, "v1.<payload>"))>`.
 */
export const LaunchTokenPayload = z
  .object({
    /** Who issued it: the Xentral instance's URL. */
    iss: z.string().min(1),
    /** For whom: this app (LAUNCH_TOKEN_AUDIENCE), so a token for another app opens nothing. */
    aud: z.string().min(1),
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

/**
 * The longest lifetime the app takes: a token valid for longer (`exp` ten years ahead) is a
 * leaked link that never dies, so it is refused however well it is signed.
 */
export const LAUNCH_TOKEN_MAX_TTL_SECONDS = 300;

/** The `aud` of launch tokens for this app. */
export const LAUNCH_TOKEN_AUDIENCE = 'xentral-hubspot-app';

/** Leeway for the clocks of two machines that disagree by a few seconds. */
const CLOCK_SKEW_SECONDS = 30;

/** An issuer compares without a trailing slash: `https://x.example/` is `https://x.example`. */
export const normaliseIssuer = (issuer: string) => issuer.replace(/\/+$/, '');

const VERSION = 'v1';

function sign(secret: string, body: string): string {
  return createHmac('sha256', secret).update(body).digest('base64url');
}

export function signLaunchToken(
  secret: string,
  claims: { iss: string; sub: string; name?: string; aud?: string },
  now: Date,
  ttlSeconds: number = LAUNCH_TOKEN_TTL_SECONDS,
): string {
  const iat = Math.floor(now.getTime() / 1000);
  const payload: LaunchTokenPayload = {
    aud: LAUNCH_TOKEN_AUDIENCE,
    ...claims,
    iat,
    exp: iat + ttlSeconds,
    jti: randomUUID(),
  };
  const body = `${VERSION}.${Buffer.from(JSON.stringify(payload)).toString('base64url')}`;
  return `${body}.${sign(secret, body)}`;
}

export type LaunchTokenCheck =
  | { ok: true; payload: LaunchTokenPayload }
  | {
      ok: false;
      reason:
        | 'malformed'
        | 'bad_signature'
        | 'expired'
        | 'not_yet_valid'
        | 'too_long_lived'
        | 'wrong_issuer'
        | 'wrong_audience';
    };

/**
 * Checks form, signature, issuer, audience and time. Single use is the caller's job (it owns
 * the storage).
 */
export function verifyLaunchToken(
  secret: string,
  token: string,
  now: Date,
  want: { issuer: string; audience?: string },
): LaunchTokenCheck {
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
  const claims = payload.data;
  if (normaliseIssuer(claims.iss) !== normaliseIssuer(want.issuer)) {
    return { ok: false, reason: 'wrong_issuer' };
  }
  if (claims.aud !== (want.audience ?? LAUNCH_TOKEN_AUDIENCE)) {
    return { ok: false, reason: 'wrong_audience' };
  }
  const nowSeconds = Math.floor(now.getTime() / 1000);
  if (claims.iat > nowSeconds + CLOCK_SKEW_SECONDS) return { ok: false, reason: 'not_yet_valid' };
  if (claims.exp <= nowSeconds) return { ok: false, reason: 'expired' };
  // With iat at most CLOCK_SKEW_SECONDS ahead (above), this bounds exp from now as well.
  if (claims.exp - claims.iat > LAUNCH_TOKEN_MAX_TTL_SECONDS) {
    return { ok: false, reason: 'too_long_lived' };
  }
  return { ok: true, payload: claims };
}
