import { describe, expect, it } from 'vitest';
import { Settings, type SettingsResponse } from '../../../shared/api/settings';
import { hasChanges, parseInterval, settingsToSave } from './settings-values';

const saved: SettingsResponse = {
  mode: 'sync',
  automatic: false,
  intervalMinutes: 60,
  lifecycleStages: ['lead'],
  projectId: '3',
  dealSync: true,
  defaultSalutation: 'mr',
  defaultCountry: 'DE',
  dealSyncActivatedAt: '2026-01-05T09:00:00.000Z',
  updatedAt: '2026-01-05T09:00:00.000Z',
};

describe('settingsToSave', () => {
  it('puts a form’s fields on top of the saved ones, without response-only fields', () => {
    const body = settingsToSave(saved, { mode: 'import', projectId: null });
    // The endpoint refuses unknown fields: the strict schema must accept the body as it is.
    expect(Settings.parse(body)).toEqual(body);
    expect(body).toStrictEqual({
      mode: 'import',
      automatic: false,
      intervalMinutes: 60,
      lifecycleStages: ['lead'],
      projectId: null,
      dealSync: true,
      defaultSalutation: 'mr',
      defaultCountry: 'DE',
    });
  });
});

describe('hasChanges', () => {
  it('compares the drafted fields with the saved ones, lists by their items', () => {
    expect(hasChanges(saved, {})).toBe(false);
    expect(hasChanges(saved, { lifecycleStages: ['lead'] })).toBe(false);
    expect(hasChanges(saved, { lifecycleStages: ['lead', 'customer'] })).toBe(true);
    expect(hasChanges(saved, { projectId: null })).toBe(true);
    expect(hasChanges(saved, { dealSync: true })).toBe(false);
  });
});

describe('parseInterval', () => {
  it('accepts whole minutes from 5 to one week', () => {
    expect(parseInterval(' 15 ')).toBe(15);
    expect(parseInterval('5')).toBe(5);
    expect(parseInterval('10080')).toBe(10_080);
    for (const bad of ['', '4', '10081', '7.5', '-5', 'abc', '1e3'])
      expect(parseInterval(bad)).toBeNull();
  });
});
