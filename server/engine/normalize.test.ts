import { describe, expect, it } from 'vitest';
import {
  cleanText,
  companyNameKey,
  countryCode,
  countryName,
  domainKey,
  emailKey,
  joinName,
  phoneKey,
  salutationFromText,
  splitName,
} from './normalize';

describe('normalisation', () => {
  it('cleans text: NFC, trimmed, single spaces', () => {
    expect(cleanText('  Anna \t  Mu\u0308ller \n')).toBe('Anna Müller');
    expect(cleanText(undefined)).toBe('');
  });

  it('matches e-mails trimmed and case-folded', () => {
    expect(emailKey('  Anna.Mueller@Example.COM ')).toBe('anna.mueller@example.com');
    // An IDN domain is one domain in Unicode and in Punycode.
    expect(emailKey('Info@Müller.de')).toBe('info@xn--mller-kva.de');
    expect(emailKey('info@xn--mller-kva.de')).toBe('info@xn--mller-kva.de');
    expect(emailKey('jürgen@example.de')).toBe('jürgen@example.de');
    expect(emailKey('not-an-email')).toBe('not-an-email');
    expect(emailKey('a@b ü.de')).toBe('a@b ü.de');
  });

  it('reduces websites to their host without www, IDN in ASCII', () => {
    expect(domainKey('https://www.Acme.com/kontakt?x=1')).toBe('acme.com');
    expect(domainKey('acme.com')).toBe('acme.com');
    expect(domainKey('WWW.acme.com:8080')).toBe('acme.com');
    expect(domainKey('müller.de')).toBe('xn--mller-kva.de');
    expect(domainKey('')).toBe('');
  });

  it('compares company names without case and punctuation noise', () => {
    expect(companyNameKey('ACME  GmbH.')).toBe(companyNameKey('Acme GmbH'));
    expect(companyNameKey('Acme AG')).not.toBe(companyNameKey('Acme GmbH'));
  });

  it('compares phone numbers by digits', () => {
    expect(phoneKey('+49 (821) 123-45')).toBe(phoneKey('+4982112345'));
    expect(phoneKey('0821 12345')).not.toBe(phoneKey('+49 821 12345'));
  });

  it('maps Mr/Herr to mr and Mrs/Ms/Frau to mrs, unknown to the default, unset stays unset', () => {
    expect(salutationFromText('Herr', 'mrs')).toBe('mr');
    expect(salutationFromText('Mr.', 'mrs')).toBe('mr');
    expect(salutationFromText('Ms', 'mr')).toBe('mrs');
    expect(salutationFromText('FRAU', 'mr')).toBe('mrs');
    expect(salutationFromText('Dr.', 'mrs')).toBe('mrs');
    expect(salutationFromText('  ', 'mr')).toBe('');
  });

  it('reads country names in any language and codes; unknown is null', () => {
    expect(countryCode('Deutschland')).toBe('DE');
    expect(countryCode('germany')).toBe('DE');
    expect(countryCode('Allemagne')).toBe('DE');
    expect(countryCode('de')).toBe('DE');
    expect(countryCode('AUT')).toBe('AT');
    expect(countryCode('Österreich')).toBe('AT');
    expect(countryCode('United States')).toBe('US');
    expect(countryCode('Narnia')).toBeNull();
    expect(countryCode('')).toBe('');
    expect(countryName('CH')).toBe('Switzerland');
  });

  it('splits names on the last space and joins them back', () => {
    expect(splitName('Anna Maria Müller')).toEqual({ firstName: 'Anna Maria', lastName: 'Müller' });
    expect(splitName('Cher')).toEqual({ firstName: '', lastName: 'Cher' });
    expect(joinName(' Anna ', 'Müller')).toBe('Anna Müller');
    expect(joinName('', 'Müller')).toBe('Müller');
  });
});
