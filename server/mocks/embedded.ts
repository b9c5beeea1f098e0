import { systemClock, type Clock } from '../clock';
import type { Config } from '../config';
import type { Logger } from '../logger';
import {
  DEMO_HUBSPOT_LOGIN,
  MOCK_HUBSPOT_CLIENT_ID,
  MOCK_HUBSPOT_CLIENT_SECRET,
  startHubSpotMock,
  type HubSpotMockHandle,
} from './hubspot';
import { startXentralMock, type XentralMockHandle } from './xentral';

/**
 * Starts the mocks a configuration asks for (none when both real systems are configured),
 * seeded with the demo world, and says where the app finds them.
 */
export interface EmbeddedMocks {
  hubspot: HubSpotMockHandle | undefined;
  xentral: XentralMockHandle | undefined;
  close(): Promise<void>;
}

export async function startEmbeddedMocks(
  config: Pick<Config, 'host' | 'xentral' | 'hubspot' | 'mockSeed'>,
  logger: Logger,
  clock: Clock = systemClock,
): Promise<EmbeddedMocks> {
  const hubspot =
    config.hubspot.mode === 'embedded-mock'
      ? await startHubSpotMock({
          host: config.host,
          port: config.hubspot.mockPort,
          logger: logger.child({ mock: 'hubspot' }),
          seed: config.mockSeed,
          clock,
        })
      : undefined;
  hubspot?.seedDemo();
  const xentral =
    config.xentral.mode === 'embedded-mock'
      ? await startXentralMock({
          host: config.host,
          port: config.xentral.mockPort,
          token: config.xentral.mockToken,
          logger: logger.child({ mock: 'xentral' }),
          seed: config.mockSeed,
          clock,
          // The demo shows HubSpot users created as Xentral employees, which needs routes the
          // public API lacks; the start-up message says that they are switched on.
          extensions: true,
        })
      : undefined;
  xentral?.seedDemo();
  return {
    hubspot,
    xentral,
    close: async () => {
      await Promise.all([hubspot?.close(), xentral?.close()]);
    },
  };
}

/** What the app needs to reach HubSpot: the real one from config, or the embedded mock. */
export function hubspotTarget(
  config: Pick<Config, 'hubspot'>,
  mock: HubSpotMockHandle | undefined,
): { apiUrl: string; authUrl: string; clientId: string; clientSecret: string } {
  if (config.hubspot.mode === 'remote') return config.hubspot;
  if (!mock) throw new Error('The embedded HubSpot mock is not running');
  return {
    apiUrl: mock.url,
    authUrl: `${mock.url}/oauth/authorize`,
    clientId: MOCK_HUBSPOT_CLIENT_ID,
    clientSecret: MOCK_HUBSPOT_CLIENT_SECRET,
  };
}

export function xentralTarget(
  config: Pick<Config, 'xentral'>,
  mock: XentralMockHandle | undefined,
): { url: string; token: string } {
  if (config.xentral.mode === 'remote') return config.xentral;
  if (!mock) throw new Error('The embedded Xentral mock is not running');
  return { url: mock.url, token: config.xentral.mockToken };
}

export { DEMO_HUBSPOT_LOGIN };
