import { describe, expect, it } from 'vitest';
import { createRecord } from './crm';
import { HubSpotApiError } from './errors';
import {
  comparableKey,
  compileFilter,
  containsToken,
  runSearch,
  SearchRequest,
  type SearchFilter,
  type ValueKind,
} from './search';
import { HubSpotStore } from './store';

const test = (filter: SearchFilter, kind: ValueKind, value: string | number | undefined) =>
  compileFilter(filter, kind)(value);

describe('compileFilter', () => {
  it('compares strings case-insensitively and treats empty values as missing', () => {
    const eq: SearchFilter = { propertyName: 'email', operator: 'EQ', value: 'A@Example.com' };
    expect(test(eq, 'string', 'a@example.COM')).toBe(true);
    expect(test(eq, 'string', 'b@example.com')).toBe(false);
    expect(test({ ...eq, operator: 'NEQ' }, 'string', undefined)).toBe(true);
    expect(test({ propertyName: 'x', operator: 'HAS_PROPERTY' }, 'string', '')).toBe(false);
    expect(test({ propertyName: 'x', operator: 'NOT_HAS_PROPERTY' }, 'string', undefined)).toBe(
      true,
    );
  });

  it('compares numbers numerically, not as text', () => {
    const gt: SearchFilter = { propertyName: 'amount', operator: 'GT', value: '9' };
    expect(test(gt, 'number', '10')).toBe(true);
    expect(test(gt, 'number', '9')).toBe(false);
    expect(test({ ...gt, operator: 'GTE' }, 'number', '9')).toBe(true);
    expect(test({ ...gt, operator: 'LT' }, 'number', '8.5')).toBe(true);
    expect(test({ ...gt, operator: 'LTE' }, 'number', undefined)).toBe(false);
  });

  it('compares dates as instants whether given as epoch ms or ISO text', () => {
    const since = Date.parse('2026-01-01T00:00:00Z');
    const byMs: SearchFilter = {
      propertyName: 'lastmodifieddate',
      operator: 'GT',
      value: String(since),
    };
    const byIso: SearchFilter = { ...byMs, value: '2026-01-01T00:00:00.000Z' };
    for (const filter of [byMs, byIso]) {
      expect(test(filter, 'timestamp', '2026-01-01T00:00:00.001Z')).toBe(true);
      expect(test(filter, 'timestamp', '2025-12-31T23:59:59.999Z')).toBe(false);
      expect(test(filter, 'timestamp', since + 1)).toBe(true);
      expect(test(filter, 'timestamp', since)).toBe(false);
    }
  });

  it('handles BETWEEN inclusively and IN / NOT_IN with lists', () => {
    const between: SearchFilter = {
      propertyName: 'amount',
      operator: 'BETWEEN',
      value: '10',
      highValue: '20',
    };
    expect([5, 10, 15, 20, 25].map((amount) => test(between, 'number', String(amount)))).toEqual([
      false,
      true,
      true,
      true,
      false,
    ]);
    const inList: SearchFilter = {
      propertyName: 'lifecyclestage',
      operator: 'IN',
      values: ['lead', 'customer'],
    };
    expect(test(inList, 'string', 'Customer')).toBe(true);
    expect(test(inList, 'string', 'other')).toBe(false);
    expect(test({ ...inList, operator: 'NOT_IN' }, 'string', 'other')).toBe(true);
    expect(test({ ...inList, operator: 'NOT_IN' }, 'string', undefined)).toBe(true);
  });

  it('matches tokens, with * as a wildcard', () => {
    expect(containsToken('jane.doe@example.com', '*@example.com')).toBe(true);
    expect(containsToken('jane.doe@example.org', '*@example.com')).toBe(false);
    expect(containsToken('Alpentechnik 4 GmbH', 'gmbh')).toBe(true);
    expect(containsToken('Alpentechnik 4 GmbH', 'alpen')).toBe(false);
    expect(containsToken('Alpentechnik 4 GmbH', 'alpen*')).toBe(true);
    const notContains: SearchFilter = {
      propertyName: 'name',
      operator: 'NOT_CONTAINS_TOKEN',
      value: 'gmbh',
    };
    expect(test(notContains, 'string', 'Nordbau AG')).toBe(true);
  });

  it('refuses values that do not fit the property type', () => {
    expect(() =>
      compileFilter({ propertyName: 'amount', operator: 'GT', value: 'ten' }, 'number'),
    ).toThrow(HubSpotApiError);
    expect(() => compileFilter({ propertyName: 'email', operator: 'EQ' }, 'string')).toThrow(
      HubSpotApiError,
    );
    expect(() =>
      compileFilter({ propertyName: 'x', operator: 'IN', values: [] }, 'string'),
    ).toThrow(HubSpotApiError);
    expect(comparableKey('timestamp', 'not a date')).toBeUndefined();
  });
});

describe('SearchRequest', () => {
  it('reads the SDK string sorts and HubSpot object sorts alike', () => {
    expect(SearchRequest.parse({ sorts: ['-createdate'] }).sorts).toEqual([
      { propertyName: 'createdate', direction: 'DESCENDING' },
    ]);
    expect(SearchRequest.parse({ sorts: [{ propertyName: 'email' }] }).sorts).toEqual([
      { propertyName: 'email', direction: 'ASCENDING' },
    ]);
    expect(SearchRequest.parse({}).limit).toBe(10);
  });
});

describe('runSearch', () => {
  const store = new HubSpotStore(() => new Date('2026-01-01T00:00:00Z'));
  const portal = store.createPortal({ hubId: 1, name: 'P', domain: 'p.example' });
  const base = Date.parse('2026-01-01T00:00:00Z');
  for (let i = 0; i < 30; i++) {
    createRecord(
      store,
      portal,
      'companies',
      new Map([
        ['name', `Company ${i}`],
        ['numberofemployees', String(100 - i * 3)],
      ]),
      base + i * 1000,
      base + i * 1000,
    );
  }
  const run = (body: unknown, nowMs = base + 60_000, indexLagMs = 0) =>
    runSearch(portal, 'companies', SearchRequest.parse(body), { nowMs, indexLagMs });

  it('sorts numerically in both directions and pages by offset', () => {
    const ascending = run({ sorts: ['numberofemployees'], limit: 5 });
    expect(ascending.total).toBe(30);
    expect(ascending.results.map((record) => record.properties.get('numberofemployees'))).toEqual([
      '13',
      '16',
      '19',
      '22',
      '25',
    ]);
    expect(ascending.nextAfter).toBe('5');
    const last = run({ sorts: ['numberofemployees'], limit: 5, after: '25' });
    expect(last.results).toHaveLength(5);
    expect(last.nextAfter).toBeUndefined();
    const descending = run({
      sorts: [{ propertyName: 'createdate', direction: 'DESCENDING' }],
      limit: 1,
    });
    expect(descending.results[0]?.properties.get('name')).toBe('Company 29');
  });

  it('leaves out records written within the index lag', () => {
    expect(run({}, base + 29_000, 0).total).toBe(30);
    expect(run({}, base + 29_000, 5000).total).toBe(25);
  });

  it('refuses unknown properties and oversized requests', () => {
    expect(() =>
      run({ filterGroups: [{ filters: [{ propertyName: 'nope', operator: 'HAS_PROPERTY' }] }] }),
    ).toThrow(HubSpotApiError);
    expect(() => run({ limit: 201 })).toThrow(HubSpotApiError);
    expect(() => run({ after: '10000' })).toThrow(HubSpotApiError);
  });
});
