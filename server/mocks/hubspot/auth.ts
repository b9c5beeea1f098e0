import type { Request, RequestHandler } from 'express';
import { errorBody, HubSpotApiError } from './errors';
import type { AccessToken, HubSpotStore, Portal } from './store';

/**
 * Bearer authentication and scope checks for the CRM API, with HubSpot's 401/403 bodies:
 * unknown tokens → INVALID_AUTHENTICATION, expired ones → EXPIRED_AUTHENTICATION,
 * missing scopes → 403 MISSING_SCOPES.
 */

/** Every scope the mock knows; tokens made by POST /__mock/tokens get all of them. */
export const HUBSPOT_MOCK_ALL_SCOPES: readonly string[] = [
  'oauth',
  'crm.objects.contacts.read',
  'crm.objects.contacts.write',
  'crm.objects.companies.read',
  'crm.objects.companies.write',
  'crm.objects.deals.read',
  'crm.objects.deals.write',
  'crm.objects.owners.read',
  'crm.schemas.contacts.read',
  'crm.schemas.contacts.write',
  'crm.schemas.companies.read',
  'crm.schemas.companies.write',
  'crm.schemas.deals.read',
  'crm.schemas.deals.write',
];

export interface AuthContext {
  portal: Portal;
  token: AccessToken;
}

const contexts = new WeakMap<Request, AuthContext>();

export function authContext(req: Request): AuthContext {
  const context = contexts.get(req);
  if (!context) throw new Error('authContext() used on a route without bearerAuth');
  return context;
}

export function findAuthContext(req: Request): AuthContext | undefined {
  return contexts.get(req);
}

const CREDENTIALS_NOT_FOUND =
  'Authentication credentials not found. This API supports OAuth 2.0 authentication and you can find more details at https://developers.hubspot.com/docs/methods/auth/oauth-overview';

/** "expired 5 hour(s) ago": HubSpot names the largest whole unit. */
export function expiredAgo(milliseconds: number): string {
  const seconds = Math.max(0, Math.floor(milliseconds / 1000));
  if (seconds < 60) return `${seconds} second(s)`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)} minute(s)`;
  if (seconds < 86_400) return `${Math.floor(seconds / 3600)} hour(s)`;
  return `${Math.floor(seconds / 86_400)} day(s)`;
}

export function bearerAuth(store: HubSpotStore): RequestHandler {
  return (req, _res, next) => {
    const header = req.get('authorization') ?? '';
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
    const token = match?.[1] ? store.accessTokens.get(match[1]) : undefined;
    const portal = token ? store.portal(token.hubId) : undefined;
    if (!token || token.revoked || !portal) {
      next(new HubSpotApiError(401, errorBody('INVALID_AUTHENTICATION', CREDENTIALS_NOT_FOUND)));
      return;
    }
    const nowMs = store.nowMs();
    if (token.expiresAtMs <= nowMs) {
      next(
        new HubSpotApiError(
          401,
          errorBody(
            'EXPIRED_AUTHENTICATION',
            `The OAuth token used to make this call expired ${expiredAgo(nowMs - token.expiresAtMs)} ago.`,
            { context: { 'expire time': [new Date(token.expiresAtMs).toISOString()] } },
          ),
        ),
      );
      return;
    }
    contexts.set(req, { portal, token });
    next();
  };
}

/**
 * The legacy `contacts` scope predates granular scopes and still grants CRM object access,
 * so tokens from older apps keep working as they do on HubSpot.
 */
function granted(scopes: readonly string[], wanted: string): boolean {
  if (scopes.includes(wanted)) return true;
  return scopes.includes('contacts') && /^crm\.(objects|schemas)\./.test(wanted);
}

/** Passes when the token holds at least one of `anyOf`; otherwise HubSpot's 403. */
export function requireScope(req: Request, anyOf: readonly string[]): void {
  const { token } = authContext(req);
  if (anyOf.some((scope) => granted(token.scopes, scope))) return;
  throw new HubSpotApiError(
    403,
    errorBody(
      'MISSING_SCOPES',
      "This app hasn't been granted all required scopes to make this call. Read more about required scopes here: https://developers.hubspot.com/scopes.",
      {
        errors: [
          {
            message: 'One or more of the following scopes are required.',
            context: { requiredGranularScopes: [...anyOf] },
          },
        ],
        links: { scopes: 'https://developers.hubspot.com/scopes' },
      },
    ),
  );
}
