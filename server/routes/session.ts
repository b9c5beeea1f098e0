import { Router } from 'express';
import type { SessionResponse } from '../../shared/api/session';
import { principalOf } from '../http/auth';
import { noInput } from './validate';

export function sessionRouter(): Router {
  const router = Router();
  router.get('/session', noInput, (req, res) => {
    const principal = principalOf(req);
    const body: SessionResponse = {
      user: principal.user,
      via: principal.via,
      csrfToken: principal.csrfToken,
      expiresAt: principal.expiresAt,
    };
    res.json(body);
  });
  return router;
}
