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
    case 'possible_duplicate':
      return t(
        params.case === 'twin'
          ? 'reasons.possible_duplicate_twin'
          : 'reasons.possible_duplicate_taken',
        {
          replace: {
            ...params,
            match: Object.hasOwn(de.reasons.matchedBy, params.match ?? '')
              ? t(`reasons.matchedBy.${params.match as keyof typeof de.reasons.matchedBy}`)
              : (params.match ?? ''),
          },
        },
      );
    case 'lifecycle_stage_not_selected':
      return t(
        params.stage ? 'reasons.lifecycle_stage_not_selected' : 'reasons.lifecycle_stage_none',
        { replace: params },
      );
    case 'reconciliation_found':
      return t('reasons.reconciliation_found', {
        replace: {
          ...params,
          type: Object.hasOwn(de.objectType, params.type ?? '')
            ? t(`objectType.${params.type as keyof typeof de.objectType}`)
            : (params.type ?? ''),
        },
      });
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
    case 'customer_unusable':
      return params.why === 'no_primary_address'
        ? t('reasons.customer_unusable_no_primary_address')
        : params.why === 'unknown_type'
          ? t('reasons.customer_unusable_unknown_type', { replace: params })
          : t('reasons.customer_unusable_other_type');
    default:
      return Object.hasOwn(de.reasons, code) &&
        typeof de.reasons[code as keyof typeof de.reasons] === 'string'
        ? t(`reasons.${code}` as 'reasons.no_email', { replace: params })
        : fallback;
  }
}
