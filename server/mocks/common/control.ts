import express, { Router, type Request, type Response } from 'express';
import { ZodError } from 'zod';
import type { FaultInjector } from './faults';
import type { RequestStats } from './stats';

export interface MockControl {
  reset(): void;
  seed(body: unknown): unknown;
  state(): unknown;
}

function sendInvalid(res: Response, error: unknown): void {
  const message = error instanceof Error ? error.message : String(error);
  res.status(400).json({
    error: 'invalid_request',
    message,
    ...(error instanceof ZodError ? { issues: error.issues } : {}),
  });
}

/**
 * The control surface every mock shares (under /__mock, for tests and tools): reset, seed, state,
 * faults and stats, outside the vendor's own paths and never counted in the stats.
 */
export function mockControlRouter(
  control: MockControl,
  faults: FaultInjector,
  stats: RequestStats,
): Router {
  const router = Router();
  router.use(express.json({ limit: '50mb' }));
  const guarded =
    (handler: (req: Request, res: Response) => void) => (req: Request, res: Response) => {
      try {
        handler(req, res);
      } catch (error) {
        sendInvalid(res, error);
      }
    };
  router.post(
    '/reset',
    guarded((_req, res) => {
      control.reset();
      faults.reset();
      stats.reset();
      res.json({ ok: true });
    }),
  );
  router.post(
    '/seed',
    guarded((req, res) => {
      res.json(control.seed(req.body ?? {}));
    }),
  );
  router.get(
    '/state',
    guarded((_req, res) => {
      res.json(control.state());
    }),
  );
  router.get('/faults', (_req, res) => {
    res.json(faults.current);
  });
  router.post(
    '/faults',
    guarded((req, res) => {
      res.json(faults.configure(req.body ?? {}));
    }),
  );
  router.get('/stats', (_req, res) => {
    res.json(stats.snapshot());
  });
  router.delete('/stats', (_req, res) => {
    stats.reset();
    res.json(stats.snapshot());
  });
  return router;
}
