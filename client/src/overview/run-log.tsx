import { useQuery } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { RunSummary } from '../../../shared/api/runs';
import { useFormat } from '../i18n/format';
import { useLive } from '../live/use-live';
import { LoadError, Loading } from '../ui/query-state';
import { runsPageQuery } from './queries';

const COUNT_COLUMNS = ['created', 'edited', 'conflicts', 'skipped', 'failed'] as const;

export function StatusBadge({ status }: { status: RunSummary['status'] }) {
  const { t } = useTranslation();
  return <span className={`badge badge-${status}`}>{t(`runStatus.${status}`)}</span>;
}

/** The run log, newest first, page by page; a run opens into its records and conflicts. */
export function RunLog(props: {
  openRunId: number | null;
  onOpen: (id: number | null) => void;
  detailId: string;
}) {
  const { t } = useTranslation();
  const format = useFormat();
  const { run: live } = useLive();
  const headingId = useId();
  // The cursors of the pages seen so far: the last one is shown, "newer" goes back one.
  const [cursors, setCursors] = useState<(number | null)[]>([null]);
  const before = cursors[cursors.length - 1] ?? null;
  const runs = useQuery(runsPageQuery(before));

  const countsOf = (run: RunSummary) =>
    live?.runId === run.id && live.status === 'running' ? live.counts : run.totals;

  return (
    <section className="card" aria-labelledby={headingId} data-testid="run-log">
      <div className="card-head">
        <h2 id={headingId}>{t('overview.runs')}</h2>
        <span className="muted">{t('overview.page', { page: cursors.length })}</span>
      </div>
      {runs.isPending && <Loading />}
      {runs.isError && <LoadError error={runs.error} onRetry={() => void runs.refetch()} />}
      {runs.isSuccess && runs.data.runs.length === 0 && (
        <p className="muted">{t('overview.noRuns')}</p>
      )}
      {runs.isSuccess && runs.data.runs.length > 0 && (
        <div className="table-wrap">
          <table className="table">
            <thead>
              <tr>
                <th scope="col">{t('overview.col.run')}</th>
                <th scope="col">{t('overview.col.startedAt')}</th>
                <th scope="col">{t('overview.col.kind')}</th>
                <th scope="col">{t('overview.col.trigger')}</th>
                <th scope="col">{t('overview.col.status')}</th>
                <th scope="col" className="num">
                  {t('overview.col.duration')}
                </th>
                {COUNT_COLUMNS.map((key) => (
                  <th key={key} scope="col" className="num">
                    {t(`counts.${key}`)}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {runs.data.runs.map((run) => {
                const isOpen = props.openRunId === run.id;
                const counts = countsOf(run);
                return (
                  <tr
                    key={run.id}
                    className={isOpen ? 'row-open' : undefined}
                    data-testid="run-row"
                    data-run-id={run.id}
                  >
                    <td>
                      <button
                        type="button"
                        className="btn btn-link"
                        aria-expanded={isOpen}
                        aria-controls={isOpen ? props.detailId : undefined}
                        aria-label={
                          isOpen
                            ? t('overview.closeRun', { id: run.id })
                            : t('overview.openRun', { id: run.id })
                        }
                        onClick={() => props.onOpen(isOpen ? null : run.id)}
                      >
                        #{run.id}
                      </button>
                    </td>
                    <td>{format.dateTime(run.startedAt)}</td>
                    <td>{t(`runKind.${run.kind}`)}</td>
                    <td>{t(`trigger.${run.trigger}`)}</td>
                    <td>
                      <StatusBadge status={run.status} />
                    </td>
                    <td className="num">
                      {run.durationMs === null ? t('app.none') : format.duration(run.durationMs)}
                    </td>
                    {COUNT_COLUMNS.map((key) => (
                      <td key={key} className="num" data-count={key}>
                        {format.number(counts[key])}
                      </td>
                    ))}
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
      {runs.isSuccess && (cursors.length > 1 || runs.data.nextBefore !== null) && (
        <div className="pager">
          <button
            type="button"
            className="btn"
            disabled={cursors.length <= 1}
            onClick={() => setCursors((list) => list.slice(0, -1))}
          >
            {t('overview.newer')}
          </button>
          <button
            type="button"
            className="btn"
            disabled={runs.data.nextBefore === null || runs.isPlaceholderData}
            onClick={() => {
              const next = runs.data.nextBefore;
              if (next !== null) setCursors((list) => [...list, next]);
            }}
          >
            {t('overview.older')}
          </button>
        </div>
      )}
    </section>
  );
}
