import { ENDPOINTS } from '../../shared/api/endpoints';
import { verifyLaunchToken } from '../auth/launch-token';
import type { Clock } from '../clock';
import { startSession } from '../http/auth';
import { pageRoute, type Routes } from '../http/endpoint';
import type { FailurePage } from '../http/failure-page';
import type { AppStore } from '../storage/app-store';
import { escapeHtml, messagePage } from './pages';

const REASONS: Record<string, string> = {
  malformed: 'Der Link ist ungültig.',
  bad_signature: 'Der Link wurde nicht vom Xentral App Center signiert.',
  expired: 'Der Link ist abgelaufen.',
  not_yet_valid: 'Der Link ist noch nicht gültig (Uhrzeit prüfen).',
  too_long_lived: 'Der Link ist länger gültig, als die App es zulässt.',
  wrong_issuer: 'Der Link stammt nicht von dem Xentral, mit dem die App verbunden ist.',
  wrong_audience: 'Der Link ist für eine andere App bestimmt.',
  replayed: 'Der Link wurde bereits benutzt.',
  missing: 'Der Link enthält kein Anmeldetoken.',
};

/**
 * The Xentral App Center opens the app with a signed, expiring, single-use token; a valid one
 * starts a session and leads to the app.
 */
export function launchRoutes(deps: {
  store: AppStore;
  clock: Clock;
  launchSecret: string;
  launchIssuer: string;
  secureCookies: boolean;
}): Pick<Routes, 'launch'> {
  return {
    launch: pageRoute(ENDPOINTS.launch, launchFailurePage, ({ query }, req, res) => {
      // Express answers HEAD with the GET route. A link scanner or a preview sends HEAD: it
      // gets the headers of a page, and the token stays unused and opens no session.
      if (req.method === 'HEAD') {
        res.status(200).type('html').setHeader('Cache-Control', 'no-store').end();
        return;
      }
      const refuse = (reason: string) => {
        res
          .status(401)
          .type('html')
          .send(refusalPage(REASONS[reason] ?? 'Der Link ist ungültig.'));
      };
      if (query.token === '') return refuse('missing');
      const now = deps.clock();
      const check = verifyLaunchToken(deps.launchSecret, query.token, now, {
        issuer: deps.launchIssuer,
      });
      if (!check.ok) return refuse(check.reason);
      const fresh = deps.store.useLaunchToken(
        check.payload.jti,
        new Date(check.payload.exp * 1000).toISOString(),
        now.toISOString(),
      );
      if (!fresh) return refuse('replayed');
      startSession(res, deps, check.payload.name ?? check.payload.sub);
      res.redirect(303, '/');
    }),
  };
}

function refusalPage(why: string): string {
  return messagePage(
    'Anmeldung nicht möglich',
    `${escapeHtml(why)} Öffnen Sie die HubSpot-App erneut aus dem Xentral App Center.`,
  );
}

const launchFailurePage: FailurePage = (_status, error) =>
  refusalPage(
    error === null ? 'Auf unserer Seite ist ein Fehler aufgetreten.' : 'Der Link ist ungültig.',
  );
