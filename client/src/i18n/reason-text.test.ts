import i18next, { type TFunction } from 'i18next';
import { beforeAll, describe, expect, it } from 'vitest';
import { REASON_CODES, type ReasonCode } from '../../../shared/api/runs';
import { reasonText } from './reason-text';
import { resources } from './resources';

const translators = {} as Record<'de' | 'en', TFunction>;

beforeAll(async () => {
  for (const language of ['de', 'en'] as const) {
    const instance = i18next.createInstance();
    await instance.init({ resources, lng: language, interpolation: { escapeValue: false } });
    translators[language] = instance.t;
  }
});

/** Values for every parameter any reason names, so no placeholder is left empty. */
const PARAMS: Record<string, string> = {
  how: 'email',
  email: 'anna@example.com',
  case: 'twin',
  field: 'email',
  xentral: 'x@example.com',
  hubspot: 'h@example.com',
  key: 'acme',
  message: 'Property values were not valid',
  count: '3',
  type: 'contact',
  customer: 'Anna Muster',
  why: 'no_email',
  value: 'abc',
  kind: 'import',
  match: 'name_domain',
  system: 'HubSpot',
  id: '1001',
  label: 'Acme GmbH',
  stage: 'lead',
  country: 'DE',
  changed: '2',
  deleted: '1',
  name: 'Anna Schmidt',
  ids: '4, 7',
};

// Start and finish are said by the message bar itself from the run's events.
const SAID_ELSEWHERE = new Set<ReasonCode>(['run_started', 'run_finished']);

describe('reasonText', () => {
  it('says every reason the server gives in German and in English', () => {
    for (const code of REASON_CODES.filter((c) => !SAID_ELSEWHERE.has(c))) {
      for (const language of ['de', 'en'] as const) {
        const text = reasonText(code, PARAMS, 'SERVER TEXT', translators[language]);
        expect(text, `${code} in ${language}`).not.toBe('SERVER TEXT');
        expect(text, `${code} in ${language}`).not.toMatch(/\{\{|reasons\./);
      }
    }
  });

  it('fills in the values, translating the ones that name something of the app', () => {
    const t = translators.de;
    expect(reasonText('matched_by', { how: 'name_domain' }, null, t)).toBe(
      'verknüpft über Name und Domain',
    );
    expect(
      reasonText('field_conflict', { field: 'city', xentral: 'Köln', hubspot: 'Bonn' }, null, t),
    ).toMatch(/Xentral „Köln“, HubSpot „Bonn“/);
    expect(reasonText('currency_invalid', { value: 'EURO' }, null, t)).toBe(
      'Die Währung „EURO“ ist kein ISO-4217-Code.',
    );
    expect(
      reasonText(
        'possible_duplicate',
        { case: 'taken', match: 'email', system: 'HubSpot', id: '101', label: 'Anna' },
        null,
        t,
      ),
    ).toMatch(/^Mögliche Dublette: HubSpot-Datensatz „Anna“ \(101\) passt über die E-Mail-Adresse/);
    expect(reasonText('lifecycle_stage_not_selected', { stage: '' }, null, t)).toMatch(
      /^Keine Lifecycle-Phase/,
    );
    expect(reasonText('employee_missing', { name: 'Anna Schmidt' }, null, t)).toMatch(
      /^Kein Xentral-Mitarbeiter heißt „Anna Schmidt“: Legen Sie diesen Mitarbeiter in Xentral an/,
    );
    expect(
      reasonText('customer_unusable', { why: 'unknown_type', value: 'mx' }, null, translators.en),
    ).toMatch(/address type "mx" is neither/);
    expect(reasonText('customer_unusable', { why: 'no_primary_address' }, null, t)).toMatch(
      /keine Hauptadresse/,
    );
  });

  it('keeps the server’s words for a reason without a code or with one it does not know', () => {
    expect(reasonText(null, {}, 'as the server said', translators.de)).toBe('as the server said');
    expect(reasonText('brand_new', {}, 'as the server said', translators.en)).toBe(
      'as the server said',
    );
    expect(reasonText(null, {}, null, translators.en)).toBeNull();
  });

  it('does not take HTML in a value for markup: it stays text for React to escape', () => {
    const text = reasonText(
      'write_refused',
      { message: '<img src=x onerror=alert(1)>' },
      null,
      translators.en,
    );
    expect(text).toBe('Refused: <img src=x onerror=alert(1)>');
  });
});
