import { ENDPOINTS, urlOf } from '../../../shared/api/endpoints';
import { COUNT_OF_ACTION, type ItemAction, type RunCounts } from '../../../shared/api/runs';

/**
 * Where the browser downloads a run's records as CSV: all of them, or those of the action the
 * records table is filtered by. The server sends every record, not only the pages loaded here.
 */
export function runItemsCsvUrl(runId: number, action: ItemAction | null): string {
  return urlOf(ENDPOINTS.runItemsCsv, { params: { id: runId }, query: { action } });
}

/**
 * How many of the run's records have that action (all of them without one), from the run's
 * counts, which the server keeps: the action filter, the table and the CSV file say it before a
 * single record is loaded.
 */
export function recordsOfAction(totals: RunCounts, action: ItemAction | null): number {
  if (action !== null) return totals[COUNT_OF_ACTION[action]];
  return Object.values(totals).reduce((sum, n) => sum + n, 0);
}
