import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describeMinimum } from './minimum';
import { parseOptions, USAGE, type BenchOptions } from './options';
import {
  baselineComparison,
  comparisonTable,
  judgeTargets,
  rateLimitedTotal,
  resultsTable,
  targetsText,
  type ScenarioResult,
} from './report';
import { measureRecordList, recordListTable, type RecordListResult } from './record-list';
import { BenchRunner, SCENARIO_NAMES, type ScenarioName } from './scenarios';
import { BenchWorld } from './world';

/**
 * `npm run bench`: both mocks on loopback in this process, the app's engine in a child process per
 * run, every scenario (see scenarios.ts), one table on stdout and a JSON summary (printed and
 * written to --out). Progress goes to stderr.
 */

function log(text: string): void {
  process.stderr.write(`[${new Date().toISOString().slice(11, 19)}] ${text}\n`);
}

/** The code measured: the commit and the app files changed on top of it, if any. */
function codeVersion(): { commit: string; uncommitted: string[] } {
  try {
    const git = (args: string[]) => execFileSync('git', args, { encoding: 'utf8' }).trim();
    return {
      commit: git(['rev-parse', '--short', 'HEAD']),
      uncommitted: git([
        'status',
        '--porcelain',
        '--',
        'server/engine',
        'server/adapters',
        'server/storage',
      ])
        .split('\n')
        .filter((line) => line !== ''),
    };
  } catch {
    return { commit: 'unknown', uncommitted: [] };
  }
}

function machine() {
  const cpus = os.cpus();
  return {
    cpus: cpus.length,
    cpuModel: cpus[0]?.model ?? 'unknown',
    memoryMb: Math.round(os.totalmem() / 1024 / 1024),
    node: process.version,
    platform: `${os.platform()} ${os.release()}`,
  };
}

function endpointsText(results: readonly ScenarioResult[]): string {
  return results
    .filter((r) => r.requests)
    .map((r) => {
      const list = (endpoints: Record<string, number>) =>
        Object.entries(endpoints)
          .map(([endpoint, count]) => `${endpoint} ${count.toLocaleString('en-US')}`)
          .join(', ') || '—';
      const name = `${r.engine === 'baseline' ? 'baseline:' : ''}${r.key.replace(/^baseline:/, '')}`;
      return `${name}\n  HubSpot: ${list(r.requests!.hubspot.endpoints)}\n  Xentral: ${list(r.requests!.xentral.endpoints)}`;
    })
    .join('\n');
}

function absorptionText(results: readonly ScenarioResult[]): string {
  return results
    .filter((r) => r.timeScale !== null && r.status !== 'not available')
    .map((r) => {
      const hubspot = r.requests?.hubspot.rateLimited ?? 0;
      const xentral = r.requests?.xentral.rateLimited ?? 0;
      const how =
        rateLimitedTotal(r) === 0
          ? 'none received: the client-side gates kept under both limits'
          : `waited out and resent by the ${r.engine === 'ours' ? "adapters' retry policy" : "baseline's retry loop"}`;
      return `${r.key}: HubSpot ${hubspot}, Xentral ${xentral} — ${how}; run ${r.runStatus ?? r.status}, ${r.failedRecords ?? 0} failed records`;
    })
    .join('\n');
}

function minimumText(results: readonly ScenarioResult[]): string {
  return results
    .filter((r) => r.minimum)
    .map((r) => `${r.key}\n  ${describeMinimum(r.minimum!).join('\n  ')}`)
    .join('\n');
}

async function run(options: BenchOptions): Promise<void> {
  const started = Date.now();
  const world = await BenchWorld.start(options.seed);
  const runner = new BenchRunner(world, {
    owners: options.owners,
    employees: options.employees,
    releasedOrders: options.releasedOrders,
    cpuProfileDir: options.cpuProfileDir,
    log,
  });
  const ours = new Set<ScenarioName>(SCENARIO_NAMES.filter((name) => options.scenarios.has(name)));
  try {
    for (const size of options.sizes) {
      await runner.runOurs(size, null, ours);
      runner.listUnavailable(size, ours);
    }
    if (options.scenarios.has('limited')) {
      await runner.runOurs(
        options.limitedSize,
        options.timeScale,
        new Set<ScenarioName>(['export', 'import', 'sync', 'unchanged', 'changed']),
        'limited:',
      );
    }
    if (options.scenarios.has('baseline')) {
      await runner.runBaseline('export', options.baselineSize, null);
      await runner.runBaseline('import', options.baselineSize, null);
      await runner.runBaseline('export', options.baselineLimitedSize, options.timeScale);
    }
  } finally {
    await world.close();
  }
  const recordLists: RecordListResult[] = [];
  if (options.scenarios.has('records')) {
    for (const size of options.sizes) {
      log(`record pages of a run with ${size} records`);
      recordLists.push(await measureRecordList(size));
    }
  }

  const results = runner.results;
  const sizes = [...options.sizes].sort((a, b) => a - b);
  const targets = judgeTargets({
    results,
    smallSize: sizes[0] ?? options.limitedSize,
    largeSize: sizes[sizes.length - 1] ?? options.limitedSize,
  });
  const comparisons = baselineComparison(results);
  const durationMs = Date.now() - started;
  const summary = {
    benchmark: 'HubSpot app for Xentral',
    generatedAt: new Date().toISOString(),
    machine: machine(),
    code: codeVersion(),
    durationMs,
    options: { ...options, scenarios: [...options.scenarios] },
    notes: [
      'Wall time, CPU and RSS are of the app process (one child per run); the mocks run in the bench process.',
      `Limits on: both mocks enforce the vendors' limits with windows shortened ${options.timeScale}×; the adapters pace with the same factor.`,
      'Between runs the shared clock moves one hour on, as the process starter would run the next exchange later.',
      'Minimum = the fewest requests the APIs allow for the job (see minimum formulas); ratio = actual ÷ minimum.',
    ],
    results,
    comparisons: comparisons.map((c) => ({
      job: c.name,
      size: c.size,
      timeScale: c.timeScale,
      hubspot: {
        ours: c.ours.requests?.hubspot.total,
        baseline: c.baseline.requests?.hubspot.total,
      },
      xentral: {
        ours: c.ours.requests?.xentral.total,
        baseline: c.baseline.requests?.xentral.total,
      },
      wallMs: { ours: c.ours.wallMs, baseline: c.baseline.wallMs },
      hubspotFactor: c.hubspotFactor,
      xentralFactor: c.xentralFactor,
      timeFactor: c.timeFactor,
    })),
    targets,
    recordLists,
  };
  fs.mkdirSync(path.dirname(path.resolve(options.out)), { recursive: true });
  fs.writeFileSync(options.out, `${JSON.stringify(summary, null, 2)}\n`);

  const m = summary.machine;
  const out = [
    `HubSpot app for Xentral — benchmark of ${summary.generatedAt.slice(0, 10)} on ${m.cpus} × ${m.cpuModel}, ${m.memoryMb} MB, Node ${m.node}; took ${(durationMs / 60_000).toFixed(1)} min`,
    '',
    resultsTable(results),
    '',
    `# 1 first export / import / sync (30 % overlap) · 2 unchanged sync · 3 sync after 1 % changed on each side · 4 deals · 5 = 1 and 3 with rate limits on, ${options.timeScale}× time-compressed · 6 per-record baseline`,
    'HubSpot / Xentral / minimum: requests (minimum = what the APIs allow); ratio = actual ÷ minimum; app CPU s and RSS MB: the engine process; util.: achieved ÷ allowed request rate of the limit that bounds the job ("short": fewer than 10 windows, the initial allowance dominates).',
    '',
  ];
  if (comparisons.length > 0) {
    out.push('Per-record baseline beside ours', '', comparisonTable(comparisons), '');
  }
  out.push('Targets', '', targetsText(targets), '');
  if (recordLists.length > 0) {
    out.push(
      "Record pages (the Overview's records of one run, over HTTP; target ≤ 200 ms a page)",
      '',
      recordListTable(recordLists),
      '',
    );
  }
  const absorbed = absorptionText(results);
  if (absorbed) out.push('429s and how they were absorbed', '', absorbed, '');
  out.push('Minimum requests', '', minimumText(results), '');
  out.push('Requests by endpoint', '', endpointsText(results), '');
  const failures = results.flatMap((r) =>
    (r.failures ?? []).map((f) => `${r.key}: ${f.type} "${f.label}" — ${f.reason}`),
  );
  if (failures.length > 0) out.push('Failed records (the first of each run)', '', ...failures, '');
  const checks = results.flatMap((r) => (r.checks ?? []).map((check) => `${r.key}: ${check}`));
  if (checks.length > 0)
    out.push('Checks (the run disagrees with the seeded world)', '', ...checks, '');
  out.push(`JSON summary (also written to ${options.out})`, '', JSON.stringify(summary, null, 2));
  process.stdout.write(`${out.join('\n')}\n`);
}

let options: BenchOptions;
try {
  options = parseOptions(process.argv.slice(2));
} catch (error) {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n\n${USAGE}\n`);
  process.exit(2);
}
if (options.help) {
  process.stdout.write(`${USAGE}\n`);
} else {
  await run(options);
}
