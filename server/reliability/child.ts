import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  DEMO_HUBSPOT_LOGIN,
  MOCK_HUBSPOT_CLIENT_ID,
  MOCK_HUBSPOT_CLIENT_SECRET,
} from '../mocks/hubspot';
import type { RunDetailResponse } from '../../shared/api/runs';
import { API_TOKEN, APP_SECRET, Browser, LAUNCH_SECRET } from '../testing/app-env';
import { childEnvironment } from './environment';
import type { Mocks } from './mocks';

/**
 * The real server as a separate process (`node --import tsx server/main.ts`), configured like
 * a production install that talks to "real" systems: the mocks of this process, whose state
 * survives whatever happens to the child. Its port is fixed before the first start, so the
 * OAuth redirect URI stays valid across restarts.
 */

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const MAIN = path.join(ROOT, 'server', 'main.ts');

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** Where the app finds its "real" systems: the mocks, in this process or in another. */
export interface Systems {
  hubspotUrl: string;
  xentralUrl: string;
  xentralToken: string;
}

export function systemsOf(mocks: Pick<Mocks, 'hubspot' | 'xentral' | 'xentralToken'>): Systems {
  return {
    hubspotUrl: mocks.hubspot.url,
    xentralUrl: mocks.xentral.url,
    xentralToken: mocks.xentralToken,
  };
}

export interface AppChildOptions {
  systems: Systems;
  /** Extra environment, e.g. LOG_LEVEL. */
  env?: Record<string, string>;
  /** Another app's data folder (a second process on one DATA_DIR); a fresh one by default. */
  dataDir?: string;
}

function spawnTsx(entry: string, env: Record<string, string>): ChildProcess {
  return spawn(process.execPath, ['--import', 'tsx', entry], {
    cwd: ROOT,
    env: childEnvironment(env),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

/** Resolves when `url` answers 2xx; fails when the process died or after 30 s. */
async function answering(url: string, alive: () => boolean, tail: () => string): Promise<void> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (!alive()) throw new Error(`the process exited during start:\n${tail()}`);
    try {
      const response = await fetch(url);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`the process did not start:\n${tail()}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/**
 * Both mocks in a process of their own (`npm run mocks`), so that what a test measures of the
 * app is not shared with the mocks' work. Controlled over HTTP, like any external system.
 */
export class MocksChild {
  private process: ChildProcess | undefined;
  private output = '';

  private constructor(
    readonly hubspotUrl: string,
    readonly xentralUrl: string,
    readonly xentralToken: string,
  ) {}

  static async start(): Promise<MocksChild> {
    const [hubspotPort, xentralPort] = [await freePort(), await freePort()];
    const mocks = new MocksChild(
      `http://127.0.0.1:${hubspotPort}`,
      `http://127.0.0.1:${xentralPort}`,
      'xentral-load-token-0000000000000000',
    );
    const child = spawnTsx(path.join(ROOT, 'server', 'mocks', 'main.ts'), {
      HOST: '127.0.0.1',
      MOCK_HUBSPOT_PORT: String(hubspotPort),
      MOCK_XENTRAL_PORT: String(xentralPort),
      MOCK_XENTRAL_TOKEN: mocks.xentralToken,
      LOG_LEVEL: 'warn',
    });
    mocks.process = child;
    child.stdout?.on('data', (chunk: Buffer) => (mocks.output += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (mocks.output += chunk.toString()));
    child.once('exit', () => (mocks.process = undefined));
    for (const url of [mocks.hubspotUrl, mocks.xentralUrl]) {
      await answering(
        `${url}/__mock/stats`,
        () => mocks.process !== undefined,
        () => mocks.output,
      );
    }
    return mocks;
  }

  get systems(): Systems {
    return {
      hubspotUrl: this.hubspotUrl,
      xentralUrl: this.xentralUrl,
      xentralToken: this.xentralToken,
    };
  }

  async control<T = unknown>(
    system: 'hubspot' | 'xentral',
    route: string,
    body?: unknown,
  ): Promise<T> {
    const base = system === 'hubspot' ? this.hubspotUrl : this.xentralUrl;
    const response = await fetch(`${base}/__mock${route}`, {
      method: body === undefined ? 'GET' : 'POST',
      ...(body === undefined
        ? {}
        : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
    });
    if (!response.ok)
      throw new Error(`${system} ${route}: ${response.status} ${await response.text()}`);
    return (await response.json()) as T;
  }

  async stop(): Promise<void> {
    const child = this.process;
    if (!child) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
  }
}

export class AppChild {
  readonly dataDir: string;
  private readonly ownsDataDir: boolean;
  readonly url: string;
  private process: ChildProcess | undefined;
  private exited: Promise<void> = Promise.resolve();
  /** Everything the child wrote to stdout and stderr, across restarts. */
  output = '';
  starts = 0;

  private constructor(
    readonly port: number,
    private readonly options: AppChildOptions,
  ) {
    this.url = `http://127.0.0.1:${port}`;
    this.ownsDataDir = options.dataDir === undefined;
    this.dataDir = options.dataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'xhs-child-'));
  }

  static async create(options: AppChildOptions): Promise<AppChild> {
    return new AppChild(await freePort(), options);
  }

  get running(): boolean {
    return this.process !== undefined;
  }

  /** Environment for the next starts on top of the options' (a changed secret, say). */
  nextEnv: Record<string, string> = {};

  /** The process id of the running server. */
  get pid(): number | undefined {
    return this.process?.pid;
  }

  /** The exit code of the last server process once it ended (null after a signal). */
  exitCode: number | null = null;

  environment(): Record<string, string> {
    const { hubspotUrl, xentralUrl, xentralToken } = this.options.systems;
    return {
      PORT: String(this.port),
      HOST: '127.0.0.1',
      DATA_DIR: this.dataDir,
      LOG_LEVEL: 'info',
      APP_SECRET,
      APP_API_TOKEN: API_TOKEN,
      APP_LAUNCH_SECRET: LAUNCH_SECRET,
      XENTRAL_URL: xentralUrl,
      XENTRAL_TOKEN: xentralToken,
      HUBSPOT_CLIENT_ID: MOCK_HUBSPOT_CLIENT_ID,
      HUBSPOT_CLIENT_SECRET: MOCK_HUBSPOT_CLIENT_SECRET,
      HUBSPOT_API_URL: hubspotUrl,
      HUBSPOT_AUTH_URL: `${hubspotUrl}/oauth/authorize`,
      HUBSPOT_REDIRECT_URI: `${this.url}/api/oauth/callback`,
      // The mocks have no rate limits and no search index lag: no pacing, no waiting.
      RATE_LIMIT_TIME_SCALE: '1000',
      ENGINE_READ_LAG_MS: '0',
      ...this.options.env,
      ...this.nextEnv,
    };
  }

  /** Starts the server and resolves when it answers /api/health. */
  async start(): Promise<void> {
    if (this.process) throw new Error('the app is running already');
    const child = spawnTsx(MAIN, this.environment());
    this.starts++;
    this.process = child;
    const collect = (chunk: Buffer) => {
      this.output += chunk.toString();
    };
    child.stdout?.on('data', collect);
    child.stderr?.on('data', collect);
    this.exited = new Promise((resolve) => {
      child.once('exit', (code) => {
        this.exitCode = code;
        if (this.process === child) this.process = undefined;
        resolve();
      });
    });
    await answering(
      `${this.url}/api/health`,
      () => this.running,
      () => this.tail(),
    );
  }

  /** SIGKILL: no shutdown, no last commit. Synchronous, so it can happen inside a request. */
  kill(): void {
    this.process?.kill('SIGKILL');
  }

  async killed(): Promise<void> {
    this.kill();
    await this.exited;
  }

  /** SIGTERM: the server finishes what it does and closes the database. */
  async stop(): Promise<void> {
    this.process?.kill('SIGTERM');
    await this.exited;
  }

  async api<T = unknown>(
    method: string,
    route: string,
    body?: unknown,
  ): Promise<{ status: number; body: T }> {
    const response = await fetch(`${this.url}${route}`, {
      method,
      headers: {
        authorization: `Bearer ${API_TOKEN}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    return { status: response.status, body: (text ? JSON.parse(text) : undefined) as T };
  }

  /**
   * An admin opens the app from the App Center and connects the portal: the OAuth dance with
   * HubSpot's login form (the login has one portal, so no Choose Account step).
   */
  async connect(): Promise<void> {
    const { hubspotUrl, xentralUrl } = this.options.systems;
    const browser = new Browser({ url: this.url, hubspotUrl, launchIssuer: xentralUrl });
    await browser.launch();
    const start = await browser.fetch('/api/connection/start');
    const authorize = new URL(start.headers.get('location') ?? '');
    const login = await fetch(`${hubspotUrl}/oauth/authorize`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        ...Object.fromEntries(authorize.searchParams),
        ...DEMO_HUBSPOT_LOGIN,
      }).toString(),
      redirect: 'manual',
    });
    const back = await browser.fetch(login.headers.get('location') ?? '');
    if (back.status !== 303) throw new Error(`connecting failed: ${back.status}\n${this.tail()}`);
  }

  /** Polls a run until it is no longer running; gives up after `timeoutMs` with the app's log. */
  async finishedRun(
    id: number,
    { timeoutMs = 60_000, pollMs = 25 }: { timeoutMs?: number; pollMs?: number } = {},
  ): Promise<RunDetailResponse['run']> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const { body } = await this.api<RunDetailResponse>('GET', `/api/runs/${id}?limit=1`);
      if (body.run.status !== 'running') return body.run;
      if (Date.now() > deadline) throw new Error(`run ${id} did not finish:\n${this.tail()}`);
      await new Promise((resolve) => setTimeout(resolve, pollMs));
    }
  }

  tail(lines = 40): string {
    return this.output.split('\n').slice(-lines).join('\n');
  }

  async dispose(): Promise<void> {
    if (this.process) await this.killed();
    if (this.ownsDataDir) fs.rmSync(this.dataDir, { recursive: true, force: true });
  }
}
