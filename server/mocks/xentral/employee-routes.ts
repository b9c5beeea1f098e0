import { Router, type RequestHandler } from 'express';
import { parseBody, parseId, queryOf } from './http';
import {
  compileFilters,
  parseFilters,
  parseV1Page,
  readFilterParams,
  v1List,
  type FieldSpecs,
  type ParsedFilter,
} from './query';
import { notFoundProblem } from './problems';
import type { AdresseRow } from './rows';
import { adresseToEmployee, adresseToEmployeeExtended } from './serializer';
import { EmployeeCreate, EmployeeUpdate } from './shapes';
import type { XentralStore } from './store';

const BASE = '/api/v1/employees';

const text = (value: string) => (value === '' ? null : value);

/** Filters of the MOCK EXTENSION `GET /api/v1/employees/extended`. */
const EMPLOYEE_FILTERS: FieldSpecs<AdresseRow> = {
  id: { kind: 'id', get: (row) => String(row.id) },
  number: { kind: 'text', get: (row) => text(row.mitarbeiternummer) },
  name: { kind: 'text', get: (row) => text(row.name) },
  email: { kind: 'text', get: (row) => text(row.email) },
  createdAt: { kind: 'datetime', get: (row) => row.angelegt_am },
  updatedAt: { kind: 'datetime', get: (row) => row.logdatei },
};

function emailLookup(filters: readonly ParsedFilter[]): ParsedFilter | undefined {
  return filters.find(
    (filter) => filter.key === 'email' && (filter.op === 'equals' || filter.op === 'in'),
  );
}

function candidates(store: XentralStore, filters: readonly ParsedFilter[]): AdresseRow[] {
  const byEmail = emailLookup(filters);
  if (!byEmail) return store.employees();
  const today = store.today();
  const rows = byEmail.values.flatMap((email) => store.adressenByEmail(email));
  return [...new Map(rows.map((row) => [row.id, row])).values()]
    .filter((row) => store.isEmployee(row, today))
    .sort((a, b) => a.id - b.id);
}

/**
 * `/api/v1/employees`: the public list (id, number, name; `searchTerm`) plus two MOCK
 * EXTENSIONS the app needs and the public API lacks — reading employees with their e-mail and
 * change time, and creating an employee address.
 */
export function employeeRoutes(store: XentralStore, extensions: () => boolean): Router {
  const router = Router();
  // Without the extensions the mock is a stock Xentral: the routes below do not exist.
  const extension: RequestHandler = (req, _res, next) => {
    if (!extensions()) throw notFoundProblem(`There is no route ${req.method} ${req.originalUrl}.`);
    next();
  };

  router.get(BASE, (req, res) => {
    const params = queryOf(req);
    const page = parseV1Page(params);
    const term = params.get('searchTerm')?.trim().toLowerCase() ?? '';
    const rows =
      term === ''
        ? store.employees()
        : store
            .employees()
            .filter(
              (row) =>
                row.name.toLowerCase().includes(term) ||
                row.mitarbeiternummer.toLowerCase().includes(term),
            );
    const list = v1List(rows, page);
    res.json({ ...list, data: list.data.map(adresseToEmployee) });
  });

  // MOCK EXTENSION: employees with e-mail, type, project and timestamps; v1 paging, v3 filters.
  router.get(`${BASE}/extended`, extension, (req, res) => {
    const params = queryOf(req);
    const page = parseV1Page(params);
    const filters = parseFilters(readFilterParams(params), EMPLOYEE_FILTERS);
    // Ascending ids already; e-mail lookups use the index and are not worth caching.
    const select = () =>
      candidates(store, filters).filter(compileFilters(filters, EMPLOYEE_FILTERS));
    const rows = emailLookup(filters)
      ? select()
      : store.memo(`employees:${store.today()}:${JSON.stringify(filters)}`, select);
    const list = v1List(rows, page);
    res.json({ ...list, data: list.data.map(adresseToEmployeeExtended) });
  });

  // MOCK EXTENSION: create an employee (address of type Mr./Mrs. with the employee role).
  router.post(BASE, extension, (req, res) => {
    const input = parseBody(EmployeeCreate, req.body);
    res.status(201).json({ data: adresseToEmployeeExtended(store.createEmployee(input)) });
  });

  // MOCK EXTENSION: change an employee's name, e-mail, type or phone numbers.
  router.patch(`${BASE}/:id`, extension, (req, res) => {
    const id = parseId(req.params.id, 'Employee');
    const input = parseBody(EmployeeUpdate, req.body);
    res.json({ data: adresseToEmployeeExtended(store.updateEmployee(id, input)) });
  });

  return router;
}
