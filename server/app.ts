import fs from 'node:fs';
import path from 'node:path';
import express, { type Express } from 'express';
import helmet from 'helmet';
import type { SystemMode } from '../shared/api/health';
import type { Clock } from './clock';
import { requireAuth } from './http/auth';
import { mountEndpoints, type Routes } from './http/endpoint';
import { apiNotFound, errorHandler } from './http/errors';
import type { Logger } from './logger';
import { catalogRoutes } from './routes/catalog';
import { conflictsRoutes } from './routes/conflicts';
import { connectionRoutes } from './routes/connection';
import { eventsRoutes } from './routes/events';
import { healthRoutes } from './routes/health';
import { launchRoutes } from './routes/launch';
import { PAGE_STYLE_CSP_SOURCE } from './routes/pages';
import { runsRoutes } from './routes/runs';
import { sessionRoutes } from './routes/session';
import { settingsRoutes } from './routes/settings';
import type { CatalogService } from './services/catalog-service';
import type { ConflictService } from './services/conflict-service';
import type { ConnectionService } from './services/connection-service';
import type { EventBus } from './services/event-bus';
import type { ProcessStarter } from './services/process-starter';
import type { RunService } from './services/run-service';
import type { SettingsService } from './services/settings-service';
import type { AppStore } from './storage/app-store';

export interface AppServices {
  store: AppStore;
  runs: RunService;
  connection: ConnectionService;
  settings: SettingsService;
  catalog: CatalogService;
  conflicts: ConflictService;
  processStarter: ProcessStarter;
  events: EventBus;
  apiToken: string;
  launchSecret: string;
  /** The `iss` launch tokens must carry: the Xentral the app is configured with. */
  launchIssuer: string;
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
          // The launch and OAuth pages' style block, by its hash; no inline style otherwise.
          styleSrc: ["'self'", PAGE_STYLE_CSP_SOURCE],
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

  const routes: Routes = {
    ...healthRoutes({ ...deps, startedAt: deps.clock() }),
    ...launchRoutes({ ...services, clock: deps.clock }),
    ...sessionRoutes(services),
    ...connectionRoutes(services.connection, services.store, services.secureCookies),
    ...settingsRoutes(services.settings),
    ...catalogRoutes(services.catalog),
    ...runsRoutes({ runs: services.runs, processStarter: services.processStarter }),
    ...conflictsRoutes(services.conflicts),
    ...eventsRoutes(services.events),
  };
  const authenticate = requireAuth({
    store: services.store,
    apiToken: services.apiToken,
    clock: deps.clock,
  });
  mountEndpoints(app, routes, authenticate);
  // Any other API path: 401 without credentials, as for a real one, else 404.
  app.use('/api', authenticate, apiNotFound);

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
