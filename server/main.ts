import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createApp } from './app';
import { systemClock } from './clock';
import { ConfigError, loadConfig, type Config } from './config';
import { listen, type ListeningServer } from './http/listen';
import { createLogger, type Logger } from './logger';
import { DEMO_HUBSPOT_LOGIN, startEmbeddedMocks, type EmbeddedMocks } from './mocks/embedded';

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
  close(): Promise<void>;
}

/** Starts everything one process runs: the app, and the embedded mocks when no real system is configured. */
export async function startServer(config: Config, logger: Logger): Promise<RunningServer> {
  fs.mkdirSync(config.dataDir, { recursive: true });
  const mocks = await startEmbeddedMocks(config, logger);
  const app = createApp({
    logger,
    clock: systemClock,
    version: readVersion(),
    modes: { xentral: config.xentral.mode, hubspot: config.hubspot.mode },
    clientDir: CLIENT_DIST,
  });
  const server = await listen(app, config.host, config.port);
  logger.info({ url: server.url }, 'app listening');
  return {
    app: server,
    mocks,
    close: async () => {
      await server.close();
      await mocks.close();
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
  const running = await startServer(config, logger);
  const lines = [`HubSpot app for Xentral is running: ${running.app.url}`];
  if (running.mocks.xentral) {
    lines.push(`Xentral (demo): open the App Center at ${running.mocks.xentral.url}/appcenter`);
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
