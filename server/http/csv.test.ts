import { describe, expect, it } from 'vitest';
import { csvField, csvLine } from './csv';

describe('csvField', () => {
  it('leaves plain text and numbers as they are, and empty values empty', () => {
    expect(csvField('Müller GmbH')).toBe('Müller GmbH');
    expect(csvField(42)).toBe('42');
    expect(csvField(null)).toBe('');
    expect(csvField(undefined)).toBe('');
    expect(csvField('')).toBe('');
  });

  it('quotes commas, quotes and line breaks, doubling the quotes', () => {
    expect(csvField('Berlin, Mitte')).toBe('"Berlin, Mitte"');
    expect(csvField('Die "Firma"')).toBe('"Die ""Firma"""');
    expect(csvField('eins\nzwei')).toBe('"eins\nzwei"');
    expect(csvField('eins\r\nzwei')).toBe('"eins\r\nzwei"');
  });

  it('turns what a spreadsheet would run as a formula into text', () => {
    expect(csvField('=HYPERLINK("http://x","y")')).toBe('"\'=HYPERLINK(""http://x"",""y"")"');
    expect(csvField('+49 30 1234')).toBe("'+49 30 1234");
    expect(csvField('-2+3')).toBe("'-2+3");
    expect(csvField('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvField('\t=1')).toBe("'\t=1");
    expect(csvField('a=b')).toBe('a=b');
  });
});

describe('csvLine', () => {
  it('joins fields with commas and ends with CRLF', () => {
    expect(csvLine(['a', null, 'b,c', 3])).toBe('a,,"b,c",3\r\n');
  });
});
