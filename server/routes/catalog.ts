import { ENDPOINTS } from '../../shared/api/endpoints';
import { jsonRoute, type Routes } from '../http/endpoint';
import type { CatalogService } from '../services/catalog-service';

export function catalogRoutes(
  catalog: CatalogService,
): Pick<Routes, 'lifecycleStages' | 'refreshLifecycleStages' | 'projects'> {
  return {
    lifecycleStages: jsonRoute(ENDPOINTS.lifecycleStages, () => catalog.stages()),
    refreshLifecycleStages: jsonRoute(ENDPOINTS.refreshLifecycleStages, () =>
      catalog.refreshStages(),
    ),
    projects: jsonRoute(ENDPOINTS.projects, ({ query }) => catalog.projects(query.search)),
  };
}
