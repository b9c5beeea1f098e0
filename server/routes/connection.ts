import { Router } from 'express';
import { z } from 'zod';
import { AppError } from '../http/errors';
import { principalOf, sessionHashOf } from '../http/auth';
import type { ConnectionService } from '../services/connection-service';
import { escapeHtml, messagePage } from './pages';
import { noInput, parseInput } from './validate';

const CallbackQuery = z.object({
  code: z.string().min(1).max(2000).optional(),
  state: z.string().min(1).max(200).optional(),
  error: z.string().max(200).optional(),
  error_description: z.string().max(2000).optional(),
});

/** GET/DELETE /api/connection and GET /api/connection/start (signed-in routes). */
export function connectionRouter(connection: ConnectionService): Router {
  const router = Router();
  router.get('/connection', noInput, (_req, res) => {
    res.json(connection.status());
  });
  router.get('/connection/start', noInput, (req, res) => {
    res.redirect(302, connection.start(principalOf(req).sessionHash));
  });
  router.delete('/connection', noInput, async (_req, res) => {
    await connection.disconnect();
    res.json(connection.status());
  });
  return router;
}

/** GET /api/oauth/callback: HubSpot sends the admin back here; no session is required. */
export function oauthCallbackRouter(connection: ConnectionService): Router {
  const router = Router();
  router.get('/oauth/callback', async (req, res) => {
    const query = parseInput(CallbackQuery, req.query, 'callback');
    const fail = (status: number, message: string): void => {
      res
        .status(status)
        .type('html')
        .send(
          messagePage(
            'Verbindung zu HubSpot fehlgeschlagen',
            `${escapeHtml(message)} <a href="/">Zurück zur App</a>`,
          ),
        );
    };
    if (query.error) {
      fail(400, `HubSpot hat die Verbindung abgelehnt: ${query.error_description ?? query.error}.`);
      return;
    }
    if (!query.code || !query.state) {
      fail(400, 'Der Rückruf enthält keinen Code.');
      return;
    }
    try {
      await connection.complete(query.code, query.state, sessionHashOf(req));
    } catch (error) {
      if (error instanceof AppError && error.status < 500) {
        fail(error.status, error.message);
        return;
      }
      throw error;
    }
    res.redirect(303, '/?connected=1');
  });
  return router;
}
