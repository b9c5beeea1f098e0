import { useInfiniteQuery } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ConflictStatus } from '../../../shared/api/conflicts';
import { LoadError, Loading } from '../ui/query-state';
import { ConflictCard } from './conflict-card';
import { conflictsQuery } from './queries';

const FILTERS = [...ConflictStatus.options, 'all'] as const;
type Filter = (typeof FILTERS)[number];

/** Conflicts in one place, open ones first; each can be resolved where it is shown. */
export function ConflictList() {
  const { t } = useTranslation();
  const [filter, setFilter] = useState<Filter>('open');
  const headingId = useId();
  const filterId = useId();
  const conflicts = useInfiniteQuery(
    conflictsQuery({ status: filter === 'all' ? null : filter, runId: null }),
  );
  const items = conflicts.data?.pages.flatMap((page) => page.conflicts) ?? [];

  return (
    <section className="card" aria-labelledby={headingId} data-testid="conflict-list">
      <div className="card-head">
        <h2 id={headingId}>{t('overview.conflicts')}</h2>
        <div className="inline-field">
          <label htmlFor={filterId}>{t('overview.conflictsFilter')}</label>
          <select
            id={filterId}
            value={filter}
            onChange={(event) => {
              const value = FILTERS.find((option) => option === event.target.value);
              if (value) setFilter(value);
            }}
          >
            {FILTERS.map((option) => (
              <option key={option} value={option}>
                {t(`overview.conflictStatus.${option}`)}
              </option>
            ))}
          </select>
        </div>
      </div>
      {conflicts.isPending && <Loading />}
      {conflicts.isError && (
        <LoadError error={conflicts.error} onRetry={() => void conflicts.refetch()} />
      )}
      {conflicts.isSuccess && items.length === 0 && (
        <p className="muted">{t('overview.conflictsNone')}</p>
      )}
      {items.length > 0 && (
        <div className="conflicts">
          {items.map((conflict) => (
            <ConflictCard key={conflict.id} conflict={conflict} headingLevel={3} />
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
    </section>
  );
}
