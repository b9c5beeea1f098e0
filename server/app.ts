import fs from 'node:fs';
import path from 'node:path';
import express, { type Express } from 'express';
import type { SystemMode } from '../shared/api/health';
import type { Clock } from './clock';
import { apiNotFound, errorHandler } from './http/errors';
import type { Logger } from './logger';
import { healthRouter } from './routes/health';

export interface AppDeps {
  logger: Logger;
  clock: Clock;
  version: string;
  modes: { xentral: SystemMode; hubspot: SystemMode };
  /** Folder with the built SPA (index.html); when absent the API still works. */
  clientDir: string | undefined;
}

/** The composition root of the HTTP layer: every route and middleware is wired here. */
export function createApp(deps: AppDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', false);

  const api = express.Router();
  api.use(express.json({ limit: '100kb' }));
  api.use(healthRouter({ ...deps, startedAt: deps.clock() }));
  api.use(apiNotFound);
  app.use('/api', api);

  const clientDir = deps.clientDir;
  if (clientDir && fs.existsSync(path.join(clientDir, 'index.html'))) {
    app.use(express.static(clientDir, { index: false, maxAge: '1h' }));
    // The SPA owns every other GET path; index.html must not be cached so new builds show up.
    app.get(/.*/, (_req, res) => {
      res.setHeader('Cache-Control', 'no-cache');
      res.sendFile(path.join(clientDir, 'index.html'));
    });
  }

  app.use(errorHandler(deps.logger));
  return app;
}
