import { ENDPOINTS } from '../../shared/api/endpoints';
import { rawRoute, type Routes } from '../http/endpoint';
import type { EventBus } from '../services/event-bus';

/** Beats keep proxies from closing an idle stream. */
const HEARTBEAT_MS = 20_000;

/** Run progress and messages as server-sent events, to any number of tabs. */
export function eventsRoutes(events: EventBus): Pick<Routes, 'events'> {
  return {
    events: rawRoute(ENDPOINTS.events, (_input, req, res) => {
      res.writeHead(200, {
        'Content-Type': 'text/event-stream; charset=utf-8',
        'Cache-Control': 'no-cache, no-transform',
        Connection: 'keep-alive',
        'X-Accel-Buffering': 'no',
      });
      res.write('retry: 3000\n\n');
      const unsubscribe = events.subscribe((event) => {
        res.write(`event: ${event.name}\ndata: ${JSON.stringify(event.data)}\n\n`);
      });
      const heartbeat = setInterval(() => res.write(': keep-alive\n\n'), HEARTBEAT_MS);
      heartbeat.unref();
      req.on('close', () => {
        clearInterval(heartbeat);
        unsubscribe();
      });
    }),
  };
}
