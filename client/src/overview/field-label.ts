import type { TFunction } from 'i18next';
import de from '../i18n/de.json';

type FieldKey = keyof typeof de.field;

/** The engine's field names in the admin's words; an unknown field keeps its own name. */
export function fieldLabel(field: string, t: TFunction): string {
  return Object.hasOwn(de.field, field) ? t(`field.${field as FieldKey}`) : field;
}
