import { ENDPOINTS } from '../../shared/api/endpoints';
import { jsonRoute, type Routes } from '../http/endpoint';
import type { SettingsService } from '../services/settings-service';

export function settingsRoutes(
  settings: SettingsService,
): Pick<Routes, 'settings' | 'saveSettings'> {
  return {
    settings: jsonRoute(ENDPOINTS.settings, () => settings.get()),
    saveSettings: jsonRoute(ENDPOINTS.saveSettings, ({ body }) => settings.put(body)),
  };
}
