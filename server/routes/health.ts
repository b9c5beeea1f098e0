import { Router } from 'express';
import type { HealthResponse, SystemMode } from '../../shared/api/health';
import type { Clock } from '../clock';

export function healthRouter(deps: {
  version: string;
  startedAt: Date;
  clock: Clock;
  modes: { xentral: SystemMode; hubspot: SystemMode };
  appCenterUrl: string | null;
}): Router {
  const router = Router();
  router.get('/health', (_req, res) => {
    const body: HealthResponse = {
      status: 'ok',
      version: deps.version,
      uptimeSeconds: Math.max(0, (deps.clock().getTime() - deps.startedAt.getTime()) / 1000),
      xentral: { mode: deps.modes.xentral },
      hubspot: { mode: deps.modes.hubspot },
      appCenterUrl: deps.appCenterUrl,
    };
    res.json(body);
  });
  return router;
}
