import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test as base } from '@playwright/test';
import { HubSpotMock, XentralMock } from './support/mocks';

const ROOT = path.resolve(import.meta.dirname, '..');

export interface AppServer {
  url: string;
  /** The demo App Center of the embedded Xentral mock (where an admin opens the app). */
  appCenterUrl: string;
  xentralUrl: string;
  hubspotUrl: string;
  dataDir: string;
  logs: string[];
}

/** The lines `server/main.ts` prints once everything listens. */
const STARTED = {
  app: /is running: (http:\/\/\S+)/,
  appCenter: /Xentral \(demo\): open the App Center at (http:\/\/\S+)/,
  hubspot: /HubSpot \(demo\): (http:\/\/[^\s,]+)/,
};

/**
 * Starts the real server (with its embedded mocks) as a child process on free loopback ports,
 * the way `npm start` runs it, and stops it after the worker is done.
 */
async function startAppServer(
  name: string,
  env: Record<string, string> = {},
): Promise<{
  server: AppServer;
  child: ChildProcess;
}> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), `xhs-e2e-${name}-`));
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
    cwd: ROOT,
    env: {
      ...process.env,
      PORT: '0',
      HOST: '127.0.0.1',
      MOCK_HUBSPOT_PORT: '0',
      MOCK_XENTRAL_PORT: '0',
      DATA_DIR: dataDir,
      LOG_LEVEL: 'info',
      // The mocks index at once; a run reads changes two seconds old rather than HubSpot's
      // default 30, so what a spec prepares before a run is in it.
      ENGINE_READ_LAG_MS: '2000',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const logs: string[] = [];
  const urls = await new Promise<{ app: string; appCenter: string; hubspot: string }>(
    (resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`server did not start:\n${logs.join('')}`)),
        30_000,
      );
      const onData = (chunk: Buffer) => {
        logs.push(chunk.toString());
        const text = logs.join('');
        const app = STARTED.app.exec(text)?.[1];
        const appCenter = STARTED.appCenter.exec(text)?.[1];
        const hubspot = STARTED.hubspot.exec(text)?.[1];
        if (app && appCenter && hubspot) {
          clearTimeout(timer);
          resolve({ app, appCenter, hubspot });
        }
      };
      child.stdout?.on('data', onData);
      child.stderr?.on('data', (chunk: Buffer) => logs.push(chunk.toString()));
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`server exited with ${code}:\n${logs.join('')}`));
      });
    },
  );
  return {
    server: {
      url: urls.app,
      appCenterUrl: urls.appCenter,
      xentralUrl: new URL(urls.appCenter).origin,
      hubspotUrl: urls.hubspot,
      dataDir,
      logs,
    },
    child,
  };
}

export const test = base.extend<
  { xentral: XentralMock; hubspot: HubSpotMock },
  { appServer: AppServer; serverName: string }
>({
  /**
   * Specs share one server per worker. A spec that breaks the mocks on purpose sets its own
   * name (test.use({ serverName })): Playwright then gives it a worker, and a server, of its own.
   */
  serverName: ['shared', { scope: 'worker', option: true }],
  appServer: [
    async ({ serverName }, use) => {
      const { server, child } = await startAppServer(serverName);
      await new HubSpotMock(server.hubspotUrl).searchSeesWritesAtOnce();
      await use(server);
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
      fs.rmSync(server.dataDir, { recursive: true, force: true });
    },
    { scope: 'worker' },
  ],
  baseURL: async ({ appServer }, use) => {
    await use(appServer.url);
  },
  xentral: async ({ appServer }, use) => {
    await use(new XentralMock(appServer.xentralUrl));
  },
  hubspot: async ({ appServer }, use) => {
    await use(new HubSpotMock(appServer.hubspotUrl));
  },
});

export { expect } from '@playwright/test';
