import { useQueryClient } from '@tanstack/react-query';
import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import { useFormat } from '../i18n/format';
import { dispatchLive } from '../live/queries';
import { useLive } from '../live/use-live';
import { messageText, runKindLabel } from './message-text';

const timeOf = (iso: string, language: string) =>
  new Intl.DateTimeFormat(language, { timeStyle: 'medium' }).format(new Date(iso));

/** The run's messages as they happen: started, the live step, finished with counts, failures. */
export function MessageBar({ online }: { online: boolean }) {
  const { t, i18n } = useTranslation();
  const format = useFormat();
  const client = useQueryClient();
  const { messages, run } = useLive();
  const headingId = useId();
  const language = i18n.resolvedLanguage ?? i18n.language;
  const newestFirst = [...messages].reverse();

  return (
    <section className="card message-bar" aria-labelledby={headingId} data-testid="message-bar">
      <div className="card-head">
        <h2 id={headingId}>{t('messages.title')}</h2>
        {messages.length > 0 && (
          <button
            type="button"
            className="btn btn-link"
            onClick={() => dispatchLive(client, { name: 'messages.cleared' })}
          >
            {t('messages.clear')}
          </button>
        )}
      </div>
      {!online && <p className="notice notice-warn">{t('messages.liveLost')}</p>}
      {run?.status === 'running' && (
        <p className="live-line" role="status" data-testid="live-line">
          <span className="spinner" aria-hidden="true" />
          {t('messages.progress', {
            kind: runKindLabel(run.kind, t),
            step: run.step
              ? t('action.step', {
                  phase: t(`phase.${run.step.phase}`),
                  type: t(`objectType.${run.step.type}`),
                })
              : '…',
            created: format.number(run.counts.created),
            edited: format.number(run.counts.edited),
            conflicts: format.number(run.counts.conflicts),
          })}
        </p>
      )}
      {messages.length === 0 ? (
        <p className="muted">{t('messages.none')}</p>
      ) : (
        <div role="log" aria-live="polite" aria-labelledby={headingId} className="messages-log">
          <ol className="messages">
            {newestFirst.map((message) => (
              <li key={message.id} className={`message message-${message.level}`}>
                <time dateTime={message.at}>{timeOf(message.at, language)}</time>
                <span className={`level level-${message.level}`}>
                  {t(`messages.level.${message.level}`)}
                </span>
                <span className="message-text">
                  {messageText(message.body, message.runId, t, format)}
                </span>
              </li>
            ))}
          </ol>
        </div>
      )}
    </section>
  );
}
