import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startHubSpotMock, type HubSpotMockHandle } from '../mocks/hubspot';
import { startXentralMock, type XentralMockHandle } from '../mocks/xentral';
import { worldState, type WorldState } from './invariants';

/**
 * Both mocks on free ports, their state in this process (so it survives whatever happens to
 * the app under test), and a hook in front of their request handling: tests count requests,
 * expire tokens or kill the app at the exact moment a request arrives.
 */

export const MOCKS_HUB_ID = 3_200_001;
export const MOCKS_XENTRAL_TOKEN = 'xentral-reliability-token-000000000';

export type MockSystem = 'hubspot' | 'xentral';

/**
 * Called for every request before the mock sees it. 'drop' destroys the connection without
 * letting the mock handle it (the request never reached the system); a delay holds the request
 * that long before the mock handles it (a slow system, which carries it out all the same).
 */
export type RequestHook = (
  system: MockSystem,
  req: IncomingMessage,
  res: ServerResponse,
) => 'pass' | 'drop' | { delayMs: number };

export interface Mocks {
  hubspot: HubSpotMockHandle;
  xentral: XentralMockHandle;
  hubId: number;
  xentralToken: string;
  now(): Date;
  /** Moves the mocks' clock (only when started with a movable clock). */
  advance(ms: number): void;
  hook(hook: RequestHook): () => void;
  /** Requests that went unanswered for `thresholdMs` (a client timeout) or longer. */
  slowAnswers(thresholdMs: number): number;
  state(): WorldState;
  close(): Promise<void>;
}

/** A data request to the vendor API (not the mocks' control routes, not OAuth pages). */
export function isApiRequest(system: MockSystem, req: IncomingMessage): boolean {
  const url = req.url ?? '';
  if (url.startsWith('/__mock')) return false;
  return system === 'hubspot' ? url.startsWith('/crm/') : url.startsWith('/api/');
}

/** A request that changes data in the system. */
export function isWriteRequest(system: MockSystem, req: IncomingMessage): boolean {
  if (!isApiRequest(system, req)) return false;
  if (req.method === 'GET') return false;
  return !(req.url ?? '').includes('/search');
}

/** Puts `hook` in front of a mock server's own request handling. */
export function interceptRequests(server: Server, system: MockSystem, hook: RequestHook): void {
  const handlers = server.listeners('request') as ((
    req: IncomingMessage,
    res: ServerResponse,
  ) => void)[];
  server.removeAllListeners('request');
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    const verdict = req.headers[REPLAY_HEADER] === undefined ? hook(system, req, res) : 'pass';
    if (verdict === 'drop') req.socket.destroy();
    else if (verdict === 'pass') for (const handler of handlers) handler.call(server, req, res);
    else replayLater(server, req, res, verdict.delayMs);
  });
}

const REPLAY_HEADER = 'x-reliability-replay';

/**
 * A slow system: the request is taken in at once (body and all), carried out `delayMs` later
 * whether or not the client still waits, and answered if it does. A client that gave up in
 * between never learns that its request was carried out.
 */
let replaysInFlight = 0;
const replayWaiters: (() => void)[] = [];

/** Resolves when every held request has been carried out. */
export async function heldRequestsDone(): Promise<void> {
  if (replaysInFlight === 0) return;
  await new Promise<void>((resolve) => replayWaiters.push(resolve));
}

function replayDone(): void {
  replaysInFlight--;
  if (replaysInFlight === 0) for (const resolve of replayWaiters.splice(0)) resolve();
}

function replayLater(server: Server, req: IncomingMessage, res: ServerResponse, delayMs: number) {
  replaysInFlight++;
  const chunks: Buffer[] = [];
  req.on('data', (chunk: Buffer) => chunks.push(chunk));
  req.on('end', () => {
    setTimeout(() => {
      const address = server.address() as AddressInfo;
      const headers: Record<string, string> = { [REPLAY_HEADER]: '1' };
      for (const [name, value] of Object.entries(req.headers)) {
        if (typeof value === 'string' && !['host', 'content-length', 'connection'].includes(name))
          headers[name] = value;
      }
      const body = Buffer.concat(chunks);
      fetch(`http://127.0.0.1:${address.port}${req.url ?? '/'}`, {
        method: req.method ?? 'GET',
        headers,
        ...(body.length > 0 ? { body } : {}),
      })
        .then(async (answer) => {
          const text = Buffer.from(await answer.arrayBuffer());
          if (res.destroyed || res.writableEnded) return;
          res.writeHead(answer.status, Object.fromEntries(answer.headers));
          res.end(text);
        })
        .catch(() => res.destroy())
        .finally(replayDone);
    }, delayMs);
  });
}

export async function startMocks(
  options: { movableClock?: boolean; seed?: number; xentralExtensions?: boolean } = {},
): Promise<Mocks> {
  let offsetMs = 0;
  const now = () => new Date(Date.now() + offsetMs);
  const clock = options.movableClock ? now : undefined;
  const hubspot = await startHubSpotMock({
    host: '127.0.0.1',
    port: 0,
    ...(clock ? { clock } : {}),
    // The scenarios check what a run wrote right after it: search has to see it at once.
    settings: { searchIndexLagMs: 0 },
  });
  const xentral = await startXentralMock({
    host: '127.0.0.1',
    port: 0,
    token: MOCKS_XENTRAL_TOKEN,
    ...(clock ? { clock } : {}),
    // The employee extension routes (default on): most scenarios create HubSpot users as
    // employees; off, the mock is a stock Xentral.
    extensions: options.xentralExtensions ?? true,
  });
  hubspot.seed({
    portals: [{ hubId: MOCKS_HUB_ID, name: 'Reliability GmbH', domain: 'reliability.example' }],
    seed: options.seed ?? 1,
  });
  xentral.seed({
    persons: 0,
    companies: 0,
    employees: 0,
    projects: 2,
    draftOrders: 0,
    releasedOrders: 0,
  });

  const hooks = new Set<RequestHook>();
  const durations: { system: MockSystem; ms: number }[] = [];
  const measure: RequestHook = (system, req, res) => {
    if (isApiRequest(system, req)) {
      const started = performance.now();
      // 'close' comes after the answer, or when a client that gave up closed the connection.
      res.once('close', () => durations.push({ system, ms: performance.now() - started }));
    }
    return 'pass';
  };
  const run: RequestHook = (system, req, res) => {
    measure(system, req, res);
    for (const hook of hooks) {
      const verdict = hook(system, req, res);
      if (verdict !== 'pass') return verdict;
    }
    return 'pass';
  };
  interceptRequests(hubspot.server, 'hubspot', run);
  interceptRequests(xentral.server, 'xentral', run);

  return {
    hubspot,
    xentral,
    hubId: MOCKS_HUB_ID,
    xentralToken: MOCKS_XENTRAL_TOKEN,
    now,
    advance: (ms) => {
      if (!options.movableClock) throw new Error('these mocks run on the real clock');
      offsetMs += ms;
    },
    hook: (hook) => {
      hooks.add(hook);
      return () => hooks.delete(hook);
    },
    // A few ms of slack: a client that gives up at its timeout closes a hair before it.
    slowAnswers: (thresholdMs) => durations.filter((entry) => entry.ms >= thresholdMs - 5).length,
    state: () => worldState(hubspot.state(), xentral.store.dump(), MOCKS_HUB_ID),
    close: async () => {
      await Promise.all([hubspot.close(), xentral.close()]);
    },
  };
}
