import { describe, expect, it } from 'vitest';
import { createFormatters, formatDuration } from './format';

// Intl writes a narrow no-break space in some units; compare with plain spaces.
const plain = (text: string) => text.replace(/[\u00a0\u202f]/g, ' ');

describe('formatDuration', () => {
  it('shows tenths of a second for short runs, minutes and hours for long ones', () => {
    expect(plain(formatDuration(462, 'en'))).toBe('0.5 sec');
    expect(plain(formatDuration(462, 'de'))).toBe('0,5 Sek.');
    expect(plain(formatDuration(42_400, 'en'))).toBe('42 sec');
    expect(plain(formatDuration(185_000, 'de'))).toBe('3 Min. 5 Sek.');
    expect(plain(formatDuration(3_725_000, 'en'))).toBe('1 hr 2 min');
    expect(plain(formatDuration(-5, 'en'))).toBe('0 sec');
  });
});

describe('createFormatters', () => {
  it('formats numbers and dates for the language, and leaves an unreadable date as it is', () => {
    const de = createFormatters('de');
    expect(de.number(12345)).toBe('12.345');
    expect(createFormatters('en').number(12345)).toBe('12,345');
    expect(de.dateTime('not a date')).toBe('not a date');
    expect(de.dateTime('2026-01-05T09:00:00.000Z')).toMatch(/05\.01\.2026/);
  });
});
