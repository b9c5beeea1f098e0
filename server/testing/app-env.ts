import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { expect } from 'vitest';
import { signLaunchToken } from '../auth/launch-token';
import { loadConfig } from '../config';
import { createLogger } from '../logger';
import { startServer, type RunningServer } from '../main';
import { DEMO_HUBSPOT_LOGIN } from '../mocks/hubspot';

/**
 * The whole server in-process (app, SQLite file, both mocks on free ports), and a small
 * browser: a cookie jar, the CSRF header, the App Center launch and the OAuth dance.
 */

export const API_TOKEN = 'api-token-for-tests-000000000000';
export const LAUNCH_SECRET = 'launch-secret-for-tests-000000000000';
export const APP_SECRET = 'app-secret-for-tests-0000000000000000';

export interface AppEnv {
  server: RunningServer;
  url: string;
  dataDir: string;
  /** The `iss` launch tokens need: the Xentral the app is configured with. */
  launchIssuer: string;
  logs: string[];
  browser(): Browser;
  /** Moves the shared clock of the app and both mocks forward (Xentral keeps whole seconds). */
  advance(ms: number): void;
  /** Requests with the API token (automation). */
  api<T = unknown>(
    method: string,
    path: string,
    body?: unknown,
  ): Promise<{ status: number; body: T }>;
  close(): Promise<void>;
}

export class Browser {
  /** name=value of every cookie the app set and did not clear (paths aside). */
  private readonly cookies = new Map<string, string>();
  csrf = '';

  constructor(private readonly env: { url: string; hubspotUrl: string; launchIssuer: string }) {}

  async launch(): Promise<void> {
    const token = signLaunchToken(
      LAUNCH_SECRET,
      { iss: this.env.launchIssuer, sub: 'admin', name: 'Admin' },
      new Date(),
    );
    const response = await fetch(`${this.env.url}/launch?token=${encodeURIComponent(token)}`, {
      redirect: 'manual',
    });
    expect(response.status).toBe(303);
    this.take(response);
    const session = await this.json<{ csrfToken: string }>('GET', '/api/session');
    this.csrf = session.body.csrfToken;
  }

  /** The session cookie as a Cookie header, for requests made without this browser. */
  get sessionCookie(): string {
    const session = this.cookies.get('xhs_session');
    return session === undefined ? '' : `xhs_session=${session}`;
  }

  private take(response: Response): void {
    for (const line of response.headers.getSetCookie()) {
      const [pair = ''] = line.split(';');
      const at = pair.indexOf('=');
      const name = pair.slice(0, at);
      const value = pair.slice(at + 1);
      if (value === '' || /expires=Thu, 01 Jan 1970/i.test(line)) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }

  private get cookie(): string {
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
  }

  async fetch(path: string, init: RequestInit & { csrf?: boolean } = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    if (this.cookie) headers.set('cookie', this.cookie);
    if (init.csrf !== false && this.csrf && init.method && init.method !== 'GET') {
      headers.set('x-csrf-token', this.csrf);
    }
    const response = await fetch(path.startsWith('http') ? path : `${this.env.url}${path}`, {
      ...init,
      headers,
      redirect: 'manual',
    });
    this.take(response);
    return response;
  }

  async json<T = unknown>(
    method: string,
    path: string,
    body?: unknown,
  ): Promise<{ status: number; body: T }> {
    const response = await this.fetch(path, {
      method,
      ...(body === undefined
        ? {}
        : { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } }),
    });
    const text = await response.text();
    return { status: response.status, body: (text ? JSON.parse(text) : undefined) as T };
  }

  /** Connect → HubSpot login → Choose Account → back to the app, as an admin clicks it. */
  async connect(hubId: number): Promise<Response> {
    const start = await this.fetch('/api/connection/start');
    expect(start.status).toBe(302);
    const authorize = new URL(start.headers.get('location') ?? '');
    const fields = Object.fromEntries(authorize.searchParams);
    const form = (action: string, values: Record<string, string>) =>
      fetch(`${this.env.hubspotUrl}${action}`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams(values).toString(),
        redirect: 'manual',
      });
    const login = await form('/oauth/authorize', { ...fields, ...DEMO_HUBSPOT_LOGIN });
    const page = await login.text();
    const session = /name="session" value="([^"]*)"/.exec(page)?.[1] ?? '';
    const chosen = await form('/oauth/authorize/choose', { session, hub_id: String(hubId) });
    expect(chosen.status).toBe(302);
    return this.fetch(chosen.headers.get('location') ?? '');
  }
}

export async function startAppEnv(): Promise<AppEnv> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'xhs-app-'));
  const logs: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      logs.push(chunk.toString());
      callback();
    },
  });
  const config = loadConfig({
    PORT: '0',
    HOST: '127.0.0.1',
    MOCK_HUBSPOT_PORT: '0',
    MOCK_XENTRAL_PORT: '0',
    DATA_DIR: dataDir,
    APP_API_TOKEN: API_TOKEN,
    APP_LAUNCH_SECRET: LAUNCH_SECRET,
    APP_SECRET,
    LOG_LEVEL: 'debug',
  });
  let offsetMs = 0;
  const server = await startServer(config, createLogger({ level: 'debug' }, sink), {
    exchangeOptions: { hubspotLagMs: 0, xentralLagMs: 0 },
    rateLimitTimeScale: Number.POSITIVE_INFINITY,
    clock: () => new Date(Date.now() + offsetMs),
  });
  // The embedded mock starts with the demo's search index lag; these runs read with none.
  server.mocks.hubspot?.configure({ searchIndexLagMs: 0 });
  const url = server.app.url;
  const hubspotUrl = server.mocks.hubspot?.url ?? '';
  const launchIssuer = server.mocks.xentral?.url ?? '';
  return {
    server,
    url,
    dataDir,
    launchIssuer,
    logs,
    browser: () => new Browser({ url, hubspotUrl, launchIssuer }),
    advance: (ms) => {
      offsetMs += ms;
    },
    api: async (method, requestPath, body) => {
      const response = await fetch(`${url}${requestPath}`, {
        method,
        headers: {
          authorization: `Bearer ${API_TOKEN}`,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      const text = await response.text();
      return { status: response.status, body: (text ? JSON.parse(text) : undefined) as never };
    },
    close: async () => {
      await server.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
