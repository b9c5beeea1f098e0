import { z } from 'zod';
import { propertyDefinition } from './crm';
import { validationError } from './errors';
import { OBJECT_TYPE_INFO, type ObjectType } from './object-types';
import { parseTimestamp, type PropertyDefinition } from './properties';
import type { CrmRecord, Portal } from './store';

/**
 * CRM search (POST /crm/v3/objects/{type}/search): filter groups are OR-ed, the filters inside a
 * group AND-ed. Limits from HubSpot's search guide: 5 groups, 6 filters per group, 18 filters in
 * total, one sort, 200 results per page, and no paging past the 10,000th result.
 */
export const SEARCH_LIMITS = {
  filterGroups: 5,
  filtersPerGroup: 6,
  filtersTotal: 18,
  sorts: 1,
  pageSize: 200,
  totalResults: 10_000,
} as const;

export const FILTER_OPERATORS = [
  'EQ',
  'NEQ',
  'LT',
  'LTE',
  'GT',
  'GTE',
  'BETWEEN',
  'IN',
  'NOT_IN',
  'HAS_PROPERTY',
  'NOT_HAS_PROPERTY',
  'CONTAINS_TOKEN',
  'NOT_CONTAINS_TOKEN',
] as const;
export type FilterOperator = (typeof FILTER_OPERATORS)[number];

const FilterValue = z.union([z.string(), z.number(), z.boolean()]).transform(String);

export const SearchFilter = z.object({
  propertyName: z.string().min(1),
  operator: z.enum(FILTER_OPERATORS),
  value: FilterValue.optional(),
  highValue: FilterValue.optional(),
  values: z.array(FilterValue).optional(),
});
export type SearchFilter = z.infer<typeof SearchFilter>;

const SearchSort = z.union([
  // The SDK types sorts as strings: "createdate" or "-createdate" for descending.
  z
    .string()
    .transform((text) =>
      text.startsWith('-')
        ? { propertyName: text.slice(1), direction: 'DESCENDING' as const }
        : { propertyName: text, direction: 'ASCENDING' as const },
    ),
  z.object({
    propertyName: z.string().min(1),
    direction: z.enum(['ASCENDING', 'DESCENDING']).default('ASCENDING'),
  }),
]);

export const SearchRequest = z.object({
  filterGroups: z.array(z.object({ filters: z.array(SearchFilter) })).default([]),
  sorts: z.array(SearchSort).default([]),
  properties: z.array(z.string()).optional(),
  limit: z.number().int().min(0).default(10),
  after: z.union([z.string(), z.number()]).optional(),
  query: z.string().optional(),
});
export type SearchRequest = z.infer<typeof SearchRequest>;

/** How a property's values compare: numerically, as instants, or as case-folded text. */
export type ValueKind = 'string' | 'number' | 'timestamp' | 'bool';

export function valueKind(definition: PropertyDefinition | undefined): ValueKind {
  switch (definition?.type) {
    case 'number':
      return 'number';
    case 'date':
    case 'datetime':
      return 'timestamp';
    case 'bool':
      return 'bool';
    case 'enumeration':
    case 'string':
    case undefined:
      return 'string';
  }
}

type Key = number | string;

/** The comparable form of a value; date values may be epoch-ms strings or ISO text. */
export function comparableKey(kind: ValueKind, raw: string): Key | undefined {
  switch (kind) {
    case 'number': {
      const text = raw.trim();
      if (text === '') return undefined;
      const number = Number(text);
      return Number.isFinite(number) ? number : undefined;
    }
    case 'timestamp':
      return parseTimestamp(raw);
    case 'bool':
      return raw.trim().toLowerCase();
    case 'string':
      return raw.toLowerCase();
  }
}

function requireKey(kind: ValueKind, raw: string | undefined, filter: SearchFilter): Key {
  if (raw === undefined) {
    throw validationError(`${filter.operator} on ${filter.propertyName} needs a value`);
  }
  const key = comparableKey(kind, raw);
  if (key === undefined) {
    throw validationError(`${raw} is not a valid ${kind} value for ${filter.propertyName}`);
  }
  return key;
}

function globToRegExp(pattern: string): RegExp {
  const escaped = pattern.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*');
  return new RegExp(`^${escaped}$`);
}

/**
 * CONTAINS_TOKEN matches a whole word of the value; `*` is a wildcard, so `*@example.com`
 * finds every address at that domain (HubSpot's documented example).
 */
export function containsToken(value: string, token: string): boolean {
  const text = value.toLowerCase();
  const wanted = token.toLowerCase().trim();
  if (wanted === '') return false;
  const words = text.split(/\s+/).filter((word) => word !== '');
  if (wanted.includes('*')) {
    const pattern = globToRegExp(wanted);
    return pattern.test(text) || words.some((word) => pattern.test(word));
  }
  if (text === wanted || words.includes(wanted)) return true;
  return text.split(/[^\p{L}\p{N}]+/u).includes(wanted);
}

/** A value as the predicate sees it: raw text, or an already-comparable number (fast path). */
export type FieldValue = string | number | undefined;

/** Compiles one filter into a predicate over a property value (pure; unit tested). */
export function compileFilter(
  filter: SearchFilter,
  kind: ValueKind,
): (value: FieldValue) => boolean {
  const keyOf = (value: FieldValue): Key | undefined =>
    value === undefined || value === ''
      ? undefined
      : typeof value === 'number'
        ? value
        : comparableKey(kind, value);
  const rawText = (value: FieldValue): string | undefined =>
    value === undefined || value === '' ? undefined : String(value);
  switch (filter.operator) {
    case 'HAS_PROPERTY':
      return (value) => rawText(value) !== undefined;
    case 'NOT_HAS_PROPERTY':
      return (value) => rawText(value) === undefined;
    case 'EQ':
    case 'NEQ': {
      const target = requireKey(kind, filter.value, filter);
      const equal = (value: FieldValue) => keyOf(value) === target;
      return filter.operator === 'EQ' ? equal : (value) => !equal(value);
    }
    case 'LT':
    case 'LTE':
    case 'GT':
    case 'GTE': {
      const target = requireKey(kind, filter.value, filter);
      const operator = filter.operator;
      return (value) => {
        const key = keyOf(value);
        if (key === undefined) return false;
        switch (operator) {
          case 'LT':
            return key < target;
          case 'LTE':
            return key <= target;
          case 'GT':
            return key > target;
          case 'GTE':
            return key >= target;
        }
      };
    }
    case 'BETWEEN': {
      const low = requireKey(kind, filter.value, filter);
      const high = requireKey(kind, filter.highValue, filter);
      return (value) => {
        const key = keyOf(value);
        return key !== undefined && key >= low && key <= high;
      };
    }
    case 'IN':
    case 'NOT_IN': {
      if (!filter.values || filter.values.length === 0) {
        throw validationError(`${filter.operator} on ${filter.propertyName} needs values`);
      }
      const targets = new Set(filter.values.map((raw) => requireKey(kind, raw, filter)));
      const contained = (value: FieldValue) => {
        const key = keyOf(value);
        return key !== undefined && targets.has(key);
      };
      return filter.operator === 'IN' ? contained : (value) => !contained(value);
    }
    case 'CONTAINS_TOKEN':
    case 'NOT_CONTAINS_TOKEN': {
      const token = filter.value;
      if (token === undefined) {
        throw validationError(`${filter.operator} on ${filter.propertyName} needs a value`);
      }
      const contains = (value: FieldValue) => {
        const text = rawText(value);
        return text !== undefined && containsToken(text, token);
      };
      return filter.operator === 'CONTAINS_TOKEN' ? contains : (value) => !contains(value);
    }
  }
}

/** Reads a property of a record; the system timestamps come pre-parsed to keep scans cheap. */
function fieldReader(type: ObjectType, property: string): (record: CrmRecord) => FieldValue {
  if (property === 'createdate') return (record) => record.createdAtMs;
  if (property === OBJECT_TYPE_INFO[type].lastModifiedProperty) {
    return (record) => record.updatedAtMs;
  }
  if (property === 'hs_object_id') return (record) => record.numericId;
  return (record) => record.properties.get(property);
}

/** Properties the free-text `query` looks at, per HubSpot's search guide. */
const QUERY_PROPERTIES: Record<ObjectType, readonly string[]> = {
  contacts: ['firstname', 'lastname', 'email', 'phone', 'mobilephone', 'company', 'fax'],
  companies: ['name', 'domain', 'website', 'phone'],
  deals: ['dealname', 'pipeline', 'dealstage', 'description', 'dealtype'],
};

export interface SearchOutcome {
  total: number;
  results: CrmRecord[];
  /** Offset of the next page, absent on the last one. */
  nextAfter: string | undefined;
}

function parseOffset(after: string | number | undefined): number {
  if (after === undefined || after === '') return 0;
  const offset = Number(after);
  if (!Number.isInteger(offset) || offset < 0) {
    throw validationError(`after must be a non-negative integer offset, got ${String(after)}`);
  }
  return offset;
}

function checkLimits(request: SearchRequest): void {
  if (request.limit > SEARCH_LIMITS.pageSize) {
    throw validationError(
      `The limit of ${request.limit} is too large: at most ${SEARCH_LIMITS.pageSize} results per page.`,
    );
  }
  const groups = request.filterGroups;
  if (groups.length > SEARCH_LIMITS.filterGroups) {
    throw validationError(
      `Too many filter groups: ${groups.length}. The maximum is ${SEARCH_LIMITS.filterGroups}.`,
    );
  }
  const perGroup = Math.max(0, ...groups.map((group) => group.filters.length));
  if (perGroup > SEARCH_LIMITS.filtersPerGroup) {
    throw validationError(
      `Too many filters in a filter group: ${perGroup}. The maximum is ${SEARCH_LIMITS.filtersPerGroup}.`,
    );
  }
  const total = groups.reduce((sum, group) => sum + group.filters.length, 0);
  if (total > SEARCH_LIMITS.filtersTotal) {
    throw validationError(
      `Too many filters: ${total}. The maximum is ${SEARCH_LIMITS.filtersTotal} across all filter groups.`,
    );
  }
  if (request.sorts.length > SEARCH_LIMITS.sorts) {
    throw validationError('Only one sort is supported.');
  }
}

/**
 * Runs a search over one object type. One linear scan per request: fine at 100,000 records, and
 * records written within the index lag are left out, as HubSpot's asynchronous index does.
 */
export function runSearch(
  portal: Portal,
  type: ObjectType,
  request: SearchRequest,
  options: { nowMs: number; indexLagMs: number },
): SearchOutcome {
  checkLimits(request);
  const offset = parseOffset(request.after);
  if (offset >= SEARCH_LIMITS.totalResults) {
    throw validationError(
      `Paging is limited to the first ${SEARCH_LIMITS.totalResults} results of a search; narrow the filters instead.`,
    );
  }
  const known = (property: string): PropertyDefinition => {
    const definition = propertyDefinition(portal, type, property);
    if (!definition) {
      throw validationError(`Property "${property}" does not exist on ${type}`);
    }
    return definition;
  };
  const groups = request.filterGroups
    .filter((group) => group.filters.length > 0)
    .map((group) =>
      group.filters.map((filter) => {
        const test = compileFilter(filter, valueKind(known(filter.propertyName)));
        const read = fieldReader(type, filter.propertyName);
        return (record: CrmRecord) => test(read(record));
      }),
    );
  const terms = (request.query ?? '')
    .toLowerCase()
    .split(/\s+/)
    .filter((term) => term !== '');
  const queryProperties = QUERY_PROPERTIES[type];
  const visibleUntil = options.nowMs - options.indexLagMs;

  const matches: CrmRecord[] = [];
  for (const record of portal.tables[type].ordered) {
    if (record.archived || record.writtenAtMs > visibleUntil) continue;
    if (groups.length > 0 && !groups.some((group) => group.every((test) => test(record)))) {
      continue;
    }
    if (
      terms.length > 0 &&
      !terms.every((term) =>
        queryProperties.some((name) => record.properties.get(name)?.toLowerCase().includes(term)),
      )
    ) {
      continue;
    }
    matches.push(record);
  }

  const sort = request.sorts[0];
  if (sort) {
    const kind = valueKind(known(sort.propertyName));
    const read = fieldReader(type, sort.propertyName);
    const direction = sort.direction === 'DESCENDING' ? -1 : 1;
    const keyed = matches.map((record) => {
      const value = read(record);
      const key =
        value === undefined || value === ''
          ? undefined
          : typeof value === 'number'
            ? value
            : comparableKey(kind, value);
      return { record, key };
    });
    keyed.sort((a, b) => {
      // Records without a value come last either way; ties keep id order.
      if (a.key === undefined || b.key === undefined) {
        if (a.key === b.key) return a.record.numericId - b.record.numericId;
        return a.key === undefined ? 1 : -1;
      }
      if (a.key < b.key) return -direction;
      if (a.key > b.key) return direction;
      return a.record.numericId - b.record.numericId;
    });
    matches.length = 0;
    for (const entry of keyed) matches.push(entry.record);
  }

  // A page never reaches past the 10,000th result; the next `after` then answers 400.
  const end = Math.min(offset + request.limit, matches.length, SEARCH_LIMITS.totalResults);
  const results = matches.slice(offset, end);
  return {
    total: matches.length,
    results,
    nextAfter: end < matches.length && request.limit > 0 ? String(end) : undefined,
  };
}
