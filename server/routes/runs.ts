import { ENDPOINTS, urlOf } from '../../shared/api/endpoints';
import { jsonRoute, type Routes } from '../http/endpoint';
import type { ProcessStarter } from '../services/process-starter';
import type { RunService } from '../services/run-service';

export function runsRoutes(deps: {
  runs: RunService;
  processStarter: ProcessStarter;
}): Pick<Routes, 'startRun' | 'runs' | 'run' | 'processStarter'> {
  return {
    startRun: jsonRoute(ENDPOINTS.startRun, ({ body }, _req, res) => {
      const id = deps.runs.start(body.kind, 'manual');
      res.location(urlOf(ENDPOINTS.run, { params: { id } }));
      return { id };
    }),
    runs: jsonRoute(ENDPOINTS.runs, ({ query }) => deps.runs.list(query)),
    run: jsonRoute(ENDPOINTS.run, ({ params, query }) => deps.runs.detail(params.id, query)),
    processStarter: jsonRoute(ENDPOINTS.processStarter, () => deps.processStarter.status()),
  };
}
