import { Router } from 'express';
import { queryOf } from './http';
import {
  compileFilters,
  parseFilters,
  parseV1Page,
  readFilterParams,
  v1List,
  type FieldSpecs,
} from './query';
import type { ProjektRow } from './rows';
import { projektToProject } from './serializer';
import type { XentralStore } from './store';

const BASE = '/api/v1/projects';

const PROJECT_FILTERS: FieldSpecs<ProjektRow> = {
  id: { kind: 'id', get: (row) => String(row.id) },
  name: { kind: 'text', get: (row) => row.name },
  keyName: { kind: 'text', get: (row) => row.abkuerzung },
};

/**
 * v1 projects (xentral-api.openapi-3.0.0.json, project.list): `page[number]` and `page[size]`
 * both required, filters on id, name and keyName, the `{data, extra}` envelope. The public API
 * has no route for one project: `GET /api/v1/projects/{id}` falls through to a 404.
 */
export function projectRoutes(store: XentralStore): Router {
  const router = Router();

  router.get(BASE, (req, res) => {
    const params = queryOf(req);
    const page = parseV1Page(params);
    const filters = parseFilters(readFilterParams(params), PROJECT_FILTERS);
    const rows = store.projects().filter(compileFilters(filters, PROJECT_FILTERS));
    const list = v1List(rows, page);
    res.json({ ...list, data: list.data.map(projektToProject) });
  });

  return router;
}
