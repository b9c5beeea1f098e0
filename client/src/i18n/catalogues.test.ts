import { describe, expect, it } from 'vitest';
import de from './de.json';
import en from './en.json';

function keys(value: unknown, prefix = ''): string[] {
  if (typeof value !== 'object' || value === null) return [prefix];
  return Object.entries(value).flatMap(([key, child]) =>
    keys(child, prefix ? `${prefix}.${key}` : key),
  );
}

const placeholders = (text: string) => [...text.matchAll(/\{\{(\w+)\}\}/g)].map((m) => m[1]).sort();

describe('the catalogues', () => {
  it('have the same keys in German and English', () => {
    expect(keys(en).sort()).toEqual(keys(de).sort());
  });

  it('use the same placeholders in both languages', () => {
    const english = new Map(
      keys(en).map((key) => [
        key,
        key.split('.').reduce<unknown>((o, k) => (o as Record<string, unknown>)[k], en),
      ]),
    );
    for (const key of keys(de)) {
      const german = key
        .split('.')
        .reduce<unknown>((o, k) => (o as Record<string, unknown>)[k], de);
      expect(placeholders(String(english.get(key))), key).toEqual(placeholders(String(german)));
    }
  });

  it('carry Xentral’s own German labels, exactly', () => {
    expect(de.connection.connect).toBe('Verbindung zu HubSpot herstellen');
    expect(de.connection.remove).toBe('Verbindung entfernen');
    expect(de.app.save).toBe('Speichern');
    expect(de.settings.stagesRefresh).toBe('Lifecycle-Phasen aktualisieren');
    expect(de.settings.dealSync).toBe('Deal-Synchronisation aktiv');
    expect(de.action.startImport).toBe('Manuellen Import: HubSpot → Xentral starten');
    expect(de.action.startExport).toBe('Manuellen Export: Xentral → HubSpot starten');
    expect(de.mode).toMatchObject({
      sync: 'Sync: Xentral ↔ HubSpot',
      import: 'Import: HubSpot → Xentral',
      export: 'Export: Xentral → HubSpot',
    });
    expect(de.counts).toMatchObject({
      created: 'erstellt',
      edited: 'bearbeitet',
      conflicts: 'Konflikte',
    });
    expect(de.signin.title).toBe('Bitte öffnen Sie die App über das Xentral App Center');
  });
});
