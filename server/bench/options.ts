import { parseArgs } from 'node:util';
import { SCENARIO_NAMES, type ScenarioName } from './scenarios';

/** `npm run bench -- [options]`: sizes, scenarios, time compression and where the JSON goes. */

export type ScenarioGroup = ScenarioName | 'limited' | 'baseline' | 'records';
export const SCENARIO_GROUPS: readonly ScenarioGroup[] = [
  ...SCENARIO_NAMES,
  'limited',
  'baseline',
  'records',
];

export interface BenchOptions {
  /** Contacts per world with limits off (companies are a fifth of that). */
  sizes: number[];
  scenarios: Set<ScenarioGroup>;
  /** Size of the rate-limited runs (scenario 5). */
  limitedSize: number;
  /** Size of the per-record baseline with limits off, and with limits on (scenario 6). */
  baselineSize: number;
  baselineLimitedSize: number;
  /** Rate-limit windows are shortened by this factor in scenario 5 and the limited baseline. */
  timeScale: number;
  owners: number;
  employees: number;
  releasedOrders: number;
  seed: number;
  out: string;
  cpuProfileDir: string | undefined;
  help: boolean;
}

export const USAGE = `npm run bench -- [options]

  --sizes 10000,100000        contacts per world, limits off (companies: a fifth)
  --scenarios a,b,…           any of ${SCENARIO_GROUPS.join(', ')}
                              (default: all; "limited" is scenario 5, "baseline" scenario 6,
                              "records" the Overview's record pages at each size)
  --limited-size 10000        contacts in the rate-limited runs
  --baseline-size 10000       contacts in the per-record baseline, limits off
  --baseline-limited-size 2000  contacts in the per-record baseline, limits on
  --time-scale 20             rate-limit windows shortened by this factor when limits are on
  --owners 10 --employees 10  HubSpot owners and Xentral employees per world
  --released-orders 1000      sales orders released before deal sync is switched on,
                              and as many released after it (they become deals)
  --seed 42                   generator seed of both mocks
  --out bench-results/summary.json
  --cpu-prof DIR              write a V8 CPU profile of every app process into DIR
  --quick                     smoke run: 2,000 records, limits compressed 50×
  --help`;

export const DEFAULT_OPTIONS: Omit<BenchOptions, 'scenarios'> = {
  sizes: [10_000, 100_000],
  limitedSize: 10_000,
  baselineSize: 10_000,
  baselineLimitedSize: 2_000,
  timeScale: 20,
  owners: 10,
  employees: 10,
  releasedOrders: 1_000,
  seed: 42,
  out: 'bench-results/summary.json',
  cpuProfileDir: undefined,
  help: false,
};

const QUICK: Partial<BenchOptions> = {
  sizes: [2_000],
  limitedSize: 2_000,
  baselineSize: 2_000,
  baselineLimitedSize: 500,
  timeScale: 50,
  releasedOrders: 100,
};

function positiveInt(name: string, raw: string): number {
  const value = Number(raw.replace(/_/g, ''));
  if (!Number.isInteger(value) || value <= 0) {
    throw new Error(`--${name} needs a positive whole number, not "${raw}"`);
  }
  return value;
}

export function parseOptions(argv: readonly string[]): BenchOptions {
  const { values } = parseArgs({
    args: [...argv],
    strict: true,
    allowPositionals: false,
    options: {
      sizes: { type: 'string' },
      scenarios: { type: 'string' },
      'limited-size': { type: 'string' },
      'baseline-size': { type: 'string' },
      'baseline-limited-size': { type: 'string' },
      'time-scale': { type: 'string' },
      owners: { type: 'string' },
      employees: { type: 'string' },
      'released-orders': { type: 'string' },
      seed: { type: 'string' },
      out: { type: 'string' },
      'cpu-prof': { type: 'string' },
      quick: { type: 'boolean' },
      help: { type: 'boolean' },
    },
  });
  const base = { ...DEFAULT_OPTIONS, ...(values.quick ? QUICK : {}) };
  const scenarios = new Set<ScenarioGroup>(SCENARIO_GROUPS);
  if (values.scenarios !== undefined) {
    scenarios.clear();
    for (const raw of values.scenarios.split(',')) {
      const name = raw.trim();
      if (!(SCENARIO_GROUPS as readonly string[]).includes(name)) {
        throw new Error(`unknown scenario "${name}"; choose from ${SCENARIO_GROUPS.join(', ')}`);
      }
      scenarios.add(name as ScenarioGroup);
    }
  }
  const timeScale =
    values['time-scale'] === undefined ? base.timeScale : Number(values['time-scale']);
  if (!Number.isFinite(timeScale) || timeScale < 1 || timeScale > 1000) {
    throw new Error('--time-scale needs a number from 1 to 1000 (the mocks accept up to 1000)');
  }
  const int = (name: string, raw: string | undefined, fallback: number) =>
    raw === undefined ? fallback : positiveInt(name, raw);
  return {
    sizes:
      values.sizes === undefined
        ? base.sizes
        : values.sizes.split(',').map((raw) => positiveInt('sizes', raw.trim())),
    scenarios,
    limitedSize: int('limited-size', values['limited-size'], base.limitedSize),
    baselineSize: int('baseline-size', values['baseline-size'], base.baselineSize),
    baselineLimitedSize: int(
      'baseline-limited-size',
      values['baseline-limited-size'],
      base.baselineLimitedSize,
    ),
    timeScale,
    owners: int('owners', values.owners, base.owners),
    employees: int('employees', values.employees, base.employees),
    releasedOrders: int('released-orders', values['released-orders'], base.releasedOrders),
    seed: values.seed === undefined ? base.seed : positiveInt('seed', values.seed),
    out: values.out ?? base.out,
    cpuProfileDir: values['cpu-prof'],
    help: values.help ?? false,
  };
}
