import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { LIFECYCLE_STAGES } from '../mocks/hubspot/properties';
import { runInChild } from './child-process';
import type { ChildJob, ChildResult, CountsRow } from './engine-job';
import {
  changedWorkload,
  changeSet,
  dealsWorkload,
  exportWorkload,
  importWorkload,
  minimumRequests,
  syncWorkload,
  unchangedWorkload,
  worldSize,
  type Workload,
  type WorldSize,
} from './minimum';
import { utilisationOf, type ApiRequests, type ScenarioResult } from './report';
import type { BenchWorld, Connection, StatsSnapshot } from './world';

/**
 * The benchmark's scenarios (export, import, sync, unchanged, changed, deals) and how each is run:
 * which world it needs, what the engine is asked to do, and the workload its minimum is computed
 * from. Scenarios over one world run in order (sync → unchanged → changed), sharing the app's
 * SQLite file as consecutive runs of one app do.
 */

export type ScenarioName = 'export' | 'import' | 'sync' | 'unchanged' | 'changed' | 'deals';
export const SCENARIO_NAMES: readonly ScenarioName[] = [
  'export',
  'import',
  'sync',
  'unchanged',
  'changed',
  'deals',
];

type WorldKind = 'export' | 'import' | 'sync';
type EngineMode = 'export' | 'import' | 'sync' | 'deals';

export interface PrepareContext {
  world: BenchWorld;
  size: WorldSize;
  /** Runs the engine once, unmeasured (e.g. the deal sync that takes its baseline). */
  setupRun: (mode: EngineMode, extra?: { activatedAt?: string }) => Promise<void>;
}

export interface ScenarioDefinition {
  name: ScenarioName;
  /** The issue's scenario number. */
  number: number;
  title: string;
  world: WorldKind;
  /** What the engine is asked to run; undefined: the engine cannot do this yet. */
  mode?: EngineMode;
  /** Why it cannot run yet (shown instead of numbers, never faked). */
  unavailable?: string;
  /**
   * Changes the world before the run (after the previous scenario's run); what it returns is
   * added to the measured job.
   */
  prepare?: (ctx: PrepareContext) => Promise<{ activatedAt?: string } | undefined>;
  workload: (size: WorldSize, counts: readonly CountsRow[]) => Workload;
  records: (size: WorldSize) => { count: number; meaning: string };
}

/** Records the run edited per target, from its own items (one per record written). */
function editsOf(counts: readonly CountsRow[]) {
  const edited = (direction: string, type?: string) =>
    counts
      .filter((row) => row.direction === direction && (type === undefined || row.type === type))
      .reduce((sum, row) => sum + row.edited, 0);
  return {
    hubspot: {
      contact: edited('xentral_to_hubspot', 'contact'),
      company: edited('xentral_to_hubspot', 'company'),
    },
    xentral: edited('hubspot_to_xentral'),
  };
}

const bothSides = (size: WorldSize) => ({
  count: 2 * (size.contacts + size.companies),
  meaning: 'contacts + companies on both sides',
});

export const SCENARIOS: readonly ScenarioDefinition[] = [
  {
    name: 'export',
    number: 1,
    title: 'First export into an empty HubSpot',
    world: 'export',
    mode: 'export',
    workload: (size) => exportWorkload(size),
    records: (size) => ({
      count: size.contacts + size.companies,
      meaning: 'Xentral customers exported',
    }),
  },
  {
    name: 'import',
    number: 1,
    title: 'First import into an empty Xentral',
    world: 'import',
    mode: 'import',
    workload: (size) => importWorkload(size),
    records: (size) => ({
      count: size.contacts + size.companies,
      meaning: 'HubSpot contacts + companies imported',
    }),
  },
  {
    name: 'sync',
    number: 1,
    title: 'First sync, 30 % overlap by e-mail',
    world: 'sync',
    mode: 'sync',
    workload: (size, counts) => syncWorkload(size, editsOf(counts)),
    records: bothSides,
  },
  {
    name: 'unchanged',
    number: 2,
    title: 'The same sync again, nothing changed',
    world: 'sync',
    mode: 'sync',
    // The run right after the first sync reads back what that sync wrote: an edit made since,
    // in either system, to a record the app had just written must not go unseen. The world is
    // unchanged for the run after that one.
    prepare: async ({ world, setupRun }) => {
      await setupRun('sync');
      world.nextRun();
      return undefined;
    },
    workload: (size) => unchangedWorkload(size),
    records: bothSides,
  },
  {
    name: 'changed',
    number: 3,
    title: 'The same sync after 1 % changed on each side',
    world: 'sync',
    mode: 'sync',
    prepare: async ({ world, size }) => {
      await world.applyChanges(size, changeSet(size));
      return undefined;
    },
    workload: (size) => changedWorkload(size, changeSet(size)),
    records: bothSides,
  },
  {
    name: 'deals',
    number: 4,
    title: 'Deal sync of the orders released since it was switched on',
    world: 'sync',
    mode: 'deals',
    // Switched on after the syncs: the orders released before are set aside by a first deal
    // run, then as many drafts are released, and the measured run turns them into deals.
    prepare: async ({ world, size, setupRun }) => {
      const activatedAt = world.now();
      await setupRun('deals', { activatedAt });
      world.nextRun();
      await world.releaseDrafts(size.orders);
      return { activatedAt };
    },
    workload: (size) => dealsWorkload(size, size.orders),
    records: (size) => ({ count: size.orders, meaning: 'orders released into deals' }),
  },
];

export interface RunnerOptions {
  owners: number;
  employees: number;
  releasedOrders: number;
  cpuProfileDir?: string | undefined;
  log: (text: string) => void;
}

function cpuMs(usage: NodeJS.CpuUsage): number {
  return (usage.user + usage.system) / 1000;
}

function apiRequests(snapshot: StatsSnapshot): ApiRequests {
  return {
    total: snapshot.total,
    rateLimited: snapshot.rateLimited,
    endpoints: Object.fromEntries(
      Object.entries(snapshot.endpoints).map(([endpoint, stats]) => [endpoint, stats.count]),
    ),
  };
}

function created(counts: readonly CountsRow[], direction: string, type?: string): number {
  return counts
    .filter((row) => row.direction === direction && (type === undefined || row.type === type))
    .reduce((sum, row) => sum + row.created, 0);
}

/** Where the run's own counts disagree with what the seeded world demands. */
function checksFor(work: Workload, counts: readonly CountsRow[]): string[] {
  const checks: string[] = [];
  const compare = (what: string, expected: number, actual: number) => {
    if (expected !== actual)
      checks.push(`${what}: expected ${expected}, the run reports ${actual}`);
  };
  compare(
    'HubSpot contacts created',
    work.hubspotCreates.contact,
    created(counts, 'xentral_to_hubspot', 'contact'),
  );
  compare(
    'HubSpot companies created',
    work.hubspotCreates.company,
    created(counts, 'xentral_to_hubspot', 'company'),
  );
  compare('Xentral records created', work.xentralCreates, created(counts, 'hubspot_to_xentral'));
  if (work.deals !== undefined) {
    compare('HubSpot deals created', work.deals, created(counts, 'xentral_to_hubspot', 'deal'));
  }
  return checks;
}

export class BenchRunner {
  readonly results: ScenarioResult[] = [];

  constructor(
    private readonly world: BenchWorld,
    private readonly options: RunnerOptions,
  ) {}

  private size(contacts: number): WorldSize {
    return worldSize(
      contacts,
      this.options.owners,
      this.options.employees,
      this.options.releasedOrders,
    );
  }

  private async seed(kind: WorldKind, size: WorldSize): Promise<void> {
    if (kind === 'export') await this.world.seedForExport(size, size.orders);
    else if (kind === 'import') await this.world.seedForImport(size);
    else await this.world.seedForSync(size, size.orders, size.orders);
  }

  /** One job in a child process, with the mocks' stats and CPU time taken around it. */
  private async measure(
    job: (connection: Connection) => ChildJob,
    timeScale: number | null,
  ): Promise<{
    child: ChildResult;
    requests: { hubspot: ApiRequests; xentral: ApiRequests };
    mocksCpuMs: number;
  }> {
    this.world.nextRun();
    await this.world.setLimits(timeScale);
    await this.world.clearStats();
    const before = process.cpuUsage();
    try {
      const child = await runInChild(job(this.world.connection()), {
        cpuProfileDir: this.options.cpuProfileDir,
        onProgress: (text) => this.options.log(`  … ${text}`),
      });
      const mocksCpuMs = cpuMs(process.cpuUsage(before));
      const stats = await this.world.stats();
      return {
        child,
        requests: { hubspot: apiRequests(stats.hubspot), xentral: apiRequests(stats.xentral) },
        mocksCpuMs,
      };
    } finally {
      await this.world.setLimits(null);
    }
  }

  private record(result: ScenarioResult): ScenarioResult {
    this.results.push(result);
    const seconds = result.wallMs === undefined ? '' : ` in ${(result.wallMs / 1000).toFixed(1)} s`;
    this.options.log(
      `${result.key}: ${result.status}${seconds}${result.note ? ` (${result.note})` : ''}`,
    );
    return result;
  }

  /**
   * Runs the chosen scenarios at one size, limits off (timeScale null) or on. Scenarios that
   * need an earlier one (unchanged and changed need the first sync) run it unreported.
   */
  async runOurs(
    contacts: number,
    timeScale: number | null,
    chosen: ReadonlySet<ScenarioName>,
    prefix = '',
  ): Promise<void> {
    const size = this.size(contacts);
    const key = (name: string) => `${prefix}${name}@${contacts}`;
    for (const kind of ['export', 'import', 'sync'] as const) {
      const scenarios = SCENARIOS.filter((s) => s.world === kind && s.mode !== undefined);
      const last = Math.max(-1, ...scenarios.map((s, i) => (chosen.has(s.name) ? i : -1)));
      if (last < 0) continue;
      const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'xhs-bench-'));
      try {
        this.options.log(`${key(kind)}: seeding ${kind} world`);
        await this.seed(kind, size);
        const engineJob =
          (mode: EngineMode, extra: { activatedAt?: string } = {}) =>
          (connection: Connection): ChildJob => ({
            kind: 'engine',
            mode,
            dataDir,
            lifecycleStages: LIFECYCLE_STAGES.map((stage) => stage.value),
            timeScale,
            ...extra,
            ...connection,
          });
        for (const scenario of scenarios.slice(0, last + 1)) {
          const mode = scenario.mode as EngineMode;
          let extra: { activatedAt?: string } = {};
          if (scenario.prepare) {
            // The changes happen after the previous run, as the next run will see them.
            this.world.nextRun();
            extra =
              (await scenario.prepare({
                world: this.world,
                size,
                setupRun: async (setupMode, setupExtra) => {
                  this.options.log(`${key(scenario.name)}: ${setupMode} run to set up`);
                  await this.measure(engineJob(setupMode, setupExtra), timeScale);
                },
              })) ?? {};
          }
          const reported = chosen.has(scenario.name);
          this.options.log(
            `${key(scenario.name)}: running${reported ? '' : ' (setup, not reported)'}`,
          );
          const { child, requests, mocksCpuMs } = await this.measure(
            engineJob(mode, extra),
            timeScale,
          );
          if (!reported) continue;
          const work = scenario.workload(size, child.counts);
          const minimum = minimumRequests(work);
          const records = scenario.records(size);
          const failedRecords = child.counts.reduce((sum, row) => sum + row.failed, 0);
          this.record({
            key: key(scenario.name),
            number: timeScale === null ? scenario.number : 5,
            name: scenario.name,
            engine: 'ours',
            size: contacts,
            timeScale,
            status: child.status === 'succeeded' ? 'measured' : 'failed',
            ...(child.message ? { note: child.message } : {}),
            wallMs: child.wallMs,
            records: records.count,
            recordsMeaning: records.meaning,
            requests,
            minimum,
            runStatus: child.status,
            runMessage: child.message,
            failedRecords,
            appCpuMs: child.runCpuMs,
            appProcessCpuMs: child.processCpuMs,
            mocksCpuMs,
            peakRssMb: child.maxRssKb / 1024,
            peakHeapUsedMb: child.peakHeapUsedMb,
            diskWriteBytes: child.diskWriteBytes,
            loadAverage: os.loadavg()[0] ?? 0,
            ...(timeScale === null
              ? {}
              : { utilisation: utilisationOf(minimum, requests, child.wallMs, timeScale) }),
            counts: child.counts,
            checks: checksFor(work, child.counts),
            failures: child.failures,
          });
        }
      } finally {
        fs.rmSync(dataDir, { recursive: true, force: true });
      }
    }
  }

  /** Rows for scenarios the engine cannot run yet, with the minimum they will be held to. */
  listUnavailable(contacts: number, chosen: ReadonlySet<ScenarioName>): void {
    const size = this.size(contacts);
    for (const scenario of SCENARIOS.filter((s) => s.unavailable && chosen.has(s.name))) {
      this.record({
        key: `${scenario.name}@${contacts}`,
        number: scenario.number,
        name: scenario.name,
        engine: 'ours',
        size: contacts,
        timeScale: null,
        status: 'not available',
        note: scenario.unavailable as string,
        minimum: minimumRequests(scenario.workload(size, [])),
      });
    }
  }

  /** The per-record baseline for one job, and ours beside it when not measured already. */
  async runBaseline(
    direction: 'export' | 'import',
    contacts: number,
    timeScale: number | null,
  ): Promise<void> {
    const size = this.size(contacts);
    const limits = timeScale === null ? '' : 'limited:';
    const hasOurs = this.results.some(
      (r) =>
        r.engine === 'ours' &&
        r.status === 'measured' &&
        r.name === direction &&
        r.size === contacts &&
        r.timeScale === timeScale,
    );
    if (!hasOurs) await this.runOurs(contacts, timeScale, new Set([direction]), `${limits}`);
    const key = `baseline:${limits}${direction}@${contacts}`;
    this.options.log(`${key}: seeding ${direction} world`);
    await this.seed(direction, size);
    this.options.log(`${key}: running`);
    const { child, requests, mocksCpuMs } = await this.measure(
      (connection) => ({ kind: 'baseline', direction, concurrency: 4, timeScale, ...connection }),
      timeScale,
    );
    const work = direction === 'export' ? exportWorkload(size) : importWorkload(size);
    const minimum = minimumRequests(work);
    const records = SCENARIOS.find((s) => s.name === direction)?.records(size);
    this.record({
      key,
      number: 6,
      name: direction,
      engine: 'baseline',
      size: contacts,
      timeScale,
      status: child.status === 'succeeded' ? 'measured' : 'failed',
      ...(child.message ? { note: child.message } : {}),
      wallMs: child.wallMs,
      ...(records ? { records: records.count, recordsMeaning: records.meaning } : {}),
      requests,
      minimum,
      runStatus: child.status,
      runMessage: child.message,
      failedRecords: child.counts.reduce((sum, row) => sum + row.failed, 0),
      appCpuMs: child.runCpuMs,
      appProcessCpuMs: child.processCpuMs,
      mocksCpuMs,
      peakRssMb: child.maxRssKb / 1024,
      peakHeapUsedMb: child.peakHeapUsedMb,
      diskWriteBytes: child.diskWriteBytes,
      loadAverage: os.loadavg()[0] ?? 0,
      ...(timeScale === null
        ? {}
        : { utilisation: utilisationOf(minimum, requests, child.wallMs, timeScale) }),
      counts: child.counts,
    });
  }
}
