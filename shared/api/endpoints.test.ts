import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ConflictsQuery } from './conflicts';
import { ENDPOINT_NAMES, ENDPOINTS, pathParamNames, urlOf } from './endpoints';
import { IdParams } from './ids';
import { RunItemsQuery } from './runs';

const entries = ENDPOINT_NAMES.map((name) => [name, ENDPOINTS[name]] as const);

describe('the endpoint table', () => {
  it('names each method and path once', () => {
    const keys = entries.map(([, endpoint]) => `${endpoint.method} ${endpoint.path}`);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it.each(entries)('%s: its params schema names exactly the parameters of its path', (_n, e) => {
    const names = pathParamNames(e.path);
    if (names.length === 0) {
      expect(e.params).toBeUndefined();
      return;
    }
    expect(e.params).toBeInstanceOf(z.ZodObject);
    expect(e.params instanceof z.ZodObject ? Object.keys(e.params.shape) : []).toEqual(names);
  });

  it.each(entries)('%s: changes state exactly when it is not a GET', (_name, endpoint) => {
    expect(endpoint.changes).toBe(endpoint.method !== 'GET');
  });

  it.each(entries)('%s: answers JSON exactly when it has a response schema', (_name, endpoint) => {
    expect(endpoint.response !== undefined).toBe(endpoint.kind === 'json');
  });

  it('keeps the App API under /api; only the App Center launch is outside', () => {
    expect(entries.filter(([, e]) => !e.path.startsWith('/api/')).map(([name]) => name)).toEqual([
      'launch',
    ]);
  });
});

describe('ids in paths and queries', () => {
  const run = { params: IdParams, query: RunItemsQuery };

  it('are the schemas of the endpoints that take them', () => {
    expect(ENDPOINTS.run).toMatchObject({ params: IdParams, query: RunItemsQuery });
    expect(ENDPOINTS.resolveConflict.params).toBe(IdParams);
    expect(ENDPOINTS.conflicts.query).toBe(ConflictsQuery);
  });

  it('take decimal digits without a leading zero, within the safe integer range', () => {
    expect(run.params.parse({ id: '12' })).toEqual({ id: 12 });
    expect(run.params.parse({ id: String(Number.MAX_SAFE_INTEGER) })).toEqual({
      id: Number.MAX_SAFE_INTEGER,
    });
    for (const loose of ['0x10', '1e3', ' 12', '12 ', '+12', '012', '0', '-1', '1.0', '', '١٢']) {
      expect(run.params.safeParse({ id: loose }).success, JSON.stringify(loose)).toBe(false);
    }
    expect(run.params.safeParse({ id: String(Number.MAX_SAFE_INTEGER + 2) }).success).toBe(false);
  });

  it('give cursors the same rule, with 0 as the first page', () => {
    expect(run.query.parse({})).toEqual({ limit: 200, after: 0 });
    expect(run.query.parse({ after: '0', limit: '5' })).toEqual({ limit: 5, after: 0 });
    expect(run.query.safeParse({ after: '00' }).success).toBe(false);
    expect(ConflictsQuery.safeParse({ runId: '1e1' }).success).toBe(false);
  });

  it('round-trip through urlOf', () => {
    const url = new URL(
      urlOf(ENDPOINTS.run, { params: { id: 123 }, query: { after: 45, limit: 6 } }),
      'http://x',
    );
    expect(url.pathname).toBe('/api/runs/123');
    expect(run.query.parse(Object.fromEntries(url.searchParams))).toEqual({ after: 45, limit: 6 });
  });
});
