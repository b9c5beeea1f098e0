import { describe, expect, it } from 'vitest';
import { exportWorkload, importWorkload, minimumRequests, worldSize } from './minimum';
import {
  allowedPerSecond,
  baselineComparison,
  bottleneckOf,
  formatTable,
  judgeTargets,
  ratio,
  resultsTable,
  utilisationOf,
  type ApiRequests,
  type ScenarioResult,
} from './report';

const size = worldSize(10_000, 10, 10);

function api(total: number, endpoints: Record<string, number> = {}, rateLimited = 0): ApiRequests {
  return { total, rateLimited, endpoints };
}

function result(overrides: Partial<ScenarioResult>): ScenarioResult {
  return {
    key: 'export@10000',
    number: 1,
    name: 'export',
    engine: 'ours',
    size: 10_000,
    timeScale: null,
    status: 'measured',
    wallMs: 10_000,
    records: 12_000,
    requests: { hubspot: api(129), xentral: api(121) },
    minimum: minimumRequests(exportWorkload(size)),
    runStatus: 'succeeded',
    failedRecords: 0,
    appCpuMs: 9_000,
    mocksCpuMs: 1_000,
    peakRssMb: 200,
    ...overrides,
  };
}

describe('utilisation', () => {
  it('allowed rates follow the vendors and the time compression', () => {
    expect(allowedPerSecond('xentral', 1)).toBeCloseTo(100 / 60);
    expect(allowedPerSecond('xentral', 20)).toBeCloseTo(100 / 3);
    expect(allowedPerSecond('hubspot', 20)).toBeCloseTo(220);
    expect(allowedPerSecond('hubspotSearch', 20)).toBeCloseTo(100);
  });

  it('the bottleneck is the limit that needs longest for its minimum requests', () => {
    // 12,012 Xentral writes at 100/min outlast 61 HubSpot requests at 110/10 s
    expect(bottleneckOf(minimumRequests(importWorkload(size)))).toBe('xentral');
    const hubspotHeavy = minimumRequests({
      ...exportWorkload(size),
      xentralCustomersRead: 0,
      hubspotCreates: { contact: 1_000_000, company: 0 },
    });
    expect(bottleneckOf(hubspotHeavy)).toBe('hubspot');
  });

  it('is achieved ÷ allowed request rate over the wall time, with the windows it spanned', () => {
    const minimum = minimumRequests(importWorkload(size));
    // 12,000 Xentral requests in 400 s at 20× (33.3/s allowed) → 30/s achieved
    const u = utilisationOf(minimum, { hubspot: api(65), xentral: api(12_000) }, 400_000, 20);
    expect(u.bottleneck).toBe('xentral');
    expect(u.achievedPerSecond).toBeCloseTo(30);
    expect(u.utilisation).toBeCloseTo(0.9);
    expect(u.windows).toBeCloseTo(400_000 / 3_000);
  });

  it('counts only search requests against the search limit', () => {
    const minimum = minimumRequests({
      ...importWorkload(size),
      hubspotRead: { contact: 10_000_000, company: 0 },
      xentralCreates: 0,
    });
    expect(bottleneckOf(minimum)).toBe('hubspotSearch');
    const u = utilisationOf(
      minimum,
      {
        hubspot: api(60, {
          'POST /crm/v3/objects/:objectType/search': 50,
          'GET /crm/v3/owners': 10,
        }),
        xentral: api(2),
      },
      1_000,
      1,
    );
    expect(u.requests).toBe(50);
    expect(u.utilisation).toBeCloseTo(10);
  });
});

describe('targets', () => {
  it('judges each target as met, not met or not measured', () => {
    const results = [
      result({}),
      result({ key: 'export@100000', size: 100_000, wallMs: 130_000, peakRssMb: 320 }),
      result({
        key: 'unchanged@100000',
        name: 'unchanged',
        size: 100_000,
        requests: { hubspot: api(3), xentral: api(2) },
        minimum: { hubspot: 3, xentral: 2, total: 5, parts: [] },
      }),
      result({
        key: 'baseline:export@10000',
        engine: 'baseline',
        number: 6,
        requests: { hubspot: api(24_000), xentral: api(12_120) },
        wallMs: 60_000,
      }),
    ];
    const verdicts = judgeTargets({ results, smallSize: 10_000, largeSize: 100_000 });
    expect(verdicts.map((v) => v.status)).toEqual([
      'met', // requests ÷ minimum
      'met', // unchanged ≤ 10 requests
      'not measured', // utilisation
      'not measured', // failed records
      'not measured', // 429s
      'not met', // linear growth: 13 × for 10 × the records
      'not met', // RSS 320 MB
      'met', // ≥ 30 × fewer HubSpot requests than the baseline
      'not measured', // baseline under limits
    ]);
    expect(verdicts.find((v) => v.target.startsWith('cost grows'))?.detail).toBe('export 13.0×');
  });

  it('ignores limited runs too short for a rate to mean anything', () => {
    const limited = (key: string, windows: number, utilisation: number) =>
      result({
        key,
        timeScale: 20,
        utilisation: {
          bottleneck: 'xentral',
          requests: 1,
          achievedPerSecond: 1,
          allowedPerSecond: 1,
          utilisation,
          windows,
        },
      });
    const verdicts = judgeTargets({
      results: [limited('limited:export@10000', 1.2, 0.4), limited('limited:sync@10000', 90, 0.93)],
      smallSize: 10_000,
      largeSize: 100_000,
    });
    const util = verdicts.find((v) => v.target.includes('utilisation'));
    expect(util?.status).toBe('met');
    expect(util?.detail).toContain('limited:export@10000 too short to judge');
  });

  it('compares the baseline with our run of the same job, size and limits', () => {
    const [comparison] = baselineComparison([
      result({}),
      result({
        engine: 'baseline',
        requests: { hubspot: api(24_000), xentral: api(12_120) },
        wallMs: 50_000,
      }),
    ]);
    expect(comparison?.hubspotFactor).toBeCloseTo(24_000 / 129);
    expect(comparison?.timeFactor).toBe(5);
  });
});

describe('table', () => {
  it('pads columns to the widest cell and right-aligns numbers', () => {
    expect(
      formatTable(
        ['name', 'n'],
        [
          ['a', '1'],
          ['longer', '1,000'],
        ],
        ['left', 'right'],
      ),
    ).toBe(['name        n', '------  -----', 'a           1', 'longer  1,000'].join('\n'));
  });

  it('prints one row per scenario, and the reason where a scenario cannot run', () => {
    const table = resultsTable([
      result({}),
      result({
        key: 'deals@10000',
        number: 4,
        name: 'deals',
        status: 'not available',
        note: 'not available yet',
      }),
    ]);
    const lines = table.split('\n');
    expect(lines).toHaveLength(4);
    expect(lines[2]).toMatch(/^1 {2}export +10,000 {2}off +10\.0 +1,200 +129 +121 +246 +1\.02 /);
    expect(lines[3]).toMatch(/^4 {2}deals .*— +not available yet$/);
    expect(ratio(result({}))).toBeCloseTo(250 / 246);
  });
});
