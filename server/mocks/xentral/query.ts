import { validationProblem, type Violations } from './problems';

/**
 * Xentral's list query language: `filter[n][key|op|value]` (AND-combined), `sort` as a comma list
 * with "-" for descending, and paging (v3: `page`/`perPage` with the `x-pagination` header; v1:
 * `page[number]`/`page[size]`). See developer.xentral.com "V3 Filtering, Ordering & Pagination"
 * and "V1 and V2 Filtering, Ordering, & Pagination".
 *
 * Query strings are read with URLSearchParams instead of Express's parser, so the bracket syntax
 * is interpreted here, once, the way Xentral documents it.
 */

export const FILTER_OPS = [
  'equals',
  'notEquals',
  'in',
  'notIn',
  'isNull',
  'isNotNull',
  'contains',
  'notContains',
  'startsWith',
  'endsWith',
  'lessThan',
  'lessThanOrEquals',
  'greaterThan',
  'greaterThanOrEquals',
] as const;
export type FilterOp = (typeof FILTER_OPS)[number];

/** What a field is decides which operators Xentral offers for it (per the endpoint docs). */
export type FieldKind = 'id' | 'text' | 'datetime' | 'date' | 'enum';

const OPS_BY_KIND: Record<FieldKind, readonly FilterOp[]> = {
  id: ['equals', 'notEquals', 'in', 'notIn', 'isNull', 'isNotNull'],
  text: [
    'equals',
    'notEquals',
    'in',
    'notIn',
    'contains',
    'notContains',
    'startsWith',
    'endsWith',
    'isNull',
    'isNotNull',
  ],
  datetime: [
    'equals',
    'notEquals',
    'lessThan',
    'lessThanOrEquals',
    'greaterThan',
    'greaterThanOrEquals',
    'isNull',
    'isNotNull',
  ],
  date: [
    'equals',
    'notEquals',
    'lessThan',
    'lessThanOrEquals',
    'greaterThan',
    'greaterThanOrEquals',
    'isNull',
    'isNotNull',
  ],
  enum: ['equals', 'notEquals', 'in', 'notIn'],
};

export interface FieldSpec<T> {
  kind: FieldKind;
  /** The field's API value; null when absent. */
  get(entity: T): string | null;
  /** Allowed values of an enum field. */
  values?: readonly string[];
}

export type FieldSpecs<T> = Record<string, FieldSpec<T>>;

export interface RawFilter {
  index: string;
  key?: string;
  op?: string;
  value?: string | string[];
}

export interface ParsedFilter {
  key: string;
  op: FilterOp;
  /** One value for comparisons, a list for in/notIn, none for isNull/isNotNull. */
  values: string[];
}

const FILTER_PARAM = /^filter\[(\d+)\]\[(key|op|value)\](?:\[(\d*)\])?$/;

/** Collects `filter[n][key]`, `filter[n][op]`, `filter[n][value]` and `filter[n][value][]`. */
export function readFilterParams(params: URLSearchParams): RawFilter[] {
  const byIndex = new Map<string, RawFilter>();
  for (const [name, value] of params) {
    const match = FILTER_PARAM.exec(name);
    if (!match) continue;
    const [, index = '0', part, listIndex] = match;
    let entry = byIndex.get(index);
    if (!entry) {
      entry = { index };
      byIndex.set(index, entry);
    }
    if (part === 'value') {
      if (listIndex !== undefined) {
        const list = Array.isArray(entry.value) ? entry.value : [];
        list.push(value);
        entry.value = list;
      } else {
        entry.value = value;
      }
    } else if (part === 'key') {
      entry.key = value;
    } else {
      entry.op = value;
    }
  }
  return [...byIndex.values()].sort((a, b) => Number(a.index) - Number(b.index));
}

function isFilterOp(op: string): op is FilterOp {
  return (FILTER_OPS as readonly string[]).includes(op);
}

function toList(value: string | string[] | undefined): string[] {
  if (value === undefined) return [];
  if (Array.isArray(value)) return value;
  // A single value for `in` is read as a comma list: `filter[0][value]=a,b`.
  return value.split(',').map((part) => part.trim());
}

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;

function checkValue(
  kind: FieldKind,
  value: string,
  spec: { values?: readonly string[] },
): string | null {
  switch (kind) {
    case 'id':
      return /^\d+$/.test(value) ? null : 'must be an integer';
    case 'datetime':
      return Number.isNaN(Date.parse(value)) ? 'must be a valid date' : null;
    case 'date':
      return DATE_ONLY.test(value) && !Number.isNaN(Date.parse(value))
        ? null
        : 'must be a valid date (YYYY-MM-DD)';
    case 'enum':
      return spec.values?.includes(value) ? null : 'is invalid';
    case 'text':
      return null;
  }
}

/**
 * Validates filters against an endpoint's keys: an unknown key, an operator the key does not
 * support or a malformed value is a 400 request-validation problem, as in the real API.
 */
export function parseFilters<T>(raw: readonly RawFilter[], specs: FieldSpecs<T>): ParsedFilter[] {
  const violations: Violations = {};
  const parsed: ParsedFilter[] = [];
  for (const entry of raw) {
    const at = `filter.${entry.index}`;
    const spec = entry.key === undefined ? undefined : specs[entry.key];
    if (entry.key === undefined) {
      violations[`${at}.key`] = [`The ${at}.key field is required.`];
      continue;
    }
    if (!spec) {
      violations[`${at}.key`] = [
        `The selected ${at}.key is invalid. Allowed: ${Object.keys(specs).join(', ')}.`,
      ];
      continue;
    }
    if (entry.op === undefined) {
      violations[`${at}.op`] = [`The ${at}.op field is required.`];
      continue;
    }
    const op = entry.op;
    if (!isFilterOp(op) || !OPS_BY_KIND[spec.kind].includes(op)) {
      violations[`${at}.op`] = [
        `The selected ${at}.op is invalid for ${entry.key}. Allowed: ${OPS_BY_KIND[spec.kind].join(', ')}.`,
      ];
      continue;
    }
    let values: string[];
    if (op === 'isNull' || op === 'isNotNull') {
      values = [];
    } else if (op === 'in' || op === 'notIn') {
      values = toList(entry.value).filter((value) => value !== '');
      if (values.length === 0) {
        violations[`${at}.value`] = [`The ${at}.value field is required.`];
        continue;
      }
    } else {
      if (entry.value === undefined || Array.isArray(entry.value)) {
        violations[`${at}.value`] = [
          entry.value === undefined
            ? `The ${at}.value field is required.`
            : `The ${at}.value field must be a string.`,
        ];
        continue;
      }
      values = [entry.value];
    }
    const bad = values.map((value) => checkValue(spec.kind, value, spec)).find((m) => m !== null);
    if (bad) {
      violations[`${at}.value`] = [`The ${at}.value field ${bad}.`];
      continue;
    }
    parsed.push({ key: entry.key, op, values });
  }
  if (Object.keys(violations).length > 0) throw validationProblem(violations);
  return parsed;
}

function lower(value: string): string {
  return value.toLowerCase();
}

/** Ordered operators on the sign of (actual − bound); the others never reach a date field. */
function ordered(op: FilterOp, order: number): boolean {
  switch (op) {
    case 'equals':
      return order === 0;
    case 'notEquals':
      return order !== 0;
    case 'lessThan':
      return order < 0;
    case 'lessThanOrEquals':
      return order <= 0;
    case 'greaterThan':
      return order > 0;
    case 'greaterThanOrEquals':
      return order >= 0;
    case 'in':
    case 'notIn':
    case 'isNull':
    case 'isNotNull':
    case 'contains':
    case 'notContains':
    case 'startsWith':
    case 'endsWith':
      return false;
  }
}

/** Set and text operators; ordered ones never reach a text, id or enum field. */
function matches(op: FilterOp, value: string | null, needle: string, wanted: Set<string>): boolean {
  switch (op) {
    case 'isNull':
      return value === null;
    case 'isNotNull':
      return value !== null;
    case 'equals':
      return value === needle;
    case 'notEquals':
      return value !== needle;
    case 'in':
      return value !== null && wanted.has(value);
    case 'notIn':
      return value === null || !wanted.has(value);
    case 'contains':
      return value !== null && value.includes(needle);
    case 'notContains':
      return value === null || !value.includes(needle);
    case 'startsWith':
      return value !== null && value.startsWith(needle);
    case 'endsWith':
      return value !== null && value.endsWith(needle);
    case 'lessThan':
    case 'lessThanOrEquals':
    case 'greaterThan':
    case 'greaterThanOrEquals':
      return false;
  }
}

/** One filter as a predicate. Text compares case-insensitively, like Xentral's MySQL collation. */
function predicate<T>(filter: ParsedFilter, spec: FieldSpec<T>): (entity: T) => boolean {
  const { op, values } = filter;
  const first = values[0] ?? '';
  if (op === 'isNull' || op === 'isNotNull') {
    const wantNull = op === 'isNull';
    return (entity) => (spec.get(entity) === null) === wantNull;
  }
  switch (spec.kind) {
    case 'datetime': {
      const bound = Date.parse(first);
      return (entity) => {
        const raw = spec.get(entity);
        if (raw === null) return op === 'notEquals';
        return ordered(op, Math.sign(Date.parse(raw) - bound));
      };
    }
    case 'date':
      // YYYY-MM-DD strings order like the dates they name.
      return (entity) => {
        const raw = spec.get(entity);
        if (raw === null) return op === 'notEquals';
        return ordered(op, raw < first ? -1 : raw > first ? 1 : 0);
      };
    case 'id':
    case 'enum':
    case 'text': {
      const normalise =
        spec.kind === 'id'
          ? (value: string) => String(Number(value))
          : spec.kind === 'text'
            ? lower
            : (value: string) => value;
      const wanted = new Set(values.map(normalise));
      const needle = normalise(first);
      return (entity) => {
        const raw = spec.get(entity);
        return matches(op, raw === null ? null : normalise(raw), needle, wanted);
      };
    }
  }
}

/** All filters AND-combined, as Xentral documents. */
export function compileFilters<T>(
  filters: readonly ParsedFilter[],
  specs: FieldSpecs<T>,
): (entity: T) => boolean {
  const predicates = filters.map((filter) => {
    const spec = specs[filter.key];
    if (!spec) throw new Error(`unknown filter key ${filter.key}`);
    return predicate(filter, spec);
  });
  return (entity) => predicates.every((test) => test(entity));
}

// ---- Sorting -----------------------------------------------------------------------------

export type SortValue = string | number | null;
export type SortSpecs<T> = Record<string, (entity: T) => SortValue>;

export interface SortKey {
  key: string;
  descending: boolean;
}

/** `sort=-updatedAt,id` → keys; anything not offered by the endpoint is a 400. */
export function parseSort<T>(
  value: string | null,
  specs: SortSpecs<T>,
  fallback: string,
): SortKey[] {
  const text = value === null || value.trim() === '' ? fallback : value;
  const keys = text.split(',').map((part) => part.trim());
  const invalid = keys.filter((key) => !(key.replace(/^-/, '') in specs));
  if (invalid.length > 0) {
    const allowed = Object.keys(specs).flatMap((key) => [key, `-${key}`]);
    throw validationProblem({
      sort: [
        `The selected sort is invalid: ${invalid.join(', ')}. Allowed: ${allowed.join(', ')}.`,
      ],
    });
  }
  return keys.map((key) => ({ key: key.replace(/^-/, ''), descending: key.startsWith('-') }));
}

function compareValues(a: SortValue, b: SortValue): number {
  // Nulls first, as MySQL orders them ascending.
  if (a === b) return 0;
  if (a === null) return -1;
  if (b === null) return 1;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  const left = String(a).toLowerCase();
  const right = String(b).toLowerCase();
  return left < right ? -1 : left > right ? 1 : 0;
}

/**
 * A total order: the requested keys, then the id in the direction of the first key, so equal
 * values (many rows share a second) never make paging skip or repeat a row.
 */
export function comparator<T>(
  keys: readonly SortKey[],
  specs: SortSpecs<T>,
  id: (entity: T) => number,
): (a: T, b: T) => number {
  const getters = keys.map((key) => {
    const get = specs[key.key];
    if (!get) throw new Error(`unknown sort key ${key.key}`);
    return { get, sign: key.descending ? -1 : 1 };
  });
  const tieSign = keys[0]?.descending ? -1 : 1;
  return (a, b) => {
    for (const { get, sign } of getters) {
      const order = compareValues(get(a), get(b));
      if (order !== 0) return order * sign;
    }
    return (id(a) - id(b)) * tieSign;
  };
}

/**
 * Sorts with each row's sort values computed once (lower-cased text included), which keeps
 * sorting 100,000 customers cheap; the order is the same as `comparator`'s.
 */
export function sortRows<T>(
  rows: readonly T[],
  keys: readonly SortKey[],
  specs: SortSpecs<T>,
  id: (entity: T) => number,
): T[] {
  const getters = keys.map((key) => {
    const get = specs[key.key];
    if (!get) throw new Error(`unknown sort key ${key.key}`);
    return get;
  });
  const signs = keys.map((key) => (key.descending ? -1 : 1));
  const tieSign = keys[0]?.descending ? -1 : 1;
  const decorated = rows.map((row) => ({
    row,
    id: id(row),
    values: getters.map((get) => {
      const value = get(row);
      return typeof value === 'string' ? value.toLowerCase() : value;
    }),
  }));
  decorated.sort((a, b) => {
    for (let i = 0; i < signs.length; i++) {
      const order = compareValues(a.values[i] ?? null, b.values[i] ?? null);
      if (order !== 0) return order * (signs[i] ?? 1);
    }
    return (a.id - b.id) * tieSign;
  });
  return decorated.map((entry) => entry.row);
}

// ---- Paging ------------------------------------------------------------------------------

export interface V3Page {
  page: number;
  perPage: number;
  mode: 'simple' | 'table';
}

function nonNegativeInteger(
  params: URLSearchParams,
  name: string,
  violations: Violations,
): number | undefined {
  const raw = params.get(name);
  if (raw === null || raw === '') return undefined;
  if (!/^\d+$/.test(raw)) {
    violations[name] = [`The ${name} field must be an integer of at least 0.`];
    return undefined;
  }
  return Number(raw);
}

/**
 * v3 paging: `perPage` defaults to 15, a larger value than the endpoint's maximum is reduced to
 * it, 0 or absent selects the default; `page` 0 or absent is the first page (per the OpenAPI
 * parameter descriptions). `x-pagination: table` adds totals; cursor paging is not offered.
 */
export function parseV3Page(
  params: URLSearchParams,
  paginationHeader: string | undefined,
  maxPerPage: number,
): V3Page {
  const violations: Violations = {};
  const page = nonNegativeInteger(params, 'page', violations);
  const perPage = nonNegativeInteger(params, 'perPage', violations);
  const mode = paginationHeader?.trim().toLowerCase() || 'simple';
  if (mode !== 'simple' && mode !== 'table') {
    violations['x-pagination'] = [
      'The mock supports the simple and table pagination types only (cursor is not offered).',
    ];
  }
  if (Object.keys(violations).length > 0) throw validationProblem(violations);
  return {
    page: page === undefined || page === 0 ? 1 : page,
    perPage: perPage === undefined || perPage === 0 ? 15 : Math.min(perPage, maxPerPage),
    mode: mode === 'table' ? 'table' : 'simple',
  };
}

export interface V3Links {
  first: string | null;
  last: string | null;
  prev: string | null;
  next: string | null;
}

export interface V3Meta {
  currentPage: number;
  from: number | null;
  path: string;
  perPage: number;
  to: number | null;
  lastPage?: number;
  total?: number;
}

export interface V3List<T> {
  data: T[];
  links: V3Links;
  meta: V3Meta;
}

/** The `{data, links, meta}` envelope; links keep the caller's other query parameters. */
export function v3List<T>(
  all: readonly T[],
  page: V3Page,
  endpointUrl: string,
  params: URLSearchParams,
): V3List<T> {
  const start = (page.page - 1) * page.perPage;
  const data = all.slice(start, start + page.perPage);
  const lastPage = Math.max(1, Math.ceil(all.length / page.perPage));
  const link = (n: number) => {
    const query = new URLSearchParams(params);
    query.set('page', String(n));
    return `${endpointUrl}?${query.toString()}`;
  };
  const meta: V3Meta = {
    currentPage: page.page,
    from: data.length > 0 ? start + 1 : null,
    path: endpointUrl,
    perPage: page.perPage,
    to: data.length > 0 ? start + data.length : null,
  };
  if (page.mode === 'table') {
    meta.lastPage = lastPage;
    meta.total = all.length;
  }
  return {
    data,
    links: {
      first: link(1),
      last: page.mode === 'table' ? link(lastPage) : null,
      prev: page.page > 1 ? link(page.page - 1) : null,
      next: start + page.perPage < all.length ? link(page.page + 1) : null,
    },
    meta,
  };
}

export interface V1Page {
  number: number;
  size: number;
}

/**
 * v1 paging (xentral-api.openapi-3.0.0.json, every v1 list): the `page` deep object requires
 * both `number` (≥ 1) and `size` ("usually between 10 and 50"; the mock takes 1–50). Either
 * one missing is a 400 request-validation problem, as the real API's schema demands.
 */
export function parseV1Page(params: URLSearchParams, maxSize = 50): V1Page {
  const violations: Violations = {};
  const read = (name: string, max: number): number => {
    const raw = params.get(name);
    if (raw === null || raw === '') {
      violations[name] = ['This value should not be blank.'];
      return 0;
    }
    if (!/^\d+$/.test(raw) || Number(raw) < 1 || Number(raw) > max) {
      violations[name] = [`This value should be between 1 and ${max}.`];
      return 0;
    }
    return Number(raw);
  };
  const number = read('page[number]', Number.MAX_SAFE_INTEGER);
  const size = read('page[size]', maxSize);
  if (Object.keys(violations).length > 0) throw validationProblem(violations);
  return { number, size };
}

export interface V1List<T> {
  data: T[];
  extra: { totalCount: number; page: V1Page };
}

/** The v1 `{data, extra: {totalCount, page: {number, size}}}` envelope. */
export function v1List<T>(all: readonly T[], page: V1Page): V1List<T> {
  const start = (page.number - 1) * page.size;
  return {
    data: all.slice(start, start + page.size),
    extra: { totalCount: all.length, page },
  };
}

/** `include=a,b` → ['a', 'b']; values outside `allowed` are a 400 as in the real API. */
export function parseInclude(value: string | null, allowed: readonly string[]): Set<string> {
  if (value === null || value.trim() === '') return new Set();
  const parts = value.split(',').map((part) => part.trim());
  const invalid = parts.filter((part) => !allowed.includes(part));
  if (invalid.length > 0) {
    throw validationProblem({
      include: [`The selected include is invalid: ${invalid.join(', ')}.`],
    });
  }
  return new Set(parts);
}
