import { Router } from 'express';
import {
  compileFilters,
  parseFilters,
  parseInclude,
  parseSort,
  parseV3Page,
  readFilterParams,
  sortRows,
  v3List,
  type FieldSpecs,
  type ParsedFilter,
  type SortSpecs,
} from './query';
import { endpointUrl, parseBody, parseId, queryOf } from './http';
import type { AdresseRow } from './rows';
import { adresseToCustomer } from './serializer';
import { CustomerCreate, CustomerUpdate } from './shapes';
import type { XentralStore } from './store';
import { validationProblem, type Violations } from './problems';

const BASE = '/api/v3/customers';

/** `GET /api/v3/customers` caps `perPage` at 100 ("Default: 15, Max: 100"). */
const MAX_PER_PAGE = 100;

const text = (value: string) => (value === '' ? null : value);
const ref = (id: number) => (id > 0 ? String(id) : null);

/** The filter keys the real endpoint documents that the mock stores. */
export const CUSTOMER_FILTERS: FieldSpecs<AdresseRow> = {
  id: { kind: 'id', get: (row) => String(row.id) },
  name: { kind: 'text', get: (row) => text(row.name) },
  number: { kind: 'text', get: (row) => text(row.kundennummer) },
  email: { kind: 'text', get: (row) => text(row.email) },
  street: { kind: 'text', get: (row) => text(row.strasse) },
  zipCode: { kind: 'text', get: (row) => text(row.plz) },
  city: { kind: 'text', get: (row) => text(row.ort) },
  state: { kind: 'text', get: (row) => text(row.bundesstaat) },
  country: { kind: 'text', get: (row) => text(row.land) },
  'salesManager.id': { kind: 'id', get: (row) => ref(row.vertrieb) },
  'accountManager.id': { kind: 'id', get: (row) => ref(row.innendienst) },
  'mainProject.id': { kind: 'id', get: (row) => ref(row.projekt) },
  createdAt: { kind: 'datetime', get: (row) => row.angelegt_am },
  updatedAt: { kind: 'datetime', get: (row) => text(row.logdatei) },
};

const CUSTOMER_SORTS: SortSpecs<AdresseRow> = {
  id: (row) => row.id,
  name: (row) => row.name,
  number: (row) => row.kundennummer,
  city: (row) => row.ort,
  zipCode: (row) => row.plz,
  country: (row) => row.land,
  street: (row) => row.strasse,
  state: (row) => row.bundesstaat,
  createdAt: (row) => row.angelegt_am,
  updatedAt: (row) => row.logdatei,
};

/** Accepted as the real API accepts them; only customerRoles changes the mock's output. */
const CUSTOMER_INCLUDES = [
  'communication.additionalContactInformation',
  'financials.paymentMethod',
  'fulfillment.shippingMethod',
  'customFields',
  'customerRoles',
  'groups',
  'deliveryAddresses',
  'contactPersons',
  'tags',
] as const;

/**
 * The rows a filtered query has to look at: the e-mail or id index when the filters pin one
 * down (so `email equals` is a lookup, not a scan of 100,000 rows), otherwise every customer.
 */
function pinning(filters: readonly ParsedFilter[]): ParsedFilter | undefined {
  return filters.find(
    (filter) =>
      (filter.key === 'email' || filter.key === 'id') &&
      (filter.op === 'equals' || filter.op === 'in'),
  );
}

function candidates(store: XentralStore, filters: readonly ParsedFilter[]): AdresseRow[] {
  const pinned = pinning(filters);
  if (!pinned) return store.customers();
  const rows =
    pinned.key === 'email'
      ? pinned.values.flatMap((email) => store.adressenByEmail(email))
      : pinned.values.flatMap((id) => {
          const row = store.getAdresse(Number(id));
          return row ? [row] : [];
        });
  const unique = [...new Map(rows.map((row) => [row.id, row])).values()];
  const today = store.today();
  return unique.filter((row) => store.isCustomer(row, today));
}

/** The address parts `CustomerAddressData` requires on create. */
const REQUIRED_ADDRESS = ['name', 'street', 'zipCode', 'city', 'country'] as const;

/**
 * With `refuseEmptyAddress` on, a required address part sent empty is refused as Laravel's
 * `required` rule refuses it ("The primary address.street field is required."). The published
 * schema itself accepts any string, so this is a setting, off by default.
 */
function checkNonEmptyAddress(address: Partial<Record<string, unknown>> | undefined): void {
  if (!address) return;
  const violations: Violations = {};
  for (const key of REQUIRED_ADDRESS) {
    const value = address[key];
    if (typeof value === 'string' && value.trim() === '') {
      const field = key === 'zipCode' ? 'zip code' : key;
      violations[`primaryAddress.${key}`] = [`The primary address.${field} field is required.`];
    }
  }
  if (Object.keys(violations).length > 0) throw validationProblem(violations);
}

/** v3 customers: a customer is an address with a valid customer role (Xentral's definition). */
export function customerRoutes(store: XentralStore, refuseEmptyAddress: () => boolean): Router {
  const router = Router();

  router.get(BASE, (req, res) => {
    const params = queryOf(req);
    const page = parseV3Page(params, req.get('x-pagination'), MAX_PER_PAGE);
    const filters = parseFilters(readFilterParams(params), CUSTOMER_FILTERS);
    const sort = parseSort(params.get('sort'), CUSTOMER_SORTS, '-createdAt');
    const include = parseInclude(params.get('include'), CUSTOMER_INCLUDES);
    const select = () =>
      sortRows(
        candidates(store, filters).filter(compileFilters(filters, CUSTOMER_FILTERS)),
        sort,
        CUSTOMER_SORTS,
        (row) => row.id,
      );
    // Index lookups are cheap and many (one per e-mail the app matches); only scans are cached,
    // so paging through 100,000 customers sorts once, not once per page.
    const rows = pinning(filters)
      ? select()
      : store.memo(`customers:${store.today()}:${JSON.stringify([filters, sort])}`, select);
    const list = v3List(rows, page, endpointUrl(req), params);
    res.json({
      ...list,
      data: list.data.map((row) =>
        adresseToCustomer(
          row,
          include.has('customerRoles') ? store.rollenOf(row.id, 'Kunde') : undefined,
        ),
      ),
    });
  });

  router.post(BASE, (req, res) => {
    const input = parseBody(CustomerCreate, req.body);
    if (refuseEmptyAddress()) checkNonEmptyAddress(input.primaryAddress);
    res.status(201).json({ data: adresseToCustomer(store.createCustomer(input)) });
  });

  router.get(`${BASE}/:id`, (req, res) => {
    const include = parseInclude(queryOf(req).get('include'), CUSTOMER_INCLUDES);
    const row = store.getCustomer(parseId(req.params.id, 'Customer'));
    res.json({
      data: adresseToCustomer(
        row,
        include.has('customerRoles') ? store.rollenOf(row.id, 'Kunde') : undefined,
      ),
    });
  });

  // The real PATCH answers 200 with the updated customer (UpdateCustomerData → Customer).
  router.patch(`${BASE}/:id`, (req, res) => {
    const id = parseId(req.params.id, 'Customer');
    store.getCustomer(id);
    const update = parseBody(CustomerUpdate, req.body);
    if (refuseEmptyAddress()) checkNonEmptyAddress(update.primaryAddress);
    res.json({ data: adresseToCustomer(store.updateCustomer(id, update)) });
  });

  // Soft delete, 204, as the real `DELETE /api/v3/customers/{id}`.
  router.delete(`${BASE}/:id`, (req, res) => {
    const id = parseId(req.params.id, 'Customer');
    store.getCustomer(id);
    store.softDeleteAdresse(id);
    res.status(204).end();
  });

  return router;
}
