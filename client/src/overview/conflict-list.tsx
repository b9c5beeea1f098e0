import { useInfiniteQuery } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { type Conflict, ConflictStatus } from '../../../shared/api/conflicts';
import { LoadError, Loading } from '../ui/query-state';
import { ConflictCard } from './conflict-card';
import { conflictsQuery } from './queries';
import { keepResolvedInPlace } from './resolved-in-place';

const FILTERS = [...ConflictStatus.options, 'all'] as const;
type Filter = (typeof FILTERS)[number];

/**
 * Conflicts in one place, newest first; each can be resolved where it is shown. A conflict
 * resolved here keeps its card in place until the admin picks another filter or leaves the tab.
 */
export function ConflictList() {
  const { t } = useTranslation();
  const [filter, setFilter] = useState<Filter>('open');
  const [resolvedHere, setResolvedHere] = useState<ReadonlyMap<number, Conflict>>(new Map());
  const headingId = useId();
  const filterId = useId();
  const conflicts = useInfiniteQuery(
    conflictsQuery({ status: filter === 'all' ? null : filter, runId: null }),
  );
  const items = keepResolvedInPlace(
    conflicts.data?.pages.flatMap((page) => page.conflicts) ?? [],
    resolvedHere,
  );
  const keep = (resolved: Conflict) =>
    setResolvedHere((before) => new Map(before).set(resolved.id, resolved));

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
              if (value) {
                setFilter(value);
                setResolvedHere(new Map());
              }
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
            <ConflictCard
              key={conflict.id}
              conflict={conflict}
              headingLevel={3}
              onResolved={keep}
            />
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
