import type { Settings, SettingsResponse } from '../../../shared/api/settings';

/**
 * Settings are saved as a whole: every form saves its own fields on top of what the server
 * holds now. The read-only fields stay behind; the server would ignore them.
 */
export function settingsToSave(current: SettingsResponse, changes: Partial<Settings>): Settings {
  const merged = { ...current, ...changes };
  return {
    mode: merged.mode,
    automatic: merged.automatic,
    intervalMinutes: merged.intervalMinutes,
    lifecycleStages: merged.lifecycleStages,
    projectId: merged.projectId,
    dealSync: merged.dealSync,
    defaultSalutation: merged.defaultSalutation,
    defaultCountry: merged.defaultCountry,
  };
}

/** True when a draft holds a value that differs from the saved one. */
export function hasChanges<K extends keyof Settings>(
  saved: SettingsResponse,
  draft: Partial<Pick<Settings, K>>,
): boolean {
  return (Object.keys(draft) as K[]).some((key) => {
    const value = draft[key];
    const before = saved[key];
    return Array.isArray(value) && Array.isArray(before)
      ? value.length !== before.length || value.some((item, index) => item !== before[index])
      : value !== before;
  });
}

/** The interval as the process starter accepts it, or null with the field's words for why not. */
export function parseInterval(text: string): number | null {
  const trimmed = text.trim();
  if (!/^\d+$/.test(trimmed)) return null;
  const value = Number(trimmed);
  return value >= 5 && value <= 10_080 ? value : null;
}
