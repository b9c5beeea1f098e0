import { parse as parseCookies } from 'cookie';
import { ENDPOINTS } from '../../shared/api/endpoints';
import { principalOf, sessionHashOf } from '../http/auth';
import { jsonRoute, pageRoute, rawRoute, type Routes } from '../http/endpoint';
import type { FailurePage } from '../http/failure-page';
import type { ConnectionService } from '../services/connection-service';
import { ValidationError } from '../services/errors';
import type { AppStore } from '../storage/app-store';
import { escapeHtml, messagePage } from './pages';

export function connectionRoutes(
  connection: ConnectionService,
  store: AppStore,
  secureCookies: boolean,
): Pick<Routes, 'connection' | 'startConnection' | 'removeConnection' | 'oauthCallback'> {
  return {
    connection: jsonRoute(ENDPOINTS.connection, () => connection.status()),
    startConnection: rawRoute(ENDPOINTS.startConnection, (_input, req, res) => {
      const { url, binding } = connection.start(principalOf(req).sessionHash);
      // Only the client that started the dance holds this cookie: the browser of the session,
      // or the API client; a callback without it does not complete (nor spoil) the state.
      res.cookie(OAUTH_BINDING_COOKIE, binding, {
        httpOnly: true,
        sameSite: 'lax',
        secure: secureCookies,
        path: ENDPOINTS.oauthCallback.path,
        maxAge: 10 * 60_000,
      });
      res.redirect(302, url);
    }),
    removeConnection: jsonRoute(ENDPOINTS.removeConnection, async (_input, req) => {
      await connection.disconnect();
      // Removing the connection ends every other session (a browser left signed in elsewhere,
      // a stolen cookie); the admin who removed it stays signed in to connect again.
      store.deleteOtherSessions(principalOf(req).sessionHash);
      return connection.status();
    }),
    // HubSpot sends the admin back here; the state, bound to the client that started the
    // dance, is what vouches for the request. Every failure is the app's page.
    oauthCallback: pageRoute(
      ENDPOINTS.oauthCallback,
      callbackFailurePage,
      async (input, req, res) => {
        // A link scanner's HEAD neither completes nor uses up the state.
        if (req.method === 'HEAD') {
          res.status(200).type('html').setHeader('Cache-Control', 'no-store').end();
          return;
        }
        const { query } = input;
        const fail = (status: number, message: string): void => {
          res.status(status).type('html').send(failurePage(message));
        };
        if (query.error) {
          fail(
            400,
            `HubSpot hat die Verbindung abgelehnt: ${query.error_description ?? query.error}.`,
          );
          return;
        }
        if (!query.code || !query.state) {
          fail(400, 'Der Rückruf enthält keinen Code.');
          return;
        }
        const binding = parseCookies(req.headers.cookie ?? '')[OAUTH_BINDING_COOKIE] ?? null;
        await connection.complete(query.code, query.state, {
          sessionHash: sessionHashOf(req),
          binding,
        });
        res.clearCookie(OAUTH_BINDING_COOKIE, { path: ENDPOINTS.oauthCallback.path });
        res.redirect(303, '/?connected=1');
      },
    ),
  };
}

const OAUTH_BINDING_COOKIE = 'xhs_oauth';

function failurePage(message: string): string {
  return messagePage(
    'Verbindung zu HubSpot fehlgeschlagen',
    `${escapeHtml(message)} <a href="/">Zurück zur App</a>`,
  );
}

/** What the callback page says when the request fails: the refusal, or why it is not valid. */
const callbackFailurePage: FailurePage = (_status, error) =>
  failurePage(
    error === null
      ? 'Auf unserer Seite ist ein Fehler aufgetreten. Versuchen Sie es später erneut.'
      : error instanceof ValidationError
        ? 'Der Rückruf von HubSpot ist ungültig (Parameter doppelt, zu lang oder unbekannt). Starten Sie die Verbindung erneut.'
        : error.message,
  );
