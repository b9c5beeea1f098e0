import { getAlpha2Codes } from 'i18n-iso-countries';

export interface CountryOption {
  code: string;
  name: string;
}

/** ISO 3166 alpha-2 codes with their names in `language`, sorted as that language sorts. */
export function countryOptions(language: string): CountryOption[] {
  const names = new Intl.DisplayNames([language], { type: 'region', fallback: 'code' });
  const collator = new Intl.Collator(language);
  return Object.keys(getAlpha2Codes())
    .map((code) => ({ code, name: names.of(code) ?? code }))
    .sort((a, b) => collator.compare(a.name, b.name));
}
