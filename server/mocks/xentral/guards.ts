import { timingSafeEqual } from 'node:crypto';
import { STATUS_CODES } from 'node:http';
import type { RequestHandler } from 'express';
import type { Clock } from '../../clock';
import type { FaultInjector, FaultRenderer } from '../common/faults';
import type { SlidingWindowLimiter } from '../common/rate-limit';
import { PROBLEM_BASE, unauthorizedProblem } from './problems';

/**
 * "The Xentral API is rate limited to 100 requests per minute per instance and client IP
 * address" (developer.xentral.com/reference/rate-limiting), a rolling window.
 */
export const XENTRAL_RATE_LIMIT = 100;
export const XENTRAL_RATE_WINDOW_MS = 60_000;

/** `Authorization: Bearer <personal access token>`; anything else is a 401. */
export function requireBearerToken(token: string): RequestHandler {
  const expected = Buffer.from(token);
  return (req, _res, next) => {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(req.get('authorization') ?? '');
    const given = Buffer.from(match?.[1] ?? '');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
      throw unauthorizedProblem();
    }
    next();
  };
}

/**
 * Enforced only while the faults switch `rateLimits` on; the window shrinks by `timeScale`.
 * Headers and the 429 body follow the rate-limiting page: `X-RateLimit-Limit`,
 * `X-RateLimit-Remaining`, and on 429 `Retry-After` and `X-RateLimit-Reset` with
 * `{"message":"Too Many Requests"}`.
 */
export function xentralRateLimit(
  limiter: SlidingWindowLimiter,
  faults: FaultInjector,
  clock: Clock,
): RequestHandler {
  return (req, res, next) => {
    const { rateLimits, timeScale } = faults.current;
    if (!rateLimits) {
      next();
      return;
    }
    const now = clock().getTime();
    const decision = limiter.take(
      req.ip ?? 'unknown',
      XENTRAL_RATE_LIMIT,
      XENTRAL_RATE_WINDOW_MS / timeScale,
      now,
    );
    res.set('X-RateLimit-Limit', String(decision.limit));
    res.set('X-RateLimit-Remaining', String(decision.remaining));
    if (!decision.allowed) {
      res.set('Retry-After', String(Math.max(1, Math.ceil(decision.resetMs / 1000))));
      res.set('X-RateLimit-Reset', String(Math.ceil((now + decision.resetMs) / 1000)));
      res.status(429).json({ message: 'Too Many Requests' });
      return;
    }
    next();
  };
}

/** Injected faults in Xentral's shapes: the 429 message body, problem documents otherwise. */
export const renderXentralFault: FaultRenderer = (_req, res, fault) => {
  if (fault.retryAfter !== undefined) res.set('Retry-After', String(fault.retryAfter));
  if (fault.status === 429) {
    res.status(429).json({ message: fault.message ?? 'Too Many Requests' });
    return;
  }
  const title = STATUS_CODES[fault.status] ?? 'Error';
  res
    .status(fault.status)
    .type('application/problem+json')
    .json({
      type: `${PROBLEM_BASE}${title.toLowerCase().replace(/[^a-z0-9]+/g, '-')}`,
      title,
      status: fault.status,
      ...(fault.message === undefined ? {} : { detail: fault.message }),
    });
};
