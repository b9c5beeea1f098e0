import { z } from 'zod';
import type {
  XentralCustomerRecord,
  XentralEmployeeRecord,
  XentralOrderRecord,
} from '../../engine/model';
import { CapabilityMissingError, RunAbortedError } from '../../engine/errors';
import type { ChangeWindow, WriteResult, XentralPort } from '../../engine/ports';
import {
  XentralHttp,
  XentralRequestError,
  XentralUncertainError,
  type XentralHttpOptions,
} from './http';
import {
  publicEmployeeToRecord,
  toCustomerBody,
  toCustomerRecord,
  toEmployeeBody,
  toEmployeeRecord,
  toOrderRecord,
  XentralCustomer,
  XentralEmployee,
  XentralPublicEmployee,
  XentralSalesOrder,
} from './mapper';

/** Xentral's v3 list envelope; `x-pagination: table` adds the total. */
const V3List = <T extends z.ZodType>(item: T) =>
  z.looseObject({
    data: z.array(item),
    meta: z
      .looseObject({ total: z.number().optional(), lastPage: z.number().optional() })
      .optional(),
  });
const V1List = <T extends z.ZodType>(item: T) =>
  z.looseObject({
    data: z.array(item),
    extra: z.looseObject({ totalCount: z.number() }).optional(),
  });
const One = <T extends z.ZodType>(item: T) => z.looseObject({ data: item });

const CUSTOMERS = '/api/v3/customers';
const SALES_ORDERS = '/api/v3/salesOrders';
/** Business documents allow up to 1000 per page. */
const ORDER_PAGE_SIZE = 1000;
const PROJECTS = '/api/v1/projects';

const XentralProjectJson = z.looseObject({
  id: z.union([z.string(), z.number()]).transform(String),
  name: z.string(),
  keyName: z
    .string()
    .nullish()
    .transform((value) => value ?? ''),
});
export type XentralProject = z.infer<typeof XentralProjectJson>;
/** Mock extension routes (the public API cannot read an employee's e-mail or create one). */
const EMPLOYEES = '/api/v1/employees';
const EMPLOYEES_EXTENDED = '/api/v1/employees/extended';
const V3_PAGE_SIZE = 100;
const V1_PAGE_SIZE = 50;
/** A window read restarts when its total changes underneath it; beyond this we give up. */
const MAX_WINDOW_RESTARTS = 5;

/** Xentral keeps whole seconds: flooring a bound keeps "> since" and "≤ until" exact. */
function isoSeconds(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString();
}

function filterQuery(filters: [key: string, op: string, value: string][]): URLSearchParams {
  const query = new URLSearchParams();
  filters.forEach(([key, op, value], index) => {
    query.set(`filter[${index}][key]`, key);
    query.set(`filter[${index}][op]`, op);
    query.set(`filter[${index}][value]`, value);
  });
  return query;
}

function windowFilters(window: ChangeWindow): [string, string, string][] {
  const filters: [string, string, string][] = [
    ['updatedAt', 'lessThanOrEquals', isoSeconds(window.untilMs)],
  ];
  if (window.sinceMs !== null)
    filters.unshift(['updatedAt', 'greaterThan', isoSeconds(window.sinceMs)]);
  return filters;
}

/**
 * The first read of customers (no lower bound) takes every one, without an upper bound too:
 * a filter on updatedAt leaves out a customer without one, which the published `Customer`
 * schema allows (never changed since an import). Later reads see what changed, which has one.
 */
function customerWindowFilters(window: ChangeWindow): [string, string, string][] {
  return window.sinceMs === null ? [] : windowFilters(window);
}

/** Every v1 list requires both `page[number]` and `page[size]` (xentral-api.openapi-3.0.0.json). */
function v1Page(query: URLSearchParams, number: number, size: number): URLSearchParams {
  query.set('page[number]', String(number));
  query.set('page[size]', String(size));
  return query;
}

/** "primaryAddress.zipCode" → "zip code (primaryAddress.zipCode)": the field an admin fixes. */
const ADDRESS_FIELD_NAMES: Record<string, string> = {
  name: 'name',
  street: 'street',
  zipCode: 'zip code',
  city: 'city',
  country: 'country',
};

function failure(error: unknown): { ok: false; error: string; uncertain?: boolean } {
  if (error instanceof XentralRequestError) {
    // A required address part Xentral refuses empty: say which one, so the admin can fill it.
    const fields = Object.keys(error.problem.violations ?? {})
      .map((path) => /^primaryAddress\.(\w+)$/.exec(path)?.[1])
      .filter((key): key is string => key !== undefined && key in ADDRESS_FIELD_NAMES)
      .map((key) => `${ADDRESS_FIELD_NAMES[key] ?? key} (primaryAddress.${key})`);
    if (fields.length > 0) {
      return {
        ok: false,
        error: `Xentral requires the ${fields.join(', ')} of this address and refused it empty; fill it in and the next run sends it. ${error.message}`,
      };
    }
    return { ok: false, error: error.message };
  }
  if (error instanceof XentralUncertainError) {
    return {
      ok: false,
      error: `${error.message} Whether the record was created is checked in the next run.`,
      uncertain: true,
    };
  }
  throw error;
}

function unstableWindow(): RunAbortedError {
  return new RunAbortedError(
    'xentral_unavailable',
    'Xentral data kept changing while it was being read; the run stopped and the next run reads it again.',
  );
}

export class XentralAdapter implements XentralPort {
  readonly http: XentralHttp;
  readonly timestampResolutionMs = 1000;

  constructor(options: XentralHttpOptions | XentralHttp) {
    this.http = options instanceof XentralHttp ? options : new XentralHttp(options);
  }

  get instance(): string {
    return this.http.baseUrl;
  }

  // ---- customers -----------------------------------------------------------------------------

  async *readChangedCustomers(window: ChangeWindow): AsyncIterable<XentralCustomerRecord[]> {
    const schema = V3List(XentralCustomer);
    restart: for (let restarts = 0; ; restarts++) {
      let total: number | undefined;
      for (let page = 1; ; page++) {
        const query = filterQuery(customerWindowFilters(window));
        query.set('perPage', String(V3_PAGE_SIZE));
        query.set('page', String(page));
        // Oldest change first, ties by id: pages then arrive in the order the engine checkpoints.
        query.set('sort', 'updatedAt,id');
        const { body } = await this.http.request('GET', CUSTOMERS, schema, {
          query,
          headers: { 'x-pagination': 'table' },
        });
        // Records changed while we page leave the window and shift later pages: start over.
        if (total !== undefined && body.meta?.total !== undefined && body.meta.total !== total) {
          if (restarts >= MAX_WINDOW_RESTARTS) throw unstableWindow();
          continue restart;
        }
        if (total === undefined && body.meta?.total !== undefined) {
          window.onTotal?.(body.meta.total);
        }
        total ??= body.meta?.total;
        if (body.data.length > 0) yield body.data.map(toCustomerRecord);
        // The total saves asking for an empty page after a full last one.
        if (
          body.data.length < V3_PAGE_SIZE ||
          (total !== undefined && page * V3_PAGE_SIZE >= total)
        ) {
          return;
        }
      }
    }
  }

  async countChangedCustomers(window: ChangeWindow & { sinceMs: number }): Promise<number | null> {
    const query = filterQuery(windowFilters(window));
    query.set('perPage', '1');
    const { body } = await this.http.request('GET', CUSTOMERS, V3List(XentralCustomer), {
      query,
      headers: { 'x-pagination': 'table' },
    });
    return body.meta?.total ?? null;
  }

  async findCustomersByEmail(email: string): Promise<XentralCustomerRecord[]> {
    return this.findCustomers([['email', 'equals', email]]);
  }

  async findCustomersByName(name: string): Promise<XentralCustomerRecord[]> {
    return this.findCustomers([['name', 'equals', name]]);
  }

  private async findCustomers(
    filters: [string, string, string][],
  ): Promise<XentralCustomerRecord[]> {
    const query = filterQuery(filters);
    query.set('perPage', String(V3_PAGE_SIZE));
    const { body } = await this.http.request('GET', CUSTOMERS, V3List(XentralCustomer), { query });
    return body.data.map(toCustomerRecord);
  }

  async createCustomer(
    patch: Partial<XentralCustomerRecord>,
  ): Promise<WriteResult<XentralCustomerRecord>> {
    try {
      const { body } = await this.http.request('POST', CUSTOMERS, One(XentralCustomer), {
        body: toCustomerBody(patch, 'create'),
      });
      return { ok: true, record: toCustomerRecord(body.data) };
    } catch (error) {
      return failure(error);
    }
  }

  async updateCustomer(
    id: string,
    patch: Partial<XentralCustomerRecord>,
  ): Promise<WriteResult<XentralCustomerRecord>> {
    try {
      const { body } = await this.http.request(
        'PATCH',
        `${CUSTOMERS}/${encodeURIComponent(id)}`,
        One(XentralCustomer),
        { body: toCustomerBody(patch, 'update') },
      );
      return { ok: true, record: toCustomerRecord(body.data) };
    } catch (error) {
      return failure(error);
    }
  }

  // ---- sales orders ----------------------------------------------------------------------------

  async *readChangedOrders(window: ChangeWindow): AsyncIterable<XentralOrderRecord[]> {
    const schema = V3List(XentralSalesOrder);
    restart: for (let restarts = 0; ; restarts++) {
      let total: number | undefined;
      for (let page = 1; ; page++) {
        const query = filterQuery(windowFilters(window));
        const status = [...query.keys()].length / 3;
        query.set(`filter[${status}][key]`, 'status');
        query.set(`filter[${status}][op]`, 'in');
        query.append(`filter[${status}][value][]`, 'released');
        query.append(`filter[${status}][value][]`, 'completed');
        query.set('perPage', String(ORDER_PAGE_SIZE));
        query.set('page', String(page));
        query.set('sort', 'updatedAt,id');
        const { body } = await this.http.request('GET', SALES_ORDERS, schema, {
          query,
          headers: { 'x-pagination': 'table' },
        });
        if (total !== undefined && body.meta?.total !== undefined && body.meta.total !== total) {
          if (restarts >= MAX_WINDOW_RESTARTS) throw unstableWindow();
          continue restart;
        }
        total ??= body.meta?.total;
        if (body.data.length > 0) yield body.data.map(toOrderRecord);
        if (
          body.data.length < ORDER_PAGE_SIZE ||
          (total !== undefined && page * ORDER_PAGE_SIZE >= total)
        ) {
          return;
        }
      }
    }
  }

  // ---- projects ---------------------------------------------------------------------------------

  /** Projects whose name or key name contains `search` (all when empty), at most 50. */
  async projects(search = ''): Promise<XentralProject[]> {
    const term = search.trim();
    const lookups: [string, string, string][][] =
      term === '' ? [[]] : [[['name', 'contains', term]], [['keyName', 'contains', term]]];
    const found = new Map<string, XentralProject>();
    for (const filters of lookups) {
      const query = v1Page(filterQuery(filters), 1, V1_PAGE_SIZE);
      const { body } = await this.http.request('GET', PROJECTS, V1List(XentralProjectJson), {
        query,
      });
      for (const project of body.data) found.set(project.id, project);
    }
    return [...found.values()].sort((a, b) => a.name.localeCompare(b.name, 'de'));
  }

  /**
   * One project, through the list filtered by id: the public API has no route for a single
   * project (xentral-api.openapi-3.0.0.json lists only `GET /api/v1/projects`).
   */
  async project(id: string): Promise<XentralProject | undefined> {
    if (!/^\d+$/.test(id)) return undefined;
    const query = v1Page(filterQuery([['id', 'equals', id]]), 1, 10);
    const { body } = await this.http.request('GET', PROJECTS, V1List(XentralProjectJson), {
      query,
    });
    return body.data.find((project) => project.id === id);
  }

  // ---- employees (extension routes) ----------------------------------------------------------------

  /**
   * Reads through an extension route. A Xentral without it answers 404: HubSpot users cannot be
   * matched to employees there, so the engine leaves them out rather than failing the run.
   */
  private async employees<T>(schema: z.ZodType<T>, query: URLSearchParams): Promise<{ body: T }> {
    try {
      return await this.http.request('GET', EMPLOYEES_EXTENDED, schema, { query });
    } catch (error) {
      if (error instanceof XentralRequestError && (error.status === 404 || error.status === 405)) {
        throw new CapabilityMissingError(
          'xentral_employees',
          `This Xentral cannot list employees with their e-mail (GET ${EMPLOYEES_EXTENDED} answered ${error.status}); HubSpot users are matched to employees by name.`,
        );
      }
      throw error;
    }
  }

  async *readChangedEmployees(window: ChangeWindow): AsyncIterable<XentralEmployeeRecord[]> {
    const schema = V1List(XentralEmployee);
    restart: for (let restarts = 0; ; restarts++) {
      let total: number | undefined;
      for (let page = 1; ; page++) {
        const query = v1Page(filterQuery(windowFilters(window)), page, V1_PAGE_SIZE);
        const { body } = await this.employees(schema, query);
        const count = body.extra?.totalCount;
        if (total !== undefined && count !== undefined && count !== total) {
          if (restarts >= MAX_WINDOW_RESTARTS) throw unstableWindow();
          continue restart;
        }
        if (total === undefined && count !== undefined) window.onTotal?.(count);
        total ??= count;
        if (body.data.length > 0) yield body.data.map(toEmployeeRecord);
        if (
          body.data.length < V1_PAGE_SIZE ||
          (total !== undefined && page * V1_PAGE_SIZE >= total)
        ) {
          return;
        }
      }
    }
  }

  async countChangedEmployees(window: ChangeWindow & { sinceMs: number }): Promise<number | null> {
    const query = v1Page(filterQuery(windowFilters(window)), 1, 1);
    const { body } = await this.employees(V1List(XentralEmployee), query);
    return body.extra?.totalCount ?? null;
  }

  async findEmployeesByEmail(email: string): Promise<XentralEmployeeRecord[]> {
    const query = v1Page(filterQuery([['email', 'equals', email]]), 1, V1_PAGE_SIZE);
    const { body } = await this.employees(V1List(XentralEmployee), query);
    return body.data.map(toEmployeeRecord);
  }

  /**
   * Every employee through the public `GET /api/v1/employees` (employee.list): id, number and
   * name, no e-mail and no change time. What a stock Xentral offers for matching HubSpot users.
   */
  async listEmployees(): Promise<XentralEmployeeRecord[]> {
    const all: XentralEmployeeRecord[] = [];
    for (let page = 1; ; page++) {
      const { body } = await this.http.request('GET', EMPLOYEES, V1List(XentralPublicEmployee), {
        query: v1Page(new URLSearchParams(), page, V1_PAGE_SIZE),
      });
      all.push(...body.data.map(publicEmployeeToRecord));
      const total = body.extra?.totalCount;
      if (body.data.length < V1_PAGE_SIZE || (total !== undefined && all.length >= total)) {
        return all;
      }
    }
  }

  async createEmployee(
    patch: Partial<XentralEmployeeRecord>,
  ): Promise<WriteResult<XentralEmployeeRecord>> {
    try {
      const { body } = await this.http.request('POST', EMPLOYEES, One(XentralEmployee), {
        body: toEmployeeBody(patch, 'create'),
      });
      return { ok: true, record: toEmployeeRecord(body.data) };
    } catch (error) {
      return failure(error);
    }
  }

  async updateEmployee(
    id: string,
    patch: Partial<XentralEmployeeRecord>,
  ): Promise<WriteResult<XentralEmployeeRecord>> {
    try {
      const { body } = await this.http.request(
        'PATCH',
        `${EMPLOYEES}/${encodeURIComponent(id)}`,
        One(XentralEmployee),
        { body: toEmployeeBody(patch, 'update') },
      );
      return { ok: true, record: toEmployeeRecord(body.data) };
    } catch (error) {
      return failure(error);
    }
  }
}
