import fs from 'node:fs';
import path from 'node:path';
import { Client } from '@hubspot/api-client';
import { createHubSpotGates, HubSpotAdapter } from '../adapters/hubspot/adapter';
import { XentralAdapter } from '../adapters/xentral/adapter';
import { realClock } from '../adapters/rate-gate';
import { runDealSync } from '../engine/deals';
import { runExchange, type ProgressEvent } from '../engine/exchange';
import { openDatabase } from '../storage/db';
import { EngineStore } from '../storage/engine-store';
import { RunStore } from '../storage/run-store';
import { runBaseline } from './baseline';
import {
  ChildJob,
  type BaselineJob,
  type ChildMessage,
  type ChildResult,
  type EngineJob,
} from './engine-job';

/**
 * One benchmark run in its own process: `node --import tsx server/bench/engine-child.ts`,
 * forked by the bench with an IPC channel. It receives one job, wires the real adapters and
 * the SQLite store as the app does (or the per-record baseline), runs it, and reports wall
 * time, CPU time and peak RSS of this process back to the parent, which hosts the mocks.
 */

const PROGRESS_EVERY_MS = 10_000;

/** What a run reports; the process-wide figures are added when it is sent. */
type RunReport = Omit<ChildResult, 'processCpuMs' | 'maxRssKb' | 'peakHeapUsedMb'>;

/** `write_bytes` of /proc/self/io: what this process has sent to storage so far (Linux only). */
function storageWrites(): number | null {
  try {
    const match = /^write_bytes:\s*(\d+)$/m.exec(fs.readFileSync('/proc/self/io', 'utf8'));
    return match ? Number(match[1]) : null;
  } catch {
    return null;
  }
}

function send(message: ChildMessage): Promise<void> {
  return new Promise((resolve, reject) => {
    if (!process.send) {
      reject(new Error('engine-child must be forked with an IPC channel'));
      return;
    }
    process.send(message, undefined, {}, (error) => (error ? reject(error) : resolve()));
  });
}

function cpuMs(usage: NodeJS.CpuUsage): number {
  return (usage.user + usage.system) / 1000;
}

/** The same pacing as the app's: a little under each limit, windows shortened by the scale. */
function xentralPacing(timeScale: number | null): { requestsPerWindow: number; windowMs: number } {
  return timeScale === null
    ? { requestsPerWindow: Number.POSITIVE_INFINITY, windowMs: 1 }
    : { requestsPerWindow: 98, windowMs: 60_000 / timeScale + 50 };
}

async function runEngine(job: EngineJob): Promise<RunReport> {
  const timeScale = job.timeScale ?? Number.POSITIVE_INFINITY;
  const hubspot = new HubSpotAdapter({
    client: new Client({ accessToken: job.hubspotToken, basePath: job.hubspotUrl }),
    portalId: String(job.hubId),
    gates: createHubSpotGates(realClock, timeScale),
  });
  const xentral = new XentralAdapter({
    baseUrl: job.xentralUrl,
    token: job.xentralToken,
    ...xentralPacing(job.timeScale),
  });
  const db = openDatabase(path.join(job.dataDir, 'app.sqlite'));
  const store = new EngineStore(db, String(job.hubId));
  const runs = new RunStore(db);
  const now = () => new Date(Date.now() + job.clockOffsetMs);

  let lastProgress = Date.now();
  const onProgress = (event: ProgressEvent) => {
    if (Date.now() - lastProgress < PROGRESS_EVERY_MS) return;
    lastProgress = Date.now();
    void send({
      type: 'progress',
      text: `${job.mode}: ${event.phase} ${event.type}s, ${event.done} done`,
    });
  };

  const settings = {
    mode: job.mode === 'deals' ? ('sync' as const) : job.mode,
    lifecycleStages: job.lifecycleStages,
    projectId: null,
    defaultSalutation: 'mr' as const,
    defaultCountry: 'DE',
  };
  const deps = {
    store,
    runLog: runs,
    hubspot,
    xentral,
    now,
    // Both mocks index at once (no search lag): the run may read up to the present second.
    options: { hubspotLagMs: 0, xentralLagMs: 0 },
    onProgress,
  };

  const writesBefore = storageWrites();
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  const result =
    job.mode === 'deals'
      ? await runDealSync(
          { trigger: 'manual', settings, activatedAt: job.activatedAt ?? now().toISOString() },
          deps,
        )
      : await runExchange({ mode: job.mode, trigger: 'manual', settings }, deps);
  const wallMs = performance.now() - started;
  const runCpuMs = cpuMs(process.cpuUsage(cpuBefore));
  const counts = runs.counts(result.runId).rows;
  const failures = failedItems(runs, result.runId);
  db.close();
  const writesAfter = storageWrites();
  const diskWriteBytes =
    writesBefore === null || writesAfter === null ? null : writesAfter - writesBefore;
  return {
    status: result.status,
    message: result.message,
    wallMs,
    runCpuMs,
    diskWriteBytes,
    counts,
    failures,
  };
}

const FAILURES_SHOWN = 20;

/** The run's failed records (the first few), read after the measured run. */
function failedItems(runs: RunStore, runId: number): ChildResult['failures'] {
  const failures: ChildResult['failures'] = [];
  for (let after = 0; failures.length < FAILURES_SHOWN;) {
    const page = runs.items(runId, 1000, after);
    if (page.length === 0) break;
    after = page[page.length - 1]!.id;
    for (const item of page) {
      if (item.action === 'failed' && failures.length < FAILURES_SHOWN) {
        failures.push({ type: item.type, label: item.label, reason: item.reason ?? '' });
      }
    }
  }
  return failures;
}

async function runBaselineJob(job: BaselineJob): Promise<RunReport> {
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  const outcome = await runBaseline(job, (text) => void send({ type: 'progress', text }));
  return {
    status: outcome.failed > 0 && outcome.created + outcome.edited === 0 ? 'failed' : 'succeeded',
    message: outcome.message,
    wallMs: performance.now() - started,
    runCpuMs: cpuMs(process.cpuUsage(cpuBefore)),
    diskWriteBytes: null,
    counts: [
      {
        type: 'contact+company',
        direction: job.direction === 'export' ? 'xentral_to_hubspot' : 'hubspot_to_xentral',
        created: outcome.created,
        edited: outcome.edited,
        conflicts: 0,
        skipped: outcome.skipped,
        failed: outcome.failed,
        linked: 0,
      },
    ],
    failures: [],
  };
}

let peakHeapUsed = 0;
const sampleHeap = () => {
  peakHeapUsed = Math.max(peakHeapUsed, process.memoryUsage().heapUsed);
};
setInterval(sampleHeap, 250).unref();

process.once('message', (raw: unknown) => {
  void (async () => {
    try {
      const job = ChildJob.parse(raw);
      const run = job.kind === 'engine' ? await runEngine(job) : await runBaselineJob(job);
      await send({
        type: 'result',
        result: {
          ...run,
          processCpuMs: cpuMs(process.cpuUsage()),
          maxRssKb: process.resourceUsage().maxRSS,
          peakHeapUsedMb: (sampleHeap(), peakHeapUsed / 1024 / 1024),
        },
      });
    } catch (error) {
      await send({
        type: 'error',
        message: error instanceof Error ? (error.stack ?? error.message) : String(error),
      });
    } finally {
      // Idle keep-alive sockets must not hold the process (and the bench) open.
      process.exit(0);
    }
  })();
});
