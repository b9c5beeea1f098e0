/**
 * CSV as RFC 4180 has it (https://www.rfc-editor.org/rfc/rfc4180): fields separated by commas,
 * lines ended by CRLF, a field with a comma, quote or line break quoted and its quotes doubled.
 */

/**
 * Put at the start of the file so Excel reads it as UTF-8: without it Excel guesses the
 * Windows code page and shows "Müller" as "MÃ¼ller".
 */
export const CSV_BOM = '\uFEFF';

/**
 * A spreadsheet treats a cell that starts with one of these as a formula, so a record label
 * like `=HYPERLINK(…)` from HubSpot or Xentral would run when the admin opens the file
 * (https://owasp.org/www-community/attacks/CSV_Injection). Such cells get a leading apostrophe,
 * which makes them text; tab and carriage return are on OWASP's list too.
 */
const FORMULA_START = /^[=+\-@\t\r]/;

export function csvField(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return '';
  let text = String(value);
  if (typeof value === 'string' && FORMULA_START.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** One record of the file, with its line break. */
export function csvLine(fields: readonly (string | number | null | undefined)[]): string {
  return `${fields.map(csvField).join(',')}\r\n`;
}
