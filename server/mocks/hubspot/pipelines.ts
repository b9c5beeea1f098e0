import { Router, type Request } from 'express';
import { authContext, requireScope } from './auth';
import { notFoundError } from './errors';
import { requireObjectType } from './object-types';
import type { Pipeline, PipelineStage, Portal } from './store';

/** Pipelines API v3, read side: deal pipelines and their stages. */

export function presentStage(stage: PipelineStage) {
  return { ...stage, metadata: { ...stage.metadata } };
}

export function presentPipeline(pipeline: Pipeline) {
  return {
    ...pipeline,
    stages: pipeline.stages.filter((stage) => !stage.archived).map(presentStage),
  };
}

function pipelinesOf(req: Request): Pipeline[] {
  const type = requireObjectType(String(req.params.objectType));
  requireScope(req, [`crm.objects.${type}.read`]);
  const portal: Portal = authContext(req).portal;
  // Only deals have pipelines in this mock (tickets are not modelled).
  return type === 'deals' ? portal.pipelines.filter((pipeline) => !pipeline.archived) : [];
}

export function pipelinesRouter(): Router {
  const router = Router();

  router.get('/crm/v3/pipelines/:objectType', (req, res) => {
    res.json({ results: pipelinesOf(req).map(presentPipeline) });
  });

  router.get('/crm/v3/pipelines/:objectType/:pipelineId', (req, res) => {
    const pipeline = pipelinesOf(req).find((candidate) => candidate.id === req.params.pipelineId);
    if (!pipeline) throw notFoundError(`Unable to find pipeline ${String(req.params.pipelineId)}.`);
    res.json(presentPipeline(pipeline));
  });

  router.get('/crm/v3/pipelines/:objectType/:pipelineId/stages', (req, res) => {
    const pipeline = pipelinesOf(req).find((candidate) => candidate.id === req.params.pipelineId);
    if (!pipeline) throw notFoundError(`Unable to find pipeline ${String(req.params.pipelineId)}.`);
    res.json({ results: presentPipeline(pipeline).stages });
  });

  return router;
}
