import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client } from '@hubspot/api-client';
import { createHubSpotGates, HubSpotAdapter } from '../adapters/hubspot/adapter';
import { HubSpotOAuth } from '../adapters/hubspot/oauth';
import { XentralAdapter } from '../adapters/xentral/adapter';
import type { RetryPolicy } from '../adapters/retry';
import { runDealSync } from '../engine/deals';
import {
  runExchange,
  type ExchangeOptions,
  type ExchangeResult,
  type ProgressEvent,
} from '../engine/exchange';
import type { ExchangeMode, ExchangeSettings } from '../engine/model';
import { MOCK_HUBSPOT_CLIENT_ID, MOCK_HUBSPOT_CLIENT_SECRET } from '../mocks/hubspot';
import { openDatabase, type Db } from '../storage/db';
import { EngineStore } from '../storage/engine-store';
import { RunStore } from '../storage/run-store';
import { baselineOf, checkInvariants, type Baseline, type Expectations } from './invariants';
import { startMocks, type Mocks } from './mocks';
import { LIFECYCLE_STAGES } from '../mocks/hubspot/properties';

/**
 * The engine, the real adapters and a real SQLite file against both mocks in this process, as
 * the app wires them, with the knobs the fault tests turn: the adapters' timeout and retry
 * policy, and HubSpot's token renewal through the mock's real OAuth endpoint.
 */

/** Every lifecycle stage the HubSpot mock knows: nothing is held back by the stage filter. */
export const ALL_STAGES = LIFECYCLE_STAGES.map((stage) => stage.value);

export interface WorldOptions {
  /** Client timeout of both adapters (ms). */
  timeoutMs?: number;
  retry?: RetryPolicy;
  /** Lifetime of the HubSpot access token the world starts with. */
  tokenTtlSeconds?: number;
  exchangeOptions?: Partial<ExchangeOptions>;
  /** The Xentral mock's employee extension routes (default on); off, a stock Xentral. */
  xentralExtensions?: boolean;
}

export interface World {
  mocks: Mocks;
  /** A client of the test portal, for arranging data through HubSpot's own API. */
  hubspotClient: Client;
  hubspot: HubSpotAdapter;
  xentral: XentralAdapter;
  db: Db;
  store: EngineStore;
  runs: RunStore;
  hubId: number;
  settings: ExchangeSettings;
  progress: ProgressEvent[];
  /** How many times the adapter renewed the access token. */
  refreshes: number;
  run(mode: ExchangeMode, options?: Partial<ExchangeOptions>): Promise<ExchangeResult>;
  runDeals(options?: Partial<ExchangeOptions>): Promise<ExchangeResult>;
  baseline(): Baseline;
  check(baseline: Baseline, expect: Expectations): ReturnType<typeof checkInvariants>;
  close(): Promise<void>;
}

/** Quick retries: the faults are the test's, not a busy server's. */
export const FAST_RETRY: RetryPolicy = { maxAttempts: 5, baseDelayMs: 5, maxDelayMs: 40 };

export async function startWorld(options: WorldOptions = {}): Promise<World> {
  const mocks = await startMocks({
    movableClock: true,
    ...(options.xentralExtensions === undefined
      ? {}
      : { xentralExtensions: options.xentralExtensions }),
  });
  const token = mocks.hubspot.issueToken({
    hubId: mocks.hubId,
    expiresInSeconds: options.tokenTtlSeconds ?? 86_400,
  });
  const oauth = new HubSpotOAuth({
    apiUrl: mocks.hubspot.url,
    clientId: MOCK_HUBSPOT_CLIENT_ID,
    clientSecret: MOCK_HUBSPOT_CLIENT_SECRET,
  });
  let refreshToken = token.refresh_token;
  const retry = options.retry ?? FAST_RETRY;
  const timeoutMs = options.timeoutMs ?? 10_000;
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'xhs-reliability-'));
  const db = openDatabase(path.join(dataDir, 'app.sqlite'));
  const store = new EngineStore(db, String(mocks.hubId));
  const runs = new RunStore(db);
  const activatedAt = mocks.now().toISOString();

  const world: World = {
    mocks,
    hubspotClient: new Client({ accessToken: token.access_token, basePath: mocks.hubspot.url }),
    hubspot: new HubSpotAdapter({
      client: new Client({ accessToken: token.access_token, basePath: mocks.hubspot.url }),
      portalId: String(mocks.hubId),
      gates: createHubSpotGates(undefined, Number.POSITIVE_INFINITY),
      retry,
      timeoutMs,
      // Renewal as the connection service does it: HubSpot's refresh grant.
      refreshAccessToken: async () => {
        const tokens = await oauth.refresh(refreshToken);
        refreshToken = tokens.refreshToken;
        world.refreshes++;
        return tokens.accessToken;
      },
    }),
    xentral: new XentralAdapter({
      requestsPerWindow: Number.POSITIVE_INFINITY,
      windowMs: 1,
      baseUrl: mocks.xentral.url,
      token: mocks.xentralToken,
      retry,
      timeoutMs,
    }),
    db,
    store,
    runs,
    hubId: mocks.hubId,
    settings: {
      mode: 'sync',
      lifecycleStages: ALL_STAGES,
      projectId: null,
      defaultSalutation: 'mr',
      defaultCountry: 'DE',
    },
    progress: [],
    refreshes: 0,
    run: (mode, runOptions = {}) => {
      mocks.advance(1_100);
      return runExchange(
        { mode, trigger: 'manual', settings: { ...world.settings, mode } },
        engineDeps(runOptions),
      );
    },
    runDeals: (runOptions = {}) => {
      mocks.advance(1_100);
      return runDealSync(
        { trigger: 'manual', settings: world.settings, activatedAt },
        engineDeps(runOptions),
      );
    },
    baseline: () => baselineOf(mocks.state()),
    check: (baseline, expect) =>
      checkInvariants(db, String(mocks.hubId), mocks.state(), baseline, expect),
    close: async () => {
      db.close();
      await mocks.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };

  const engineDeps = (runOptions: Partial<ExchangeOptions>) => ({
    store,
    runLog: runs,
    hubspot: world.hubspot,
    xentral: world.xentral,
    now: () => mocks.now(),
    options: {
      hubspotLagMs: 0,
      xentralLagMs: 0,
      // The world's clock moves 1.1 s per run, faster than the held requests of a slow mock.
      uncertainCreateSettleMs: 10_000,
      ...options.exchangeOptions,
      ...runOptions,
    },
    onProgress: (event: ProgressEvent) => world.progress.push(event),
  });
  return world;
}
