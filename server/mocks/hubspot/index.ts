import type { Express } from 'express';
import type { Clock } from '../../clock';
import { listen, type ListeningServer } from '../../http/listen';
import type { Logger } from '../../logger';
import { createHubSpotMockApp, type HubSpotMock } from './app';
import type { SettingsPatch } from './store';

/**
 * The HubSpot mock server: OAuth v1, CRM objects v3 (contacts, companies, deals), search,
 * properties, owners, pipelines and associations v4, faithful enough for the official
 * @hubspot/api-client with only `basePath` pointed at it. Control routes live under /__mock.
 */

export {
  createHubSpotMockApp,
  MOCK_HUBSPOT_APP_ID,
  MOCK_HUBSPOT_CLIENT_ID,
  MOCK_HUBSPOT_CLIENT_SECRET,
  type HubSpotMock,
  type HubSpotMockAppOptions,
  type HubSpotMockState,
} from './app';
export { HUBSPOT_MOCK_ALL_SCOPES } from './auth';
export type { IssuedToken, IssueTokenInput } from './mock-control';
export { DEMO_HUBSPOT_LOGIN, DEMO_PORTALS, type SeedInput, type SeedSummary } from './seed';
export {
  DEFAULT_SEARCH_INDEX_LAG_MS,
  type HubSpotStore,
  type HubSpotMockSettings,
  type SettingsPatch as HubSpotMockSettingsPatch,
} from './store';

export interface HubSpotMockOptions {
  host: string;
  port: number;
  clock?: Clock;
  logger?: Logger;
  seed?: number;
  /** No redirectUris → any http(s) loopback/localhost redirect is accepted. */
  oauthApp?: { clientId: string; clientSecret: string; redirectUris?: string[] };
  /** Settings the mock starts with and returns to on reset (see HubSpotMockAppOptions). */
  settings?: SettingsPatch;
}

export interface HubSpotMockHandle extends ListeningServer, Omit<HubSpotMock, 'app'> {
  app: Express;
}

export async function startHubSpotMock(options: HubSpotMockOptions): Promise<HubSpotMockHandle> {
  const mock = createHubSpotMockApp(options);
  const server = await listen(mock.app, options.host, options.port);
  options.logger?.info({ url: server.url }, 'hubspot mock listening');
  return { ...mock, ...server };
}
