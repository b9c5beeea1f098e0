import { ENDPOINTS } from '../../shared/api/endpoints';
import type { SystemMode } from '../../shared/api/health';
import type { Clock } from '../clock';
import { jsonRoute, type Routes } from '../http/endpoint';

export function healthRoutes(deps: {
  version: string;
  startedAt: Date;
  clock: Clock;
  modes: { xentral: SystemMode; hubspot: SystemMode };
  appCenterUrl: string | null;
}): Pick<Routes, 'health'> {
  return {
    health: jsonRoute(ENDPOINTS.health, () => ({
      status: 'ok',
      version: deps.version,
      uptimeSeconds: Math.max(0, (deps.clock().getTime() - deps.startedAt.getTime()) / 1000),
      xentral: { mode: deps.modes.xentral },
      hubspot: { mode: deps.modes.hubspot },
      appCenterUrl: deps.appCenterUrl,
    })),
  };
}
