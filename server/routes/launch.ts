import { Router } from 'express';
import { verifyLaunchToken } from '../auth/launch-token';
import type { Clock } from '../clock';
import { startSession } from '../http/auth';
import type { AppStore } from '../storage/app-store';
import { escapeHtml, messagePage } from './pages';

const REASONS: Record<string, string> = {
  malformed: 'Der Link ist ungültig.',
  bad_signature: 'Der Link wurde nicht vom Xentral App Center signiert.',
  expired: 'Der Link ist abgelaufen.',
  not_yet_valid: 'Der Link ist noch nicht gültig (Uhrzeit prüfen).',
  replayed: 'Der Link wurde bereits benutzt.',
  missing: 'Der Link enthält kein Anmeldetoken.',
};

/**
 * GET /launch?token=…: the Xentral App Center opens the app with a signed, expiring, single-use
 * token; a valid one starts a session and leads to the app.
 */
export function launchRouter(deps: {
  store: AppStore;
  clock: Clock;
  launchSecret: string;
  secureCookies: boolean;
}): Router {
  const router = Router();
  router.get('/launch', (req, res) => {
    const token = typeof req.query.token === 'string' ? req.query.token : '';
    const refuse = (reason: string) => {
      res
        .status(401)
        .type('html')
        .send(
          messagePage(
            'Anmeldung nicht möglich',
            `${escapeHtml(REASONS[reason] ?? 'Der Link ist ungültig.')} Öffnen Sie die HubSpot-App erneut aus dem Xentral App Center.`,
          ),
        );
    };
    if (token === '') return refuse('missing');
    const now = deps.clock();
    const check = verifyLaunchToken(deps.launchSecret, token, now);
    if (!check.ok) return refuse(check.reason);
    const fresh = deps.store.useLaunchToken(
      check.payload.jti,
      new Date(check.payload.exp * 1000).toISOString(),
      now.toISOString(),
    );
    if (!fresh) return refuse('replayed');
    startSession(res, deps, check.payload.name ?? check.payload.sub);
    res.redirect(303, '/');
  });
  return router;
}
