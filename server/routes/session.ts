import { ENDPOINTS } from '../../shared/api/endpoints';
import { endSession, principalOf } from '../http/auth';
import { jsonRoute, type Routes } from '../http/endpoint';
import type { AppStore } from '../storage/app-store';

export function sessionRoutes(deps: {
  store: AppStore;
  secureCookies: boolean;
}): Pick<Routes, 'session' | 'logout'> {
  return {
    session: jsonRoute(ENDPOINTS.session, (_input, req) => {
      const principal = principalOf(req);
      return {
        user: principal.user,
        via: principal.via,
        csrfToken: principal.csrfToken,
        expiresAt: principal.expiresAt,
      };
    }),
    logout: jsonRoute(ENDPOINTS.logout, (_input, req, res) => ({
      signedOut: endSession(req, res, deps),
    })),
  };
}
