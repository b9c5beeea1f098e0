import { ENDPOINTS, urlOf } from '../../../shared/api/endpoints';
import { COUNT_OF_ACTION, type ItemAction, type RunCounts } from '../../../shared/api/runs';

/**
 * Where the browser downloads a run's records as CSV: all of them, or those of the action the
 * records table is filtered by. The server sends every record, not only the pages loaded here.
 */
export function runItemsCsvUrl(runId: number, action: ItemAction | null): string {
  return urlOf(ENDPOINTS.runItemsCsv, { params: { id: runId }, query: { action } });
}

/** How many records that file has, from the run's counts (which the server keeps). */
export function recordsInExport(totals: RunCounts, action: ItemAction | null): number {
  if (action !== null) return totals[COUNT_OF_ACTION[action]];
  return Object.values(totals).reduce((sum, n) => sum + n, 0);
}
