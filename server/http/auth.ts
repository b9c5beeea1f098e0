import { randomBytes, timingSafeEqual } from 'node:crypto';
import { parse as parseCookies } from 'cookie';
import type { Request, RequestHandler, Response } from 'express';
import { CSRF_HEADER } from '../../shared/api/session';
import type { Clock } from '../clock';
import { hashOf } from '../services/connection-service';
import type { AppStore } from '../storage/app-store';
import { ForbiddenError, UnauthorizedError } from './errors';

/**
 * Who may use the App API (every route but the health check and the OAuth callback): an admin
 * who came through the Xentral App Center (a session cookie, with a CSRF token on every change)
 * or automation with the API token.
 */

export const SESSION_COOKIE = 'xhs_session';
/** A session lives at most a working day, however busy it is… */
export const SESSION_TTL_MS = 8 * 60 * 60_000;
/** …and ends after half an hour without a request: a browser left open is not signed in for good. */
export const SESSION_IDLE_MS = 30 * 60_000;
/** How often a busy session's last request is written down (the idle clock's resolution). */
const SESSION_TOUCH_MS = 60_000;

/** The bounds of a session's life as of `now`: what `AppStore.session` compares with. */
export function sessionWindow(now: Date): { now: string; idleSince: string; touchAfter: string } {
  return {
    now: now.toISOString(),
    idleSince: new Date(now.getTime() - SESSION_IDLE_MS).toISOString(),
    touchAfter: new Date(now.getTime() - SESSION_TOUCH_MS).toISOString(),
  };
}

export interface Principal {
  user: string;
  via: 'app_center' | 'api_token';
  sessionHash: string | null;
  csrfToken: string | null;
  expiresAt: string | null;
}

const principals = new WeakMap<Request, Principal>();

export function principalOf(req: Request): Principal {
  const principal = principals.get(req);
  if (!principal) throw new UnauthorizedError();
  return principal;
}

function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

export function sessionHashOf(req: Request): string | null {
  const value = parseCookies(req.headers.cookie ?? '')[SESSION_COOKIE];
  return value ? hashOf(value) : null;
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export function requireAuth(deps: {
  store: AppStore;
  apiToken: string;
  clock: Clock;
}): RequestHandler {
  return (req, _res, next) => {
    const header = req.headers.authorization;
    if (header !== undefined) {
      const match = /^Bearer\s+(\S+)$/i.exec(header);
      if (!match?.[1] || !sameSecret(match[1], deps.apiToken)) {
        next(new UnauthorizedError('The API token is not valid.'));
        return;
      }
      principals.set(req, {
        user: 'api',
        via: 'api_token',
        sessionHash: null,
        csrfToken: null,
        expiresAt: null,
      });
      next();
      return;
    }
    const sessionHash = sessionHashOf(req);
    const window = sessionWindow(deps.clock());
    const session = sessionHash
      ? deps.store.session(sessionHash, window.now, window.idleSince, window.touchAfter)
      : undefined;
    if (!sessionHash || !session) {
      next(new UnauthorizedError());
      return;
    }
    // The cookie rides along on any request the browser sends to us; only our own page knows
    // the CSRF token, so a change without it did not come from the app.
    if (!SAFE_METHODS.has(req.method)) {
      const token = req.get(CSRF_HEADER);
      if (!token || !sameSecret(token, session.csrfToken)) {
        next(
          new ForbiddenError(
            'The request lacks a valid CSRF token; reload the app.',
            'csrf_failed',
          ),
        );
        return;
      }
    }
    // It ends at its absolute expiry, or earlier when it idles out from its last request.
    const idleEnd = new Date(Date.parse(session.lastSeenAt) + SESSION_IDLE_MS).toISOString();
    principals.set(req, {
      user: session.user,
      via: 'app_center',
      sessionHash,
      csrfToken: session.csrfToken,
      expiresAt: idleEnd < session.expiresAt ? idleEnd : session.expiresAt,
    });
    next();
  };
}

/** Starts a session for an admin the App Center vouched for, and sets its cookie. */
export function startSession(
  res: Response,
  deps: { store: AppStore; clock: Clock; secureCookies: boolean },
  user: string,
): void {
  const id = randomBytes(32).toString('base64url');
  const now = deps.clock();
  const expiresAt = new Date(now.getTime() + SESSION_TTL_MS);
  deps.store.createSession(
    hashOf(id),
    user,
    randomBytes(24).toString('base64url'),
    now.toISOString(),
    expiresAt.toISOString(),
  );
  res.cookie(SESSION_COOKIE, id, {
    httpOnly: true,
    sameSite: 'lax',
    secure: deps.secureCookies,
    path: '/',
    expires: expiresAt,
  });
}

/** Ends the session of the request, if it came with one, and clears its cookie. */
export function endSession(
  req: Request,
  res: Response,
  deps: { store: AppStore; secureCookies: boolean },
): boolean {
  const sessionHash = principalOf(req).sessionHash;
  if (sessionHash === null) return false;
  deps.store.deleteSession(sessionHash);
  res.clearCookie(SESSION_COOKIE, {
    httpOnly: true,
    sameSite: 'lax',
    secure: deps.secureCookies,
    path: '/',
  });
  return true;
}
