// `npm run mocks`: both mocks alone, seeded with the demo world, on MOCK_HUBSPOT_PORT (4010)
// and MOCK_XENTRAL_PORT (4020).
import { ConfigError, loadConfig } from '../config';
import { createLogger } from '../logger';
import { DEMO_HUBSPOT_LOGIN, startEmbeddedMocks } from './embedded';
import { MOCK_HUBSPOT_CLIENT_ID, MOCK_HUBSPOT_CLIENT_SECRET } from './hubspot';

let config;
try {
  // The mocks run even when real systems are configured for the app: force both embedded.
  config = loadConfig({
    ...process.env,
    XENTRAL_URL: '',
    XENTRAL_TOKEN: '',
    HUBSPOT_CLIENT_ID: '',
    HUBSPOT_CLIENT_SECRET: '',
  });
} catch (error) {
  if (error instanceof ConfigError) {
    process.stderr.write(`${error.message}\n`);
    process.exit(1);
  }
  throw error;
}
const logger = createLogger({ level: config.logLevel });
const mocks = await startEmbeddedMocks(config, logger);
if (config.xentral.mode === 'embedded-mock' && config.launchSecret) {
  mocks.xentral?.setAppCenterApp({
    launchUrl: `http://${config.host}:${config.port}/launch`,
    launchSecret: config.launchSecret,
    issuer: mocks.xentral.url,
  });
}
const token = config.xentral.mode === 'embedded-mock' ? config.xentral.mockToken : '';
process.stdout.write(
  [
    '',
    `HubSpot mock: ${mocks.hubspot?.url ?? '-'}  (login ${DEMO_HUBSPOT_LOGIN.email} / ${DEMO_HUBSPOT_LOGIN.password}; OAuth app ${MOCK_HUBSPOT_CLIENT_ID} / ${MOCK_HUBSPOT_CLIENT_SECRET})`,
    `Xentral mock: ${mocks.xentral?.url ?? '-'}  (personal access token ${token}; App Center ${mocks.xentral?.url ?? ''}/appcenter)`,
    ...(mocks.xentral?.settings.extensions
      ? [
          '  with the employee extension routes a stock Xentral lacks (POST /__mock/settings {"extensions": false} turns them off)',
        ]
      : []),
    '',
  ].join('\n'),
);
const stop = () => {
  mocks.close().then(
    () => process.exit(0),
    () => process.exit(1),
  );
};
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
