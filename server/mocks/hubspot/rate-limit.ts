import { randomUUID } from 'node:crypto';
import type { Request, RequestHandler, Response } from 'express';
import type { FaultInjector, FaultRenderer } from '../common/faults';
import { SlidingWindowLimiter } from '../common/rate-limit';
import { findAuthContext } from './auth';
import { errorBody } from './errors';
import type { HubSpotStore } from './store';

/**
 * HubSpot's burst limits for OAuth apps: a rolling 10-second window per app and portal, and a
 * separate, lower limit for the CRM search endpoints. Enforced only while faults.rateLimits is on
 * (windows shrink by faults.timeScale); counted always, so the headers tell the truth either way.
 *
 * Which answers carry which headers follows HubSpot's API usage guidelines
 * (developers.hubspot.com/docs/developer-tooling/platform/usage-guidelines, "Rate limits"):
 * - X-HubSpot-RateLimit-Max, -Remaining and -Interval-Milliseconds on every authenticated answer;
 * - X-HubSpot-RateLimit-Daily and -Daily-Remaining are "not included in the response to API
 *   requests authorized using OAuth", and every token of this mock is an OAuth access token
 *   (the 2020 changelog "Rate limit headers will now appear for OAuth authenticated calls" says
 *   the same: there is no daily limit for these calls);
 * - answers of the CRM search endpoints carry none of the rate-limit headers (an exception the
 *   guidelines list below their header table), so clients cannot pace search by them.
 */

export const TEN_SECONDLY_ROLLING = 'TEN_SECONDLY_ROLLING';
export const SECONDLY = 'SECONDLY';

function limitMessage(policyName: string): string {
  // The SDK's retry decorator recognises exactly these wordings.
  if (policyName === TEN_SECONDLY_ROLLING)
    return 'You have reached your ten_secondly_rolling limit.';
  if (policyName === SECONDLY) return 'You have reached your secondly limit.';
  return `You have reached your ${policyName.toLowerCase()} limit.`;
}

export function rateLimitBody(policyName: string, groupName: string, message?: string) {
  return {
    status: 'error',
    message: message ?? limitMessage(policyName),
    errorType: 'RATE_LIMIT',
    correlationId: randomUUID(),
    policyName,
    groupName,
  };
}

function setLimitHeaders(res: Response, max: number, remaining: number, intervalMs: number) {
  res.set({
    'X-HubSpot-RateLimit-Max': String(max),
    'X-HubSpot-RateLimit-Remaining': String(remaining),
    'X-HubSpot-RateLimit-Interval-Milliseconds': String(Math.round(intervalMs)),
  });
}

/** Requests are limited per app and portal; the group name says which bucket refused. */
function groupName(appId: number, hubId: number | undefined): string {
  return `oauth:${appId}:${hubId ?? 'unknown'}`;
}

/** POST /crm/v3/objects/{type}/search, however the router split the path. */
function isSearch(req: Request): boolean {
  const path = `${req.baseUrl}${req.path}`;
  return req.method === 'POST' && /\/crm\/v3\/objects\/[^/]+\/search\/?$/.test(path);
}

export interface RateLimiting {
  middleware: RequestHandler;
  clear(): void;
}

export function rateLimiting(deps: {
  store: HubSpotStore;
  faults: FaultInjector;
  appId: number;
}): RateLimiting {
  const burst = new SlidingWindowLimiter();
  const search = new SlidingWindowLimiter();
  const middleware: RequestHandler = (req, res, next) => {
    const auth = findAuthContext(req);
    if (!auth) {
      next();
      return;
    }
    const faults = deps.faults.current;
    const enforced = faults.rateLimits;
    const { rateLimit, searchRateLimit } = deps.store.settings;
    const nowMs = deps.store.nowMs();
    const key = `${deps.appId}:${auth.portal.hubId}`;
    const group = groupName(deps.appId, auth.portal.hubId);
    const searching = isSearch(req);
    const intervalMs = rateLimit.intervalMs / faults.timeScale;
    const decision = burst.take(key, rateLimit.max, intervalMs, nowMs);
    if (!searching) setLimitHeaders(res, rateLimit.max, decision.remaining, intervalMs);
    if (enforced && !decision.allowed) {
      res.status(429).json(rateLimitBody(TEN_SECONDLY_ROLLING, group));
      return;
    }
    if (searching) {
      const searchInterval = searchRateLimit.intervalMs / faults.timeScale;
      const searchDecision = search.take(key, searchRateLimit.max, searchInterval, nowMs);
      if (enforced && !searchDecision.allowed) {
        res.status(429).json(rateLimitBody(SECONDLY, group));
        return;
      }
    }
    next();
  };
  return {
    middleware,
    clear: () => {
      burst.clear();
      search.clear();
    },
  };
}

const FAULT_CATEGORIES: Record<number, [string, string]> = {
  400: ['VALIDATION_ERROR', 'Invalid input (injected fault)'],
  401: ['INVALID_AUTHENTICATION', 'Authentication credentials not found (injected fault)'],
  403: ['MISSING_SCOPES', 'Forbidden (injected fault)'],
  404: ['OBJECT_NOT_FOUND', 'resource not found'],
  409: ['CONFLICT', 'Conflict (injected fault)'],
  423: ['LOCKED', 'The resource is locked (injected fault)'],
  502: ['INTERNAL_ERROR', 'Bad gateway (injected fault)'],
  503: ['INTERNAL_ERROR', 'Service unavailable (injected fault)'],
  504: ['INTERNAL_ERROR', 'Gateway timeout (injected fault)'],
};

/**
 * Writes injected faults the way HubSpot answers: an injected 429 carries the same body and
 * headers as a real rate-limit refusal, so clients cannot tell them apart.
 */
export function hubSpotFaultRenderer(deps: {
  store: HubSpotStore;
  timeScale: () => number;
  appId: number;
}): FaultRenderer {
  return (req, res, fault) => {
    if (fault.retryAfter !== undefined) res.set('Retry-After', String(fault.retryAfter));
    if (fault.status === 429) {
      const token = /^Bearer\s+(\S+)/i.exec(req.get('authorization') ?? '')?.[1];
      const hubId = token ? deps.store.accessTokens.get(token)?.hubId : undefined;
      const policyName = fault.policyName ?? TEN_SECONDLY_ROLLING;
      const { rateLimit } = deps.store.settings;
      if (hubId !== undefined && !isSearch(req)) {
        setLimitHeaders(res, rateLimit.max, 0, rateLimit.intervalMs / deps.timeScale());
      }
      res.status(429).json(rateLimitBody(policyName, groupName(deps.appId, hubId), fault.message));
      return;
    }
    const [category, message] = FAULT_CATEGORIES[fault.status] ?? [
      fault.status >= 500 ? 'INTERNAL_ERROR' : 'VALIDATION_ERROR',
      `HTTP ${fault.status} (injected fault)`,
    ];
    res.status(fault.status).json(errorBody(category, fault.message ?? message));
  };
}
