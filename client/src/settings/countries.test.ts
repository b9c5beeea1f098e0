import { getAlpha2Codes } from 'i18n-iso-countries';
import { describe, expect, it } from 'vitest';
import { COUNTRY_CODES, countryOptions } from './countries';

describe('country options', () => {
  it('offers exactly the codes the server accepts as a country', () => {
    expect([...COUNTRY_CODES].sort()).toEqual(Object.keys(getAlpha2Codes()).sort());
  });

  it('names every code in both languages of the UI', () => {
    for (const language of ['de', 'en']) {
      const names = new Intl.DisplayNames([language], { type: 'region', fallback: 'none' });
      const unnamed = COUNTRY_CODES.filter((code) => names.of(code) === undefined);
      expect(unnamed, language).toEqual([]);
    }
  });

  it('sorts by the name in the chosen language', () => {
    const german = countryOptions('de');
    expect(german.find((option) => option.code === 'DE')?.name).toBe('Deutschland');
    const names = german.map((option) => option.name);
    expect(names).toEqual([...names].sort(new Intl.Collator('de').compare));
    expect(countryOptions('en').find((option) => option.code === 'DE')?.name).toBe('Germany');
  });
});
