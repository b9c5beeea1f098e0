import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client } from '@hubspot/api-client';
import { createHubSpotGates, HubSpotAdapter } from '../adapters/hubspot/adapter';
import { XentralAdapter } from '../adapters/xentral/adapter';
import {
  runExchange,
  type ExchangeOptions,
  type ExchangeResult,
  type ProgressEvent,
} from '../engine/exchange';
import { runDealSync } from '../engine/deals';
import type { RunMessage } from '../engine/run-context';
import type { ExchangeMode, ExchangeSettings } from '../engine/model';
import { startHubSpotMock, type HubSpotMockHandle } from '../mocks/hubspot';
import { startXentralMock, type XentralMockHandle } from '../mocks/xentral';
import { openDatabase, type Db } from '../storage/db';
import { EngineStore } from '../storage/engine-store';
import { RunStore } from '../storage/run-store';

/**
 * Both mocks, the real adapters, a real SQLite file and the engine, wired as the app wires
 * them: what the engine's integration tests and the benchmark run against.
 */

export const TEST_HUB_ID = 3_100_001;
const XENTRAL_TOKEN = 'xentral-engine-test-token-00000000';

export interface ExchangeEnv {
  hubspotMock: HubSpotMockHandle;
  xentralMock: XentralMockHandle;
  hubspotClient: Client;
  hubspot: HubSpotAdapter;
  xentral: XentralAdapter;
  db: Db;
  store: EngineStore;
  runs: RunStore;
  dataDir: string;
  settings: ExchangeSettings;
  progress: ProgressEvent[];
  /** The messages of every run, as the message bar would get them. */
  messages: RunMessage[];
  run(
    mode?: ExchangeMode,
    options?: Partial<ExchangeOptions>,
    settings?: Partial<ExchangeSettings>,
  ): Promise<ExchangeResult>;
  /** Deal synchronisation, active since `activatedAt` (default: the env's start). */
  runDeals(activatedAt?: string, options?: Partial<ExchangeOptions>): Promise<ExchangeResult>;
  /** Moves the shared clock of the mocks and the engine forward. */
  advance(ms: number): void;
  now(): Date;
  /** Every HubSpot record of the test portal, as the mock stores it. */
  hubspotRecords(type: 'contacts' | 'companies' | 'deals'): HubSpotStored[];
  close(): Promise<void>;
}

export interface HubSpotStored {
  id: string;
  properties: Record<string, string | null>;
  archived?: boolean;
}

export interface ExchangeEnvOptions {
  /**
   * Pace the adapters for the vendors' real limits, with windows shortened by this factor;
   * undefined (the default) lifts the limits, as the mocks do unless told otherwise.
   */
  rateLimitTimeScale?: number;
  /**
   * The Xentral mock's employee extension routes (default on: most scenarios create HubSpot
   * users as employees). Off, the mock is a stock Xentral.
   */
  xentralExtensions?: boolean;
}

export async function startExchangeEnv(envOptions: ExchangeEnvOptions = {}): Promise<ExchangeEnv> {
  const timeScale = envOptions.rateLimitTimeScale ?? Number.POSITIVE_INFINITY;
  // One clock for both mocks and the engine. Each run first moves it past the current whole
  // second, so that whatever a test changed before the run lies in the past for Xentral too.
  let offsetMs = 0;
  const now = () => new Date(Date.now() + offsetMs);
  // Runs read with no lag (hubspotLagMs 0 below), so search must see every write at once.
  const hubspotMock = await startHubSpotMock({
    host: '127.0.0.1',
    port: 0,
    clock: now,
    settings: { searchIndexLagMs: 0 },
  });
  const xentralMock = await startXentralMock({
    host: '127.0.0.1',
    port: 0,
    token: XENTRAL_TOKEN,
    clock: now,
    extensions: envOptions.xentralExtensions ?? true,
  });
  hubspotMock.seed({
    portals: [{ hubId: TEST_HUB_ID, name: 'Test GmbH', domain: 'test-gmbh.example' }],
  });
  xentralMock.seed({
    persons: 0,
    companies: 0,
    employees: 0,
    projects: 2,
    draftOrders: 0,
    releasedOrders: 0,
  });
  const token = hubspotMock.issueToken({ hubId: TEST_HUB_ID, expiresInSeconds: 86_400 });
  const hubspotClient = new Client({ accessToken: token.access_token, basePath: hubspotMock.url });
  const fast = { maxAttempts: 4, baseDelayMs: 5, maxDelayMs: 50 };
  const hubspot = new HubSpotAdapter({
    client: hubspotClient,
    portalId: String(TEST_HUB_ID),
    gates: createHubSpotGates(undefined, timeScale),
    retry: fast,
  });
  const xentral = new XentralAdapter({
    requestsPerWindow: Number.isFinite(timeScale) ? 98 : Number.POSITIVE_INFINITY,
    windowMs: Number.isFinite(timeScale) ? 60_000 / timeScale + 50 : 1,
    baseUrl: xentralMock.url,
    token: XENTRAL_TOKEN,
    retry: fast,
  });
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'xhs-engine-'));
  const startedAt = now().toISOString();
  const db = openDatabase(path.join(dataDir, 'app.sqlite'));
  const store = new EngineStore(db, String(TEST_HUB_ID));
  const runs = new RunStore(db);
  const progress: ProgressEvent[] = [];
  const messages: RunMessage[] = [];
  const env: ExchangeEnv = {
    hubspotMock,
    xentralMock,
    hubspotClient,
    hubspot,
    xentral,
    db,
    store,
    runs,
    dataDir,
    progress,
    messages,
    settings: {
      mode: 'sync',
      lifecycleStages: ['lead', 'customer'],
      projectId: null,
      defaultSalutation: 'mr',
      defaultCountry: 'DE',
    },
    run: (mode = env.settings.mode, options = {}, settings = {}) => {
      offsetMs += 1_100;
      return runExchange(
        { mode, trigger: 'manual', settings: { ...env.settings, ...settings, mode } },
        {
          store,
          runLog: runs,
          hubspot,
          xentral,
          now,
          options: { hubspotLagMs: 0, xentralLagMs: 0, ...options },
          onProgress: (event) => progress.push(event),
          onMessage: (message) => messages.push(message),
        },
      );
    },
    runDeals: (activatedAt = startedAt, options = {}) => {
      offsetMs += 1_100;
      return runDealSync(
        { trigger: 'manual', settings: env.settings, activatedAt },
        {
          store,
          runLog: runs,
          hubspot,
          xentral,
          now,
          options: { hubspotLagMs: 0, xentralLagMs: 0, ...options },
          onProgress: (event) => progress.push(event),
          onMessage: (message) => messages.push(message),
        },
      );
    },
    advance: (ms) => {
      offsetMs += ms;
    },
    now,
    hubspotRecords: (type) => {
      const state = hubspotMock.state();
      const portal = (state.portals as { hubId: number; [key: string]: unknown }[]).find(
        (p) => p.hubId === TEST_HUB_ID,
      );
      return ((portal?.[type] as HubSpotStored[] | undefined) ?? []).filter((r) => !r.archived);
    },
    close: async () => {
      db.close();
      await Promise.all([hubspotMock.close(), xentralMock.close()]);
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
  return env;
}
