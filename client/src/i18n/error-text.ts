import type { TFunction } from 'i18next';
import { ApiError } from '../api';
import de from './de.json';

type ErrorCode = keyof typeof de.errors;

function isKnownCode(code: string): code is ErrorCode {
  return Object.hasOwn(de.errors, code);
}

/**
 * Words for a failure in the active language: known App API codes are translated, anything else
 * shows the server's own message (as text) so no reason is lost.
 */
export function errorText(error: unknown, t: TFunction): string {
  if (error instanceof ApiError) {
    if (isKnownCode(error.code)) return t(`errors.${error.code}`);
    return error.message;
  }
  if (error instanceof TypeError) return t('errors.network');
  return error instanceof Error && error.message !== ''
    ? `${t('errors.unknown')} ${error.message}`
    : t('errors.unknown');
}
