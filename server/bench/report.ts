import type { CountsRow } from './engine-job';
import type { Minimum } from './minimum';

/**
 * The pure half of the benchmark: results as data, the bottleneck and its utilisation, the
 * benchmark's targets (requests against the APIs' minimum, the cost of an unchanged sync, use of
 * the rate budget, linear growth, memory, gain over a per-record baseline; see `judgeTargets`)
 * judged as met or not, and the plain-text table.
 */

// ---- results -----------------------------------------------------------------------------------

export interface ApiRequests {
  total: number;
  /** Answers 429 (Too Many Requests) the mock sent. */
  rateLimited: number;
  /** "METHOD /path" → requests. */
  endpoints: Record<string, number>;
}

export type LimitName = 'hubspot' | 'hubspotSearch' | 'xentral';

export interface Utilisation {
  /** The limit that bounds the job: the one whose minimum requests need the longest time. */
  bottleneck: LimitName;
  /** Requests the run sent against that limit. */
  requests: number;
  achievedPerSecond: number;
  allowedPerSecond: number;
  /** achieved ÷ allowed request rate. */
  utilisation: number;
  /** How many of the limit's (compressed) windows the run lasted. */
  windows: number;
}

export interface ScenarioResult {
  /** Unique in a run, e.g. "sync@10000" or "limited:import@10000". */
  key: string;
  /** The issue's scenario number (1–6). */
  number: number;
  name: string;
  engine: 'ours' | 'baseline';
  /** Contacts in the world (companies are a fifth of that). */
  size: number;
  /** Rate limits on with this time compression, or null for limits off. */
  timeScale: number | null;
  status: 'measured' | 'not available' | 'failed';
  note?: string;
  wallMs?: number;
  /** Contacts and companies in the job's scope, and what that count means. */
  records?: number;
  recordsMeaning?: string;
  requests?: { hubspot: ApiRequests; xentral: ApiRequests };
  minimum?: Minimum;
  runStatus?: string;
  runMessage?: string | null;
  failedRecords?: number;
  /** CPU time of the app process during the run, and of the mocks' process meanwhile. */
  appCpuMs?: number;
  /** The app process's CPU time including its start-up (loading modules, compiling TypeScript). */
  appProcessCpuMs?: number;
  mocksCpuMs?: number;
  peakRssMb?: number;
  peakHeapUsedMb?: number;
  /** Bytes the app process wrote to storage during the run (/proc/self/io), and per record. */
  diskWriteBytes?: number | null;
  utilisation?: Utilisation;
  /** The machine's 1-minute load average after the run: other work on it shows here. */
  loadAverage?: number;
  counts?: CountsRow[];
  /** Differences between what the world demands and what the run reports. */
  checks?: string[];
  /** The first records the run could not write, with their reasons. */
  failures?: { type: string; label: string; reason: string }[];
}

export function totalRequests(result: ScenarioResult): number | undefined {
  return result.requests
    ? result.requests.hubspot.total + result.requests.xentral.total
    : undefined;
}

export function ratio(result: ScenarioResult): number | undefined {
  const total = totalRequests(result);
  if (total === undefined || !result.minimum || result.minimum.total === 0) return undefined;
  return total / result.minimum.total;
}

export function rateLimitedTotal(result: ScenarioResult): number {
  return (result.requests?.hubspot.rateLimited ?? 0) + (result.requests?.xentral.rateLimited ?? 0);
}

// ---- limits and utilisation -------------------------------------------------------------------

/** The vendors' documented limits, in real time. */
export const LIMITS: Record<LimitName, { label: string; requests: number; windowMs: number }> = {
  // OAuth apps: 110 requests per rolling 10 s per portal (search requests count here too).
  hubspot: { label: 'HubSpot', requests: 110, windowMs: 10_000 },
  // CRM search: 5 requests per second per portal.
  hubspotSearch: { label: 'HubSpot search', requests: 5, windowMs: 1_000 },
  // Xentral: 100 requests per minute per instance.
  xentral: { label: 'Xentral', requests: 100, windowMs: 60_000 },
};

export function allowedPerSecond(limit: LimitName, timeScale: number): number {
  const { requests, windowMs } = LIMITS[limit];
  return requests / (windowMs / timeScale / 1000);
}

/** Minimum requests against each limit (search requests count against both HubSpot limits). */
export function minimumPerLimit(minimum: Minimum): Record<LimitName, number> {
  const search = minimum.parts
    .filter((part) => part.api === 'hubspot' && part.label.endsWith('search'))
    .reduce((sum, part) => sum + part.requests, 0);
  return { hubspot: minimum.hubspot, hubspotSearch: search, xentral: minimum.xentral };
}

/** The limit that needs the longest time to let the minimum requests through. */
export function bottleneckOf(minimum: Minimum): LimitName {
  const perLimit = minimumPerLimit(minimum);
  let best: LimitName = 'xentral';
  let longest = -1;
  for (const name of Object.keys(LIMITS) as LimitName[]) {
    const seconds = (perLimit[name] / LIMITS[name].requests) * LIMITS[name].windowMs;
    if (seconds > longest) {
      longest = seconds;
      best = name;
    }
  }
  return best;
}

export function searchRequests(requests: ApiRequests): number {
  return Object.entries(requests.endpoints)
    .filter(([endpoint]) => endpoint.startsWith('POST ') && endpoint.endsWith('/search'))
    .reduce((sum, [, count]) => sum + count, 0);
}

/** Achieved ÷ allowed request rate of the bottleneck limit over the run's wall time. */
export function utilisationOf(
  minimum: Minimum,
  requests: { hubspot: ApiRequests; xentral: ApiRequests },
  wallMs: number,
  timeScale: number,
): Utilisation {
  const bottleneck = bottleneckOf(minimum);
  const sent =
    bottleneck === 'xentral'
      ? requests.xentral.total
      : bottleneck === 'hubspot'
        ? requests.hubspot.total
        : searchRequests(requests.hubspot);
  const seconds = wallMs / 1000;
  const achieved = seconds > 0 ? sent / seconds : 0;
  const allowed = allowedPerSecond(bottleneck, timeScale);
  return {
    bottleneck,
    requests: sent,
    achievedPerSecond: achieved,
    allowedPerSecond: allowed,
    utilisation: allowed > 0 ? achieved / allowed : 0,
    windows: wallMs / (LIMITS[bottleneck].windowMs / timeScale),
  };
}

/**
 * A sliding window lets a fresh client send a whole window's allowance at once, so a run only a
 * few windows long can exceed 100 % of the rate; utilisation says something only over many.
 */
export const STEADY_WINDOWS = 10;

// ---- targets --------------------------------------------------------------------------------------

export interface TargetVerdict {
  target: string;
  status: 'met' | 'not met' | 'not measured';
  detail: string;
}

const pct = (value: number) => `${(value * 100).toFixed(1)} %`;
const fixed = (value: number, digits = 2) => value.toFixed(digits);

export interface TargetInput {
  results: readonly ScenarioResult[];
  /** The size the "unchanged ≤ 10 requests" and RSS targets speak of. */
  largeSize: number;
  smallSize: number;
}

export function judgeTargets({ results, largeSize, smallSize }: TargetInput): TargetVerdict[] {
  const ours = results.filter((r) => r.engine === 'ours' && r.status === 'measured');
  const verdicts: TargetVerdict[] = [];
  const verdict = (target: string, pass: boolean | undefined, detail: string) =>
    verdicts.push({
      target,
      status: pass === undefined ? 'not measured' : pass ? 'met' : 'not met',
      detail,
    });

  const withRatio = ours.filter((r) => ratio(r) !== undefined);
  const overRatio = withRatio.filter((r) => (ratio(r) as number) > 1.15);
  verdict(
    'requests ÷ minimum ≤ 1.15 for every scenario',
    withRatio.length === 0 ? undefined : overRatio.length === 0,
    overRatio.length === 0
      ? `highest ${fixed(Math.max(0, ...withRatio.map((r) => ratio(r) as number)))}`
      : `over: ${overRatio.map((r) => `${r.key} ${fixed(ratio(r) as number)}`).join(', ')}`,
  );

  const unchanged = ours.find(
    (r) => r.name === 'unchanged' && r.size === largeSize && r.timeScale === null,
  );
  const unchangedTotal = unchanged ? totalRequests(unchanged) : undefined;
  verdict(
    `unchanged second sync of ${largeSize.toLocaleString('en-US')} pairs ≤ 10 requests`,
    unchangedTotal === undefined ? undefined : unchangedTotal <= 10,
    unchangedTotal === undefined ? 'not run' : `${unchangedTotal} requests`,
  );

  const limited = ours.filter((r) => r.timeScale !== null && r.name !== 'unchanged');
  const steady = limited.filter((r) => r.utilisation && r.utilisation.windows >= STEADY_WINDOWS);
  const low = steady.filter((r) => (r.utilisation as Utilisation).utilisation < 0.9);
  verdict(
    'rate limits on: bottleneck utilisation ≥ 90 %',
    steady.length === 0 ? undefined : low.length === 0,
    [
      ...steady.map(
        (r) =>
          `${r.key} ${LIMITS[(r.utilisation as Utilisation).bottleneck].label} ${pct((r.utilisation as Utilisation).utilisation)}`,
      ),
      ...limited
        .filter((r) => !steady.includes(r))
        .map((r) => `${r.key} too short to judge (< ${STEADY_WINDOWS} windows)`),
    ].join('; '),
  );
  const failed = limited.filter((r) => (r.failedRecords ?? 0) > 0 || r.runStatus !== 'succeeded');
  verdict(
    'rate limits on: no failed records',
    limited.length === 0 ? undefined : failed.length === 0,
    failed.length === 0
      ? `${limited.length} runs, 0 failed records`
      : failed
          .map((r) => `${r.key}: ${r.failedRecords ?? 0} failed, run ${r.runStatus}`)
          .join('; '),
  );
  const share = (r: ScenarioResult) => rateLimitedTotal(r) / Math.max(1, totalRequests(r) ?? 0);
  const tooMany = limited.filter((r) => share(r) > 0.01);
  verdict(
    'rate limits on: 429s ≤ 1 % of requests',
    limited.length === 0 ? undefined : tooMany.length === 0,
    limited.map((r) => `${r.key} ${rateLimitedTotal(r)} (${pct(share(r))})`).join('; '),
  );

  const pairs = ours
    .filter((r) => r.timeScale === null && r.size === largeSize && largeSize > smallSize)
    .flatMap((large) => {
      const small = ours.find(
        (r) => r.timeScale === null && r.size === smallSize && r.name === large.name,
      );
      return small?.wallMs && large.wallMs
        ? [{ name: large.name, x: large.wallMs / small.wallMs }]
        : [];
    });
  const factor = largeSize / smallSize;
  const allowedGrowth = 1.2 * factor;
  verdict(
    `cost grows linearly: ${largeSize.toLocaleString('en-US')} takes ≤ ${fixed(allowedGrowth, 0)} × the ${smallSize.toLocaleString('en-US')} time (limits off)`,
    pairs.length === 0 ? undefined : pairs.every((p) => p.x <= allowedGrowth),
    pairs.map((p) => `${p.name} ${fixed(p.x, 1)}×`).join(', ') || 'not run at both sizes',
  );

  const largeRuns = ours.filter((r) => r.size === largeSize && r.peakRssMb !== undefined);
  const peak = Math.max(0, ...largeRuns.map((r) => r.peakRssMb as number));
  verdict(
    `app peak RSS at ${largeSize.toLocaleString('en-US')} ≤ 300 MB`,
    largeRuns.length === 0 ? undefined : peak <= 300,
    largeRuns.length === 0 ? 'not run' : `${fixed(peak, 0)} MB`,
  );

  const comparison = baselineComparison(results);
  const offExport = comparison.find((c) => c.name === 'export' && c.timeScale === null);
  verdict(
    'against the per-record baseline: ≥ 30 × fewer HubSpot requests on export',
    offExport ? offExport.hubspotFactor >= 30 : undefined,
    offExport
      ? `${fixed(offExport.hubspotFactor, 0)} × fewer (${offExport.baseline.requests?.hubspot.total} vs ${offExport.ours.requests?.hubspot.total})`
      : 'not run',
  );
  const limitedExport = comparison.find((c) => c.name === 'export' && c.timeScale !== null);
  verdict(
    'against the per-record baseline: faster wall time under the same limits',
    limitedExport ? limitedExport.timeFactor > 1 : undefined,
    limitedExport
      ? `${fixed(limitedExport.timeFactor, 1)} × faster at ${limitedExport.size.toLocaleString('en-US')} records (${fixed((limitedExport.baseline.wallMs ?? 0) / 1000, 1)} s vs ${fixed((limitedExport.ours.wallMs ?? 0) / 1000, 1)} s)`
      : 'not run',
  );
  return verdicts;
}

export interface BaselineComparison {
  name: string;
  size: number;
  timeScale: number | null;
  ours: ScenarioResult;
  baseline: ScenarioResult;
  /** baseline ÷ ours */
  hubspotFactor: number;
  xentralFactor: number;
  timeFactor: number;
}

/** Baseline rows beside our rows of the same job, size and limits. */
export function baselineComparison(results: readonly ScenarioResult[]): BaselineComparison[] {
  return results
    .filter((r) => r.engine === 'baseline' && r.status === 'measured')
    .flatMap((baseline) => {
      const ours = results.find(
        (r) =>
          r.engine === 'ours' &&
          r.status === 'measured' &&
          r.name === baseline.name &&
          r.size === baseline.size &&
          r.timeScale === baseline.timeScale,
      );
      if (!ours?.requests || !baseline.requests) return [];
      return [
        {
          name: baseline.name,
          size: baseline.size,
          timeScale: baseline.timeScale,
          ours,
          baseline,
          hubspotFactor: baseline.requests.hubspot.total / Math.max(1, ours.requests.hubspot.total),
          xentralFactor: baseline.requests.xentral.total / Math.max(1, ours.requests.xentral.total),
          timeFactor: (baseline.wallMs ?? 0) / Math.max(1, ours.wallMs ?? 0),
        },
      ];
    });
}

// ---- the table ---------------------------------------------------------------------------------

export type Align = 'left' | 'right';

/** Columns padded to their widest cell; numbers right-aligned. */
export function formatTable(
  headers: readonly string[],
  rows: readonly (readonly string[])[],
  align: readonly Align[] = [],
): string {
  const widths = headers.map((header, column) =>
    Math.max(header.length, ...rows.map((row) => (row[column] ?? '').length)),
  );
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, column) => {
        const width = widths[column] ?? 0;
        return align[column] === 'right' ? cell.padStart(width) : cell.padEnd(width);
      })
      .join('  ')
      .trimEnd();
  return [
    line(headers),
    line(widths.map((width) => '-'.repeat(width))),
    ...rows.map((row) => line(row)),
  ].join('\n');
}

const thousands = (value: number) => Math.round(value).toLocaleString('en-US');

function limitsLabel(timeScale: number | null): string {
  return timeScale === null ? 'off' : `on ${timeScale}×`;
}

const HEADERS = [
  '#',
  'scenario',
  'size',
  'limits',
  'wall s',
  'rec/s',
  'HubSpot',
  'Xentral',
  'minimum',
  'ratio',
  '429s',
  'failed',
  'app CPU s',
  'RSS MB',
  'disk KB/rec',
  'mocks CPU s',
  'bottleneck util.',
] as const;
const ALIGN: Align[] = [
  'right',
  'left',
  'right',
  'left',
  'right',
  'right',
  'right',
  'right',
  'right',
  'right',
  'right',
  'right',
  'right',
  'right',
  'right',
  'right',
  'left',
];

/** "Xentral 94 %"; "(short)" under STEADY_WINDOWS; "not binding" when one window's allowance holds the job. */
export function utilisationLabel(u: Utilisation, minimum: Minimum | undefined): string {
  const label = LIMITS[u.bottleneck].label;
  if (minimum && minimumPerLimit(minimum)[u.bottleneck] <= LIMITS[u.bottleneck].requests) {
    return `${label} not binding`;
  }
  const value = `${label} ${(u.utilisation * 100).toFixed(0)} %`;
  return u.windows < STEADY_WINDOWS ? `${value} (short)` : value;
}

/** Storage writes of the run per record in its scope, in KB; empty where not measured. */
function diskPerRecord(result: ScenarioResult): string {
  const bytes = result.diskWriteBytes;
  if (bytes === undefined || bytes === null || !result.records) return '';
  return (bytes / result.records / 1024).toFixed(1);
}

export function tableRow(result: ScenarioResult): string[] {
  const name = result.engine === 'baseline' ? `baseline ${result.name}` : result.name;
  const size = thousands(result.size);
  if (result.status !== 'measured') {
    // The reason goes into the last column, where its width disturbs no other.
    const reason =
      result.status === 'failed' ? `failed: ${result.note ?? ''}` : (result.note ?? result.status);
    return [
      String(result.number),
      name,
      size,
      limitsLabel(result.timeScale),
      ...Array.from({ length: HEADERS.length - 5 }, () => '—'),
      reason,
    ];
  }
  const seconds = (result.wallMs ?? 0) / 1000;
  const r = ratio(result);
  const u = result.utilisation;
  return [
    String(result.number),
    name,
    size,
    limitsLabel(result.timeScale),
    seconds.toFixed(1),
    result.records !== undefined && seconds > 0 ? thousands(result.records / seconds) : '',
    thousands(result.requests?.hubspot.total ?? 0),
    thousands(result.requests?.xentral.total ?? 0),
    thousands(result.minimum?.total ?? 0),
    r === undefined ? '' : r.toFixed(2),
    thousands(rateLimitedTotal(result)),
    thousands(result.failedRecords ?? 0),
    ((result.appCpuMs ?? 0) / 1000).toFixed(1),
    (result.peakRssMb ?? 0).toFixed(0),
    diskPerRecord(result),
    ((result.mocksCpuMs ?? 0) / 1000).toFixed(1),
    u ? utilisationLabel(u, result.minimum) : '',
  ];
}

export function resultsTable(results: readonly ScenarioResult[]): string {
  return formatTable(HEADERS, results.map(tableRow), ALIGN);
}

export function comparisonTable(comparisons: readonly BaselineComparison[]): string {
  return formatTable(
    [
      'job',
      'size',
      'limits',
      'HubSpot ours',
      'HubSpot baseline',
      'fewer',
      'Xentral ours',
      'Xentral baseline',
      'fewer',
      'wall ours s',
      'wall baseline s',
      'faster',
    ],
    comparisons.map((c) => [
      c.name,
      thousands(c.size),
      limitsLabel(c.timeScale),
      thousands(c.ours.requests?.hubspot.total ?? 0),
      thousands(c.baseline.requests?.hubspot.total ?? 0),
      `${c.hubspotFactor.toFixed(0)}×`,
      thousands(c.ours.requests?.xentral.total ?? 0),
      thousands(c.baseline.requests?.xentral.total ?? 0),
      `${c.xentralFactor.toFixed(1)}×`,
      ((c.ours.wallMs ?? 0) / 1000).toFixed(1),
      ((c.baseline.wallMs ?? 0) / 1000).toFixed(1),
      `${c.timeFactor.toFixed(1)}×`,
    ]),
    [
      'left',
      'right',
      'left',
      'right',
      'right',
      'right',
      'right',
      'right',
      'right',
      'right',
      'right',
      'right',
    ],
  );
}

export function targetsText(verdicts: readonly TargetVerdict[]): string {
  const width = Math.max(...verdicts.map((v) => v.status.length));
  return verdicts.map((v) => `[${v.status.padEnd(width)}] ${v.target} — ${v.detail}`).join('\n');
}
