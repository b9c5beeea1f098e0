import { Router } from 'express';
import { z } from 'zod';
import { ConflictsQuery, ResolveConflictRequest } from '../../shared/api/conflicts';
import type { ConflictService } from '../services/conflict-service';
import { noBody, noQuery, parseInput } from './validate';

const ConflictId = z.object({ id: z.coerce.number().int().positive() });

export function conflictsRouter(conflicts: ConflictService): Router {
  const router = Router();
  router.get('/conflicts', noBody, (req, res) => {
    res.json(conflicts.list(parseInput(ConflictsQuery, req.query, 'query')));
  });
  router.post('/conflicts/:id/resolve', noQuery, async (req, res) => {
    const { id } = parseInput(ConflictId, req.params, 'conflict id');
    const { choice } = parseInput(ResolveConflictRequest, req.body, 'resolution');
    res.json(await conflicts.resolve(id, choice));
  });
  return router;
}
