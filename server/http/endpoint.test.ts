import { Writable } from 'node:stream';
import express from 'express';
import { afterEach, describe, expect, it } from 'vitest';
import { ENDPOINTS, type Endpoint } from '../../shared/api/endpoints';
import { createLogger } from '../logger';
import { jsonRoute, type Route } from './endpoint';
import { errorHandler } from './errors';
import { listen, type ListeningServer } from './listen';

let server: ListeningServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** One route alone behind the app's error middleware; returns the log lines. */
async function serveAlone(route: Route<Endpoint>): Promise<{ url: string; logs: string[] }> {
  const logs: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      logs.push(chunk.toString());
      callback();
    },
  });
  const app = express();
  app.get(route.endpoint.path, (req, res, next) => {
    route.serve(req, res).catch(next);
  });
  app.use(errorHandler(createLogger({ level: 'info' }, sink)));
  server = await listen(app, '127.0.0.1', 0);
  return { url: `${server.url}${route.endpoint.path}`, logs };
}

const SESSION = { user: 'admin', via: 'app_center', csrfToken: 't', expiresAt: null } as const;

describe('a JSON endpoint', () => {
  it('sends only what its response schema names', async () => {
    const { url } = await serveAlone(
      jsonRoute(ENDPOINTS.session, () => ({ ...SESSION, refreshToken: 'must-not-leave' })),
    );
    const response = await fetch(url);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual(SESSION);
  });

  it('answers 500 and logs the mismatch when its answer breaks the schema', async () => {
    const { url, logs } = await serveAlone(
      jsonRoute(ENDPOINTS.session, () => ({ ...SESSION, via: 'side_door' as 'app_center' })),
    );
    const response = await fetch(url);
    expect(response.status).toBe(500);
    expect(await response.json()).toMatchObject({ error: { code: 'internal_error' } });
    expect(logs.join('')).toMatch(/GET \/api\/session.*does not fit its response schema/);
  });

  it('refuses a query it does not take, naming the parameter', async () => {
    const { url } = await serveAlone(jsonRoute(ENDPOINTS.session, () => SESSION));
    const response = await fetch(`${url}?debug=1`);
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({
      error: {
        code: 'validation_failed',
        message: 'The query is not valid (this endpoint takes no query).',
      },
    });
  });
});
