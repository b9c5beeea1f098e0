import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { composeApp, type ComposedApp, type ComposeOptions } from './compose';
import { systemClock, type Clock } from './clock';
import { ConfigError, loadConfig, type Config } from './config';
import { listen, type ListeningServer } from './http/listen';
import { createLogger, type Logger } from './logger';
import {
  DEMO_HUBSPOT_LOGIN,
  hubspotTarget,
  startEmbeddedMocks,
  xentralTarget,
  type EmbeddedMocks,
} from './mocks/embedded';
import { loadSecrets } from './services/secrets';
import { lockDataDir, preparePrivateDir, StartupError } from './storage/data-dir';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const CLIENT_DIST = path.join(ROOT, 'dist', 'client');

function readVersion(): string {
  const pkg: unknown = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
  return typeof pkg === 'object' &&
    pkg !== null &&
    'version' in pkg &&
    typeof pkg.version === 'string'
    ? pkg.version
    : '0.0.0';
}

export interface RunningServer {
  app: ListeningServer;
  mocks: EmbeddedMocks;
  composed: ComposedApp;
  close(): Promise<void>;
}

/** Starts everything one process runs: the app, and the embedded mocks when no real system is configured. */
export async function startServer(
  config: Config,
  logger: Logger,
  tuning: Pick<ComposeOptions, 'exchangeOptions' | 'rateLimitTimeScale'> & { clock?: Clock } = {},
): Promise<RunningServer> {
  preparePrivateDir(config.dataDir);
  const lock = lockDataDir(config.dataDir);
  try {
    return await startLocked(config, logger, tuning, () => lock.release());
  } catch (error) {
    lock.release();
    throw error;
  }
}

async function startLocked(
  config: Config,
  logger: Logger,
  tuning: Pick<ComposeOptions, 'exchangeOptions' | 'rateLimitTimeScale'> & { clock?: Clock },
  releaseLock: () => void,
): Promise<RunningServer> {
  const { clock = systemClock, ...engineTuning } = tuning;
  const secrets = loadSecrets(config);
  const mocks = await startEmbeddedMocks(config, logger, clock);
  let appUrl = `http://${config.host}:${config.port}`;
  const hubspot = hubspotTarget(config, mocks.hubspot);
  const xentral = xentralTarget(config, mocks.xentral);
  const composed = composeApp({
    dataDir: config.dataDir,
    logger,
    clock,
    version: readVersion(),
    secrets,
    xentral: { ...xentral, mode: config.xentral.mode },
    hubspot: { ...hubspot, mode: config.hubspot.mode },
    redirectUri: () => config.hubspot.redirectUri ?? `${appUrl}/api/oauth/callback`,
    secureCookies: config.hubspot.redirectUri?.startsWith('https:') ?? false,
    appCenterUrl: mocks.xentral ? `${mocks.xentral.url}/appcenter` : null,
    clientDir: CLIENT_DIST,
    ...engineTuning,
  });
  const server = await listen(composed.app, config.host, config.port);
  appUrl = server.url;
  mocks.xentral?.setAppCenterApp({
    launchUrl: `${appUrl}/launch`,
    launchSecret: secrets.launchSecret,
    issuer: xentral.url,
  });
  composed.start();
  logger.info(
    { url: server.url, generatedSecrets: secrets.generated, secretsFile: secrets.file },
    'app listening',
  );
  return {
    app: server,
    mocks,
    composed,
    close: async () => {
      await server.close();
      await composed.close();
      await mocks.close();
      releaseLock();
    },
  };
}

export async function main(): Promise<void> {
  let config: Config;
  try {
    config = loadConfig(process.env);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
  const logger = createLogger({ level: config.logLevel });
  const lag = config.engineReadLagMs;
  let running: RunningServer;
  try {
    running = await startServer(config, logger, {
      rateLimitTimeScale: config.rateLimitTimeScale,
      ...(lag === undefined ? {} : { exchangeOptions: { hubspotLagMs: lag, xentralLagMs: lag } }),
    });
  } catch (error) {
    // A problem the admin fixes (the folder in use, a broken file): the words, not a stack.
    if (error instanceof StartupError) {
      logger.fatal({ err: { name: error.name, message: error.message } }, 'the app cannot start');
      process.stderr.write(`\nThe app cannot start: ${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
  const lines = [`HubSpot app for Xentral is running: ${running.app.url}`];
  if (running.mocks.xentral) {
    lines.push(
      `Xentral (demo): open the App Center at ${running.mocks.xentral.url}/appcenter (API token ${running.mocks.xentral.token})`,
    );
    if (running.mocks.xentral.settings.extensions) {
      lines.push(
        '  The Xentral mock serves its employee extension routes (creating employees, reading their e-mail), which a stock Xentral lacks; POST /__mock/settings {"extensions": false} turns them off.',
      );
    }
  }
  if (running.mocks.hubspot) {
    lines.push(
      `HubSpot (demo): ${running.mocks.hubspot.url}, sign in as ${DEMO_HUBSPOT_LOGIN.email} / ${DEMO_HUBSPOT_LOGIN.password}`,
    );
  }
  process.stdout.write(`\n${lines.join('\n')}\n\n`);
  const stop = (signal: string) => {
    logger.info({ signal }, 'shutting down');
    running.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGINT', () => stop('SIGINT'));
  process.once('SIGTERM', () => stop('SIGTERM'));
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await main();
}
