import express, { type Express } from 'express';
import { systemClock, type Clock } from '../../clock';
import type { Logger } from '../../logger';
import { mockControlRouter } from '../common/control';
import { FaultInjector } from '../common/faults';
import { RequestStats } from '../common/stats';
import { associationsRouter } from './associations';
import { bearerAuth } from './auth';
import { presentRecord } from './crm';
import { hubSpotErrorHandler, notFoundRoute } from './errors';
import {
  expireAccessTokens,
  hubSpotControlRouter,
  issueMockToken,
  type IssuedToken,
  type IssueTokenInput,
} from './mock-control';
import { OBJECT_TYPES } from './object-types';
import { objectsRouter } from './objects';
import { oauthRouter, type OAuthApp } from './oauth';
import { ownersRouter, presentOwner } from './owners';
import { pipelinesRouter, presentPipeline } from './pipelines';
import { presentProperty, propertiesRouter } from './properties-routes';
import { hubSpotFaultRenderer, rateLimiting } from './rate-limit';
import { seedDemoWorld, seedHubSpot, type SeedInput, type SeedSummary } from './seed';
import { HubSpotStore, type HubSpotMockSettings, type SettingsPatch } from './store';

export const MOCK_HUBSPOT_CLIENT_ID = 'mock-hubspot-client-id';
export const MOCK_HUBSPOT_CLIENT_SECRET = 'mock-hubspot-client-secret';
/** The app id HubSpot reports in token info for the mock's OAuth app. */
export const MOCK_HUBSPOT_APP_ID = 4_242_424;

export interface HubSpotMockAppOptions {
  clock?: Clock;
  logger?: Logger;
  /** Generator seed for seedDemo() and seeds that name none (default 1). */
  seed?: number;
  /** The OAuth app the mock knows. Without redirectUris any http(s) loopback redirect is accepted. */
  oauthApp?: { clientId: string; clientSecret: string; redirectUris?: string[] };
  /**
   * Settings this mock starts with and returns to on reset, e.g. `{ searchIndexLagMs: 0 }` for
   * tests that read a record through search right after writing it.
   */
  settings?: SettingsPatch;
}

export interface HubSpotMock {
  app: Express;
  /** Direct access to the mock's state, for tests. */
  store: HubSpotStore;
  faults: FaultInjector;
  stats: RequestStats;
  oauthApp: OAuthApp;
  seed(input?: SeedInput): SeedSummary;
  /** The demo world of `npm start`: admin@example.com / demo with two portals. */
  seedDemo(): SeedSummary[];
  /** Clears data, tokens, faults and stats; settings return to those the mock started with. */
  reset(): void;
  /** Changes settings as POST /__mock/settings does (until the next reset). */
  configure(patch: SettingsPatch): HubSpotMockSettings;
  /** A token pair for a seeded portal, as POST /__mock/tokens gives it. */
  issueToken(input?: IssueTokenInput): IssuedToken;
  /** Makes access tokens expire now; returns how many did. */
  expireAccessTokens(filter?: { access_token?: string; hubId?: number }): number;
  state(): HubSpotMockState;
}

export interface HubSpotMockState {
  settings: HubSpotStore['settings'];
  users: { userId: number; email: string; hubIds: number[] }[];
  /** Counts only: token values stay out of dumps. */
  tokens: { accessTokens: number; refreshTokens: number; authorizationCodes: number };
  portals: unknown[];
}

function dumpState(store: HubSpotStore): HubSpotMockState {
  return {
    settings: store.settings,
    users: [...store.users.values()].map(({ userId, email, hubIds }) => ({
      userId,
      email,
      hubIds: [...hubIds],
    })),
    tokens: {
      accessTokens: store.accessTokens.size,
      refreshTokens: store.refreshTokens.size,
      authorizationCodes: store.authCodes.size,
    },
    portals: [...store.portals.values()].map((portal) => ({
      hubId: portal.hubId,
      name: portal.name,
      domain: portal.domain,
      counts: Object.fromEntries(OBJECT_TYPES.map((type) => [type, portal.tables[type].size])),
      ...Object.fromEntries(
        OBJECT_TYPES.map((type) => [
          type,
          portal.tables[type].ordered.map((record) => presentRecord(portal, record, { all: true })),
        ]),
      ),
      owners: portal.owners.map(presentOwner),
      pipelines: portal.pipelines.map(presentPipeline),
      customProperties: Object.fromEntries(
        OBJECT_TYPES.map((type) => [
          type,
          [...portal.properties[type].values()]
            .filter((definition) => !definition.hubspotDefined)
            .map((definition) => presentProperty(portal, definition)),
        ]),
      ),
      associations: portal.associations.dump(),
    })),
  };
}

/** The HubSpot mock as an Express app, for embedding in another server or for listen(). */
export function createHubSpotMockApp(options: HubSpotMockAppOptions = {}): HubSpotMock {
  const clock = options.clock ?? systemClock;
  const logger = options.logger;
  const store = new HubSpotStore(clock, options.settings);
  const oauthApp: OAuthApp = {
    clientId: options.oauthApp?.clientId ?? MOCK_HUBSPOT_CLIENT_ID,
    clientSecret: options.oauthApp?.clientSecret ?? MOCK_HUBSPOT_CLIENT_SECRET,
    redirectUris: options.oauthApp?.redirectUris,
    appId: MOCK_HUBSPOT_APP_ID,
    name: 'Xentral',
  };
  const dataSeed = options.seed ?? 1;
  // The renderer needs the injector's time scale; the injector needs the renderer.
  const holder: { faults?: FaultInjector } = {};
  const faults = new FaultInjector(
    hubSpotFaultRenderer({
      store,
      appId: oauthApp.appId,
      timeScale: () => holder.faults?.current.timeScale ?? 1,
    }),
  );
  holder.faults = faults;
  const stats = new RequestStats(clock);
  const limits = rateLimiting({ store, faults, appId: oauthApp.appId });

  const seed = (input: SeedInput = {}) => seedHubSpot(store, { seed: dataSeed, ...input });
  const resetData = () => {
    store.reset();
    limits.clear();
  };

  const app = express();
  app.disable('x-powered-by');
  // Control routes come first: never counted, never faulted, never rate limited.
  app.use(
    '/__mock',
    mockControlRouter(
      {
        reset: resetData,
        seed: (body) => seed(body as SeedInput),
        state: () => dumpState(store),
      },
      faults,
      stats,
    ),
  );
  app.use('/__mock', hubSpotControlRouter(store, oauthApp));
  app.use(stats.middleware());
  app.use(faults.middleware());
  app.use(oauthRouter(store, oauthApp));
  app.use('/crm', bearerAuth(store), limits.middleware, express.json({ limit: '10mb' }));
  app.use(objectsRouter(store));
  app.use(propertiesRouter(store));
  app.use(ownersRouter());
  app.use(pipelinesRouter());
  app.use(associationsRouter(store));
  app.use(notFoundRoute);
  app.use(hubSpotErrorHandler(logger));

  return {
    app,
    store,
    faults,
    stats,
    oauthApp,
    seed,
    seedDemo: () => seedDemoWorld(store, dataSeed),
    reset: () => {
      resetData();
      faults.reset();
      stats.reset();
    },
    configure: (patch) => store.applySettings(patch),
    issueToken: (input = {}) => issueMockToken(store, oauthApp, input),
    expireAccessTokens: (filter = {}) => expireAccessTokens(store, filter),
    state: () => dumpState(store),
  };
}
