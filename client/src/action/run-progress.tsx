import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import { useFormat } from '../i18n/format';
import { currentWaits, foundNothing, runFraction } from '../live/live-state';
import { overallText, timeLeftText, waitText } from '../live/progress-text';
import { useLive } from '../live/use-live';
import { runKindLabel } from '../messages/message-text';
import { Counts } from '../ui/counts';
import { useNow } from './use-now';

/** The live progress of the current (or last seen) run: one bar, counts, time left, waits. */
export function RunProgress() {
  const { t } = useTranslation();
  const format = useFormat();
  const { run } = useLive();
  const headingId = useId();
  const running = run?.status === 'running';
  const now = useNow(running);

  let body;
  if (!run) {
    body = <p className="muted">{t('action.noRun')}</p>;
  } else {
    const kind = runKindLabel(run.kind, t);
    const fraction = runFraction(run);
    const overall = overallText(run, t, format);
    const waits = currentWaits(run, now);
    const startedMs = run.startedAt ? Date.parse(run.startedAt) : null;
    const endMs = run.finishedAt ? Date.parse(run.finishedAt) : now;
    const elapsed = startedMs === null ? null : Math.max(0, endMs - startedMs);
    const stepText = run.step
      ? `${t('action.step', {
          phase: t(`phase.${run.step.phase}`),
          type: t(`objectType.${run.step.type}`),
        })}: ${
          run.step.done < run.step.total
            ? t('action.stepCount', {
                done: format.number(run.step.done),
                total: format.number(run.step.total),
              })
            : t('action.stepCountOpen', { done: format.number(run.step.done) })
        }`
      : running
        ? '…'
        : run.finishedAt
          ? t('action.finishedAt', { at: format.dateTime(run.finishedAt) })
          : t(`runStatus.${run.status}`);
    body = (
      <div className={`run-progress run-${run.status}`} data-testid="run-progress">
        <p className="run-progress-title">
          {running
            ? t('action.running', { kind, id: run.runId })
            : t('action.finished', { kind, id: run.runId, status: t(`runStatus.${run.status}`) })}
        </p>
        <div
          className={`progress${fraction === null ? ' progress-indeterminate' : ''}`}
          role="progressbar"
          aria-label={t('action.progressLabel')}
          aria-valuemin={0}
          aria-valuemax={100}
          {...(fraction === null ? {} : { 'aria-valuenow': Math.round(fraction * 100) })}
          aria-valuetext={overall ?? stepText}
        >
          <div
            className="progress-fill"
            style={fraction === null ? undefined : { width: `${Math.round(fraction * 100)}%` }}
          />
        </div>
        {overall && (
          <p className="progress-overall" data-testid="progress-overall">
            {overall}
          </p>
        )}
        <p className="progress-step" data-testid="progress-step">
          {stepText}
        </p>
        {waits.map((wait) => (
          <p
            className="progress-wait"
            data-testid="progress-wait"
            key={`${wait.system}:${wait.reason}`}
          >
            {waitText(wait, now, t, format)}
          </p>
        ))}
        {running && run.held > 0 && (
          <p className="progress-wait" data-testid="progress-held">
            {t('action.held', { count: run.held })}
          </p>
        )}
        {foundNothing(run) && run.readOverlapMs !== null && (
          <p className="muted" data-testid="progress-nothing">
            {t('action.nothingFound', {
              seconds: format.number(Math.round(run.readOverlapMs / 1000)),
            })}
          </p>
        )}
        <Counts counts={run.counts} testId="live-counts" />
        <dl className="facts facts-inline">
          <div>
            <dt>{t('action.elapsed')}</dt>
            <dd>{elapsed === null ? t('app.none') : format.duration(elapsed)}</dd>
          </div>
          {running && (
            <div>
              <dt>{t('action.remaining')}</dt>
              <dd data-testid="time-left">{timeLeftText(run, now, t, format)}</dd>
            </div>
          )}
        </dl>
        {run.message && !running && <p className="field-error">{run.message}</p>}
      </div>
    );
  }

  return (
    <section className="card" aria-labelledby={headingId}>
      <h2 id={headingId}>{t('action.progressTitle')}</h2>
      {body}
    </section>
  );
}
