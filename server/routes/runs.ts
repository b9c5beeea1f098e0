import type { Response } from 'express';
import { ENDPOINTS, urlOf } from '../../shared/api/endpoints';
import type { RunItem } from '../../shared/api/runs';
import { CSV_BOM, csvLine } from '../http/csv';
import { jsonRoute, rawRoute, type Routes } from '../http/endpoint';
import type { ProcessStarter } from '../services/process-starter';
import type { RunService } from '../services/run-service';

/** The columns of a run's CSV export: the record's fields under their API names. */
const ITEM_COLUMNS = [
  'type',
  'direction',
  'action',
  'xentralId',
  'hubspotId',
  'label',
  'reason',
  'reasonCode',
  'at',
] as const satisfies readonly (keyof RunItem)[];

/** Waits until the browser has taken what was written; false when it went away. */
function drained(res: Response): Promise<boolean> {
  if (res.destroyed) return Promise.resolve(false);
  if (!res.writableNeedDrain) return Promise.resolve(true);
  return new Promise((resolve) => {
    // Both listeners go when either fires: a file of many pages must not pile them up.
    const settle = () => {
      res.off('drain', settle);
      res.off('close', settle);
      resolve(!res.destroyed);
    };
    res.on('drain', settle);
    res.on('close', settle);
  });
}

export function runsRoutes(deps: {
  runs: RunService;
  processStarter: ProcessStarter;
}): Pick<Routes, 'startRun' | 'runs' | 'run' | 'runItemsCsv' | 'processStarter'> {
  return {
    startRun: jsonRoute(ENDPOINTS.startRun, ({ body }, _req, res) => {
      const id = deps.runs.start(body.kind, 'manual');
      res.location(urlOf(ENDPOINTS.run, { params: { id } }));
      return { id };
    }),
    runs: jsonRoute(ENDPOINTS.runs, ({ query }) => deps.runs.list(query)),
    run: jsonRoute(ENDPOINTS.run, ({ params, query }) => deps.runs.detail(params.id, query)),
    runItemsCsv: rawRoute(ENDPOINTS.runItemsCsv, async ({ params, query }, _req, res) => {
      // Asked before the first byte, so an unknown run is still a 404 with the error envelope.
      const pages = deps.runs.itemPages(params.id, query);
      res.status(200);
      res.type('text/csv; charset=utf-8');
      // The id is digits only, so the name needs no escaping.
      res.setHeader('content-disposition', `attachment; filename="run-${params.id}-records.csv"`);
      res.write(CSV_BOM + csvLine(ITEM_COLUMNS));
      for (const page of pages) {
        res.write(page.map((item) => csvLine(ITEM_COLUMNS.map((column) => item[column]))).join(''));
        if (!(await drained(res))) return;
      }
      res.end();
    }),
    processStarter: jsonRoute(ENDPOINTS.processStarter, () => deps.processStarter.status()),
  };
}
