import { useInfiniteQuery } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ItemAction, type RunItem } from '../../../shared/api/runs';
import { useFormat } from '../i18n/format';
import { Counts } from '../ui/counts';
import { LoadError, Loading } from '../ui/query-state';
import { ConflictCard } from './conflict-card';
import { fieldLabel } from './field-label';
import { conflictsQuery, runDetailQuery } from './queries';
import { recordsOfAction, runItemsCsvUrl } from './run-export';
import { StatusBadge } from './run-log';
import { reasonText } from '../i18n/reason-text';

type ActionFilter = ItemAction | 'all';

function Changes({ item }: { item: RunItem }) {
  const { t } = useTranslation();
  const reason = reasonText(item.reasonCode, item.reasonParams, item.reason, t);
  if (item.changes.length === 0) {
    return reason ? <span className="reason">{reason}</span> : <>{t('app.none')}</>;
  }
  return (
    <>
      <ul className="changes">
        {item.changes.map((change) => (
          <li key={change.field}>
            <span className="change-field">{fieldLabel(change.field, t)}:</span>{' '}
            <span className={change.before === '' ? 'value-empty' : 'change-before'}>
              {change.before === '' ? t('app.empty') : change.before}
            </span>{' '}
            <span className="change-arrow">→</span>{' '}
            <span className={change.after === '' ? 'value-empty' : 'change-after'}>
              {change.after === '' ? t('app.empty') : change.after}
            </span>
          </li>
        ))}
      </ul>
      {reason && <span className="reason">{reason}</span>}
    </>
  );
}

/** One run opened: its counts, its records with field-level changes, and its conflicts. */
export function RunDetail({
  runId,
  id,
  onClose,
}: {
  runId: number;
  id: string;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const format = useFormat();
  const [filter, setFilter] = useState<ActionFilter>('all');
  const headingId = useId();
  const filterId = useId();
  const actionFilter = filter === 'all' ? null : filter;
  // The server filters: the records of that action from the whole run, not only those loaded.
  const detail = useInfiniteQuery(runDetailQuery(runId, actionFilter));
  const conflicts = useInfiniteQuery(conflictsQuery({ status: null, runId }));

  const run = detail.data?.pages[0]?.run;
  // While another action's first page loads, the previous action's records are not shown as its.
  const switching = detail.isPlaceholderData;
  const items = switching ? [] : (detail.data?.pages.flatMap((page) => page.items) ?? []);
  const runConflicts = conflicts.data?.pages.flatMap((page) => page.conflicts) ?? [];

  return (
    <section
      className="card run-detail"
      id={id}
      aria-labelledby={headingId}
      data-testid="run-detail"
    >
      <div className="card-head">
        <h2 id={headingId}>
          {run
            ? t('overview.runTitle', {
                id: runId,
                kind: t(`runKind.${run.kind}`),
                trigger: t(`trigger.${run.trigger}`),
              })
            : t('overview.openRun', { id: runId })}
        </h2>
        <button type="button" className="btn" onClick={onClose}>
          {t('app.close')}
        </button>
      </div>
      {detail.isPending && <Loading />}
      {detail.isError && <LoadError error={detail.error} onRetry={() => void detail.refetch()} />}
      {run && (
        <>
          <div className="run-summary">
            <StatusBadge status={run.status} />
            <span>{format.dateTime(run.startedAt)}</span>
            {run.durationMs !== null && <span>{format.duration(run.durationMs)}</span>}
            <Counts counts={run.totals} testId="run-detail-counts" />
          </div>
          {run.message && (
            <p className="field-error">
              {t('overview.runMessage', {
                message: reasonText(run.messageCode, run.messageParams, run.message, t),
              })}
            </p>
          )}
          {run.counts.length > 0 && (
            <details className="counts-by-type">
              <summary>{t('overview.countsByType')}</summary>
              <table className="table table-compact">
                <thead>
                  <tr>
                    <th scope="col">{t('overview.itemCol.type')}</th>
                    <th scope="col">{t('overview.itemCol.direction')}</th>
                    {(
                      ['created', 'edited', 'conflicts', 'skipped', 'failed', 'linked'] as const
                    ).map((key) => (
                      <th key={key} scope="col" className="num">
                        {t(`counts.${key}`)}
                      </th>
                    ))}
                  </tr>
                </thead>
                <tbody>
                  {run.counts.map((row) => (
                    <tr key={`${row.type}-${row.direction}`}>
                      <td>{t(`objectType.${row.type}`)}</td>
                      <td>{t(`direction.${row.direction}`)}</td>
                      {(
                        ['created', 'edited', 'conflicts', 'skipped', 'failed', 'linked'] as const
                      ).map((key) => (
                        <td key={key} className="num">
                          {format.number(row[key])}
                        </td>
                      ))}
                    </tr>
                  ))}
                </tbody>
              </table>
            </details>
          )}
          <div className="card-head sub-head">
            <h3>{t('overview.records')}</h3>
            <div className="inline-field">
              <label htmlFor={filterId}>{t('overview.recordsFilter')}</label>
              <select
                id={filterId}
                value={filter}
                onChange={(event) => {
                  const value = (['all', ...ItemAction.options] as const).find(
                    (option) => option === event.target.value,
                  );
                  if (value) setFilter(value);
                }}
              >
                <option value="all">
                  {t('overview.recordsFilterOption', {
                    action: t('overview.recordsFilterAll'),
                    count: format.number(recordsOfAction(run.totals, null)),
                  })}
                </option>
                {ItemAction.options.map((action) => (
                  <option key={action} value={action}>
                    {t('overview.recordsFilterOption', {
                      action: t(`itemAction.${action}`),
                      count: format.number(recordsOfAction(run.totals, action)),
                    })}
                  </option>
                ))}
              </select>
            </div>
            <span className="muted">
              {t('overview.recordsShown', {
                shown: format.number(items.length),
                total: format.number(recordsOfAction(run.totals, actionFilter)),
              })}
            </span>
            <a
              className="btn"
              href={runItemsCsvUrl(runId, actionFilter)}
              download
              title={t('overview.recordsExportTitle', {
                count: recordsOfAction(run.totals, actionFilter),
              })}
              data-testid="run-items-csv"
            >
              {t('overview.recordsExport')}
            </a>
          </div>
          {switching ? (
            <Loading />
          ) : items.length === 0 ? (
            <p className="muted">
              {actionFilter === null
                ? t('overview.recordsNone')
                : t('overview.recordsNoneOfAction', { action: t(`itemAction.${actionFilter}`) })}
            </p>
          ) : (
            <div
              className="table-wrap table-scroll"
              tabIndex={0}
              aria-label={t('overview.records')}
            >
              <table className="table table-compact" data-testid="run-items">
                <thead>
                  <tr>
                    <th scope="col">{t('overview.itemCol.record')}</th>
                    <th scope="col">{t('overview.itemCol.type')}</th>
                    <th scope="col">{t('overview.itemCol.direction')}</th>
                    <th scope="col">{t('overview.itemCol.action')}</th>
                    <th scope="col">{t('overview.itemCol.changes')}</th>
                    <th scope="col">{t('overview.itemCol.ids')}</th>
                  </tr>
                </thead>
                <tbody>
                  {items.map((item) => (
                    <tr key={item.id} data-testid="run-item" data-action={item.action}>
                      <td>{item.label}</td>
                      <td className="nowrap">{t(`objectTypeOne.${item.type}`)}</td>
                      <td className="nowrap">{t(`direction.${item.direction}`)}</td>
                      <td className="nowrap">
                        <span className={`badge badge-action-${item.action}`}>
                          {t(`itemAction.${item.action}`)}
                        </span>
                      </td>
                      <td>
                        <Changes item={item} />
                      </td>
                      <td className="ids">
                        {item.xentralId && <span>Xentral {item.xentralId}</span>}
                        {item.hubspotId && <span>HubSpot {item.hubspotId}</span>}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
          {detail.hasNextPage && !switching && (
            <button
              type="button"
              className="btn"
              disabled={detail.isFetchingNextPage}
              onClick={() => void detail.fetchNextPage()}
            >
              {t('overview.recordsMore')}
            </button>
          )}
          <h3>{t('overview.runConflicts')}</h3>
          {conflicts.isPending && <Loading />}
          {conflicts.isError && (
            <LoadError error={conflicts.error} onRetry={() => void conflicts.refetch()} />
          )}
          {conflicts.isSuccess && runConflicts.length === 0 && (
            <p className="muted">{t('overview.runConflictsNone')}</p>
          )}
          {runConflicts.length > 0 && (
            <div className="conflicts">
              {runConflicts.map((conflict) => (
                <ConflictCard key={conflict.id} conflict={conflict} headingLevel={4} />
              ))}
            </div>
          )}
          {conflicts.hasNextPage && (
            <button
              type="button"
              className="btn"
              disabled={conflicts.isFetchingNextPage}
              onClick={() => void conflicts.fetchNextPage()}
            >
              {t('overview.conflictsMore')}
            </button>
          )}
        </>
      )}
    </section>
  );
}
