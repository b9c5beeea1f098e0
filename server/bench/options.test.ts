import { describe, expect, it } from 'vitest';
import { DEFAULT_OPTIONS, parseOptions, SCENARIO_GROUPS } from './options';

describe('bench options', () => {
  it('runs everything at 10,000 and 100,000 by default', () => {
    const options = parseOptions([]);
    expect(options.sizes).toEqual([10_000, 100_000]);
    expect([...options.scenarios]).toEqual([...SCENARIO_GROUPS]);
    expect(options.timeScale).toBe(DEFAULT_OPTIONS.timeScale);
    expect(options.out).toBe('bench-results/summary.json');
  });

  it('takes sizes, scenarios, time scale and output file', () => {
    const options = parseOptions([
      '--sizes',
      '1000,20_000',
      '--scenarios',
      'sync,unchanged,limited',
      '--time-scale',
      '30',
      '--out',
      'x.json',
    ]);
    expect(options.sizes).toEqual([1_000, 20_000]);
    expect([...options.scenarios]).toEqual(['sync', 'unchanged', 'limited']);
    expect(options.timeScale).toBe(30);
    expect(options.out).toBe('x.json');
  });

  it('has a quick mode for smoke runs that explicit options still override', () => {
    const options = parseOptions(['--quick', '--limited-size', '300']);
    expect(options.sizes).toEqual([2_000]);
    expect(options.limitedSize).toBe(300);
    expect(options.timeScale).toBe(50);
  });

  it('refuses what it does not understand', () => {
    expect(() => parseOptions(['--scenarios', 'export,magic'])).toThrow(/unknown scenario "magic"/);
    expect(() => parseOptions(['--sizes', '10k'])).toThrow(/positive whole number/);
    expect(() => parseOptions(['--time-scale', '0'])).toThrow(/1 to 1000/);
    expect(() => parseOptions(['--bogus'])).toThrow();
  });
});
