import fs from 'node:fs';
import path from 'node:path';
import express, { type Express } from 'express';
import helmet from 'helmet';
import type { SystemMode } from '../shared/api/health';
import type { Clock } from './clock';
import { requireAuth } from './http/auth';
import { apiNotFound, errorHandler } from './http/errors';
import { jsonBodiesOnly } from './http/json-only';
import type { Logger } from './logger';
import { catalogRouter } from './routes/catalog';
import { conflictsRouter } from './routes/conflicts';
import { connectionRouter, oauthCallbackRouter } from './routes/connection';
import { eventsRouter } from './routes/events';
import { healthRouter } from './routes/health';
import { launchRouter } from './routes/launch';
import { runsRouter } from './routes/runs';
import { sessionRouter } from './routes/session';
import { settingsRouter } from './routes/settings';
import type { CatalogService } from './services/catalog-service';
import type { ConflictService } from './services/conflict-service';
import type { ConnectionService } from './services/connection-service';
import type { EventBus } from './services/event-bus';
import type { ProcessStarter } from './services/process-starter';
import type { RunService } from './services/run-service';
import type { SettingsService } from './services/settings-service';
import type { AppStore } from './storage/app-store';
import type { RunStore } from './storage/run-store';

export interface AppServices {
  store: AppStore;
  runLog: RunStore;
  runs: RunService;
  connection: ConnectionService;
  settings: SettingsService;
  catalog: CatalogService;
  conflicts: ConflictService;
  processStarter: ProcessStarter;
  events: EventBus;
  apiToken: string;
  launchSecret: string;
  /** Cookies only over HTTPS when the app is served over HTTPS. */
  secureCookies: boolean;
}

export interface AppDeps {
  logger: Logger;
  clock: Clock;
  version: string;
  modes: { xentral: SystemMode; hubspot: SystemMode };
  /** Where an admin opens the app (the demo App Center), shown when nobody is signed in. */
  appCenterUrl: string | null;
  /** Folder with the built SPA (index.html); when absent the API still works. */
  clientDir: string | undefined;
  services: AppServices;
}

/** The HTTP layer: every route and middleware is wired here, and nowhere else. */
export function createApp(deps: AppDeps): Express {
  const { services } = deps;
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', false);
  app.use(
    helmet({
      contentSecurityPolicy: {
        directives: {
          defaultSrc: ["'self'"],
          scriptSrc: ["'self'"],
          styleSrc: ["'self'"],
          imgSrc: ["'self'", 'data:'],
          connectSrc: ["'self'"],
          fontSrc: ["'self'"],
          objectSrc: ["'none'"],
          baseUri: ["'self'"],
          formAction: ["'self'"],
          frameAncestors: ["'self'"],
          upgradeInsecureRequests: null,
        },
      },
      // Plain-HTTP installs (loopback, demo) must not be pinned to HTTPS.
      strictTransportSecurity: services.secureCookies,
    }),
  );

  app.use(launchRouter({ ...services, clock: deps.clock }));

  const api = express.Router();
  api.use(express.json({ limit: '100kb', strict: true }));
  api.use(jsonBodiesOnly);
  api.use(healthRouter({ ...deps, startedAt: deps.clock() }));
  api.use(oauthCallbackRouter(services.connection));
  api.use(requireAuth({ store: services.store, apiToken: services.apiToken, clock: deps.clock }));
  api.use(sessionRouter());
  api.use(connectionRouter(services.connection));
  api.use(settingsRouter(services.settings));
  api.use(catalogRouter(services.catalog));
  api.use(
    runsRouter({
      runs: services.runs,
      log: services.runLog,
      processStarter: services.processStarter,
      conflicts: services.conflicts,
    }),
  );
  api.use(conflictsRouter(services.conflicts));
  api.use(eventsRouter(services.events));
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
