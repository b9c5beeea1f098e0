import express from 'express';
import { systemClock, type Clock } from '../../clock';
import { listen, type ListeningServer } from '../../http/listen';
import type { Logger } from '../../logger';
import { FaultInjector } from '../common/faults';
import { SlidingWindowLimiter } from '../common/rate-limit';
import { RequestStats } from '../common/stats';
import { appCenterRoutes, type AppCenterApp } from './app-center';
import { DEFAULT_MOCK_SETTINGS, xentralControlRouter, type MockSettings } from './control';
import { customerRoutes } from './customer-routes';
import { employeeRoutes } from './employee-routes';
import { renderXentralFault, requireBearerToken, xentralRateLimit } from './guards';
import { notFoundProblem, problemHandler } from './problems';
import { projectRoutes } from './project-routes';
import { salesOrderRoutes } from './sales-order-routes';
import { SeedInput, seedStore, type SeedSummary } from './seed';
import { XentralStore } from './store';

export type { AppCenterApp } from './app-center';
export type { SeedSummary } from './seed';
export { DEMO_EMPLOYEES, DEMO_SEED_DEFAULTS, SeedInput, demoEmployeeEmail } from './seed';
export type * from './shapes';
export type * from './rows';
export { XentralStore } from './store';
export { XENTRAL_RATE_LIMIT, XENTRAL_RATE_WINDOW_MS } from './guards';

export interface XentralMockOptions {
  host: string;
  port: number;
  /** The personal access token the API accepts (`Authorization: Bearer <token>`). */
  token: string;
  clock?: Clock;
  logger?: Logger;
  /** Generator seed for `seedDemo()` and for `POST /__mock/seed` without a `seed`; default 1. */
  seed?: number;
  /**
   * MOCK EXTENSION routes for employees (off: a stock Xentral, the default). `POST /__mock/reset`
   * returns to this value; `POST /__mock/settings` changes it at run time.
   */
  extensions?: boolean;
  /** The app the App Center lists; can be set later with `setAppCenterApp`. */
  appCenter?: { appName?: string; launchUrl: string; launchSecret: string };
}

export type XentralMockAppOptions = Omit<XentralMockOptions, 'host' | 'port'>;

export interface XentralMock {
  app: express.Express;
  /** Direct access to the stored rows, for tests and tools. */
  store: XentralStore;
  faults: FaultInjector;
  stats: RequestStats;
  token: string;
  /** The current mock settings (extensions, …), as `GET /__mock/settings` shows them. */
  settings: Readonly<MockSettings>;
  /** Same as `POST /__mock/seed` with this body (replaces everything unless `append`). */
  seed(input?: SeedInput): SeedSummary;
  /** The demo world `npm start` shows: a few hundred customers, employees, projects, orders. */
  seedDemo(): SeedSummary;
  setAppCenterApp(app: {
    launchUrl: string;
    launchSecret: string;
    appName?: string;
    issuer?: string;
  }): void;
}

export interface XentralMockHandle extends ListeningServer, XentralMock {}

const DEFAULT_APP_NAME = 'HubSpot';

/**
 * The Xentral mock as an Express app: the public API under `/api` (token, faults, rate limit,
 * statistics), the control surface under `/__mock` and the App Center under `/appcenter`.
 */
export function createXentralMockApp(options: XentralMockAppOptions): XentralMock {
  const clock = options.clock ?? systemClock;
  const logger = options.logger?.child({ mock: 'xentral' });
  const defaultSeed = options.seed ?? 1;
  const store = new XentralStore(clock);
  const stats = new RequestStats(clock);
  const faults = new FaultInjector(renderXentralFault);
  const limiter = new SlidingWindowLimiter();
  const initialSettings = {
    ...DEFAULT_MOCK_SETTINGS,
    ...(options.extensions === undefined ? {} : { extensions: options.extensions }),
  };
  const settings = { ...initialSettings };
  let appCenter: AppCenterApp | undefined = options.appCenter
    ? { appName: DEFAULT_APP_NAME, ...options.appCenter }
    : undefined;

  const app = express();
  app.disable('x-powered-by');

  app.use(
    '/__mock',
    xentralControlRouter(store, faults, stats, {
      defaultSeed,
      settings,
      onReset: () => {
        limiter.clear();
        Object.assign(settings, initialSettings);
      },
    }),
  );
  app.use(appCenterRoutes(() => appCenter, clock));

  // API middleware runs for /api paths only, with full paths left intact so the request
  // statistics name endpoints as "GET /api/v3/customers/:id".
  const onlyApi =
    (handler: express.RequestHandler): express.RequestHandler =>
    (req, res, next) => {
      if (req.path === '/api' || req.path.startsWith('/api/')) {
        handler(req, res, next);
        return;
      }
      next();
    };
  app.use(onlyApi(stats.middleware()));
  app.use(onlyApi(faults.middleware()));
  // Counted before authentication: the real limit is per instance and client IP.
  app.use(onlyApi(xentralRateLimit(limiter, faults, clock)));
  app.use(onlyApi(requireBearerToken(options.token)));
  app.use(onlyApi(express.json({ limit: '1mb' })));
  app.use(customerRoutes(store, () => settings.refuseEmptyAddress));
  app.use(salesOrderRoutes(store));
  app.use(projectRoutes(store));
  app.use(employeeRoutes(store, () => settings.extensions));
  app.use(
    onlyApi((req) => {
      throw notFoundProblem(`There is no route ${req.method} ${req.originalUrl}.`);
    }),
  );
  app.use(problemHandler(logger));

  const seed = (input: SeedInput = {}) => seedStore(store, SeedInput.parse(input), defaultSeed);
  return {
    app,
    store,
    faults,
    stats,
    token: options.token,
    settings,
    seed,
    seedDemo: () => seed({ unusualCustomers: true }),
    setAppCenterApp: (next) => {
      appCenter = { ...next, appName: next.appName ?? appCenter?.appName ?? DEFAULT_APP_NAME };
    },
  };
}

/** Starts the Xentral mock on host:port (port 0 picks a free one). */
export async function startXentralMock(options: XentralMockOptions): Promise<XentralMockHandle> {
  const mock = createXentralMockApp(options);
  const server = await listen(mock.app, options.host, options.port);
  options.logger?.debug({ url: server.url }, 'xentral mock listening');
  return { ...mock, ...server };
}
