import { Router } from 'express';
import { Settings } from '../../shared/api/settings';
import type { SettingsService } from '../services/settings-service';
import { noInput, noQuery, parseInput } from './validate';

export function settingsRouter(settings: SettingsService): Router {
  const router = Router();
  router.get('/settings', noInput, (_req, res) => {
    res.json(settings.get());
  });
  router.put('/settings', noQuery, async (req, res) => {
    res.json(await settings.put(parseInput(Settings, req.body, 'settings')));
  });
  return router;
}
