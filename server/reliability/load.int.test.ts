import Database from 'better-sqlite3';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HubSpotMockState } from '../mocks/hubspot';
import type { XentralState } from '../mocks/xentral';
import { API_TOKEN } from '../testing/app-env';
import { AppChild, MocksChild } from './child';
import { FULL } from './environment';
import { baselineOf, checkInvariants, worldState } from './invariants';

/**
 * Load: 20 clients polling the API and 50 server-sent-event subscribers while one run exports
 * RECORDS Xentral customers to HubSpot. Asserted: no errors, every poll answered, every subscriber
 * saw the run start, progress and finish, and the run's work is complete. Measured, not asserted (a
 * shared machine is noisy; the speed target is in the README): the run's duration against the same
 * run with nobody watching. App and mocks each run in a process of their own; the clients are this
 * one.
 */

const RECORDS = FULL ? 100_000 : 2_000;
const POLLERS = 20;
const SUBSCRIBERS = 50;
const HUB_ID = 3_300_001;
/** Each client asks again this soon after an answer: several times what the UI's tabs do. */
const POLL_INTERVAL_MS = 250;
/** A run of the whole world may take minutes on a loaded machine; the test's own timeout rules. */
const LONG_RUN = { timeoutMs: 60 * 60_000, pollMs: 200 };

let mocks: MocksChild;
/** Every app started, so that a failing test leaves no process behind. */
const apps: AppChild[] = [];
beforeAll(async () => {
  mocks = await MocksChild.start();
}, 60_000);
afterAll(async () => {
  await Promise.all(apps.map((app) => app.dispose()));
  await mocks?.stop();
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The same world for every measured run: one portal, RECORDS person customers in Xentral. */
async function seedWorld(): Promise<void> {
  await mocks.control('hubspot', '/reset', {});
  await mocks.control('xentral', '/reset', {});
  await mocks.control('hubspot', '/seed', {
    portals: [{ hubId: HUB_ID, name: 'Load GmbH', domain: 'load.example' }],
  });
  await mocks.control('xentral', '/seed', {
    persons: RECORDS,
    companies: 0,
    employees: 0,
    projects: 1,
    draftOrders: 0,
    releasedOrders: 0,
    withoutEmailEvery: 0,
    duplicateEmailEvery: 0,
  });
  // Xentral keeps whole seconds: what was seeded this second is read from the next one on.
  await sleep(1_100);
}

async function readyApp(): Promise<AppChild> {
  const app = await AppChild.create({ systems: mocks.systems, env: { LOG_LEVEL: 'warn' } });
  apps.push(app);
  await app.start();
  await app.connect();
  const saved = await app.api('PUT', '/api/settings', {
    mode: 'export',
    automatic: false,
    intervalMinutes: 60,
    lifecycleStages: [],
    projectId: null,
    dealSync: false,
    defaultSalutation: 'mr',
    defaultCountry: 'DE',
  });
  expect(saved.status).toBe(200);
  return app;
}

interface Subscriber {
  events: { name: string; runId: number | undefined }[];
  errors: string[];
  done: Promise<void>;
  close(): void;
}

/** One open tab: GET /api/events, read until the run with `runId()` finished. */
function subscribe(app: AppChild, runId: () => number | undefined): Subscriber {
  const controller = new AbortController();
  const subscriber: Subscriber = {
    events: [],
    errors: [],
    done: Promise.resolve(),
    close: () => controller.abort(),
  };
  subscriber.done = (async () => {
    const response = await fetch(`${app.url}/api/events`, {
      headers: { authorization: `Bearer ${API_TOKEN}` },
      signal: controller.signal,
    });
    if (response.status !== 200) subscriber.errors.push(`status ${response.status}`);
    const reader = response.body!.getReader();
    const decoder = new TextDecoder();
    let buffer = '';
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      buffer += decoder.decode(value, { stream: true });
      let end: number;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const name = /^event: (.+)$/m.exec(block)?.[1];
        const data = /^data: (.+)$/m.exec(block)?.[1];
        if (!name || !data) continue;
        const parsed = JSON.parse(data) as { runId?: number };
        subscriber.events.push({ name, runId: parsed.runId });
        if (name === 'run.finished' && parsed.runId === runId()) {
          controller.abort();
          return;
        }
      }
    }
  })().catch((error: unknown) => {
    if (!controller.signal.aborted) subscriber.errors.push(String(error));
  });
  return subscriber;
}

interface Poller {
  answers: number;
  errors: string[];
  stop(): Promise<void>;
}

/** One client asking for the overview, the run and the rest, over and over. */
function poll(app: AppChild, runId: () => number | undefined, index: number): Poller {
  const poller: Poller = { answers: 0, errors: [], stop: () => Promise.resolve() };
  let running = true;
  const routes = () => [
    '/api/runs?limit=20',
    // the run's detail once it exists, the list before
    runId() === undefined ? '/api/runs?limit=5' : `/api/runs/${runId()}?limit=200`,
    '/api/conflicts?status=open',
    '/api/process-starter',
    '/api/connection',
    '/api/settings',
  ];
  const loop = (async () => {
    for (let i = index; running; i++) {
      const route = routes()[i % 6]!;
      try {
        const answer = await app.api('GET', route);
        poller.answers++;
        if (answer.status !== 200) poller.errors.push(`${route}: ${answer.status}`);
      } catch (error) {
        poller.errors.push(`${route}: ${String(error)}`);
      }
      await sleep(POLL_INTERVAL_MS);
    }
  })();
  poller.stop = async () => {
    running = false;
    await loop;
  };
  return poller;
}

describe(`load: ${POLLERS} polling clients and ${SUBSCRIBERS} event subscribers`, () => {
  it(
    `during a ${RECORDS.toLocaleString('en')}-record run: no errors, every client served`,
    async () => {
      // The run nobody watches.
      await seedWorld();
      const quiet = await readyApp();
      const quietRun = await quiet.api<{ id: number }>('POST', '/api/runs', { kind: 'export' });
      const alone = await quiet.finishedRun(quietRun.body.id, LONG_RUN);
      expect(alone.status).toBe('succeeded');
      expect(alone.totals.created).toBe(RECORDS);
      await quiet.dispose();

      // The same run, watched.
      await seedWorld();
      const baseline = baselineOf(
        worldState(
          await mocks.control<HubSpotMockState>('hubspot', '/state'),
          await mocks.control<XentralState>('xentral', '/state'),
          HUB_ID,
        ),
      );
      const app = await readyApp();
      const current: { runId?: number } = {};
      const runId = () => current.runId;
      const subscribers = Array.from({ length: SUBSCRIBERS }, () => subscribe(app, runId));
      const pollers = Array.from({ length: POLLERS }, (_, i) => poll(app, runId, i));
      await sleep(300);
      const started = await app.api<{ id: number }>('POST', '/api/runs', { kind: 'export' });
      expect(started.status).toBe(202);
      current.runId = started.body.id;
      const watched = await app.finishedRun(started.body.id, LONG_RUN);
      await Promise.all(subscribers.map((s) => s.done));
      await Promise.all(pollers.map((p) => p.stop()));

      expect(watched.status).toBe('succeeded');
      expect(watched.totals.created).toBe(RECORDS);
      expect(pollers.flatMap((p) => p.errors)).toEqual([]);
      expect(subscribers.flatMap((s) => s.errors)).toEqual([]);
      for (const subscriber of subscribers) {
        const names = subscriber.events
          .filter((e) => e.runId === started.body.id)
          .map((e) => e.name);
        expect(names[0]).toBe('run.started');
        expect(names).toContain('run.progress');
        expect(names.at(-1)).toBe('run.finished');
      }

      const answers = pollers.reduce((sum, p) => sum + p.answers, 0);
      const events = subscribers.reduce((sum, s) => sum + s.events.length, 0);
      const ratio = (watched.durationMs ?? 0) / Math.max(1, alone.durationMs ?? 1);
      console.log(
        `[reliability] load: ${RECORDS} records exported; unwatched ${alone.durationMs} ms, ` +
          `watched by ${POLLERS} pollers every ${POLL_INTERVAL_MS} ms (${answers} answers, 0 errors) and ${SUBSCRIBERS} ` +
          `subscribers (${events} events) ${watched.durationMs} ms: ${(Math.abs(ratio - 1) * 100).toFixed(1)} % ` +
          `${ratio >= 1 ? 'slower' : 'faster'} (target: within 10 %, measured, not asserted)`,
      );

      await app.stop();
      const state = worldState(
        await mocks.control<HubSpotMockState>('hubspot', '/state'),
        await mocks.control<XentralState>('xentral', '/state'),
        HUB_ID,
      );
      const db = new Database(path.join(app.dataDir, 'app.sqlite'), { readonly: true });
      try {
        const report = checkInvariants(db, String(HUB_ID), state, baseline, {
          exported: true,
          imported: false,
          lifecycleStages: [],
          deals: false,
          allLinked: true,
          settled: true,
        });
        expect(report.problems).toEqual([]);
        expect(report.figures.links.contact).toBe(RECORDS);
      } finally {
        db.close();
        await app.dispose();
      }
    },
    FULL ? 3_600_000 : 180_000,
  );
});
