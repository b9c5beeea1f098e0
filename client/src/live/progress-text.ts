/* The texts of the live progress, in the admin's language, from the codes the events carry. */
import type { TFunction } from 'i18next';
import type { Formatters } from '../i18n/format';
import { runTimeLeft, type LiveRun, type LiveWait } from './live-state';

/** The whole run's count, the total marked as still growing while it may grow. */
export function overallText(run: LiveRun, t: TFunction, format: Formatters): string | null {
  const { overall } = run;
  if (!overall || overall.total <= 0) return null;
  const values = { done: format.number(overall.done), total: format.number(overall.total) };
  if (run.status === 'running') {
    return t(overall.growing ? 'action.overallCountGrowing' : 'action.overallCount', values);
  }
  return run.status === 'succeeded' ? null : t('action.stoppedAt', values);
}

export function waitText(wait: LiveWait, nowMs: number, t: TFunction, format: Formatters): string {
  const values = {
    system: t(`action.systemName.${wait.system}`),
    duration: format.duration(Math.max(0, wait.untilMs - nowMs)),
  };
  if (wait.reason === 'rate_limit') return t('action.waitRateLimit', values);
  return wait.status === null
    ? t('action.waitRetryNoAnswer', values)
    : t('action.waitRetry', { ...values, status: String(wait.status) });
}

export function timeLeftText(
  run: LiveRun,
  nowMs: number,
  t: TFunction,
  format: Formatters,
): string {
  const estimate = runTimeLeft(run, nowMs);
  if (estimate.remainingMs === null) {
    return run.overall && run.overall.total > 0 && run.overall.done >= run.overall.total
      ? t('action.remainingDone')
      : t('action.remainingUnknown');
  }
  const duration = format.duration(estimate.remainingMs);
  const system = estimate.system ? t(`action.systemName.${estimate.system}`) : '';
  if (estimate.basis === 'limit' && estimate.perMinute !== null) {
    return t('action.remainingLimit', {
      duration,
      system,
      perMinute: format.number(estimate.perMinute),
    });
  }
  if (estimate.basis === 'wait') return t('action.remainingWait', { duration, system });
  return t('action.remainingAbout', { duration });
}
