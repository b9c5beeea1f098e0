import fs from 'node:fs';
import path from 'node:path';
import type de from '../../client/src/i18n/de.json';

/**
 * The client's own catalogues: page objects find controls by the words the admin sees in the
 * active language. The journey also asserts Xentral's German labels literally, so a changed
 * catalogue cannot make a wrong label pass.
 */
export type Catalog = typeof de;
export type Language = 'de' | 'en';

const DIR = path.resolve(import.meta.dirname, '../../client/src/i18n');

export function catalog(language: Language): Catalog {
  return JSON.parse(fs.readFileSync(path.join(DIR, `${language}.json`), 'utf8')) as Catalog;
}

/** Fills i18next's {{name}} placeholders. */
export function fill(template: string, values: Record<string, string | number>): string {
  return template.replace(/\{\{(\w+)\}\}/g, (_, name: string) => String(values[name] ?? ''));
}

/** A RegExp that matches the template with any values in its placeholders. */
export function pattern(template: string): RegExp {
  const escaped = template
    .split(/\{\{\w+\}\}/)
    .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
    .join('.*');
  return new RegExp(escaped);
}
