import { describe, expect, it } from 'vitest';
import { XentralProblem } from './problems';
import {
  comparator,
  compileFilters,
  parseFilters,
  parseInclude,
  parseSort,
  parseV1Page,
  parseV3Page,
  readFilterParams,
  sortRows,
  v1List,
  v3List,
  type FieldSpecs,
} from './query';

interface Item {
  id: number;
  email: string | null;
  updatedAt: string;
  status: string;
}

const SPECS: FieldSpecs<Item> = {
  id: { kind: 'id', get: (item) => String(item.id) },
  email: { kind: 'text', get: (item) => item.email },
  updatedAt: { kind: 'datetime', get: (item) => item.updatedAt },
  status: { kind: 'enum', values: ['draft', 'released'], get: (item) => item.status },
};

const ITEMS: Item[] = [
  { id: 1, email: 'Anna@Example.com', updatedAt: '2026-03-01T10:00:00.000Z', status: 'draft' },
  { id: 2, email: null, updatedAt: '2026-03-01T10:00:01.000Z', status: 'released' },
  { id: 3, email: 'bob@example.org', updatedAt: '2026-03-01T10:00:00.000Z', status: 'released' },
];

function violationsOf(run: () => unknown): Record<string, string[]> {
  try {
    run();
  } catch (error) {
    if (error instanceof XentralProblem) return error.body.violations ?? {};
    throw error;
  }
  throw new Error('expected a validation problem');
}

function select(query: string): number[] {
  const filters = parseFilters(readFilterParams(new URLSearchParams(query)), SPECS);
  return ITEMS.filter(compileFilters(filters, SPECS)).map((item) => item.id);
}

describe('filter parameters', () => {
  it('reads indexed keys, ops, single values and value lists', () => {
    const raw = readFilterParams(
      new URLSearchParams(
        'filter[1][key]=id&filter[1][op]=in&filter[1][value][]=1&filter[1][value][]=3&filter[0][key]=email&filter[0][op]=equals&filter[0][value]=x&other=1',
      ),
    );
    expect(raw).toEqual([
      { index: '0', key: 'email', op: 'equals', value: 'x' },
      { index: '1', key: 'id', op: 'in', value: ['1', '3'] },
    ]);
  });

  it('matches text case-insensitively and AND-combines filters', () => {
    expect(
      select('filter[0][key]=email&filter[0][op]=equals&filter[0][value]=anna@example.COM'),
    ).toEqual([1]);
    expect(select('filter[0][key]=email&filter[0][op]=isNull')).toEqual([2]);
    expect(select('filter[0][key]=email&filter[0][op]=endsWith&filter[0][value]=.org')).toEqual([
      3,
    ]);
    expect(select('filter[0][key]=id&filter[0][op]=in&filter[0][value]=1,2')).toEqual([1, 2]);
    expect(
      select(
        'filter[0][key]=status&filter[0][op]=equals&filter[0][value]=released&filter[1][key]=id&filter[1][op]=notEquals&filter[1][value]=2',
      ),
    ).toEqual([3]);
  });

  it('compares times strictly for greaterThan', () => {
    const at = encodeURIComponent('2026-03-01T10:00:00Z');
    expect(
      select(`filter[0][key]=updatedAt&filter[0][op]=greaterThan&filter[0][value]=${at}`),
    ).toEqual([2]);
    expect(
      select(`filter[0][key]=updatedAt&filter[0][op]=greaterThanOrEquals&filter[0][value]=${at}`),
    ).toEqual([1, 2, 3]);
    expect(
      select(`filter[0][key]=updatedAt&filter[0][op]=lessThan&filter[0][value]=${at}`),
    ).toEqual([]);
  });

  it('rejects unknown keys, unsupported operators and bad values with violations', () => {
    const run = (query: string) => () => select(query);
    expect(
      violationsOf(run('filter[0][key]=phone&filter[0][op]=equals&filter[0][value]=1')),
    ).toHaveProperty(['filter.0.key']);
    expect(
      violationsOf(run('filter[0][key]=email&filter[0][op]=greaterThan&filter[0][value]=a')),
    ).toHaveProperty(['filter.0.op']);
    expect(
      violationsOf(run('filter[0][key]=email&filter[0][op]=like&filter[0][value]=a')),
    ).toHaveProperty(['filter.0.op']);
    expect(violationsOf(run('filter[0][key]=email&filter[0][op]=equals'))).toHaveProperty([
      'filter.0.value',
    ]);
    expect(
      violationsOf(run('filter[0][key]=updatedAt&filter[0][op]=greaterThan&filter[0][value]=soon')),
    ).toHaveProperty(['filter.0.value']);
    expect(
      violationsOf(run('filter[0][key]=status&filter[0][op]=equals&filter[0][value]=open')),
    ).toHaveProperty(['filter.0.value']);
    expect(
      violationsOf(run('filter[0][key]=id&filter[0][op]=equals&filter[0][value]=abc')),
    ).toHaveProperty(['filter.0.value']);
    expect(violationsOf(run('filter[0][op]=equals&filter[0][value]=1'))).toHaveProperty([
      'filter.0.key',
    ]);
  });
});

describe('sorting', () => {
  const sorts = { id: (item: Item) => item.id, updatedAt: (item: Item) => item.updatedAt };

  it('sorts by the given keys and breaks ties by id in the first key’s direction', () => {
    const order = (sort: string) =>
      [...ITEMS]
        .sort(comparator(parseSort(sort, sorts, 'id'), sorts, (item) => item.id))
        .map((i) => i.id);
    expect(order('updatedAt')).toEqual([1, 3, 2]);
    expect(order('-updatedAt')).toEqual([2, 3, 1]);
    expect(order('')).toEqual([1, 2, 3]);
    expect(() => parseSort('email', sorts, 'id')).toThrow(XentralProblem);
  });

  it('sorts decorated rows in the same order as the comparator', () => {
    const rows: Item[] = Array.from({ length: 200 }, (_, i) => ({
      id: i + 1,
      email: i % 7 === 0 ? null : `User${(i * 37) % 50}@Example.com`,
      updatedAt: `2026-03-01T10:00:0${i % 3}.000Z`,
      status: 'draft',
    }));
    const specs = { ...sorts, email: (item: Item) => item.email };
    for (const sort of ['email', '-email,id', '-updatedAt,email', 'updatedAt,-id']) {
      const keys = parseSort(sort, specs, 'id');
      const expected = [...rows].sort(comparator(keys, specs, (item) => item.id));
      expect(sortRows(rows, keys, specs, (item) => item.id)).toEqual(expected);
    }
  });
});

describe('paging', () => {
  const params = new URLSearchParams('sort=id&page=2&perPage=1');

  it('defaults, clamps perPage to the maximum and rejects non-numbers', () => {
    expect(parseV3Page(new URLSearchParams(''), undefined, 100)).toEqual({
      page: 1,
      perPage: 15,
      mode: 'simple',
    });
    expect(parseV3Page(new URLSearchParams('page=0&perPage=5000'), 'table', 100)).toEqual({
      page: 1,
      perPage: 100,
      mode: 'table',
    });
    expect(
      violationsOf(() => parseV3Page(new URLSearchParams('page=-1'), undefined, 100)),
    ).toHaveProperty(['page']);
    expect(violationsOf(() => parseV3Page(new URLSearchParams(''), 'cursor', 100))).toHaveProperty([
      'x-pagination',
    ]);
  });

  it('builds links that keep the other parameters', () => {
    const list = v3List(
      [1, 2, 3],
      { page: 2, perPage: 1, mode: 'simple' },
      'http://x/api/v3/customers',
      params,
    );
    expect(list.data).toEqual([2]);
    expect(list.meta).toEqual({
      currentPage: 2,
      from: 2,
      path: 'http://x/api/v3/customers',
      perPage: 1,
      to: 2,
    });
    expect(list.links).toEqual({
      first: 'http://x/api/v3/customers?sort=id&page=1&perPage=1',
      last: null,
      prev: 'http://x/api/v3/customers?sort=id&page=1&perPage=1',
      next: 'http://x/api/v3/customers?sort=id&page=3&perPage=1',
    });
    const last = v3List([1, 2, 3], { page: 3, perPage: 1, mode: 'table' }, 'http://x/p', params);
    expect(last.links.next).toBeNull();
    expect(last.meta).toMatchObject({ lastPage: 3, total: 3 });
    const beyond = v3List([1], { page: 5, perPage: 10, mode: 'simple' }, 'http://x/p', params);
    expect(beyond).toMatchObject({
      data: [],
      meta: { from: null, to: null },
      links: { next: null },
    });
  });

  it('pages v1 lists with page[number] and page[size]', () => {
    const page = parseV1Page(new URLSearchParams('page[number]=2&page[size]=2'));
    expect(v1List([1, 2, 3, 4, 5], page)).toEqual({
      data: [3, 4],
      extra: { totalCount: 5, page: { number: 2, size: 2 } },
    });
    // Both are required: neither has a default.
    expect(Object.keys(violationsOf(() => parseV1Page(new URLSearchParams(''))))).toEqual([
      'page[number]',
      'page[size]',
    ]);
    expect(
      Object.keys(violationsOf(() => parseV1Page(new URLSearchParams('page[size]=10')))),
    ).toEqual(['page[number]']);
    expect(
      violationsOf(() => parseV1Page(new URLSearchParams('page[number]=1&page[size]=51'))),
    ).toHaveProperty(['page[size]']);
  });

  it('accepts documented includes only', () => {
    expect([...parseInclude('customerRoles,tags', ['customerRoles', 'tags'])]).toEqual([
      'customerRoles',
      'tags',
    ]);
    expect(() => parseInclude('secrets', ['customerRoles'])).toThrow(XentralProblem);
  });
});
