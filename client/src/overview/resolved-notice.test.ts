import i18next, { type TFunction } from 'i18next';
import { beforeAll, describe, expect, it } from 'vitest';
import { resources } from '../i18n/resources';
import { buildConflict, resolvedAs } from './test-builders';
import { resolvedNotice } from './resolved-notice';

const translators = {} as Record<'de' | 'en', TFunction>;

beforeAll(async () => {
  for (const language of ['de', 'en'] as const) {
    const instance = i18next.createInstance();
    await instance.init({ resources, lng: language, interpolation: { escapeValue: false } });
    translators[language] = instance.t;
  }
});

const phone = buildConflict();

describe('resolvedNotice', () => {
  it('names the field, the record and the system whose value was taken', () => {
    expect(resolvedNotice(resolvedAs(phone, 'hubspot'), translators.de)).toBe(
      'Konflikt gelöst: Telefon von Erika Mustermann übernimmt den Wert aus HubSpot.',
    );
    expect(resolvedNotice(resolvedAs(phone, 'hubspot'), translators.en)).toBe(
      'Conflict resolved: Phone of Erika Mustermann takes the HubSpot value.',
    );
    expect(resolvedNotice(resolvedAs(phone, 'xentral'), translators.de)).toBe(
      'Konflikt gelöst: Telefon von Erika Mustermann übernimmt den Wert aus Xentral.',
    );
    expect(resolvedNotice(resolvedAs(phone, 'xentral'), translators.en)).toBe(
      'Conflict resolved: Phone of Erika Mustermann takes the Xentral value.',
    );
  });

  it('says that keeping both leaves each system its own value', () => {
    expect(resolvedNotice(resolvedAs(phone, 'keep'), translators.de)).toBe(
      'Konflikt gelöst: Telefon von Erika Mustermann behält in beiden Systemen seinen Wert.',
    );
    expect(resolvedNotice(resolvedAs(phone, 'keep'), translators.en)).toBe(
      'Conflict resolved: Phone of Erika Mustermann keeps its value in both systems.',
    );
  });

  it('says an ambiguous match stays unlinked (its only way out, rule 14)', () => {
    const ambiguous = buildConflict({ kind: 'ambiguous', field: null, matchKey: 'email' });
    expect(resolvedNotice(resolvedAs(ambiguous, 'keep'), translators.de)).toBe(
      'Konflikt gelöst: Erika Mustermann bleibt unverknüpft.',
    );
    expect(resolvedNotice(resolvedAs(ambiguous, 'keep'), translators.en)).toBe(
      'Conflict resolved: Erika Mustermann stays unlinked.',
    );
  });

  it('has nothing to say while the conflict is open or was superseded', () => {
    expect(resolvedNotice(phone, translators.en)).toBeNull();
    expect(
      resolvedNotice(buildConflict({ status: 'superseded', resolution: null }), translators.en),
    ).toBeNull();
  });

  it('passes a label with markup through as it is (the card renders it as text)', () => {
    const label = '<b>Erika</b>';
    expect(resolvedNotice(resolvedAs(buildConflict({ label }), 'hubspot'), translators.en)).toBe(
      'Conflict resolved: Phone of <b>Erika</b> takes the HubSpot value.',
    );
  });
});
