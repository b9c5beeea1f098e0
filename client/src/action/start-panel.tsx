import { useQuery } from '@tanstack/react-query';
import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import type { RunKind } from '../../../shared/api/runs';
import type { SettingsResponse } from '../../../shared/api/settings';
import { connectionQuery } from '../connection/queries';
import { errorText } from '../i18n/error-text';
import { useActiveRun } from '../live/use-live';
import { Notice } from '../ui/notice';
import { useStartRun } from './mutations';

const START_LABEL = {
  import: 'action.startImport',
  export: 'action.startExport',
  sync: 'action.startSync',
  deals: 'action.startDeals',
} as const satisfies Record<RunKind, string>;

/** The manual start buttons that fit the saved settings, disabled while a run is active. */
export function StartPanel({ saved }: { saved: SettingsResponse }) {
  const { t } = useTranslation();
  const connection = useQuery(connectionQuery);
  const activeRun = useActiveRun();
  const start = useStartRun();
  const headingId = useId();
  const hintId = useId();

  const kinds: RunKind[] = [saved.mode, ...(saved.dealSync ? (['deals'] as const) : [])];
  const status = connection.data?.status;
  const blocker =
    activeRun !== null
      ? t('action.runActiveHint')
      : status === 'disconnected'
        ? t('action.notConnectedHint')
        : status === 'needs_reconnect'
          ? t('action.needsReconnectHint')
          : null;

  return (
    <section className="card" aria-labelledby={headingId}>
      <h2 id={headingId}>{t('action.startTitle')}</h2>
      <p className="muted">{t('action.savedModeHint', { mode: t(`mode.${saved.mode}`) })}</p>
      {saved.automatic ? (
        <p className="hint">{t('action.automaticActiveHint')}</p>
      ) : (
        <>
          <div className="inline-actions">
            {kinds.map((kind) => (
              <button
                key={kind}
                type="button"
                className={kind === 'deals' ? 'btn' : 'btn btn-primary'}
                disabled={blocker !== null || start.isPending || connection.isPending}
                aria-describedby={blocker ? hintId : undefined}
                onClick={() => start.mutate(kind)}
              >
                {t(START_LABEL[kind])}
              </button>
            ))}
          </div>
          {blocker && (
            <p className="hint" id={hintId}>
              {blocker}
            </p>
          )}
        </>
      )}
      {start.isSuccess && activeRun?.runId === start.data.id && (
        <Notice tone="info">{t('action.started', { id: start.data.id })}</Notice>
      )}
      {start.isError && <Notice tone="error">{errorText(start.error, t)}</Notice>}
    </section>
  );
}
