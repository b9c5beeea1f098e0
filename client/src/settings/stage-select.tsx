import { useQuery } from '@tanstack/react-query';
import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import { errorText } from '../i18n/error-text';
import { useFormat } from '../i18n/format';
import { Notice } from '../ui/notice';
import { LoadError, Loading } from '../ui/query-state';
import { useRefreshStages } from './mutations';
import { lifecycleStagesQuery } from './queries';

/** HubSpot's lifecycle stages as checkboxes, with "Lifecycle-Phasen aktualisieren". */
export function StageSelect(props: {
  selected: string[];
  onChange: (stages: string[]) => void;
  problems: string[];
}) {
  const { t } = useTranslation();
  const format = useFormat();
  const stages = useQuery(lifecycleStagesQuery);
  const refresh = useRefreshStages();
  const hintId = useId();
  const errorId = useId();
  const { selected, onChange } = props;

  const toggle = (id: string, checked: boolean) => {
    const next = checked ? [...selected, id] : selected.filter((stage) => stage !== id);
    // Keep HubSpot's order, so the saved list does not depend on the order of clicks.
    const order = new Map((stages.data?.stages ?? []).map((stage, index) => [stage.id, index]));
    onChange(
      [...new Set(next)].sort(
        (a, b) =>
          (order.get(a) ?? Number.MAX_SAFE_INTEGER) - (order.get(b) ?? Number.MAX_SAFE_INTEGER),
      ),
    );
  };
  const known = new Set((stages.data?.stages ?? []).map((stage) => stage.id));
  const unknown = selected.filter((id) => !known.has(id));

  return (
    <fieldset
      className="field-group"
      aria-describedby={`${hintId}${props.problems.length > 0 ? ` ${errorId}` : ''}`}
    >
      <legend>{t('settings.stages')}</legend>
      <p className="hint" id={hintId}>
        {t('settings.stagesHint')}
      </p>
      {stages.isPending && <Loading />}
      {stages.isError && <LoadError error={stages.error} onRetry={() => void stages.refetch()} />}
      {stages.isSuccess && stages.data.stages.length === 0 && (
        <p className="muted">{t('settings.stagesNone')}</p>
      )}
      {stages.isSuccess && (stages.data.stages.length > 0 || unknown.length > 0) && (
        <ul className="checkbox-grid">
          {stages.data.stages.map((stage) => (
            <li key={stage.id}>
              <label className="checkbox">
                <input
                  type="checkbox"
                  name="lifecycleStages"
                  value={stage.id}
                  checked={selected.includes(stage.id)}
                  onChange={(event) => toggle(stage.id, event.target.checked)}
                />
                <span>{stage.label}</span>
              </label>
            </li>
          ))}
          {unknown.map((id) => (
            <li key={id}>
              <label className="checkbox checkbox-warn">
                <input
                  type="checkbox"
                  checked
                  onChange={(event) => toggle(id, event.target.checked)}
                />
                <span>{t('settings.stagesUnknown', { id })}</span>
              </label>
            </li>
          ))}
        </ul>
      )}
      <div className="inline-actions">
        <span className="muted" aria-live="polite">
          {t('settings.stagesSelected', { count: selected.length })}
        </span>
        <button
          type="button"
          className="btn"
          onClick={() => refresh.mutate()}
          disabled={refresh.isPending}
        >
          {refresh.isPending ? t('settings.stagesRefreshing') : t('settings.stagesRefresh')}
        </button>
        {stages.data?.refreshedAt && (
          <span className="muted">
            {t('settings.stagesLoadedAt', { at: format.dateTime(stages.data.refreshedAt) })}
          </span>
        )}
      </div>
      {refresh.isSuccess && <Notice tone="success">{t('settings.stagesRefreshed')}</Notice>}
      {refresh.isError && <Notice tone="error">{errorText(refresh.error, t)}</Notice>}
      {props.problems.length > 0 && (
        <ul className="field-error" id={errorId}>
          {props.problems.map((problem) => (
            <li key={problem}>{problem}</li>
          ))}
        </ul>
      )}
    </fieldset>
  );
}
