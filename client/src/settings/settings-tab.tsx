import { useQuery } from '@tanstack/react-query';
import { useId, useMemo, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Salutation, Settings } from '../../../shared/api/settings';
import { fieldProblems } from '../api';
import { errorText } from '../i18n/error-text';
import { useFormat } from '../i18n/format';
import { Notice } from '../ui/notice';
import { useKeptDraft } from '../session/kept-draft';
import { LoadError, Loading } from '../ui/query-state';
import { countryOptions } from './countries';
import { useSaveSettings } from './mutations';
import { ProjectPicker } from './project-picker';
import { settingsQuery } from './queries';
import { hasChanges, settingsToSave } from './settings-values';
import { StageSelect } from './stage-select';

const SettingsDraft = Settings.pick({
  lifecycleStages: true,
  projectId: true,
  dealSync: true,
  defaultSalutation: true,
  defaultCountry: true,
}).partial();
type SettingsFields = Pick<
  Settings,
  'lifecycleStages' | 'projectId' | 'dealSync' | 'defaultSalutation' | 'defaultCountry'
>;
const noDraft = (draft: Partial<SettingsFields>) => Object.keys(draft).length === 0;

/** A kept draft read back: only the fields it really holds, each checked. */
function settingsDraft(value: unknown): Partial<SettingsFields> | undefined {
  const parsed = SettingsDraft.safeParse(value);
  if (!parsed.success) return undefined;
  const { lifecycleStages, projectId, dealSync, defaultSalutation, defaultCountry } = parsed.data;
  return {
    ...(lifecycleStages !== undefined && { lifecycleStages }),
    ...(projectId !== undefined && { projectId }),
    ...(dealSync !== undefined && { dealSync }),
    ...(defaultSalutation !== undefined && { defaultSalutation }),
    ...(defaultCountry !== undefined && { defaultCountry }),
  };
}

/** Server problems grouped by the field they are about (`lifecycleStages.1` → lifecycleStages). */
function problemsByField(error: unknown): Map<string, string[]> {
  const byField = new Map<string, string[]>();
  for (const problem of fieldProblems(error)) {
    const field = problem.path.split('.')[0] ?? '';
    byField.set(field, [...(byField.get(field) ?? []), problem.message]);
  }
  return byField;
}

export function SettingsTab() {
  const { t, i18n } = useTranslation();
  const format = useFormat();
  const settings = useQuery(settingsQuery);
  const save = useSaveSettings();
  const [draft, setDraft, restored] = useKeptDraft('settings', settingsDraft, {}, noDraft);
  const headingId = useId();
  const salutationId = useId();
  const countryId = useId();
  const dealHintId = useId();
  const language = i18n.resolvedLanguage ?? i18n.language;
  const countries = useMemo(() => countryOptions(language), [language]);

  if (settings.isPending) return <Loading />;
  if (settings.isError) {
    return <LoadError error={settings.error} onRetry={() => void settings.refetch()} />;
  }
  const saved = settings.data;
  // `in`, not `??`: a project cleared in the draft is null and must stay null.
  const value = <K extends keyof SettingsFields>(key: K): SettingsFields[K] => {
    const drafted = draft[key];
    return key in draft && drafted !== undefined ? drafted : saved[key];
  };
  const change = (changes: Partial<SettingsFields>) => {
    save.reset();
    setDraft((current) => ({ ...current, ...changes }));
  };
  const problems = problemsByField(save.error);
  const other = [...problems.entries()]
    .filter(
      ([field]) =>
        !['lifecycleStages', 'projectId', 'defaultCountry', 'defaultSalutation'].includes(field),
    )
    .flatMap(([, messages]) => messages);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    save.mutate(settingsToSave(saved, draft), { onSuccess: () => setDraft({}) });
  };

  return (
    <form className="card tab-card" aria-labelledby={headingId} onSubmit={submit} noValidate>
      <div className="card-head">
        <h2 id={headingId}>{t('settings.title')}</h2>
        {saved.updatedAt && (
          <span className="muted">
            {t('settings.updatedAt', { at: format.dateTime(saved.updatedAt) })}
          </span>
        )}
      </div>
      <div className="settings-grid">
        <StageSelect
          selected={value('lifecycleStages')}
          onChange={(lifecycleStages) => change({ lifecycleStages })}
          problems={problems.get('lifecycleStages') ?? []}
        />
        <div className="settings-column">
          <ProjectPicker
            value={value('projectId')}
            onChange={(projectId) => change({ projectId })}
            problems={problems.get('projectId') ?? []}
          />
          <div className="field-group">
            <label className="checkbox checkbox-strong">
              <input
                type="checkbox"
                name="dealSync"
                checked={value('dealSync')}
                aria-describedby={dealHintId}
                onChange={(event) => change({ dealSync: event.target.checked })}
              />
              <span>{t('settings.dealSync')}</span>
            </label>
            <p className="hint" id={dealHintId}>
              {t('settings.dealSyncHint')}
              {saved.dealSync && saved.dealSyncActivatedAt && (
                <>
                  {' '}
                  {t('settings.dealSyncSince', { at: format.dateTime(saved.dealSyncActivatedAt) })}
                </>
              )}{' '}
              {t('settings.dealSyncOffHint')}
            </p>
          </div>
          <fieldset className="field-group defaults">
            <legend>{t('settings.defaults')}</legend>
            <div className="field">
              <label htmlFor={salutationId} className="field-label">
                {t('settings.salutation')}
              </label>
              <select
                id={salutationId}
                value={value('defaultSalutation')}
                aria-describedby={`${salutationId}-hint`}
                onChange={(event) => {
                  const parsed = Salutation.safeParse(event.target.value);
                  if (parsed.success) change({ defaultSalutation: parsed.data });
                }}
              >
                {Salutation.options.map((salutation) => (
                  <option key={salutation} value={salutation}>
                    {t(`settings.salutation_${salutation}`)}
                  </option>
                ))}
              </select>
              <p className="hint" id={`${salutationId}-hint`}>
                {t('settings.salutationHint')}
              </p>
            </div>
            <div className="field">
              <label htmlFor={countryId} className="field-label">
                {t('settings.country')}
              </label>
              <select
                id={countryId}
                value={value('defaultCountry')}
                aria-describedby={`${countryId}-hint`}
                aria-invalid={problems.has('defaultCountry')}
                onChange={(event) => change({ defaultCountry: event.target.value })}
              >
                {countries.map((country) => (
                  <option key={country.code} value={country.code}>
                    {country.name} ({country.code})
                  </option>
                ))}
              </select>
              <p className="hint" id={`${countryId}-hint`}>
                {t('settings.countryHint')}
              </p>
              {problems.get('defaultCountry')?.map((message) => (
                <p key={message} className="field-error">
                  {message}
                </p>
              ))}
            </div>
          </fieldset>
        </div>
      </div>
      <div className="form-actions form-actions-bar">
        <button type="submit" className="btn btn-primary" disabled={save.isPending}>
          {save.isPending ? t('app.saving') : t('app.save')}
        </button>
        {hasChanges(saved, draft) && <span className="unsaved">{t('app.unsaved')}</span>}
        {restored && hasChanges(saved, draft) && !save.isError && (
          <Notice tone="info">{t('app.draftRestored')}</Notice>
        )}
        {save.isSuccess && <Notice tone="success">{t('settings.saved')}</Notice>}
        {save.isError && (
          <Notice tone="error">
            {problems.size > 0 ? t('settings.notSaved') : errorText(save.error, t)}
            {other.map((message) => (
              <span key={message} className="block">
                {message}
              </span>
            ))}
          </Notice>
        )}
      </div>
    </form>
  );
}
