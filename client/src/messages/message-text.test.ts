import i18next, { type TFunction } from 'i18next';
import { beforeAll, describe, expect, it } from 'vitest';
import { EMPTY_COUNTS } from '../../../shared/api/runs';
import { createFormatters } from '../i18n/format';
import { resources } from '../i18n/resources';
import { messageText } from './message-text';

const translators: Record<'de' | 'en', TFunction> = {} as Record<'de' | 'en', TFunction>;

beforeAll(async () => {
  for (const language of ['de', 'en'] as const) {
    const instance = i18next.createInstance();
    await instance.init({ resources, lng: language, interpolation: { escapeValue: false } });
    translators[language] = instance.t;
  }
});

const text = (
  language: 'de' | 'en',
  body: Parameters<typeof messageText>[0],
  runId: number | null = 4,
) => messageText(body, runId, translators[language], createFormatters(language));

describe('messageText', () => {
  it('says a run started, in the admin’s language', () => {
    const body = { kind: 'started', runKind: 'import', trigger: 'process_starter' } as const;
    expect(text('de', body)).toBe('Import gestartet (Prozessstarter), Lauf #4.');
    expect(text('en', body)).toBe('Import started (Process starter), run #4.');
  });

  it('finishes with erstellt / bearbeitet / Konflikte', () => {
    const body = {
      kind: 'finished',
      runKind: 'sync',
      status: 'succeeded',
      totals: { ...EMPTY_COUNTS, created: 1200, edited: 3, conflicts: 1 },
      reason: null,
    } as const;
    expect(text('de', body)).toBe(
      'Sync abgeschlossen (Lauf #4) – erstellt: 1.200, bearbeitet: 3, Konflikte: 1, übersprungen: 0, fehlgeschlagen: 0',
    );
    expect(text('en', body)).toBe(
      'Sync finished (run #4) – created: 1,200, edited: 3, conflicts: 1, skipped: 0, failed: 0',
    );
  });

  it('gives a failure with its reason, as the server wrote it', () => {
    const failed = {
      kind: 'finished',
      runKind: 'deals',
      status: 'failed',
      totals: EMPTY_COUNTS,
    } as const;
    expect(text('de', { ...failed, reason: '<b>HubSpot</b> refused' })).toBe(
      'Deal-Synchronisation fehlgeschlagen (Lauf #4): <b>HubSpot</b> refused',
    );
    expect(text('en', { ...failed, status: 'interrupted', reason: null })).toBe(
      'Deal synchronisation interrupted (run #4): no reason given',
    );
    expect(text('de', { ...failed, runKind: null, reason: 'x' })).toBe(
      'Lauf fehlgeschlagen (Lauf #4): x',
    );
  });

  it('passes server texts through and words connection changes', () => {
    expect(text('de', { kind: 'text', text: '1 new conflict(s)' })).toBe('1 new conflict(s)');
    expect(text('de', { kind: 'connection', status: 'disconnected' }, null)).toBe(
      'Die Verbindung zu HubSpot wurde entfernt.',
    );
    expect(text('en', { kind: 'notice', key: 'connectedNotice' }, null)).toBe(
      'The connection to HubSpot has been made.',
    );
  });
});
