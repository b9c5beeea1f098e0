import { useQuery } from '@tanstack/react-query';
import { useId, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ExchangeMode } from '../../../shared/api/settings';
import { errorText } from '../i18n/error-text';
import { useSaveSettings } from '../settings/mutations';
import { settingsQuery } from '../settings/queries';
import { settingsToSave } from '../settings/settings-values';
import { useKeptDraft } from '../session/kept-draft';
import { Notice } from '../ui/notice';
import { LoadError, Loading } from '../ui/query-state';

const MODES = ExchangeMode.options;
const modeDraft = (value: unknown) => {
  const parsed = ExchangeMode.safeParse(value);
  return parsed.success ? parsed.data : undefined;
};
const noDraft = (draft: ExchangeMode | null) => draft === null;

/**
 * The main choice: which way the data flows (sync both ways, import HubSpot → Xentral, export
 * Xentral → HubSpot), saved with Speichern.
 */
export function ModeChoice() {
  const { t } = useTranslation();
  const settings = useQuery(settingsQuery);
  const save = useSaveSettings();
  const [draft, setDraft, restored] = useKeptDraft<ExchangeMode | null>(
    'mode',
    modeDraft,
    null,
    noDraft,
  );
  const headingId = useId();
  const hintId = useId();

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!settings.data) return;
    save.mutate(settingsToSave(settings.data, { mode: draft ?? settings.data.mode }), {
      onSuccess: () => setDraft(null),
    });
  };

  return (
    <section className="card mode-card" aria-labelledby={headingId}>
      <h2 id={headingId}>{t('mode.title')}</h2>
      {settings.isPending && <Loading />}
      {settings.isError && (
        <LoadError error={settings.error} onRetry={() => void settings.refetch()} />
      )}
      {settings.isSuccess && (
        <form onSubmit={submit} className="mode-form">
          <fieldset className="choices">
            <legend className="visually-hidden">{t('mode.legend')}</legend>
            {MODES.map((mode) => {
              const selected = (draft ?? settings.data.mode) === mode;
              return (
                <div key={mode} className={`choice${selected ? ' choice-selected' : ''}`}>
                  <input
                    type="radio"
                    name="mode"
                    id={`mode-${mode}`}
                    value={mode}
                    checked={selected}
                    aria-describedby={`${hintId}-${mode}`}
                    onChange={() => {
                      save.reset();
                      setDraft(mode);
                    }}
                  />
                  <label htmlFor={`mode-${mode}`} className="choice-title">
                    {t(`mode.${mode}`)}
                  </label>
                  <span className="choice-hint" id={`${hintId}-${mode}`}>
                    {t(`mode.${mode}Hint`)}
                  </span>
                </div>
              );
            })}
          </fieldset>
          <div className="form-actions">
            <button type="submit" className="btn btn-primary" disabled={save.isPending}>
              {save.isPending ? t('app.saving') : t('app.save')}
            </button>
            {draft !== null && draft !== settings.data.mode && (
              <span className="unsaved">{t('app.unsaved')}</span>
            )}
            {restored && draft !== null && draft !== settings.data.mode && !save.isError && (
              <Notice tone="info">{t('app.draftRestored')}</Notice>
            )}
            {save.isSuccess && <Notice tone="success">{t('mode.saved')}</Notice>}
            {save.isError && <Notice tone="error">{errorText(save.error, t)}</Notice>}
          </div>
        </form>
      )}
    </section>
  );
}
