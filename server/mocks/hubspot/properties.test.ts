import { describe, expect, it } from 'vitest';
import {
  checkPropertyValue,
  parseTimestamp,
  standardProperties,
  stringifyInputValue,
  type PropertyDefinition,
} from './properties';

const contactProperty = (name: string): PropertyDefinition => {
  const definition = standardProperties('contacts').find((candidate) => candidate.name === name);
  if (!definition) throw new Error(`no ${name}`);
  return definition;
};
const dealProperty = (name: string): PropertyDefinition => {
  const definition = standardProperties('deals').find((candidate) => candidate.name === name);
  if (!definition) throw new Error(`no ${name}`);
  return definition;
};

describe('checkPropertyValue', () => {
  it('lower-cases valid e-mails and refuses invalid ones with INVALID_EMAIL', () => {
    const email = contactProperty('email');
    expect(checkPropertyValue(email, ' Jane@Example.COM ', [])).toEqual({
      ok: true,
      value: 'jane@example.com',
    });
    for (const bad of ['jane', 'jane@', '@example.com', 'jane doe@example.com', 'a@b']) {
      const check = checkPropertyValue(email, bad, []);
      expect(check.ok).toBe(false);
      if (!check.ok) expect(check.problem.error).toBe('INVALID_EMAIL');
    }
  });

  it('accepts only the options of an enumeration', () => {
    const stage = contactProperty('lifecyclestage');
    expect(checkPropertyValue(stage, 'customer', stage.options).ok).toBe(true);
    const wrong = checkPropertyValue(stage, 'Customer', stage.options);
    expect(wrong.ok).toBe(false);
    if (!wrong.ok) {
      expect(wrong.problem).toMatchObject({ name: 'lifecyclestage', error: 'INVALID_OPTION' });
    }
    // An empty value clears the property and needs no option.
    expect(checkPropertyValue(stage, '', stage.options)).toEqual({ ok: true, value: '' });
  });

  it('normalises datetimes to ISO text and checks numbers', () => {
    const closedate = dealProperty('closedate');
    expect(checkPropertyValue(closedate, '1768435200000', [])).toEqual({
      ok: true,
      value: '2026-01-15T00:00:00.000Z',
    });
    expect(checkPropertyValue(closedate, '2026-01-15', [])).toEqual({
      ok: true,
      value: '2026-01-15T00:00:00.000Z',
    });
    expect(checkPropertyValue(closedate, 'soon', []).ok).toBe(false);
    const amount = dealProperty('amount');
    expect(checkPropertyValue(amount, '1200.50', [])).toEqual({ ok: true, value: '1200.50' });
    expect(checkPropertyValue(amount, '-3', []).ok).toBe(true);
    expect(checkPropertyValue(amount, '12,5', []).ok).toBe(false);
  });

  it('keeps date properties to midnight UTC', () => {
    const date: PropertyDefinition = { ...dealProperty('closedate'), name: 'day', type: 'date' };
    expect(checkPropertyValue(date, '2026-03-01', [])).toEqual({ ok: true, value: '2026-03-01' });
    expect(checkPropertyValue(date, '2026-03-01T10:00:00Z', []).ok).toBe(false);
  });
});

describe('input helpers', () => {
  it('turns JSON values into HubSpot text', () => {
    expect(stringifyInputValue(12.5)).toBe('12.5');
    expect(stringifyInputValue(true)).toBe('true');
    expect(stringifyInputValue(null)).toBe('');
  });

  it('parses epoch ms and ISO timestamps', () => {
    expect(parseTimestamp('0')).toBe(0);
    expect(parseTimestamp('2026-01-01T00:00:00Z')).toBe(Date.parse('2026-01-01T00:00:00Z'));
    expect(parseTimestamp('')).toBeUndefined();
    expect(parseTimestamp('yesterday')).toBeUndefined();
  });
});
