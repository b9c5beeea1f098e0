import { ENDPOINTS } from '../../shared/api/endpoints';
import { jsonRoute, type Routes } from '../http/endpoint';
import type { ConflictService } from '../services/conflict-service';

export function conflictsRoutes(
  conflicts: ConflictService,
): Pick<Routes, 'conflicts' | 'resolveConflict'> {
  return {
    conflicts: jsonRoute(ENDPOINTS.conflicts, ({ query }) => conflicts.list(query)),
    resolveConflict: jsonRoute(ENDPOINTS.resolveConflict, ({ params, body }) =>
      conflicts.resolve(params.id, body.choice),
    ),
  };
}
