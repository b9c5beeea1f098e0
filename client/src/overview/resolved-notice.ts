import type { TFunction } from 'i18next';
import type { Conflict } from '../../../shared/api/conflicts';
import { fieldLabel } from './field-label';

/**
 * The sentence that confirms a resolution: which field of which record now holds which value, so
 * the admin hears what happened without reading the card again (server/engine/RULES.md, rule 14).
 * Null while the conflict is not resolved.
 */
export function resolvedNotice(conflict: Conflict, t: TFunction): string | null {
  if (conflict.status !== 'resolved' || conflict.resolution === null) return null;
  // An ambiguous match has only one way out: it stays unlinked.
  if (conflict.kind === 'ambiguous') {
    return t('overview.resolvedNotice.keepUnlinked', { label: conflict.label });
  }
  if (conflict.field === null) return t(`overview.resolution.${conflict.resolution}`);
  return t(`overview.resolvedNotice.${conflict.resolution}`, {
    field: fieldLabel(conflict.field, t),
    label: conflict.label,
  });
}
