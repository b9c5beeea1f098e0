import type { TFunction } from 'i18next';
import type { RunKind } from '../../../shared/api/runs';
import type { Formatters } from '../i18n/format';
import { reasonText } from '../i18n/reason-text';
import type { MessageBody } from '../live/live-state';

export function runKindLabel(kind: RunKind | null, t: TFunction): string {
  return t(`runKind.${kind ?? 'unknown'}`);
}

/** One message of the bar in the active language; server texts are passed through as text. */
export function messageText(
  body: MessageBody,
  runId: number | null,
  t: TFunction,
  format: Formatters,
): string {
  switch (body.kind) {
    case 'started':
      return t('messages.started', {
        kind: runKindLabel(body.runKind, t),
        trigger: t(`trigger.${body.trigger}`),
        id: runId,
      });
    case 'finished': {
      const kind = runKindLabel(body.runKind, t);
      if (body.status === 'succeeded' || body.status === 'running') {
        return t('messages.finishedOk', {
          kind,
          id: runId,
          created: format.number(body.totals.created),
          edited: format.number(body.totals.edited),
          conflicts: format.number(body.totals.conflicts),
          skipped: format.number(body.totals.skipped),
          failed: format.number(body.totals.failed),
        });
      }
      const reason =
        reasonText(body.reasonCode, body.reasonParams, body.reason, t) ?? t('messages.noReason');
      return body.status === 'failed'
        ? t('messages.finishedFailed', { kind, id: runId, reason })
        : t('messages.finishedInterrupted', { kind, id: runId, reason });
    }
    case 'text':
      return reasonText(body.code, body.params, body.text, t) ?? body.text;
    case 'connection':
      return t(`messages.connection.${body.status}`);
    case 'notice':
      return t(`connection.${body.key}`);
  }
}
