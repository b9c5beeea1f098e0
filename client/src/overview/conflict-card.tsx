import { useQueryClient } from '@tanstack/react-query';
import { useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Conflict, ConflictChoice } from '../../../shared/api/conflicts';
import { errorText } from '../i18n/error-text';
import { useFormat } from '../i18n/format';
import { fieldLabel } from './field-label';
import { useResolveConflict } from './mutations';
import { overviewKeys } from './queries';
import { resolvedNotice } from './resolved-notice';

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
 *
 * A resolved card stays where it was and says what happened, in a polite live region; focus moves
 * to its heading, not to the next card's button, so neither a double click nor a second Enter
 * resolves the next conflict by accident. A failed resolve keeps focus on the button and says why.
 */
export function ConflictCard({
  conflict: shown,
  headingLevel,
  onResolved,
}: {
  conflict: Conflict;
  /** The card's place in the outline: under a section (h2) or under a run's sub-section (h3). */
  headingLevel: 3 | 4;
  /** Told the resolved conflict, so a list can keep the card in place after it reloads. */
  onResolved?: (resolved: Conflict) => void;
}) {
  const Heading = headingLevel === 3 ? 'h3' : 'h4';
  const { t } = useTranslation();
  const format = useFormat();
  const client = useQueryClient();
  const titleId = useId();
  const errorId = useId();
  const cardRef = useRef<HTMLElement>(null);
  const headingRef = useRef<HTMLHeadingElement>(null);
  const outcomeRef = useRef<HTMLDivElement>(null);
  // Set at once on the first click: a double click must not send a second choice, even before
  // the card has rendered as busy.
  const inFlight = useRef(false);
  // The buttons' height, held while the confirmation takes their place: the card never shrinks,
  // so nothing below it moves up under the pointer.
  const [outcomeHeight, setOutcomeHeight] = useState<number | null>(null);
  // Resolved from this card: it confirms, and until the list reloads it shows the server's answer.
  const [resolvedHere, setResolvedHere] = useState<Conflict | null>(null);
  const resolve = useResolveConflict({
    onResolved: (resolved) => {
      // The pressed button is about to go; without a new target focus would fall to <body>.
      // Focus the admin moved elsewhere meanwhile stays where it is.
      const active = document.activeElement;
      if (active === null || active === document.body || cardRef.current?.contains(active)) {
        headingRef.current?.focus();
      }
      setResolvedHere(resolved);
      onResolved?.(resolved);
      if (resolved.runId !== null) {
        void client.invalidateQueries({ queryKey: overviewKeys.run(resolved.runId) });
      }
    },
  });
  const conflict = shown.status === 'open' && resolvedHere ? resolvedHere : shown;
  const choose = (choice: ConflictChoice) => {
    // The buttons stay focusable while a choice is applied (aria-disabled, not disabled), so a
    // failed resolve leaves focus on the button; clicks meanwhile are ignored here.
    if (inFlight.current) return;
    inFlight.current = true;
    setOutcomeHeight(outcomeRef.current?.offsetHeight ?? null);
    resolve.mutate(
      { id: conflict.id, choice },
      {
        onSettled: () => {
          inFlight.current = false;
        },
      },
    );
  };
  const open = conflict.status === 'open';
  const choosing = resolve.isPending ? resolve.variables.choice : null;
  const notice = resolvedHere ? resolvedNotice(conflict, t) : null;
  const buttonProps = {
    type: 'button',
    className: 'btn',
    'aria-disabled': resolve.isPending || undefined,
    'aria-describedby': resolve.isError ? errorId : undefined,
  } as const;

  return (
    <article
      ref={cardRef}
      className={`conflict conflict-${conflict.status}`}
      aria-labelledby={titleId}
      data-testid="conflict"
      data-conflict-id={conflict.id}
    >
      <header className="conflict-head">
        <Heading id={titleId} ref={headingRef} tabIndex={-1} className="conflict-title">
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
      <div
        ref={outcomeRef}
        className="conflict-outcome"
        style={outcomeHeight === null ? undefined : { minHeight: outcomeHeight }}
      >
        {open ? (
          <div className="inline-actions" role="group" aria-labelledby={titleId}>
            {conflict.kind === 'field' && (
              <>
                <button {...buttonProps} onClick={() => choose('xentral')}>
                  {choosing === 'xentral' ? t('overview.resolving') : t('overview.takeXentral')}
                </button>
                <button {...buttonProps} onClick={() => choose('hubspot')}>
                  {choosing === 'hubspot' ? t('overview.resolving') : t('overview.takeHubspot')}
                </button>
              </>
            )}
            <button {...buttonProps} onClick={() => choose('keep')}>
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
        {/* In the page from the start, so screen readers announce what is put into it. */}
        <div role="status" className="conflict-notice">
          {notice !== null && <p className="notice notice-success">{notice}</p>}
        </div>
        {resolve.isError && (
          <p id={errorId} className="field-error" role="alert">
            {t('overview.resolveFailed', { message: errorText(resolve.error, t) })}
          </p>
        )}
      </div>
    </article>
  );
}
