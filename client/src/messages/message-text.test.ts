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
      reasonCode: null,
      reasonParams: {},
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
      reasonCode: null,
      reasonParams: {},
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

  it('says a failure the server gave a code for in the admin’s language', () => {
    const failed = {
      kind: 'finished',
      runKind: 'export',
      status: 'failed',
      totals: EMPTY_COUNTS,
      reason: 'The HubSpot connection needs to be renewed.',
      reasonCode: 'hubspot_auth',
      reasonParams: {},
    } as const;
    expect(text('de', failed)).toBe(
      'Export fehlgeschlagen (Lauf #4): Die Verbindung zu HubSpot muss erneuert werden: HubSpot hat den Zugriff abgelehnt.',
    );
    expect(text('en', failed)).toBe(
      'Export failed (run #4): The HubSpot connection needs to be renewed: HubSpot refused the access.',
    );
    // A code this client does not know keeps the server's words.
    expect(text('de', { ...failed, reasonCode: 'something_new' })).toBe(
      'Export fehlgeschlagen (Lauf #4): The HubSpot connection needs to be renewed.',
    );
  });

  it('translates run messages with their values, and passes others through', () => {
    const conflicts = {
      kind: 'text',
      text: '2 new conflict(s) for contacts need a decision.',
      code: 'new_conflicts',
      params: { count: '2', type: 'contact' },
    } as const;
    expect(text('de', conflicts)).toBe('Kontakte: 2 neue Konflikte warten auf eine Entscheidung.');
    expect(text('en', conflicts)).toBe('Contacts: 2 new conflicts need a decision.');
    const one = { ...conflicts, params: { count: '1', type: 'company' } };
    expect(text('de', one)).toBe('Firmen: 1 neuer Konflikt wartet auf eine Entscheidung.');
    expect(text('de', { kind: 'text', text: '1 new conflict(s)', code: null, params: {} })).toBe(
      '1 new conflict(s)',
    );
  });

  it('passes server texts through and words connection changes', () => {
    expect(text('de', { kind: 'connection', status: 'disconnected' }, null)).toBe(
      'Die Verbindung zu HubSpot wurde entfernt.',
    );
    expect(text('en', { kind: 'notice', key: 'connectedNotice' }, null)).toBe(
      'The connection to HubSpot has been made.',
    );
  });
});
