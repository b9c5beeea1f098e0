import { Router } from 'express';
import { ProjectsQuery } from '../../shared/api/catalog';
import type { CatalogService } from '../services/catalog-service';
import { noBody, noInput, parseInput } from './validate';

export function catalogRouter(catalog: CatalogService): Router {
  const router = Router();
  router.get('/lifecycle-stages', noInput, (_req, res) => {
    res.json(catalog.stages());
  });
  router.post('/lifecycle-stages/refresh', noInput, async (_req, res) => {
    res.json(await catalog.refreshStages());
  });
  router.get('/projects', noBody, async (req, res) => {
    const query = parseInput(ProjectsQuery, req.query, 'query');
    res.json(await catalog.projects(query.search));
  });
  return router;
}
