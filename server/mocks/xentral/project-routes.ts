import { Router } from 'express';
import { parseId, queryOf } from './http';
import { notFoundProblem } from './problems';
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

/** v1 projects: `page[number]`/`page[size]` and the `{data, extra}` envelope. */
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

  router.get(`${BASE}/:id`, (req, res) => {
    const id = parseId(req.params.id, 'Project');
    const row = store.getProjekt(id);
    if (!row || row.geloescht === 1) throw notFoundProblem(`Project ${id} was not found.`);
    res.json({ data: projektToProject(row) });
  });

  return router;
}
