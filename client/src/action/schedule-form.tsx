import { useQuery } from '@tanstack/react-query';
import { useId, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { SettingsResponse } from '../../../shared/api/settings';
import { fieldProblems } from '../api';
import { errorText } from '../i18n/error-text';
import { useFormat } from '../i18n/format';
import { useSaveSettings } from '../settings/mutations';
import { parseInterval, settingsToSave } from '../settings/settings-values';
import { Notice } from '../ui/notice';
import { LoadError, Loading } from '../ui/query-state';
import { processStarterQuery } from './queries';

/** Automatic vs manual, and for automatic the "Hubspot Data Sync" process starter. */
export function ScheduleForm({ saved }: { saved: SettingsResponse }) {
  const { t } = useTranslation();
  const format = useFormat();
  const starter = useQuery(processStarterQuery);
  const save = useSaveSettings();
  const [automatic, setAutomatic] = useState<boolean | null>(null);
  const [intervalText, setIntervalText] = useState<string | null>(null);
  const [invalid, setInvalid] = useState(false);
  const headingId = useId();
  const intervalId = useId();
  const name = starter.data?.name ?? 'Hubspot Data Sync';

  const isAutomatic = automatic ?? saved.automatic;
  const shownInterval = intervalText ?? String(saved.intervalMinutes);
  const serverProblems = fieldProblems(save.error)
    .filter((problem) => problem.path === 'intervalMinutes')
    .map((problem) => problem.message);
  const intervalError = invalid ? t('action.intervalInvalid') : (serverProblems[0] ?? null);
  const dirty =
    isAutomatic !== saved.automatic ||
    (isAutomatic && shownInterval !== String(saved.intervalMinutes));

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const interval = isAutomatic ? parseInterval(shownInterval) : saved.intervalMinutes;
    if (interval === null) {
      setInvalid(true);
      save.reset();
      return;
    }
    setInvalid(false);
    save.mutate(settingsToSave(saved, { automatic: isAutomatic, intervalMinutes: interval }), {
      onSuccess: () => {
        setAutomatic(null);
        setIntervalText(null);
      },
    });
  };

  return (
    <form className="card" aria-labelledby={headingId} onSubmit={submit} noValidate>
      <h2 id={headingId}>{t('action.execution')}</h2>
      <fieldset className="choices choices-compact">
        <legend className="visually-hidden">{t('action.execution')}</legend>
        {(['manual', 'automatic'] as const).map((option) => {
          const checked = (option === 'automatic') === isAutomatic;
          return (
            <div key={option} className={`choice${checked ? ' choice-selected' : ''}`}>
              <input
                type="radio"
                name="execution"
                id={`execution-${option}`}
                checked={checked}
                aria-describedby={`execution-${option}-hint`}
                onChange={() => {
                  save.reset();
                  setInvalid(false);
                  setAutomatic(option === 'automatic');
                }}
              />
              <label htmlFor={`execution-${option}`} className="choice-title">
                {t(`action.${option}`)}
              </label>
              <span className="choice-hint" id={`execution-${option}-hint`}>
                {option === 'manual' ? t('action.manualHint') : t('action.automaticHint', { name })}
              </span>
            </div>
          );
        })}
      </fieldset>
      {isAutomatic && (
        <div className="process-starter" data-testid="process-starter">
          <h3 className="group-title">{t('action.processStarter')}</h3>
          {starter.isPending && <Loading />}
          {starter.isError && (
            <LoadError error={starter.error} onRetry={() => void starter.refetch()} />
          )}
          <div className="process-starter-grid">
            <div className="field">
              <label htmlFor={intervalId} className="field-label">
                {t('action.interval')}
              </label>
              <input
                id={intervalId}
                type="number"
                inputMode="numeric"
                min={5}
                max={10_080}
                step={1}
                className="input-narrow"
                value={shownInterval}
                aria-invalid={intervalError !== null}
                aria-describedby={`${intervalId}-hint${intervalError ? ` ${intervalId}-error` : ''}`}
                onChange={(event) => {
                  save.reset();
                  setInvalid(false);
                  setIntervalText(event.target.value);
                }}
              />
              <p className="hint" id={`${intervalId}-hint`}>
                {t('action.intervalHint')}
              </p>
              {intervalError && (
                <p className="field-error" id={`${intervalId}-error`}>
                  {intervalError}
                </p>
              )}
            </div>
            {starter.isSuccess && (
              <dl className="facts" data-testid="process-starter-facts">
                <div>
                  <dt>{t('action.name')}</dt>
                  <dd>{starter.data.name}</dd>
                </div>
                <div>
                  <dt>{t('action.active')}</dt>
                  <dd>{starter.data.active ? t('app.yes') : t('app.no')}</dd>
                </div>
                <div>
                  <dt>{t('action.interval')}</dt>
                  <dd>{t('action.everyMinutes', { count: starter.data.intervalMinutes })}</dd>
                </div>
                <div>
                  <dt>{t('action.lastRun')}</dt>
                  <dd>
                    {starter.data.lastRunAt
                      ? `${format.dateTime(starter.data.lastRunAt)}${
                          starter.data.lastRunId === null
                            ? ''
                            : ` (${t('action.runRef', { id: starter.data.lastRunId })})`
                        }`
                      : t('action.never')}
                  </dd>
                </div>
                <div>
                  <dt>{t('action.nextRun')}</dt>
                  <dd>
                    {starter.data.nextRunAt
                      ? format.dateTime(starter.data.nextRunAt)
                      : t('action.notPlanned')}
                  </dd>
                </div>
              </dl>
            )}
          </div>
        </div>
      )}
      <div className="form-actions">
        <button type="submit" className="btn btn-primary" disabled={save.isPending}>
          {save.isPending ? t('app.saving') : t('app.save')}
        </button>
        {dirty && <span className="unsaved">{t('app.unsaved')}</span>}
        {save.isSuccess && <Notice tone="success">{t('action.saved')}</Notice>}
        {invalid && <Notice tone="error">{t('action.notSaved')}</Notice>}
        {save.isError && (
          <Notice tone="error">
            {serverProblems.length > 0 ? t('action.notSaved') : errorText(save.error, t)}
          </Notice>
        )}
      </div>
    </form>
  );
}
