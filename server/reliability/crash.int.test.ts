import Database from 'better-sqlite3';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { RunDetailResponse, RunKind } from '../../shared/api/runs';
import { SeededRandom } from '../mocks/common/random';
import { AppChild, systemsOf } from './child';
import { FULL, SEED } from './environment';
import {
  baselineOf,
  checkInvariants,
  extendBaseline,
  writeRequests,
  type Baseline,
} from './invariants';
import { isWriteRequest, startMocks, type Mocks } from './mocks';
import { addEmployeesForOwners, addScenario } from './scenario';
import { ALL_STAGES } from './world';

/**
 * Crashes: the real server as a child process, killed with SIGKILL at seeded random moments of
 * import, export, sync and deal runs — while a write is on its way, right after a system carried
 * one out but before its answer arrived, or after a random time — then started again. The next runs
 * finish the work; nothing is lost or made twice; the run log matches what changed in the systems;
 * the killed runs show as interrupted, not as running forever. The mocks live in this process, so
 * their state survives every kill.
 */

const KILLS = FULL ? 60 : 20;
const STOCK_KILLS = FULL ? 20 : 8;
const CYCLE_SIZE = FULL
  ? { persons: 60, companies: 12, owners: 1, orders: 10 }
  : { persons: 24, companies: 6, owners: 1, orders: 6 };
const KINDS: RunKind[] = ['import', 'export', 'sync', 'deals'];
const seed = SEED ?? 20_260_509;

type KillMode = 'write-before' | 'write-after' | 'timer';
interface KillPoint {
  cycle: number;
  kind: RunKind;
  mode: KillMode;
  /** The write request (counted from the run's start) at which the app dies, or the delay. */
  at: number;
  runId: number;
  outcome: 'interrupted' | 'finished first';
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * One crash campaign: `kills` runs killed mid-run, then the runs that finish the work. On a
 * stock Xentral (no employee extension routes) the owners' employees are made by hand, as
 * there, and users are linked by name.
 */
async function campaign(kills: number, xentralExtensions: boolean): Promise<void> {
  const mocks: Mocks = await startMocks({ xentralExtensions });
  const app = await AppChild.create({ systems: systemsOf(mocks) });
  try {
    const random = new SeededRandom(seed);
    const baseline: Baseline = baselineOf(mocks.state());
    let lastAdded = 0;
    /** The test's own records, added like users add them, remembered as not the app's. */
    const addWork = (kind: RunKind, cycle: number) => {
      const before = mocks.state();
      const offset = (cycle + 1) * 1_000;
      if (kind === 'import') {
        addScenario(mocks, { ...CYCLE_SIZE, orders: 0 }, offset, {
          hubspot: true,
          xentral: false,
        });
        if (!xentralExtensions) addEmployeesForOwners(mocks);
      } else if (kind === 'export') {
        addScenario(mocks, { ...CYCLE_SIZE, owners: 0, orders: 0 }, offset, {
          xentral: true,
          hubspot: false,
        });
      } else if (kind === 'sync') {
        addScenario(mocks, { ...CYCLE_SIZE, orders: 0 }, offset);
        if (!xentralExtensions) addEmployeesForOwners(mocks);
      } else {
        // New customers with released orders: the deal run creates the buyers in HubSpot.
        addScenario(
          mocks,
          { persons: CYCLE_SIZE.orders, companies: 2, owners: 0, orders: CYCLE_SIZE.orders },
          offset,
          { xentral: true, hubspot: false },
        );
      }
      extendBaseline(baseline, before, mocks.state());
      lastAdded = Date.now();
    };
    /** Xentral keeps whole seconds: what was added this second is read by the next one. */
    const tick = async () => {
      const wait = 1_050 - (Date.now() - lastAdded);
      if (wait > 0) await sleep(wait);
    };

    await app.start();
    await app.connect();
    const settings = await app.api('PUT', '/api/settings', {
      mode: 'sync',
      automatic: false,
      intervalMinutes: 60,
      lifecycleStages: ALL_STAGES,
      projectId: null,
      dealSync: true,
      defaultSalutation: 'mr',
      defaultCountry: 'DE',
    });
    expect(settings.status).toBe(200);

    const points: KillPoint[] = [];
    let writes = 0;
    let armed: { mode: KillMode; at: number } | undefined;
    mocks.hook((system, req) => {
      if (!armed || armed.mode === 'timer' || !isWriteRequest(system, req)) return 'pass';
      if (++writes < armed.at) return 'pass';
      const { mode } = armed;
      armed = undefined;
      // The worst moments: the request is on its way (and is dropped), or the system has it
      // and carries it out while its answer goes to a dead process.
      app.kill();
      return mode === 'write-before' ? 'drop' : 'pass';
    });

    let interrupted = 0;
    for (let cycle = 0; interrupted < kills && cycle < kills * 3; cycle++) {
      const kind = KINDS[cycle % KINDS.length]!;
      if (!app.running) await app.start();
      addWork(kind, cycle);
      await tick();
      const draw = random.next();
      const mode: KillMode = draw < 0.45 ? 'write-after' : draw < 0.7 ? 'write-before' : 'timer';
      const maxWrites = kind === 'import' || kind === 'sync' ? CYCLE_SIZE.persons : 3;
      const at = mode === 'timer' ? random.int(0, 600) : random.int(1, maxWrites);
      writes = 0;
      armed = { mode, at };
      const started = await app.api<{ id: number }>('POST', '/api/runs', { kind });
      expect(started.status, app.tail()).toBe(202);
      const runId = started.body.id;
      if (mode === 'timer') {
        await sleep(at);
        app.kill();
      } else {
        // Until the armed write kills the app, or the run ends without reaching it.
        while (app.running && armed) {
          const status = await app
            .api<RunDetailResponse>('GET', `/api/runs/${runId}?limit=1`)
            .then((answer) => answer.body.run.status)
            .catch(() => 'gone');
          if (status !== 'running') break;
          await sleep(10);
        }
      }
      armed = undefined;
      await app.killed();
      await app.start();
      const run = await app.finishedRun(runId);
      const outcome = run.status === 'interrupted' ? 'interrupted' : 'finished first';
      if (outcome === 'interrupted') {
        interrupted++;
        expect(run.message).toMatch(/stopped while this run was active/);
        expect(run.finishedAt).not.toBeNull();
      } else {
        expect(run.status).toBe('succeeded');
      }
      points.push({ cycle, kind, mode, at, runId, outcome });
    }
    expect(interrupted).toBe(kills);

    // Nothing shows as running forever.
    const listed = await app.api<{ runs: { status: string }[] }>('GET', '/api/runs?limit=100');
    expect(listed.body.runs.filter((r) => r.status === 'running')).toEqual([]);

    // The next runs complete the work …
    await tick();
    for (const kind of ['sync', 'deals'] as const) {
      let last: RunDetailResponse['run'] | undefined;
      for (let attempt = 0; attempt < 4; attempt++) {
        const started = await app.api<{ id: number }>('POST', '/api/runs', { kind });
        last = await app.finishedRun(started.body.id);
        if (last.status === 'succeeded' && last.totals.failed === 0) break;
      }
      expect(last?.status).toBe('succeeded');
      expect(last?.totals.failed).toBe(0);
    }
    // … and after them there is nothing left to do.
    mocks.hubspot.stats.reset();
    mocks.xentral.stats.reset();
    for (const kind of ['sync', 'deals'] as const) {
      const started = await app.api<{ id: number }>('POST', '/api/runs', { kind });
      const run = await app.finishedRun(started.body.id);
      expect(run.totals).toMatchObject({ created: 0, edited: 0, failed: 0 });
    }
    expect(writeRequests(mocks.hubspot.stats.snapshot())).toBe(0);
    expect(writeRequests(mocks.xentral.stats.snapshot())).toBe(0);
    await app.stop();

    const db = new Database(path.join(app.dataDir, 'app.sqlite'), { readonly: true });
    try {
      const report = checkInvariants(db, String(mocks.hubId), mocks.state(), baseline, {
        exported: true,
        imported: true,
        lifecycleStages: ALL_STAGES,
        deals: true,
        allLinked: true,
        settled: true,
      });
      const byMode = (mode: KillMode) =>
        points.filter((p) => p.mode === mode && p.outcome === 'interrupted').length;
      const byKind = (kind: RunKind) =>
        points.filter((p) => p.kind === kind && p.outcome === 'interrupted').length;
      console.log(
        `[reliability] crashes (${xentralExtensions ? 'extension routes' : 'stock Xentral'}, seed ${seed}): ${interrupted} runs killed mid-run ` +
          `(import ${byKind('import')}, export ${byKind('export')}, sync ${byKind('sync')}, deals ${byKind('deals')}; ` +
          `before a write ${byMode('write-before')}, after a write ${byMode('write-after')}, at a random time ${byMode('timer')}), ` +
          `${points.length - interrupted} kills after the run had finished, ${app.starts} starts; ` +
          `links ${JSON.stringify(report.figures.links)}, lost ${report.figures.lost}, duplicated ${report.figures.duplicated}`,
      );
      expect(report.problems).toEqual([]);
      expect(report.figures.interruptedRuns).toBe(interrupted);
    } finally {
      db.close();
    }
  } finally {
    await app.dispose();
    await mocks.close();
  }
}

describe('SIGKILL at random moments of runs', () => {
  it(
    `${KILLS} kills, restarts, and the next runs finish the work (seed ${seed})`,
    () => campaign(KILLS, true),
    FULL ? 1_800_000 : 240_000,
  );
  it(
    `on a stock Xentral: ${STOCK_KILLS} kills, users linked by name, nothing lost (seed ${seed})`,
    () => campaign(STOCK_KILLS, false),
    FULL ? 900_000 : 180_000,
  );
});
