import { Router } from 'express';
import { z } from 'zod';
import {
  RunItemsQuery,
  RunsQuery,
  StartRunRequest,
  type RunDetailResponse,
  type RunsResponse,
  type StartRunResponse,
} from '../../shared/api/runs';
import { NotFoundError } from '../http/errors';
import type { ConflictService } from '../services/conflict-service';
import type { ProcessStarter } from '../services/process-starter';
import type { RunService } from '../services/run-service';
import type { RunStore } from '../storage/run-store';
import { noBody, noInput, noQuery, parseInput } from './validate';

const RunId = z.object({ id: z.coerce.number().int().positive() });

export function runsRouter(deps: {
  runs: RunService;
  log: RunStore;
  processStarter: ProcessStarter;
  conflicts: ConflictService;
}): Router {
  const router = Router();
  router.post('/runs', noQuery, (req, res) => {
    const { kind } = parseInput(StartRunRequest, req.body, 'run request');
    const body: StartRunResponse = { id: deps.runs.start(kind, 'manual') };
    res.status(202).location(`/api/runs/${body.id}`).json(body);
  });
  router.get('/runs', noBody, (req, res) => {
    const query = parseInput(RunsQuery, req.query, 'query');
    const runs = deps.log.list(query.limit + 1, query.before);
    const page = runs.slice(0, query.limit);
    const body: RunsResponse = {
      runs: page,
      nextBefore: runs.length > query.limit ? (page[page.length - 1]?.id ?? null) : null,
    };
    res.json(body);
  });
  router.get('/runs/:id', noBody, (req, res) => {
    const { id } = parseInput(RunId, req.params, 'run id');
    const query = parseInput(RunItemsQuery, req.query, 'query');
    const run = deps.log.summary(id);
    if (!run) throw new NotFoundError(`There is no run ${id}.`);
    const items = deps.log.items(id, query.limit + 1, query.after);
    const page = items.slice(0, query.limit);
    const body: RunDetailResponse = {
      run,
      items: page,
      conflicts: deps.conflicts.list({ runId: id, limit: 500 }).conflicts,
      nextAfter: items.length > query.limit ? (page[page.length - 1]?.id ?? null) : null,
    };
    res.json(body);
  });
  router.get('/process-starter', noInput, (_req, res) => {
    res.json(deps.processStarter.status());
  });
  return router;
}
