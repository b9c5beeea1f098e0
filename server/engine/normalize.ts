import countries from 'i18n-iso-countries';
import type { Salutation } from './model';

/**
 * Value normalisation for matching (RULES.md, M1) and for "equal after normalisation" (rule 3).
 * Everything here is pure and locale-independent, so both sides compare the same way.
 */

/** NFC, trimmed, inner whitespace collapsed: the form we store and write. */
export function cleanText(value: string | null | undefined): string {
  if (value === null || value === undefined) return '';
  return value.normalize('NFC').replace(/\s+/gu, ' ').trim();
}

/** The comparison form of free text: clean and case-folded. */
export function textKey(value: string): string {
  return cleanText(value).toLowerCase();
}

/**
 * E-mails match trimmed and case-folded (RULES.md, M1). The domain is compared in its ASCII form,
 * so an IDN domain written in Unicode (müller.de) and in Punycode (xn--mller-kva.de) is one
 * address, as it is for mail delivery; otherwise each system would get the other's spelling as a
 * second contact.
 */
export function emailKey(value: string): string {
  const text = cleanText(value).toLowerCase();
  const at = text.lastIndexOf('@');
  if (at <= 0 || at === text.length - 1) return text;
  const domain = text.slice(at + 1);
  // Plain ASCII domains need no conversion (most are); anything but letters, digits, dots and
  // hyphens is no host name, and stays as written.
  if (/^[\x20-\x7e]*$/u.test(domain) || !/^[\p{L}\p{M}\p{N}.-]+$/u.test(domain)) return text;
  let ascii: string;
  try {
    ascii = new URL(`http://${domain}`).hostname;
  } catch {
    return text;
  }
  return `${text.slice(0, at)}@${ascii}`;
}

/** Company names match case-insensitively, ignoring punctuation and spacing differences. */
export function companyNameKey(value: string): string {
  return cleanText(value)
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[.,;:'"´`()]/gu, ' ')
    .replace(/\s+/gu, ' ')
    .trim();
}

/**
 * The host part of a website or domain, lower-case, without "www.", IDN in its ASCII form:
 * "https://www.Müller.de/kontakt" → "xn--mller-kva.de".
 */
export function domainKey(value: string): string {
  const text = cleanText(value);
  if (text === '') return '';
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//iu.test(text) ? text : `http://${text}`;
  let host: string;
  try {
    host = new URL(withScheme).hostname;
  } catch {
    return text.toLowerCase();
  }
  return host.replace(/^www\./u, '').replace(/\.$/u, '');
}

/** Phone numbers compare by their digits and a leading plus only. */
export function phoneKey(value: string): string {
  const text = cleanText(value);
  const digits = text.replace(/[^\d]/gu, '');
  return text.startsWith('+') ? `+${digits}` : digits;
}

const MR = new Set(['mr', 'mr.', 'herr', 'hr', 'hr.', 'mister', 'sir', 'monsieur', 'm.', 'señor']);
const MRS = new Set([
  'mrs',
  'mrs.',
  'ms',
  'ms.',
  'miss',
  'frau',
  'fr',
  'fr.',
  'madame',
  'mme',
  'mme.',
  'señora',
]);

/**
 * RULES.md, M3: Mr/Herr → mr, Mrs/Ms/Frau → mrs, anything else that is set → the default salutation
 * from Settings; unset stays unset.
 */
export function salutationFromText(value: string, fallback: Salutation): Salutation | '' {
  const key = textKey(value);
  if (key === '') return '';
  if (MR.has(key)) return 'mr';
  if (MRS.has(key)) return 'mrs';
  return fallback;
}

/** How a salutation is written into HubSpot. */
export function salutationText(value: Salutation): string {
  return value === 'mr' ? 'Mr' : 'Mrs';
}

let countryIndex: Map<string, string> | undefined;

/** Every country name and alias the library knows, in every language it has, to its code. */
function countryNames(): Map<string, string> {
  if (countryIndex) return countryIndex;
  const index = new Map<string, string>();
  for (const lang of countries.langs()) {
    const names = countries.getNames(lang, { select: 'all' });
    for (const [code, aliases] of Object.entries(names)) {
      for (const alias of aliases) {
        const key = textKey(alias);
        if (!index.has(key)) index.set(key, code);
      }
    }
  }
  countryIndex = index;
  return index;
}

/**
 * ISO 3166 alpha-2 for a country given as a code (alpha-2 or alpha-3) or as a name in any
 * language; '' when unset, null when it is set but names no country we know.
 */
export function countryCode(value: string): string | null {
  const text = cleanText(value);
  if (text === '') return '';
  const upper = text.toUpperCase();
  if (/^[A-Z]{2}$/u.test(upper) && countries.isValid(upper)) return upper;
  if (/^[A-Z]{3}$/u.test(upper)) {
    const alpha2 = countries.alpha3ToAlpha2(upper);
    if (alpha2) return alpha2;
  }
  return countryNames().get(textKey(text)) ?? null;
}

export function isCountryCode(value: string): boolean {
  return /^[A-Z]{2}$/u.test(value) && countries.isValid(value);
}

/** How a country is written into HubSpot's free-text country property. */
export function countryName(code: string): string {
  return countries.getName(code, 'en') ?? code;
}

/** HubSpot keeps first and last name; Xentral one name. */
export function joinName(first: string, last: string): string {
  return cleanText(`${cleanText(first)} ${cleanText(last)}`);
}

/**
 * Xentral keeps one name (RULES.md, M3): split on the last space, so "Anna Maria Müller" →
 * "Anna Maria" + "Müller".
 */
export function splitName(full: string): { firstName: string; lastName: string } {
  const name = cleanText(full);
  const at = name.lastIndexOf(' ');
  if (at < 0) return { firstName: '', lastName: name };
  return { firstName: name.slice(0, at), lastName: name.slice(at + 1) };
}
