import { useQuery } from '@tanstack/react-query';
import { useId, useState, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { Project } from '../../../shared/api/catalog';
import { errorText } from '../i18n/error-text';
import { projectsQuery } from './queries';
import { useDebounced } from './use-debounced';

const projectLabel = (project: Project) =>
  project.keyName ? `${project.name} (${project.keyName})` : project.name;

/**
 * A searchable field over Xentral's projects (ARIA combobox with a list box): type to search,
 * arrows to move, Enter to choose, Escape to close.
 */
export function ProjectPicker(props: {
  value: string | null;
  onChange: (projectId: string | null) => void;
  problems: string[];
}) {
  const { t } = useTranslation();
  const inputId = useId();
  const listId = useId();
  const hintId = useId();
  const errorId = useId();
  const [text, setText] = useState('');
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(0);
  const [picked, setPicked] = useState<Project | null>(null);
  const search = useDebounced(text.trim(), 250);
  const results = useQuery({ ...projectsQuery(search), enabled: open });
  // The unfiltered list names the saved project without another request in the common case.
  const all = useQuery(projectsQuery(''));
  const options = results.data?.projects ?? [];

  const selected =
    props.value === null
      ? null
      : picked?.id === props.value
        ? picked
        : (all.data?.projects.find((project) => project.id === props.value) ?? null);
  const selectedLabel =
    props.value === null
      ? t('settings.projectNone')
      : selected
        ? projectLabel(selected)
        : t('settings.projectUnknown', { id: props.value });

  const choose = (project: Project) => {
    setPicked(project);
    props.onChange(project.id);
    setText('');
    setOpen(false);
  };

  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key === 'ArrowDown') {
      event.preventDefault();
      if (!open) setOpen(true);
      else setActive((index) => Math.min(index + 1, Math.max(options.length - 1, 0)));
    } else if (event.key === 'ArrowUp') {
      event.preventDefault();
      setActive((index) => Math.max(index - 1, 0));
    } else if (event.key === 'Enter') {
      const option = options[active];
      if (open && option) {
        event.preventDefault();
        choose(option);
      }
    } else if (event.key === 'Escape' && open) {
      event.preventDefault();
      setOpen(false);
    }
  };

  const activeOption = open ? options[active] : undefined;
  const describedBy = [hintId, props.problems.length > 0 ? errorId : null]
    .filter(Boolean)
    .join(' ');

  return (
    <div className="field-group">
      <h3 className="group-title">{t('settings.project')}</h3>
      <p className="hint" id={hintId}>
        {t('settings.projectHint')}
      </p>
      <p className="selected-value" data-testid="selected-project">
        <span>{t('settings.projectSelected', { name: selectedLabel })}</span>
        {props.value !== null && (
          <button
            type="button"
            className="btn btn-link"
            onClick={() => {
              setPicked(null);
              props.onChange(null);
            }}
          >
            {t('settings.projectClear')}
          </button>
        )}
      </p>
      <label htmlFor={inputId} className="field-label">
        {t('settings.projectSearch')}
      </label>
      <div className="combobox">
        <input
          id={inputId}
          type="text"
          role="combobox"
          autoComplete="off"
          aria-autocomplete="list"
          aria-expanded={open}
          aria-controls={listId}
          aria-describedby={describedBy}
          aria-invalid={props.problems.length > 0}
          aria-activedescendant={activeOption ? `${listId}-${activeOption.id}` : undefined}
          placeholder={t('settings.projectPlaceholder')}
          value={text}
          onChange={(event) => {
            setText(event.target.value);
            setActive(0);
            setOpen(true);
          }}
          onFocus={() => setOpen(true)}
          onClick={() => setOpen(true)}
          onBlur={() => setOpen(false)}
          onKeyDown={onKeyDown}
        />
        <div className="combobox-popup" hidden={!open}>
          {results.isPending && open && <p className="muted">{t('app.loading')}</p>}
          {results.isError && (
            <p className="field-error" role="alert">
              {errorText(results.error, t)}
            </p>
          )}
          {results.isSuccess && options.length === 0 && (
            <p className="muted">{t('settings.projectNoMatch')}</p>
          )}
          <ul id={listId} role="listbox" aria-label={t('settings.project')}>
            {options.map((project, index) => (
              <li
                key={project.id}
                id={`${listId}-${project.id}`}
                role="option"
                aria-selected={index === active}
                className={`option${index === active ? ' option-active' : ''}${project.id === props.value ? ' option-chosen' : ''}`}
                // mousedown, not click: the input's blur must not close the list first.
                onMouseDown={(event) => {
                  event.preventDefault();
                  choose(project);
                }}
                onMouseEnter={() => setActive(index)}
              >
                <span>{project.name}</span>
                {project.keyName && <span className="option-meta">{project.keyName}</span>}
              </li>
            ))}
          </ul>
          {results.isSuccess && options.length > 0 && (
            <p className="visually-hidden" role="status">
              {t('settings.projectResults', { count: options.length })}
            </p>
          )}
        </div>
      </div>
      {props.problems.length > 0 && (
        <ul className="field-error" id={errorId}>
          {props.problems.map((problem) => (
            <li key={problem}>{problem}</li>
          ))}
        </ul>
      )}
    </div>
  );
}
