import path from 'node:path';
import type { Express } from 'express';
import { HubSpotOAuth } from './adapters/hubspot/oauth';
import { XentralAdapter } from './adapters/xentral/adapter';
import { createApp, type AppServices } from './app';
import type { Clock } from './clock';
import type { ExchangeOptions } from './engine/exchange';
import type { Logger } from './logger';
import { CatalogService } from './services/catalog-service';
import { ConflictService } from './services/conflict-service';
import { ConnectionService } from './services/connection-service';
import { CryptoBox } from './services/crypto-box';
import { EventBus } from './services/event-bus';
import { ProcessStarter } from './services/process-starter';
import { RunService } from './services/run-service';
import type { AppSecrets } from './services/secrets';
import { SettingsService } from './services/settings-service';
import { Systems } from './services/systems';
import { AppStore } from './storage/app-store';
import { openDatabase, type Db } from './storage/db';
import { sessionWindow } from './http/auth';
import { RunStore } from './storage/run-store';

export interface ComposeOptions {
  dataDir: string;
  logger: Logger;
  clock: Clock;
  version: string;
  secrets: Pick<AppSecrets, 'appSecret' | 'apiToken' | 'launchSecret'> &
    Partial<Pick<AppSecrets, 'previousAppSecrets'>>;
  xentral: { url: string; token: string; mode: 'embedded-mock' | 'remote' };
  hubspot: {
    apiUrl: string;
    authUrl: string;
    clientId: string;
    clientSecret: string;
    mode: 'embedded-mock' | 'remote';
  };
  /** The OAuth redirect URI; by default derived from the app's own URL once it listens. */
  redirectUri: () => string;
  /** Session cookies are marked Secure when the app is served over HTTPS. */
  secureCookies: boolean;
  appCenterUrl: string | null;
  /** The `iss` of launch tokens; the Xentral URL by default. */
  launchIssuer?: string;
  clientDir: string | undefined;
  /** Tests and the benchmark tune the engine (lags, batch sizes) and the vendors' pacing. */
  exchangeOptions?: Partial<ExchangeOptions>;
  rateLimitTimeScale?: number;
}

export interface ComposedApp {
  app: Express;
  db: Db;
  services: AppServices;
  systems: Systems;
  /** Marks runs a previous process left running, and arms the process starter. */
  start(): void;
  close(): Promise<void>;
}

/** The composition root: one database, the adapters, the services, the HTTP app. */
export function composeApp(options: ComposeOptions): ComposedApp {
  const { clock, logger } = options;
  const db = openDatabase(path.join(options.dataDir, 'app.sqlite'));
  const store = new AppStore(db);
  const runLog = new RunStore(db);
  const events = new EventBus();
  const timeScale = options.rateLimitTimeScale ?? 1;
  const xentral = new XentralAdapter({
    baseUrl: options.xentral.url,
    token: options.xentral.token,
    ...(Number.isFinite(timeScale)
      ? { windowMs: 60_000 / timeScale + 50 }
      : { requestsPerWindow: Number.POSITIVE_INFINITY, windowMs: 1 }),
  });

  // The connection calls back into services made after it: they are looked up when it calls.
  const late: { catalog?: CatalogService; processStarter?: ProcessStarter } = {};
  const connection = new ConnectionService({
    store,
    box: new CryptoBox(options.secrets.appSecret, options.secrets.previousAppSecrets),
    oauth: new HubSpotOAuth(options.hubspot),
    authUrl: options.hubspot.authUrl,
    redirectUri: options.redirectUri,
    clock,
    logger,
    events,
    onConnected: async () => {
      const { adapter } = await systems.hubspot();
      await adapter.ensureProperties();
      await late.catalog?.refreshStages();
    },
    onDisconnected: () => {
      const settings = store.settings();
      if (settings.automatic) store.saveSettings({ ...settings, automatic: false });
      late.processStarter?.schedule();
    },
  });
  const systems = new Systems(xentral, options.hubspot.apiUrl, connection, timeScale);
  const catalog = new CatalogService({ store, connection, systems, clock });
  late.catalog = catalog;
  const runs = new RunService({
    db,
    runs: runLog,
    store,
    connection,
    systems,
    events,
    clock,
    logger,
    ...(options.exchangeOptions ? { exchangeOptions: options.exchangeOptions } : {}),
  });
  const processStarter = new ProcessStarter({
    store,
    runs,
    clock,
    logger,
    waitForRun: () => runs.idle(),
  });
  late.processStarter = processStarter;
  const starter = processStarter;
  const settings = new SettingsService({
    store,
    catalog,
    systems,
    clock,
    onScheduleChanged: () => starter.schedule(),
  });
  const conflicts = new ConflictService({ db, store, systems, runs, clock });
  const services: AppServices = {
    store,
    runs,
    connection,
    settings,
    catalog,
    conflicts,
    processStarter,
    events,
    apiToken: options.secrets.apiToken,
    launchSecret: options.secrets.launchSecret,
    launchIssuer: options.launchIssuer ?? options.xentral.url,
    secureCookies: options.secureCookies,
  };
  const app = createApp({
    logger,
    clock,
    version: options.version,
    modes: { xentral: options.xentral.mode, hubspot: options.hubspot.mode },
    appCenterUrl: options.appCenterUrl,
    clientDir: options.clientDir,
    services,
  });
  return {
    app,
    db,
    services,
    systems,
    start: () => {
      const interrupted = runLog.markInterrupted(clock().toISOString());
      if (interrupted.length > 0)
        logger.warn({ runs: interrupted }, 'runs interrupted by a restart');
      const window = sessionWindow(clock());
      store.pruneExpired(window.now, window.idleSince);
      connection.checkStoredTokens();
      starter.schedule();
    },
    close: async () => {
      starter.stop();
      await runs.idle();
      db.close();
    },
  };
}
