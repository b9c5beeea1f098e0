import type { TFunction } from 'i18next';
import de from './de.json';
import { fieldLabel } from '../overview/field-label';

/**
 * The engine's reasons and run messages in the admin's language. The server sends each with a
 * code and its values beside the English text; a code this client does not know yet shows the
 * server's text, so no reason is ever lost.
 */
export function reasonText(
  code: string | null,
  params: Record<string, string>,
  fallback: string | null,
  t: TFunction,
): string | null {
  if (code === null) return fallback;
  switch (code) {
    case 'matched_by':
      return t('reasons.matched_by', {
        how: Object.hasOwn(de.reasons.matchedBy, params.how ?? '')
          ? t(`reasons.matchedBy.${params.how as keyof typeof de.reasons.matchedBy}`)
          : (params.how ?? ''),
      });
    case 'duplicate_email':
      return t(
        params.case === 'twin' ? 'reasons.duplicate_email_twin' : 'reasons.duplicate_email_taken',
        { replace: params },
      );
    case 'buyer_unresolved':
      return t(
        params.why === 'no_email'
          ? 'reasons.buyer_unresolved_no_email'
          : 'reasons.buyer_unresolved_unresolved',
        { replace: params },
      );
    case 'field_conflict':
      return t('reasons.field_conflict', { ...params, field: fieldLabel(params.field ?? '', t) });
    case 'new_conflicts':
      return t('reasons.new_conflicts', {
        count: Number(params.count),
        type: Object.hasOwn(de.objectType, params.type ?? '')
          ? t(`objectType.${params.type as keyof typeof de.objectType}`)
          : params.type,
      });
    case 'configuration':
      return t('reasons.configuration', { message: fallback ?? '' });
    default:
      return Object.hasOwn(de.reasons, code) &&
        typeof de.reasons[code as keyof typeof de.reasons] === 'string'
        ? t(`reasons.${code}` as 'reasons.no_email', { replace: params })
        : fallback;
  }
}
