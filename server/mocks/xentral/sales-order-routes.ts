import { Router } from 'express';
import { endpointUrl, parseId, queryOf } from './http';
import {
  compileFilters,
  parseFilters,
  parseSort,
  parseV3Page,
  readFilterParams,
  sortRows,
  v3List,
  type FieldSpecs,
  type SortSpecs,
} from './query';
import type { AuftragRow } from './rows';
import { ZERO_DATE } from './rows';
import { auftragStatusToApi, auftragToSalesOrder } from './serializer';
import { SALES_ORDER_STATUSES } from './shapes';
import type { XentralStore } from './store';

const BASE = '/api/v3/salesOrders';

/** Business document lists allow up to 1000 per page ("Default: 15, Max: 1000"). */
const MAX_PER_PAGE = 1000;

const text = (value: string) => (value === '' ? null : value);
const ref = (id: number) => (id > 0 ? String(id) : null);

export const SALES_ORDER_FILTERS: FieldSpecs<AuftragRow> = {
  id: { kind: 'id', get: (row) => String(row.id) },
  documentNumber: { kind: 'text', get: (row) => text(row.belegnr) },
  documentDate: { kind: 'date', get: (row) => (row.datum === ZERO_DATE ? null : text(row.datum)) },
  status: {
    kind: 'enum',
    values: SALES_ORDER_STATUSES,
    get: (row) => auftragStatusToApi(row.status),
  },
  'address.id': { kind: 'id', get: (row) => ref(row.adresse) },
  'project.id': { kind: 'id', get: (row) => ref(row.projekt) },
  customerNumber: { kind: 'text', get: (row) => text(row.kundennummer) },
  createdAt: { kind: 'datetime', get: (row) => row.angelegt_am },
  updatedAt: { kind: 'datetime', get: (row) => row.logdatei },
};

const SALES_ORDER_SORTS: SortSpecs<AuftragRow> = {
  id: (row) => row.id,
  documentNumber: (row) => text(row.belegnr),
  documentDate: (row) => row.datum,
  customerNumber: (row) => row.kundennummer,
  'project.id': (row) => row.projekt,
  createdAt: (row) => row.angelegt_am,
  updatedAt: (row) => row.logdatei,
};

/** v3 sales orders (Xentral Business Documents API). */
export function salesOrderRoutes(store: XentralStore): Router {
  const router = Router();

  router.get(BASE, (req, res) => {
    const params = queryOf(req);
    const page = parseV3Page(params, req.get('x-pagination'), MAX_PER_PAGE);
    const filters = parseFilters(readFilterParams(params), SALES_ORDER_FILTERS);
    const sort = parseSort(params.get('sort'), SALES_ORDER_SORTS, 'id');
    const rows = store.memo(`orders:${JSON.stringify([filters, sort])}`, () =>
      sortRows(
        store.orders().filter(compileFilters(filters, SALES_ORDER_FILTERS)),
        sort,
        SALES_ORDER_SORTS,
        (row) => row.id,
      ),
    );
    const list = v3List(rows, page, endpointUrl(req), params);
    res.json({ ...list, data: list.data.map(auftragToSalesOrder) });
  });

  router.get(`${BASE}/:id`, (req, res) => {
    res.json({
      data: auftragToSalesOrder(store.getAuftrag(parseId(req.params.id, 'Sales order'))),
    });
  });

  // 204 without body; 409 invalid-status unless a draft with a customer (documented rule).
  router.patch(`${BASE}/:id/actions/release`, (req, res) => {
    store.releaseOrder(parseId(req.params.id, 'Sales order'));
    res.status(204).end();
  });

  return router;
}
