import { useQueryClient } from '@tanstack/react-query';
import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import type { Conflict, ConflictChoice } from '../../../shared/api/conflicts';
import { errorText } from '../i18n/error-text';
import { useFormat } from '../i18n/format';
import { fieldLabel } from './field-label';
import { useResolveConflict } from './mutations';
import { overviewKeys } from './queries';

function Value({ title, value, ids }: { title: string; value: string | null; ids: string[] }) {
  const { t } = useTranslation();
  return (
    <div className="conflict-value">
      <p className="conflict-value-title">{title}</p>
      <p className={value === null || value === '' ? 'value value-empty' : 'value'}>
        {value === null || value === '' ? t('app.empty') : value}
      </p>
      {ids.length > 0 && <p className="muted small">ID {ids.join(', ')}</p>}
    </div>
  );
}

/**
 * One conflict with both values side by side and the three ways out: take Xentral's value, take
 * HubSpot's, or keep both as they are (server/engine/RULES.md, rule 14). Values come from the
 * outside systems and are rendered as text only.
 */
export function ConflictCard({
  conflict,
  headingLevel,
}: {
  conflict: Conflict;
  /** The card's place in the outline: under a section (h2) or under a run's sub-section (h3). */
  headingLevel: 3 | 4;
}) {
  const Heading = headingLevel === 3 ? 'h3' : 'h4';
  const { t } = useTranslation();
  const format = useFormat();
  const client = useQueryClient();
  const resolve = useResolveConflict();
  const titleId = useId();
  const choose = (choice: ConflictChoice) =>
    resolve.mutate(
      { id: conflict.id, choice },
      {
        onSuccess: () => {
          if (conflict.runId !== null) {
            void client.invalidateQueries({ queryKey: overviewKeys.run(conflict.runId) });
          }
        },
      },
    );
  const open = conflict.status === 'open';
  const choosing = resolve.isPending ? resolve.variables.choice : null;

  return (
    <article
      className={`conflict conflict-${conflict.status}`}
      aria-labelledby={titleId}
      data-testid="conflict"
      data-conflict-id={conflict.id}
    >
      <header className="conflict-head">
        <Heading id={titleId} className="conflict-title">
          {conflict.label}
        </Heading>
        <span className="badge">{t(`objectTypeOne.${conflict.type}`)}</span>
        {conflict.kind === 'field' && conflict.field !== null && (
          <span className="conflict-field">
            {t('overview.conflictField', { field: fieldLabel(conflict.field, t) })}
          </span>
        )}
        <span className="muted small">
          {t('overview.conflictCreated', { at: format.dateTime(conflict.createdAt) })}
          {conflict.runId !== null && (
            <> · {t('overview.conflictFromRun', { id: conflict.runId })}</>
          )}
        </span>
        {!open && (
          <span className={`badge badge-${conflict.status}`}>
            {t(`overview.conflictStatus.${conflict.status}`)}
          </span>
        )}
      </header>
      {conflict.kind === 'field' ? (
        <div className="conflict-values">
          <Value
            title={t('overview.xentralValue')}
            value={conflict.xentralValue}
            ids={conflict.xentralIds}
          />
          <Value
            title={t('overview.hubspotValue')}
            value={conflict.hubspotValue}
            ids={conflict.hubspotIds}
          />
        </div>
      ) : (
        <div className="conflict-ambiguous">
          <p>
            <strong>
              {t('overview.conflictAmbiguous', { key: conflict.matchKey ?? t('app.none') })}
            </strong>
          </p>
          <p>{t('overview.conflictAmbiguousText')}</p>
          <dl className="facts facts-inline">
            <div>
              <dt>{t('overview.xentralIds')}</dt>
              <dd>{conflict.xentralIds.join(', ') || t('app.none')}</dd>
            </div>
            <div>
              <dt>{t('overview.hubspotIds')}</dt>
              <dd>{conflict.hubspotIds.join(', ') || t('app.none')}</dd>
            </div>
          </dl>
        </div>
      )}
      {open ? (
        <div className="inline-actions" role="group" aria-labelledby={titleId}>
          {conflict.kind === 'field' && (
            <>
              <button
                type="button"
                className="btn"
                disabled={resolve.isPending}
                onClick={() => choose('xentral')}
              >
                {choosing === 'xentral' ? t('overview.resolving') : t('overview.takeXentral')}
              </button>
              <button
                type="button"
                className="btn"
                disabled={resolve.isPending}
                onClick={() => choose('hubspot')}
              >
                {choosing === 'hubspot' ? t('overview.resolving') : t('overview.takeHubspot')}
              </button>
            </>
          )}
          <button
            type="button"
            className="btn"
            disabled={resolve.isPending}
            onClick={() => choose('keep')}
          >
            {choosing === 'keep'
              ? t('overview.resolving')
              : conflict.kind === 'field'
                ? t('overview.keepBoth')
                : t('overview.keepUnlinked')}
          </button>
        </div>
      ) : (
        conflict.resolution !== null && (
          <p className="resolution">
            {conflict.resolvedAt
              ? t('overview.resolvedAt', {
                  resolution: t(`overview.resolution.${conflict.resolution}`),
                  at: format.dateTime(conflict.resolvedAt),
                })
              : t(`overview.resolution.${conflict.resolution}`)}
          </p>
        )
      )}
      {resolve.isError && (
        <p className="field-error" role="alert">
          {t('overview.resolveFailed', { message: errorText(resolve.error, t) })}
        </p>
      )}
    </article>
  );
}
